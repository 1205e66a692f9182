// The flash helper: a separate process, the only part of the app that may run with the rights to
// write a drive. It reads one job, does it, and reports over its stdio (see helper-protocol.ts).
// If the app goes away (stdin closes) it stops, leaving the drive unbootable rather than half-done.
import { appendFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, toErrorData } from '../../src-shared/errors/app-error.js';
import { runFlash } from './flash-engine.js';
import { FlashJobSchema, HELPER_EXIT, LineSplitter, encodeLine, type FlashJob, type HelperEvent } from './helper-protocol.js';

interface Channel {
  readonly job: Promise<unknown>;
  emit(event: HelperEvent): Promise<void>;
  /** Calls back on a cancel command or when the app is gone. */
  onCancel(cancel: () => void): void;
}

function stdioChannel(): Channel {
  const splitter = new LineSplitter();
  let resolveJob: (value: unknown) => void;
  let rejectJob: (error: Error) => void;
  let gotJob = false;
  let cancel = (): void => undefined;
  const job = new Promise<unknown>((resolve, reject) => {
    resolveJob = resolve;
    rejectJob = reject;
  });
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
        cancel();
      }
    }
  });
  process.stdin.on('end', () => {
    if (!gotJob) rejectJob(new Error('no job on stdin'));
    cancel();
  });
  return {
    job,
    emit: (event) => new Promise<void>((resolve) => process.stdout.write(encodeLine(event), () => resolve())),
    onCancel: (fn) => {
      cancel = fn;
    },
  };
}

/** Windows UAC: the job, the events and the cancel request are files in a private folder. */
function ioDirChannel(dir: string): Channel {
  let queue = Promise.resolve();
  return {
    job: readFile(join(dir, 'job.json'), 'utf8').then((text) => JSON.parse(text) as unknown),
    emit: (event) => {
      queue = queue.then(() => appendFile(join(dir, 'events.jsonl'), encodeLine(event)));
      return queue;
    },
    onCancel: (fn) => {
      const timer = setInterval(() => {
        void stat(join(dir, 'cancel')).then(
          () => {
            clearInterval(timer);
            fn();
          },
          () => undefined,
        );
      }, 200);
      timer.unref();
    },
  };
}

async function main(): Promise<number> {
  const ioIndex = process.argv.indexOf('--io');
  const channel = ioIndex > 0 && process.argv[ioIndex + 1] ? ioDirChannel(process.argv[ioIndex + 1]!) : stdioChannel();
  // A bug must still end with an error event the app can show, not a bare stack on stderr.
  const crash = (error: unknown): void => {
    void channel.emit({ type: 'error', error: toErrorData(error) }).finally(() => process.exit(HELPER_EXIT.failed));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const controller = new AbortController();
  channel.onCancel(() => controller.abort());
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGINT', () => controller.abort());

  let job: FlashJob;
  try {
    const parsed = FlashJobSchema.safeParse(await channel.job);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'job'}: ${issue?.message ?? 'invalid'}`);
    }
    job = parsed.data;
  } catch (error) {
    await channel.emit({ type: 'error', error: { code: 'bad-request', message: `Bad flash job: ${(error as Error).message}` } });
    return HELPER_EXIT.badJob;
  }

  try {
    await runFlash(job, (event) => void channel.emit(event), controller.signal);
    return HELPER_EXIT.ok;
  } catch (error) {
    const data = controller.signal.aborted && !(error instanceof AppError && error.code !== 'cancelled')
      ? { code: 'cancelled' as const, message: 'Flashing cancelled: the drive was left without a boot sector, so it will not boot half-written', hint: 'Flash it again when ready' }
      : toErrorData(error);
    await channel.emit({ type: 'error', error: data });
    return data.code === 'cancelled' ? HELPER_EXIT.cancelled : HELPER_EXIT.failed;
  }
}

process.exitCode = await main();
// The stdin listener must not keep a finished helper alive.
process.stdin.destroy();
