// The flash helper: a separate process, the only part of the app that may run with the rights to
// write a drive. It reads one job, does it, and reports over its stdio (see helper-protocol.ts), or
// over files under Windows UAC (--io). It stops when the app goes away, when nobody reads its
// events, and on SIGTERM, within a bounded time (helper-lifecycle.ts), leaving the drive
// unbootable rather than half-done.
import { AppError, toErrorData } from '../../src-shared/errors/app-error.js';
import { runFlash } from './flash-engine.js';
import { parseHelperArgs } from './helper-args.js';
import { ioDirChannel, stdioChannel, type Channel } from './helper-channel.js';
import { startLifecycle, type Lifecycle } from './helper-lifecycle.js';
import { FlashJobSchema, HELPER_EXIT, type FlashJob } from './helper-protocol.js';

const CANCELLED = { code: 'cancelled' as const, message: 'Flashing cancelled: the drive was left without a boot sector, so it will not boot half-written', hint: 'Flash it again when ready' };

/** The job, or undefined when the helper was stopped before one arrived. */
async function readJob(channel: Channel, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return undefined;
  let onAbort = (): void => undefined;
  const stopped = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([channel.job, stopped]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

async function main(channel: Channel, life: Lifecycle): Promise<number> {
  let job: FlashJob;
  try {
    const raw = await readJob(channel, life.signal);
    if (life.signal.aborted) {
      await channel.emit({ type: 'error', error: { code: 'cancelled', message: 'The flash helper was stopped before it got a job: nothing was written' } });
      return HELPER_EXIT.cancelled;
    }
    const parsed = FlashJobSchema.safeParse(raw);
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
    await runFlash(job, (event) => void channel.emit(event), life.signal);
    return HELPER_EXIT.ok;
  } catch (error) {
    const data = life.signal.aborted && !(error instanceof AppError && error.code !== 'cancelled') ? CANCELLED : toErrorData(error);
    await channel.emit({ type: 'error', error: data });
    return data.code === 'cancelled' ? HELPER_EXIT.cancelled : HELPER_EXIT.failed;
  }
}

const args = parseHelperArgs(process.argv);
const channel = args.ioDir !== undefined ? ioDirChannel(args.ioDir) : stdioChannel();
const life = startLifecycle(args.watchPid !== undefined ? { watchPid: args.watchPid } : {});
channel.onStop(life.stop);
// A bug must still end with an error event the app can show, not a bare stack on stderr; and
// only once: reporting it must not loop (an unreadable stdout once kept a helper spinning here).
let crashed = false;
const crash = (error: unknown): void => {
  if (crashed) return;
  crashed = true;
  process.exitCode = HELPER_EXIT.failed;
  life.stop('crash');
  void channel.emit({ type: 'error', error: toErrorData(error) }).finally(() => process.exit(HELPER_EXIT.failed));
};
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);

life.finish(await main(channel, life));
// The stdin listener must not keep a finished helper alive.
process.stdin.destroy();
