// The running jobs of an API server: started with a title, their events broadcast, cancellable
// by id, and recorded in the history when they end.
import type { JobSummary } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobEvent, JobKind, JobResult } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { startJob, type RunningJob } from '../jobs/job-runner.js';
import type { AppStore } from './app-store.js';

export interface JobManagerEvents {
  job(event: JobEvent): void;
  summary(summary: JobSummary): void;
}

export class JobManager {
  private readonly running = new Map<string, { job: RunningJob; summary: JobSummary }>();

  constructor(
    private readonly store: AppStore,
    private readonly events: JobManagerEvents,
  ) {}

  start(kind: JobKind, title: string, work: (ctx: JobContext) => Promise<JobResult>, recipeName?: string): string {
    const job = startJob(kind, work, (event) => {
      this.events.job(event);
      const summary = this.running.get(event.jobId)?.summary;
      if (summary && (event.kind === 'done' || event.kind === 'error')) {
        const ended: JobSummary = {
          ...summary,
          finishedAt: new Date().toISOString(),
          state: event.kind === 'done' ? 'done' : event.error.code === 'cancelled' ? 'cancelled' : 'failed',
          ...(event.kind === 'done' ? { result: event.result } : { error: event.error }),
        };
        this.running.delete(event.jobId);
        this.events.summary(ended);
        void this.store.recordJob(ended);
      }
    });
    const summary: JobSummary = { jobId: job.id, kind, title, ...(recipeName ? { recipeName } : {}), startedAt: new Date().toISOString(), state: 'running' };
    this.running.set(job.id, { job, summary });
    this.events.summary(summary);
    void this.store.recordJob(summary);
    return job.id;
  }

  cancel(jobId: string): void {
    const entry = this.running.get(jobId);
    if (!entry) throw new AppError('bad-request', `No running job ${jobId}`, { hint: 'It may have finished already' });
    entry.job.cancel();
  }

  /** Running jobs first, then the history. */
  async list(): Promise<JobSummary[]> {
    const running = [...this.running.values()].map((r) => r.summary);
    const history = (await this.store.history()).filter((h) => !this.running.has(h.jobId));
    return [...running, ...history.map((h) => (h.state === 'running' ? { ...h, state: 'failed' as const, error: { code: 'internal' as const, message: 'The app ended while this job ran' } } : h))];
  }

  /** Cancels everything and waits for the cleanups (app quit). */
  async shutdown(): Promise<void> {
    const jobs = [...this.running.values()].map((r) => r.job);
    for (const job of jobs) job.cancel();
    await Promise.allSettled(jobs.map((j) => j.finished));
  }
}
