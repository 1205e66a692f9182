// The app's side of the flash helper: start it (elevated when needed), hand it the job, turn its
// events into job events (phases, progress with rate and ETA, logs), and pass a cancel on.
import { access, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { AppError, type AppErrorData } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { formatBytes, formatDuration } from '../../src-shared/util/format.js';
import { cancelledError, type JobContext, type ProgressMeter } from '../jobs/job-context.js';
import { resourcesDir } from '../util/resources.js';
import { elevationCommand, elevationRefused } from './elevation.js';
import { appImageLaunch } from './elevation-appimage.js';
import { LineSplitter, encodeLine, parseEvent, type FlashJob, type FlashSummary, type HelperEvent } from './helper-protocol.js';

/** The bundled helper (npm run build writes it), unpacked from the asar in a packaged app. */
export async function helperScript(): Promise<string> {
  if (process.env.KF_FLASH_HELPER) return process.env.KF_FLASH_HELPER;
  const root = dirname(await resourcesDir());
  const candidates = [
    join(root, 'dist', 'flash-helper', 'helper.mjs'),
    join(root, 'app.asar.unpacked', 'dist', 'flash-helper', 'helper.mjs'),
  ];
  for (const path of candidates) {
    try {
      await access(path);
      return path;
    } catch {
      // try the next place
    }
  }
  throw new AppError('internal', 'The flash helper is missing', { hint: 'Run `npm run build` (it bundles dist/flash-helper/helper.mjs)' });
}

function isElevated(): boolean {
  return typeof process.geteuid === 'function' ? process.geteuid() === 0 : false;
}

/** Only drives need administrator rights: a job writing image files runs as the user. */
async function needsElevation(targets: ReadonlyArray<string>): Promise<boolean> {
  if (isElevated()) return false;
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (!info || !info.isFile()) {
      if (info || target.startsWith('/dev/') || target.startsWith('\\\\.\\')) return true;
    }
  }
  return false;
}

/** The helper (or the prompt before it) ended without a result: refused, or it failed to start. */
interface Ended {
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
  readonly stderr: string;
}

/**
 * Starts the helper with Node's own spawn (execa's load, 0.1 s, would be paid by every flash) and
 * keeps the end of its stderr for the error message.
 */
function startHelper(command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, piped: boolean): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(command, [...args], { env, stdio: piped ? ['pipe', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16 * 1024);
  });
  // A helper that is gone must not make writes to its stdin throw.
  child.stdin?.on('error', () => undefined);
  const ended = new Promise<Ended>((resolve) => {
    child.once('error', (error) => resolve({ exitCode: undefined, stderr: error.message }));
    child.once('close', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, stderr }));
  });
  return { child, ended };
}

function endedWithoutResult(result: Ended): AppError {
  if (elevationRefused(process.platform, result.exitCode)) {
    return new AppError('flash-failed', 'Permission to write the drive was not given', { hint: 'Writing a drive needs administrator rights: accept the password prompt, or run as root' });
  }
  const stderr = String(result.stderr ?? '').trim().split('\n').pop() ?? '';
  return new AppError('flash-failed', `The flash helper stopped unexpectedly (exit ${result.exitCode ?? result.signal ?? '?'})${stderr ? `: ${stderr}` : ''}`);
}

/** A helper started before its job is known (see warmFlashHelper). */
export interface WarmHelper {
  readonly started: { readonly child: ChildProcess; readonly ended: Promise<Ended> };
  /** Lets it go unused: it ends when its stdin closes without a job. */
  discard(): void;
}

/**
 * Starts the helper while the engine still checks the targets, so that its Node start (about a
 * tenth of a second) overlaps the checks; only where it needs no password (already root, or only
 * image files) and talks over stdio: a password prompt never comes before the checks passed.
 */
export async function warmFlashHelper(targets: ReadonlyArray<string>): Promise<WarmHelper | undefined> {
  if (process.platform === 'win32' || (await needsElevation(targets))) return undefined;
  const command = elevationCommand({
    platform: process.platform,
    elevated: true,
    runtime: process.execPath,
    runtimeIsElectron: Boolean(process.versions.electron),
    helperScript: await helperScript(),
    appPid: process.pid,
  });
  const started = startHelper(command.command, command.args, { ...process.env, ...command.env }, true);
  return { started, discard: () => started.child.stdin?.end() };
}

export async function runFlashHelper(job: FlashJob, ctx: JobContext, warm?: WarmHelper): Promise<JobResult> {
  const script = await helperScript();
  const ioDir = process.platform === 'win32' ? await mkdtemp(join(tmpdir(), 'kf-flash-')) : undefined;
  const appImage = process.platform === 'linux' ? appImageLaunch(process.env, script) : undefined;
  const command = elevationCommand({
    platform: process.platform,
    elevated: !(await needsElevation(job.targets.map((t) => t.path))),
    runtime: process.execPath,
    runtimeIsElectron: Boolean(process.versions.electron),
    helperScript: script,
    appPid: process.pid,
    askpass: join(await resourcesDir(), 'macos', 'askpass.sh'),
    ...(ioDir ? { ioDir } : {}),
    ...(appImage ? { appImage } : {}),
  });
  if (command.command !== process.execPath) ctx.log('flash', 'Asking for permission to write the drive…');

  const meters = new Map<string, ProgressMeter>();
  let summary: FlashSummary | undefined;
  let failure: AppErrorData | undefined;
  const failedTargets: string[] = [];
  const handle = (event: HelperEvent): void => {
    switch (event.type) {
      case 'phase':
        ctx.phase('flash', event.phase, event.state, event.seconds);
        break;
      case 'progress': {
        let meter = meters.get(event.phase);
        if (!meter) meters.set(event.phase, (meter = ctx.meter('flash', event.phase, 'bytes', event.total)));
        meter.setTotal(event.total);
        meter.update(event.done);
        break;
      }
      case 'log':
        ctx.log('flash', event.line);
        break;
      case 'target-failed':
        failedTargets.push(event.device);
        ctx.log('flash', `${event.device} dropped out: ${event.error.message}`);
        break;
      case 'done':
        summary = event.summary;
        break;
      case 'error':
        failure = event.error;
        break;
    }
  };

  const env = { ...process.env, ...command.env };
  if (command.transport === 'io-dir' && ioDir) {
    await writeFile(join(ioDir, 'job.json'), JSON.stringify(job));
    const { ended } = startHelper(command.command, command.args, env, false);
    const onAbort = (): void => void writeFile(join(ioDir, 'cancel'), '');
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    let seen = 0;
    const poll = setInterval(() => {
      void readFile(join(ioDir, 'events.jsonl'), 'utf8').then(
        (text) => {
          const lines = text.slice(seen).split('\n');
          const complete = lines.slice(0, -1);
          seen += complete.reduce((n, l) => n + l.length + 1, 0);
          for (const line of complete) {
            const event = parseEvent(line);
            if (event) handle(event);
          }
        },
        () => undefined,
      );
    }, 250);
    const result = await ended;
    clearInterval(poll);
    ctx.signal.removeEventListener('abort', onAbort);
    for (const line of (await readFile(join(ioDir, 'events.jsonl'), 'utf8').catch(() => '')).slice(seen).split('\n')) {
      const event = parseEvent(line);
      if (event) handle(event);
    }
    await rm(ioDir, { recursive: true, force: true });
    if (!summary && !failure) throw endedWithoutResult(result);
  } else {
    // A helper warmed up for this job is only ever one that needs no elevation: the same command.
    const { child, ended } = warm && command.command === process.execPath ? warm.started : startHelper(command.command, command.args, env, true);
    if (warm && warm.started.child !== child) warm.discard();
    const splitter = new LineSplitter();
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        const event = parseEvent(line);
        if (event) handle(event);
      }
    });
    child.stdin?.write(encodeLine(job));
    // Cancel: ask, then close stdin (the helper stops on either), and as a last resort kill it.
    const onAbort = (): void => {
      child.stdin?.write(encodeLine({ type: 'cancel' }));
      child.stdin?.end();
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const result = await ended;
    ctx.signal.removeEventListener('abort', onAbort);
    for (const line of splitter.rest()) {
      const event = parseEvent(line);
      if (event) handle(event);
    }
    if (!summary && !failure) throw endedWithoutResult(result);
  }

  if (failure) {
    if (failure.code === 'cancelled') throw ctx.signal.aborted ? cancelledError() : AppError.fromData(failure);
    throw AppError.fromData(failure);
  }
  if (!summary) throw new AppError('flash-failed', 'The flash helper ended without a result');
  const ok = summary.targets.filter((t) => t.ok).map((t) => t.device);
  const phases = Object.entries(summary.durations).map(([name, s]) => `${name} ${formatDuration(s)}`).join(', ');
  ctx.log('flash', `Summary: ${phases}`);
  return {
    message:
      `${formatBytes(summary.bytesWritten)} written to ${ok.join(', ')}${summary.verified ? ' and verified' : ''}` +
      (summary.bmap ? ` (only the mapped blocks of ${formatBytes(summary.imageSize)}, per the .bmap)` : '') +
      (failedTargets.length ? `; failed: ${failedTargets.join(', ')}` : ''),
    seconds: summary.seconds,
  };
}
