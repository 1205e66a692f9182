// Jobs: long work with an id, a cancel, and one stream of events ending in done or error.
import { randomUUID } from 'node:crypto';
import { AppError, toErrorData } from '../../src-shared/errors/app-error.js';
import type { JobKind, JobResult } from '../../src-shared/jobs/job-events.js';
import { JobContext, cancelledError, type EventSink } from './job-context.js';

export interface RunningJob {
  readonly id: string;
  readonly kind: JobKind;
  cancel(): void;
  /** Resolves with the result; rejects with an AppError (code "cancelled" after cancel). */
  readonly finished: Promise<JobResult>;
}

export function startJob(kind: JobKind, work: (ctx: JobContext) => Promise<JobResult>, sink: EventSink): RunningJob {
  const id = `${kind}-${randomUUID().slice(0, 8)}`;
  const controller = new AbortController();
  const ctx = new JobContext(id, controller.signal, sink);
  const finished = (async () => {
    try {
      const result = await work(ctx);
      if (controller.signal.aborted) throw cancelledError();
      sink({ kind: 'done', jobId: id, result });
      return result;
    } catch (error) {
      const appError = controller.signal.aborted ? cancelledError() : error instanceof AppError ? error : undefined;
      const data = appError ? appError.toJSON() : toErrorData(error);
      sink({ kind: 'error', jobId: id, error: data });
      throw appError ?? AppError.fromData(data);
    }
  })();
  // The caller decides what a failure means; an unobserved rejection must not kill the process.
  finished.catch(() => undefined);
  return { id, kind, cancel: () => controller.abort(), finished };
}
