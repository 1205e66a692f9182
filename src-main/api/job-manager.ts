// The running jobs of an API server: started with a title (within limits), their events broadcast,
// cancellable by id, and recorded in the history when they end. The engine is the truth about its
// jobs: it keeps each job's trail (phases, progress, last log lines) while it runs and for the
// recently ended ones, so any window can read what it missed (job.get).
import type { JobDetail, JobSummary } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobEvent, JobKind, JobResult } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { startJob, type RunningJob } from '../jobs/job-runner.js';
import type { AppStore } from './app-store.js';
import { JobRecord } from './job-record.js';

export interface JobManagerEvents {
  job(event: JobEvent): void;
  summary(summary: JobSummary): void;
}

export interface JobLimits {
  /** Jobs running at once, all kinds. */
  readonly running: number;
  /** Flashes running at once (each reads the image and writes drives flat out). */
  readonly flash: number;
  /** Ended jobs whose trail stays in memory. */
  readonly keptEnded: number;
}

export const DEFAULT_JOB_LIMITS: JobLimits = { running: 4, flash: 2, keptEnded: 10 };

const WAIT_HINT = 'Wait for a running job to finish or cancel one, then start again';

/** A history entry still "running" belongs to an app that ended while the job ran. */
function settled(summary: JobSummary): JobSummary {
  if (summary.state !== 'running') return summary;
  return { ...summary, state: 'failed', error: { code: 'internal', message: 'The app ended while this job ran' } };
}

export class JobManager {
  private readonly running = new Map<string, { job: RunningJob; summary: JobSummary }>();
  /** Trails of running and recently ended jobs. */
  private readonly records = new Map<string, JobRecord>();
  /** Recently ended jobs, oldest first (their summaries may not be in the history file yet). */
  private readonly ended = new Map<string, JobSummary>();
  private readonly limits: JobLimits;

  constructor(
    private readonly store: AppStore,
    private readonly events: JobManagerEvents,
    limits: Partial<JobLimits> = {},
  ) {
    this.limits = { ...DEFAULT_JOB_LIMITS, ...limits };
  }

  /** Throws (bad-request, with what to do) when starting one more job of this kind would pass a limit. */
  private checkLimits(kind: JobKind): void {
    const all = [...this.running.values()];
    if (all.length >= this.limits.running) {
      throw new AppError('bad-request', `${all.length} jobs are running already, the most Kairos Factory runs at once`, { hint: WAIT_HINT });
    }
    const flashes = all.filter((r) => r.job.kind === 'flash').length;
    if (kind === 'flash' && flashes >= this.limits.flash) {
      throw new AppError('bad-request', `${flashes} flashes are running already, the most Kairos Factory runs at once`, {
        hint: `${WAIT_HINT} (one flash can write several drives at once)`,
      });
    }
  }

  private recordOf(jobId: string): JobRecord {
    let record = this.records.get(jobId);
    if (!record) {
      record = new JobRecord();
      this.records.set(jobId, record);
    }
    return record;
  }

  private end(event: JobEvent & { kind: 'done' | 'error' }): void {
    const summary = this.running.get(event.jobId)?.summary;
    if (!summary) return;
    const ended: JobSummary = {
      ...summary,
      finishedAt: new Date().toISOString(),
      state: event.kind === 'done' ? 'done' : event.error.code === 'cancelled' ? 'cancelled' : 'failed',
      ...(event.kind === 'done' ? { result: event.result } : { error: event.error }),
    };
    this.running.delete(event.jobId);
    this.ended.set(event.jobId, ended);
    while (this.ended.size > this.limits.keptEnded) {
      const oldest = this.ended.keys().next().value as string;
      this.ended.delete(oldest);
      this.records.delete(oldest);
    }
    this.events.summary(ended);
    this.remember(ended);
  }

  /** The history is a convenience: a failed write (a full disk) must not end the engine or its jobs. */
  private remember(summary: JobSummary): void {
    this.store.recordJob(summary).catch(() => undefined);
  }

  start(kind: JobKind, title: string, work: (ctx: JobContext) => Promise<JobResult>, recipeName?: string): string {
    this.checkLimits(kind);
    const job = startJob(kind, work, (event) => {
      this.recordOf(event.jobId).add(event);
      this.events.job(event);
      if (event.kind === 'done' || event.kind === 'error') this.end(event);
    });
    const summary: JobSummary = { jobId: job.id, kind, title, ...(recipeName ? { recipeName } : {}), startedAt: new Date().toISOString(), state: 'running' };
    this.running.set(job.id, { job, summary });
    this.recordOf(job.id);
    this.events.summary(summary);
    this.remember(summary);
    return job.id;
  }

  cancel(jobId: string): void {
    const entry = this.running.get(jobId);
    if (!entry) throw new AppError('bad-request', `No running job ${jobId}`, { hint: 'It may have finished already' });
    entry.job.cancel();
  }

  /** One job: its summary, and its trail while the engine still keeps it. */
  async get(jobId: string): Promise<JobDetail> {
    const live = this.running.get(jobId)?.summary ?? this.ended.get(jobId);
    const record = this.records.get(jobId);
    if (live) return { summary: live, ...(record ? { trail: record.trail() } : {}) };
    const old = (await this.store.history()).find((h) => h.jobId === jobId);
    if (old) return { summary: settled(old) };
    throw new AppError('bad-request', `No job ${jobId}`, { hint: 'The app keeps the last 50 jobs; this one is no longer in its history' });
  }

  /** Running jobs first, then the history (recently ended jobs as this engine saw them end). */
  async list(): Promise<JobSummary[]> {
    const running = [...this.running.values()].map((r) => r.summary);
    const history = await this.store.history();
    const written = new Set(history.map((h) => h.jobId));
    const unwritten = [...this.ended.values()].filter((e) => !written.has(e.jobId)).reverse();
    const past = history.filter((h) => !this.running.has(h.jobId)).map((h) => this.ended.get(h.jobId) ?? settled(h));
    return [...running, ...unwritten, ...past];
  }

  /** Cancels everything and waits for the cleanups (app quit). */
  async shutdown(): Promise<void> {
    const jobs = [...this.running.values()].map((r) => r.job);
    for (const job of jobs) job.cancel();
    await Promise.allSettled(jobs.map((j) => j.finished));
  }
}
