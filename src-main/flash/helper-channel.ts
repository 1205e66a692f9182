// How the flash helper hears from and talks to the app: its stdio (JSON lines, helper-protocol.ts),
// or, under Windows UAC, files in a private folder. Either way the channel says when the app asks
// to stop or can no longer be reached, and stops writing once nobody reads: a helper that kept
// writing into a closed pipe (EPIPE) once spun on it at full CPU.
import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LineSplitter, encodeLine, type HelperEvent } from './helper-protocol.js';

/** Why the helper stops before its work is done. */
export type StopReason = 'cancel' | 'app-gone' | 'stdout-gone' | 'signal' | 'crash';

export interface Channel {
  /** The job, parsed JSON; rejects when none can come. */
  readonly job: Promise<unknown>;
  /** Resolves once written, or at once when nobody reads any more. */
  emit(event: HelperEvent): Promise<void>;
  onStop(stop: (reason: StopReason) => void): void;
}

export function stdioChannel(): Channel {
  const splitter = new LineSplitter();
  let resolveJob: (value: unknown) => void = () => undefined;
  let rejectJob: (error: Error) => void = () => undefined;
  const job = new Promise<unknown>((resolve, reject) => {
    resolveJob = resolve;
    rejectJob = reject;
  });
  let gotJob = false;
  let stdoutGone = false;
  let stop: (reason: StopReason) => void = () => undefined;

  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    for (const line of splitter.push(chunk)) {
      if (!gotJob) {
        gotJob = true;
        try {
          resolveJob(JSON.parse(line));
        } catch {
          rejectJob(new Error('the job is not JSON'));
        }
      } else if (line.includes('"cancel"')) {
        stop('cancel');
      }
    }
  });
  // The app closed our stdin, or died: either way it is gone.
  const stdinGone = (): void => {
    if (!gotJob) rejectJob(new Error('no job on stdin'));
    stop('app-gone');
  };
  process.stdin.on('end', stdinGone);
  process.stdin.on('error', stdinGone);
  process.stdout.on('error', () => {
    stdoutGone = true;
    stop('stdout-gone');
  });
  return {
    job,
    emit: (event) =>
      stdoutGone || process.stdout.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            process.stdout.write(encodeLine(event), () => resolve());
          }),
    onStop: (fn) => {
      stop = fn;
    },
  };
}

/** Windows UAC: the job, the events and the cancel request are files in a private folder. */
export function ioDirChannel(dir: string): Channel {
  let queue = Promise.resolve();
  return {
    job: readFile(join(dir, 'job.json'), 'utf8').then((text) => JSON.parse(text) as unknown),
    emit: (event) => {
      queue = queue.then(() => appendFile(join(dir, 'events.jsonl'), encodeLine(event))).catch(() => undefined);
      return queue;
    },
    onStop: (fn) => {
      const timer = setInterval(() => {
        void stat(join(dir, 'cancel')).then(
          () => {
            clearInterval(timer);
            fn('cancel');
          },
          () => undefined,
        );
      }, 200);
      timer.unref();
    },
  };
}
