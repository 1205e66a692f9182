// Cancelling a source stream: the stream ends at once with AppError('cancelled'), and a system
// decompressor behind it is killed and reaped (no process, no zombie, left behind).
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSource, noTools, openSourceStream, systemTools, type SourceInfo } from '../../../../src-main/flash/source/open-source.js';
import { childrenOf, compress, eventually, imageBytes, tempDir, type Kind } from './source-fixtures.js';

let cleanup: () => Promise<void>;
const infos = new Map<Kind, SourceInfo>();

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  const image = join(temp.dir, 'disk.img');
  await writeFile(image, imageBytes());
  for (const kind of ['gzip', 'xz', 'zstd', 'bzip2', 'zip'] as const) {
    infos.set(kind, await inspectSource(await compress(kind, image, join(temp.dir, `image.${kind}`))));
  }
});

afterAll(() => cleanup());

/** Takes one chunk, then stops reading: the decoder fills the pipes and blocks, still alive. */
async function firstChunk(stream: Readable): Promise<void> {
  await once(stream, 'data');
  stream.pause();
}

/** Resolves with the error the stream was destroyed with, and how long that took. */
async function closing(stream: Readable, act: () => void): Promise<{ error: unknown; ms: number }> {
  let error: unknown;
  stream.on('error', (e) => (error = e));
  const started = performance.now();
  const closed = new Promise((resolve) => stream.once('close', resolve));
  act();
  await closed;
  return { error, ms: performance.now() - started };
}

const TOOL: Readonly<Record<string, string>> = { xz: 'xz', zstd: 'zstd', bzip2: 'bzip2' };

describe.each(['xz', 'zstd', 'bzip2'] as const)('%s through the system tool', (kind) => {
  async function startWithChild(signal: AbortSignal): Promise<{ stream: Readable; pid: number }> {
    const before = new Set((await childrenOf(process.pid)).map((c) => c.pid));
    const stream = openSourceStream(infos.get(kind)!, { signal, tools: systemTools, highWaterMark: 64 * 1024 });
    await firstChunk(stream);
    const child = (await childrenOf(process.pid)).find((c) => !before.has(c.pid) && c.name === TOOL[kind]);
    expect(child, `a running ${kind} child`).toBeDefined();
    return { stream, pid: child!.pid };
  }

  const gone = (pid: number) => eventually(async () => !(await childrenOf(process.pid)).some((c) => c.pid === pid));

  it('abort ends the stream with "cancelled" and kills the child', async () => {
    const controller = new AbortController();
    const { stream, pid } = await startWithChild(controller.signal);
    const { error, ms } = await closing(stream, () => controller.abort());
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(ms).toBeLessThan(1000);
    expect(await gone(pid), `${kind} (pid ${pid}) is gone, not even a zombie`).toBe(true);
  });

  it('a consumer destroying the stream kills the child too', async () => {
    const { stream, pid } = await startWithChild(new AbortController().signal);
    const { error } = await closing(stream, () => stream.destroy());
    expect(error).toBeUndefined();
    expect(await gone(pid)).toBe(true);
  });
});

describe.each([
  { kind: 'gzip', tools: systemTools },
  { kind: 'zip', tools: systemTools },
  { kind: 'xz', tools: noTools },
  { kind: 'zstd', tools: noTools },
  { kind: 'bzip2', tools: noTools },
] as const)('$kind in process', ({ kind, tools }) => {
  it('abort ends the stream with "cancelled" at once', async () => {
    const controller = new AbortController();
    const stream = openSourceStream(infos.get(kind)!, { signal: controller.signal, tools, highWaterMark: 64 * 1024 });
    await firstChunk(stream);
    const { error, ms } = await closing(stream, () => controller.abort());
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(ms).toBeLessThan(1000);
  });
});

describe('an already aborted signal', () => {
  it('fails the stream at once and starts no decoder', async () => {
    const before = (await childrenOf(process.pid)).length;
    const stream = openSourceStream(infos.get('xz')!, { signal: AbortSignal.abort(), tools: systemTools });
    const { error } = await closing(stream, () => undefined);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect((await childrenOf(process.pid)).length).toBe(before);
  });
});
