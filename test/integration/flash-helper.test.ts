// The flash helper as a process, through its protocol only: the job in, JSON-line events out,
// documented exit codes, cancel by command or by the app going away, and the file-based channel
// used under Windows UAC. File targets need no root, so this runs anywhere the build is.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_EXIT, LineSplitter, encodeLine, parseEvent, type HelperEvent } from '../../src-main/flash/helper-protocol.js';
import { REPO } from './support.js';

const HELPER = join(REPO, 'dist', 'flash-helper', 'helper.mjs');
let dir = '';
let image = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-helper-'));
  image = join(dir, 'image.img');
  await writeFile(image, randomBytes(24 * 1024 * 1024));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(job: unknown, options: { cancelAfterFirstProgress?: boolean; closeStdinAfterFirstProgress?: boolean } = {}) {
  const child = execa('node', [HELPER], { reject: false, stdin: 'pipe' });
  const events: HelperEvent[] = [];
  const splitter = new LineSplitter();
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) {
      const event = parseEvent(line);
      if (!event) continue;
      events.push(event);
      if (event.type === 'progress' && events.filter((e) => e.type === 'progress').length === 1) {
        if (options.cancelAfterFirstProgress) child.stdin?.write(encodeLine({ type: 'cancel' }));
        if (options.closeStdinAfterFirstProgress) child.stdin?.end();
      }
    }
  });
  child.stdin?.write(typeof job === 'string' ? `${job}\n` : encodeLine(job as never));
  return { child, events };
}

describe('flash helper protocol', () => {
  it('does a job and ends with "done" and exit 0, phases in order', async () => {
    const target = join(dir, 'out.img');
    const { child, events } = run({ type: 'flash', source: image, targets: [target], verify: true, chunkSize: 1 << 20 });
    const result = await child;
    expect(result.exitCode).toBe(HELPER_EXIT.ok);
    const phases = events.filter((e) => e.type === 'phase' && e.state === 'started').map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual(['inspect', 'unmount', 'prepare', 'write', 'flush', 'verify']);
    const last = events.at(-1);
    expect(last?.type).toBe('done');
    expect(last?.type === 'done' && last.summary.targets).toEqual([{ device: target, ok: true }]);
    expect((await readFile(target)).equals(await readFile(image))).toBe(true);
    expect(events.some((e) => e.type === 'progress' && e.phase === 'verify')).toBe(true);
  });

  it('refuses a bad job with exit 2 and an error naming the field', async () => {
    const { child, events } = run({ type: 'flash', source: image, targets: [], verify: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.badJob);
    expect(events).toEqual([{ type: 'error', error: { code: 'bad-request', message: expect.stringContaining('targets') } }]);
    const notJson = run('this is not json');
    expect((await notJson.child).exitCode).toBe(HELPER_EXIT.badJob);
  });

  it('stops on a cancel command with exit 130 and a cancelled error', async () => {
    const { child, events } = run({ type: 'flash', source: image, targets: [join(dir, 'c.img')], verify: true, chunkSize: 1 << 16 }, { cancelAfterFirstProgress: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.cancelled);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
  });

  it('stops when the app goes away (stdin closes)', async () => {
    const { child, events } = run({ type: 'flash', source: image, targets: [join(dir, 'd.img')], verify: true, chunkSize: 1 << 16 }, { closeStdinAfterFirstProgress: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.cancelled);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
  });

  it('reports a failure with exit 1 and the error', async () => {
    const { child, events } = run({ type: 'flash', source: join(dir, 'missing.img'), targets: [join(dir, 'e.img')], verify: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.failed);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'source-invalid' } });
  });

  it('speaks through files in --io mode (the Windows UAC channel)', async () => {
    const io = await mkdtemp(join(dir, 'io-'));
    const target = join(dir, 'io.img');
    await writeFile(join(io, 'job.json'), JSON.stringify({ type: 'flash', source: image, targets: [target], verify: true }));
    const result = await execa('node', [HELPER, '--io', io], { reject: false });
    expect(result.exitCode).toBe(HELPER_EXIT.ok);
    const events = (await readFile(join(io, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => parseEvent(l));
    expect(events.at(-1)?.type).toBe('done');
    expect((await readFile(target)).equals(await readFile(image))).toBe(true);
  });
});
