// The flash source on an image past 4 GiB (sizes that overflow 32 bits: ZIP64, xz/zstd sizes,
// gzip's wrapped ISIZE): a sparse 4.5 GiB file with data at its start, across the 4 GiB mark and
// at its end, compressed with the system tools and streamed back byte for byte.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSource, noTools, openSourceStream, systemTools } from '../../src-main/flash/source/open-source.js';
import { drain } from '../unit/flash/source/source-fixtures.js';

const GIB = 2 ** 30;
const SIZE = 4.5 * GIB;
let dir: string;
let image: string;
let expected: string;

async function compressed(name: string, command: string): Promise<string> {
  const out = join(dir, name);
  await execa('sh', ['-c', command], { env: { IMAGE: image, OUT: out } });
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-big-source-'));
  image = join(dir, 'big.img');
  const handle = await open(image, 'w');
  try {
    await handle.truncate(SIZE);
    for (const at of [0, 4 * GIB - 512 * 1024, SIZE - 1024 * 1024]) await handle.write(randomBytes(1024 * 1024), 0, 1024 * 1024, at);
  } finally {
    await handle.close();
  }
  expected = (await drain(createReadStream(image, { highWaterMark: 4 * 1024 * 1024 }))).sha256;
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const signal = (): AbortSignal => new AbortController().signal;

describe('an image past 4 GiB', () => {
  it('zip (ZIP64): the entry size from the central directory, and the bytes', async () => {
    const path = await compressed('big.zip', 'zip -q -1 -j "$OUT" "$IMAGE"');
    const info = await inspectSource(path);
    expect(info).toMatchObject({ compression: 'zip', imageSize: SIZE, entryName: 'big.img' });
    expect(await drain(openSourceStream(info, { signal: signal() }))).toEqual({ size: SIZE, sha256: expected });
  });

  it('xz (multi-block): the size from the index, read by xz and by us, and the bytes', async () => {
    const path = await compressed('big.xz', 'xz -T2 -0 --block-size=64MiB -c "$IMAGE" > "$OUT"');
    expect((await inspectSource(path, { tools: noTools })).imageSize).toBe(SIZE);
    const info = await inspectSource(path, { tools: systemTools });
    expect(info.imageSize).toBe(SIZE);
    expect(await drain(openSourceStream(info, { signal: signal() }))).toEqual({ size: SIZE, sha256: expected });
  });

  it('zstd: the 64-bit content size, and the bytes', async () => {
    const path = await compressed('big.zst', 'zstd -q -T0 -c "$IMAGE" > "$OUT"');
    const info = await inspectSource(path);
    expect(info.imageSize).toBe(SIZE);
    expect(await drain(openSourceStream(info, { signal: signal() }))).toEqual({ size: SIZE, sha256: expected });
  });

  it('gzip: no image size (ISIZE wrapped to 512 MiB), yet all the bytes', async () => {
    const path = await compressed('big.gz', 'gzip -1 -c "$IMAGE" > "$OUT"');
    const info = await inspectSource(path);
    expect(info.imageSize).toBeUndefined();
    expect(await drain(openSourceStream(info, { signal: signal() }))).toEqual({ size: SIZE, sha256: expected });
  });
});
