// The flash helper's life as a process. It may run as root, so it must never outlive its purpose:
// it stops (aborting the flash) when asked, on SIGTERM/SIGINT/SIGHUP, and when the app is gone
// (the channel notices a closed stdin or stdout; the watch below notices an orphaned helper whose
// stdin stays open, e.g. behind sudo). Once stopping, it exits within GRACE_MS whatever the work
// is blocked on. The engine zeroed the first MiB before writing and writes it last, so a flash cut
// short leaves a drive that boots nothing rather than half a system.
import { readFile } from 'node:fs/promises';
import type { StopReason } from './helper-channel.js';
import { HELPER_EXIT } from './helper-protocol.js';
import { hasEnded, parseProcStat } from './proc-stat.js';

/** From "stop" to exit at the latest: time to finish the write in flight and report. */
export const GRACE_MS = 1500;
const WATCH_MS = 200;

export interface Lifecycle {
  readonly signal: AbortSignal;
  stop(reason: StopReason): void;
  /** The work is over: stop watching, and exit with this code even if a handle lingers. */
  finish(code: number): void;
}

export function startLifecycle(options: { readonly watchPid?: number }): Lifecycle {
  const controller = new AbortController();
  const stop = (reason: StopReason): void => {
    if (controller.signal.aborted) return;
    controller.abort(reason);
    say(`stopping: ${explain(reason)}`);
    setTimeout(() => {
      say(`still busy ${GRACE_MS} ms after stopping; exiting`);
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : HELPER_EXIT.cancelled);
    }, GRACE_MS).unref();
  };
  let signals = 0;
  for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(name, () => {
      // A second signal means "now".
      if (++signals > 1) process.exit(HELPER_EXIT.cancelled);
      stop('signal');
    });
  }
  process.stderr.on('error', () => undefined);
  const watch = watchApp(options.watchPid, () => stop('app-gone'));
  return {
    signal: controller.signal,
    stop,
    finish: (code) => {
      clearInterval(watch);
      process.exitCode = code;
      setTimeout(() => process.exit(code), GRACE_MS).unref();
    },
  };
}

function explain(reason: StopReason): string {
  switch (reason) {
    case 'cancel':
      return 'cancelled by the app';
    case 'app-gone':
      return 'the app is gone';
    case 'stdout-gone':
      return 'nobody reads the events any more';
    case 'signal':
      return 'asked to terminate';
    case 'crash':
      return 'an internal error';
  }
}

/** A line on stderr for whoever still listens (an unread stderr must not break anything). */
function say(line: string): void {
  if (!process.stderr.destroyed) process.stderr.write(`kairos-factory flash helper: ${line}\n`, () => undefined);
}

/** Polls whether the app is gone: the parent changed (orphaned), or the watched pid ended. */
function watchApp(watchPid: number | undefined, gone: () => void): NodeJS.Timeout {
  const parent = process.ppid;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void appGone(parent, watchPid).then(
      (isGone) => {
        busy = false;
        if (!isGone) return;
        clearInterval(timer);
        gone();
      },
      () => {
        busy = false;
      },
    );
  }, WATCH_MS);
  timer.unref();
  return timer;
}

async function appGone(parent: number, watchPid: number | undefined): Promise<boolean> {
  // Linux: /proc tells the parent now (process.ppid is the one at start) and sees zombies.
  const self = parseProcStat(await readFile('/proc/self/stat', 'utf8').catch(() => ''));
  if (self) {
    if (self.ppid !== parent) return true;
    if (watchPid === undefined) return false;
    const watched = parseProcStat(await readFile(`/proc/${watchPid}/stat`, 'utf8').catch(() => ''));
    return watched === undefined || hasEnded(watched);
  }
  return !alive(parent) || (watchPid !== undefined && !alive(watchPid));
}

/** Signal 0: no such process (ESRCH) or there (EPERM: someone else's). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
