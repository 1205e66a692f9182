// The flash helper as a process, through its protocol only: the job in, JSON-line events out,
// documented exit codes, cancel by command or by the app going away, and the file-based channel
// used under Windows UAC. File targets need no root, so most of this runs anywhere the build is;
// its lifecycle mid-flash (the app killed, its events unread, SIGTERM) needs root, a loop device
// and a block I/O throttle to keep the flash slow enough to interrupt.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { HELPER_EXIT, LineSplitter, encodeLine, parseEvent, type HelperEvent } from '../../src-main/flash/helper-protocol.js';
import { hasEnded, parseProcStat } from '../../src-main/flash/proc-stat.js';
import { slowLoop, type SlowLoop } from './slow-loop.js';
import { HELPER_BUNDLE, withImageFile } from './image-file.js';
import { REPO, skipReason } from './support.js';

const HELPER = HELPER_BUNDLE;
let dir = '';
let image = '';

withImageFile('kf-helper-', 24 * 1024 * 1024, (made) => ({ dir, image } = made));

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
    const { child, events } = run({ type: 'flash', source: image, targets: [target], allowVirtual: true, verify: true, chunkSize: 1 << 20 });
    const result = await child;
    expect(result.exitCode).toBe(HELPER_EXIT.ok);
    const phases = events.filter((e) => e.type === 'phase' && e.state === 'started').map((e) => (e as { phase: string }).phase);
    expect(phases).toEqual(['inspect', 'check', 'unmount', 'prepare', 'write', 'flush', 'verify']);
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
    const { child, events } = run({ type: 'flash', source: image, targets: [join(dir, 'c.img')], allowVirtual: true, verify: true, chunkSize: 1 << 16 }, { cancelAfterFirstProgress: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.cancelled);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
  });

  it('stops when the app goes away (stdin closes)', async () => {
    const { child, events } = run({ type: 'flash', source: image, targets: [join(dir, 'd.img')], allowVirtual: true, verify: true, chunkSize: 1 << 16 }, { closeStdinAfterFirstProgress: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.cancelled);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
  });

  it('reports a failure with exit 1 and the error', async () => {
    const { child, events } = run({ type: 'flash', source: join(dir, 'missing.img'), targets: [join(dir, 'e.img')], allowVirtual: true, verify: true });
    expect((await child).exitCode).toBe(HELPER_EXIT.failed);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'source-invalid' } });
  });

  it('speaks through files in --io mode (the Windows UAC channel)', async () => {
    const io = await mkdtemp(join(dir, 'io-'));
    const target = join(dir, 'io.img');
    await writeFile(join(io, 'job.json'), JSON.stringify({ type: 'flash', source: image, targets: [target], allowVirtual: true, verify: true }));
    const result = await execa('node', [HELPER, '--io', io], { reject: false });
    expect(result.exitCode).toBe(HELPER_EXIT.ok);
    const events = (await readFile(join(io, 'events.jsonl'), 'utf8')).trim().split('\n').map((l) => parseEvent(l));
    expect(events.at(-1)?.type).toBe('done');
    expect((await readFile(target)).equals(await readFile(image))).toBe(true);
  });
});

// The helper may run as root: it must never outlive the app or spin when nobody listens.
const PARENT = join(REPO, 'test', 'integration', 'helper-parent.mjs');
const MIB = 1024 * 1024;
const env = inject('integration');

function onLines(stream: Readable, onLine: (line: string) => void): void {
  const splitter = new LineSplitter();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) onLine(line);
  });
}

/** Ended: no such process any more, or a zombie waiting to be reaped. */
async function ended(pid: number): Promise<boolean> {
  const stat = parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ''));
  return stat === undefined || hasEnded(stat);
}

/** Milliseconds until the process ended, or undefined if it still runs after `limit` ms. */
async function timeToEnd(pid: number, limit: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < limit) {
    if (await ended(pid)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  return undefined;
}

function exitCode(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('flash helper with per-card partitions (file targets)', () => {
  const MIB = 1024 * 1024;
  const range = { offset: 4 * MIB, length: 4 * MIB };

  /** The image with one card's partition image over the range. */
  const expected = (imageData: Buffer, fill: number): Buffer => {
    const out = Buffer.from(imageData);
    out.fill(fill, range.offset, range.offset + range.length);
    return out;
  };

  it.each([
    ['plain', ''],
    ['gzip', '.gz'],
  ])('writes each target its own partition from one read of a %s image, and verifies each against its own bytes', async (_name, suffix) => {
    const source = `${image}${suffix}`;
    if (suffix === '.gz') await execa('gzip', ['-k', '-f', '-1', image]);
    const parts = [join(dir, 'p1.img'), join(dir, 'p2.img')];
    await writeFile(parts[0]!, Buffer.alloc(range.length, 0x11));
    await writeFile(parts[1]!, Buffer.alloc(range.length, 0x22));
    const targets = [join(dir, `c1${suffix}.img`), join(dir, `c2${suffix}.img`)];
    const { child, events } = run({
      type: 'flash',
      source,
      targets: targets.map((path, i) => ({ path, partition: parts[i] })),
      cardRange: range,
      allowVirtual: true,
      verify: true,
      chunkSize: 1 << 20,
    });
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(HELPER_EXIT.ok);
    const phases = events.filter((e) => e.type === 'phase' && e.state === 'started').map((e) => (e as { phase: string }).phase);
    expect(phases).toContain('card-partitions');
    expect(phases.at(-1)).toBe('verify');
    const imageData = await readFile(image);
    expect((await readFile(targets[0]!)).equals(expected(imageData, 0x11))).toBe(true);
    expect((await readFile(targets[1]!)).equals(expected(imageData, 0x22))).toBe(true);
  });

  it('refuses a partition image that does not fit the partition before any target is made', async () => {
    const part = join(dir, 'big.img');
    await writeFile(part, Buffer.alloc(range.length + 4096, 0x33));
    const target = join(dir, 'never.img');
    const { child, events } = run({ type: 'flash', source: image, targets: [{ path: target, partition: part }], cardRange: range, allowVirtual: true, verify: true });
    const result = await child;
    expect(result.exitCode).toBe(HELPER_EXIT.failed);
    const error = events.find((e) => e.type === 'error');
    expect(error?.type === 'error' && error.error.message).toBe(`Nothing was written: ${target}'s own partition image is ${range.length + 4096} bytes but the partition is ${range.length}: it does not fit`);
    expect(await readdir(dir)).not.toContain('never.img');
  });
});

describe('flash helper lifecycle', () => {
  it('exits at once on SIGTERM while it waits for a job', async () => {
    const child = spawn('node', [HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const events: HelperEvent[] = [];
    onLines(child.stdout!, (line) => {
      const event = parseEvent(line);
      if (event) events.push(event);
    });
    // Ready once it waits on its stdin (fd 0 in its epoll set): by then its signal handlers are
    // set too (same tick), so SIGTERM tests the helper, not Node's default handling.
    const waitsOnStdin = async (): Promise<boolean> => {
      const infos = await readdir(`/proc/${child.pid}/fdinfo`).catch(() => []);
      const texts = await Promise.all(infos.map((fd) => readFile(`/proc/${child.pid}/fdinfo/${fd}`, 'utf8').catch(() => '')));
      return texts.some((text) => /^tfd:\s+0\s/m.test(text));
    };
    for (let i = 0; i < 500 && !(await waitsOnStdin()); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await waitsOnStdin()).toBe(true);
    const exit = exitCode(child);
    try {
      child.kill('SIGTERM');
      expect(await timeToEnd(child.pid!, 1000)).toBeDefined();
      expect(await exit).toBe(HELPER_EXIT.cancelled);
      expect(events).toEqual([{ type: 'error', error: { code: 'cancelled', message: expect.stringContaining('before it got a job') } }]);
    } finally {
      child.kill('SIGKILL');
      child.stdin?.destroy();
    }
  });

  it('stops, and does not spin, when nobody reads its events any more', async () => {
    const target = join(dir, 'no-reader.img');
    const child = spawn('node', [HELPER], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exit = exitCode(child);
    child.stdout!.destroy();
    child.stdin!.write(JSON.stringify({ type: 'flash', source: image, targets: [target], allowVirtual: true, verify: true, chunkSize: 1 << 16 }) + '\n');
    try {
      // stdin stays open: only the broken stdout tells it that nobody listens. (A helper that
      // spun on EPIPE instead never ended, at 40-90 % CPU.)
      expect(await timeToEnd(child.pid!, 2000)).toBeDefined();
      expect(await exit).toBe(HELPER_EXIT.cancelled);
      const head = await readFile(target).then((b) => b.subarray(0, MIB), () => Buffer.alloc(0));
      expect(head.some((byte) => byte !== 0)).toBe(false);
    } finally {
      child.kill('SIGKILL');
      child.stdin!.destroy();
    }
  });
});

type Act = (run: { readonly parent: ChildProcess; readonly helperPid: number }) => void;

describe.skipIf(skipReason(env, 'loop') !== undefined)('flash helper lifecycle, mid-flash on a slowed-down loop device', () => {
  const FILL = 0xa5;
  let loop: SlowLoop | undefined;
  let noThrottle: string | undefined;

  beforeEach(async () => {
    const made = await slowLoop(dir, 32, FILL, 8 * MIB);
    if (typeof made === 'string') {
      noThrottle = made;
      console.warn(`[integration] skipped: ${made}`);
    } else {
      loop = made;
    }
  });
  afterEach(async () => {
    await loop?.release();
    loop = undefined;
  });

  /**
   * Starts the stand-in app with the helper flashing the loop device, waits until the write is
   * well under way, does `act`, and returns how long the helper took to end, the parent's exit
   * code (null when killed) and the device's content afterwards.
   */
  async function interrupt(mode: 'pipes' | 'fds', act: Act) {
    const slow = loop!;
    const parent = slow.spawn(['node', PARENT, HELPER, mode], mode === 'fds' ? ['pipe', 'pipe', 'inherit', 'pipe', 'pipe'] : ['pipe', 'pipe', 'inherit']);
    const parentExit = exitCode(parent);
    const input = (mode === 'fds' ? parent.stdio[3] : parent.stdin) as Writable;
    const output = (mode === 'fds' ? parent.stdio[4] : parent.stdout) as Readable;
    const events: HelperEvent[] = [];
    let helperPid = 0;
    const underWay = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the flash did not get under way: ${JSON.stringify(events.slice(-3))}`)), 30_000);
      const onLine = (line: string): void => {
        const pid = /^\{"helperPid":(\d+)\}$/.exec(line)?.[1];
        if (pid) helperPid = Number(pid);
        const event = parseEvent(line);
        if (!event) return;
        events.push(event);
        if (event.type === 'progress' && event.phase === 'write' && event.done >= 3 * MIB) {
          clearTimeout(timer);
          resolve();
        }
        if (event.type === 'error' || event.type === 'done') reject(new Error(`the flash ended before the test could interrupt it: ${line}`));
      };
      onLines(output, onLine);
      if (mode === 'fds') onLines(parent.stdout!, onLine);
    });
    input.write(`${JSON.stringify({ type: 'flash', source: image, targets: [slow.device], allowVirtual: true, verify: false, chunkSize: MIB })}\n`);
    try {
      await underWay;
      expect(helperPid).toBeGreaterThan(0);
      act({ parent, helperPid });
      const took = await timeToEnd(helperPid, 5000);
      if (took === undefined) process.kill(helperPid, 'SIGKILL');
      await timeToEnd(helperPid, 5000);
      const code = await parentExit;
      await slow.release();
      loop = undefined;
      const written = await readFile(slow.backing);
      return { took, code, events, written };
    } finally {
      parent.kill('SIGKILL');
      for (const stream of parent.stdio) stream?.destroy();
    }
  }

  /** The first MiB zeroed (boots nothing) and the flash cut short (the end of the image not written). */
  function expectCutShort(written: Buffer): void {
    expect(written.subarray(0, MIB).every((byte) => byte === 0)).toBe(true);
    expect(written.subarray(20 * MIB, 23 * MIB).every((byte) => byte === FILL)).toBe(true);
  }

  it('ends within 2 s when the app is killed (kill -9) mid-flash, the first MiB zeroed', async ({ skip }) => {
    if (noThrottle) return skip(noThrottle);
    const { took, written } = await interrupt('pipes', ({ parent }) => parent.kill('SIGKILL'));
    expect(took).toBeLessThan(2000);
    expectCutShort(written);
  });

  it('ends within 2 s when the app is killed while its stdin and stdout stay open elsewhere (parent watch)', async ({ skip }) => {
    if (noThrottle) return skip(noThrottle);
    const { took, written } = await interrupt('fds', ({ parent }) => parent.kill('SIGKILL'));
    expect(took).toBeLessThan(2000);
    expectCutShort(written);
  });

  it('stops within 2 s when the app stops reading its events mid-flash', async ({ skip }) => {
    if (noThrottle) return skip(noThrottle);
    const { took, code, written } = await interrupt('pipes', ({ parent }) => parent.kill('SIGUSR1'));
    expect(took).toBeLessThan(2000);
    expect(code).toBe(HELPER_EXIT.cancelled);
    expectCutShort(written);
  });

  it('stops within 2 s on SIGTERM mid-flash, reporting the cancel', async ({ skip }) => {
    if (noThrottle) return skip(noThrottle);
    const { took, code, events, written } = await interrupt('pipes', ({ helperPid }) => process.kill(helperPid, 'SIGTERM'));
    expect(took).toBeLessThan(2000);
    expect(code).toBe(HELPER_EXIT.cancelled);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'cancelled' } });
    expectCutShort(written);
  });
});
