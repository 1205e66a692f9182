// The source stream end to end on real compressed files: each compression through the system tool
// and through the JS fallback, intact, cut and damaged.
import { copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSource, noTools, openSourceStream, systemTools, type ToolLookup } from '../../../../src-main/flash/source/open-source.js';
import { IMAGE_SIZE, compress, corrupted, drain, imageBytes, sha256, streamError, tempDir, truncated, type Kind } from './source-fixtures.js';

let cleanup: () => Promise<void>;
let dir: string;
let expected: string;
const files = new Map<Kind, string>();

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  const image = join(dir, 'disk.img');
  const bytes = imageBytes();
  expected = sha256(bytes);
  await writeFile(image, bytes);
  // Names that lie: detection must go by content.
  for (const kind of ['gzip', 'xz', 'zstd', 'bzip2', 'zip'] as const) files.set(kind, await compress(kind, image, join(dir, `${kind}-image.img`)));
});

afterAll(() => cleanup());

const signal = (): AbortSignal => new AbortController().signal;

// gzip (zlib) and zip (yauzl + zlib) have one decoder; the others a system tool and a JS one.
const cases: ReadonlyArray<{ kind: Kind; mode: string; tools: ToolLookup }> = [
  { kind: 'gzip', mode: 'zlib', tools: systemTools },
  { kind: 'zip', mode: 'yauzl', tools: systemTools },
  ...(['xz', 'zstd', 'bzip2'] as const).flatMap((kind) => [
    { kind, mode: 'system tool', tools: systemTools },
    { kind, mode: 'built-in', tools: noTools },
  ]),
];

describe.each(cases)('$kind ($mode)', ({ kind, mode, tools }) => {
  it('detects it by its magic bytes and streams the image byte for byte', async () => {
    const info = await inspectSource(files.get(kind)!, { tools });
    expect(info.compression).toBe(kind);
    const result = await drain(openSourceStream(info, { signal: signal(), tools, highWaterMark: 256 * 1024 }));
    expect(result).toEqual({ size: IMAGE_SIZE, sha256: expected });
  });

  it('refuses a file cut short', async () => {
    const cut = await truncated(files.get(kind)!);
    if (kind === 'xz' || kind === 'zip' || kind === 'zstd') {
      // The index / central directory sits at the end, and zstd's frame chain (walked when the
      // frames declare their sizes) runs past the end: a cut is found before writing.
      await expect(inspectSource(cut, { tools })).rejects.toMatchObject({ code: 'source-invalid', message: expect.stringContaining(cut) });
      return;
    }
    const info = await inspectSource(cut, { tools });
    const error = await streamError(openSourceStream(info, { signal: signal(), tools }));
    expect(error).toMatchObject({ code: 'source-invalid', message: expect.stringMatching(/is truncated or corrupt \(.+: .+\)$/) });
    expect(error.message).toContain(cut);
    if (mode === 'built-in') expect(error.message).toContain('(built-in)');
  });

  it('refuses a file with a flipped byte in the middle, as a stream error', async () => {
    const bad = await corrupted(files.get(kind)!);
    const info = await inspectSource(bad, { tools });
    const error = await streamError(openSourceStream(info, { signal: signal(), tools }));
    expect(error).toMatchObject({ code: 'source-invalid', message: expect.stringContaining(`${bad} is truncated or corrupt`) });
    expect((error as { hint?: string }).hint).toMatch(/download it again/);
    if (mode === 'built-in') expect(error.message).toContain('(built-in)');
  });

  it('streams a copy under an honest name the same way', async () => {
    const honest = join(dir, `honest.${kind}`);
    await copyFile(files.get(kind)!, honest);
    const info = await inspectSource(honest, { tools });
    expect((await drain(openSourceStream(info, { signal: signal(), tools }))).sha256).toBe(expected);
  });
});

describe.each([
  { mode: 'system tool', tools: systemTools },
  { mode: 'built-in', tools: noTools },
])('zstd from a pipe, without declared sizes ($mode)', ({ mode, tools }) => {
  let piped: string;
  beforeAll(async () => {
    piped = join(dir, 'piped.zst');
    const { stdout } = await execa('zstd', ['-q', '-c'], { input: imageBytes(), encoding: 'buffer' });
    await writeFile(piped, stdout);
  });

  it('has no image size before decoding, and streams the image', async () => {
    const info = await inspectSource(piped, { tools });
    expect(info).toMatchObject({ compression: 'zstd' });
    expect(info.imageSize).toBeUndefined();
    expect((await drain(openSourceStream(info, { signal: signal(), tools }))).sha256).toBe(expected);
  });

  it('finds a cut while streaming', async () => {
    const cut = await truncated(piped);
    const info = await inspectSource(cut, { tools });
    const error = await streamError(openSourceStream(info, { signal: signal(), tools }));
    expect(error).toMatchObject({ code: 'source-invalid', message: expect.stringContaining(`${cut} is truncated or corrupt (zstd`) });
    if (mode === 'built-in') expect(error.message).toContain('(built-in)');
  });
});

describe('a decompressor that cannot run', () => {
  it('fails the stream with a clear error instead of hanging', async () => {
    const tools: ToolLookup = (name) => Promise.resolve(`/nonexistent/${name}`);
    const info = await inspectSource(files.get('zstd')!, { tools });
    const error = await streamError(openSourceStream(info, { signal: signal(), tools }));
    expect(error).toMatchObject({ code: 'flash-failed', message: expect.stringContaining('Could not run /nonexistent/zstd') });
  });
});

describe('plain images', () => {
  it('streams an uncompressed image as it is', async () => {
    const info = await inspectSource(join(dir, 'disk.img'));
    expect(info).toMatchObject({ compression: 'none', fileSize: IMAGE_SIZE, imageSize: IMAGE_SIZE });
    expect(await drain(openSourceStream(info, { signal: signal() }))).toEqual({ size: IMAGE_SIZE, sha256: expected });
  });

  it('fails when the file shrank after it was inspected', async () => {
    const path = join(dir, 'shrinks.img');
    await copyFile(join(dir, 'disk.img'), path);
    const info = await inspectSource(path);
    await writeFile(path, imageBytes(IMAGE_SIZE / 2));
    const error = await streamError(openSourceStream(info, { signal: signal() }));
    expect(error).toMatchObject({ code: 'source-invalid', message: expect.stringContaining(`where ${IMAGE_SIZE} were expected`) });
  });

  it('fails with a clear error when the file vanished after it was inspected', async () => {
    const info = { path: join(dir, 'gone.img'), compression: 'none' as const, fileSize: 1, imageSize: 1 };
    const error = await streamError(openSourceStream(info, { signal: signal() }));
    expect(error).toMatchObject({ code: 'source-invalid', message: `${info.path} does not exist` });
  });
});
