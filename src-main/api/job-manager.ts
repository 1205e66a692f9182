// The running jobs of an API server: started with a title (within limits), their events broadcast,
// cancellable by id, and recorded in the history when they end. The engine is the truth about its
// jobs: it keeps each job's trail (phases, progress, last log lines) while it runs and for the
// recently ended ones, so any window can read what it missed (job.get). The history keeps every
// job's recipe snapshot or inputs, its phases, result or error, and the newest 2 MiB of its log in
// a file, so a job still shows whole after the app restarted.
import type { JobDetail, JobInputs, JobLog, JobSummary } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ArtifactInfo, JobEvent, JobKind, JobResult } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { startJob, type RunningJob } from '../jobs/job-runner.js';
import { DROPPED_NOTE, LogTail } from '../jobs/log-tail.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import type { AppStore } from './app-store.js';
import { JobRecord, LOG_KEPT, cutLine } from './job-record.js';

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

/** What a job is about, recorded with it in the history. */
export interface JobAbout {
  readonly recipe?: Recipe;
  readonly inputs?: JobInputs;
}

/** How often a running job's log file is rewritten at most (a crash loses at most this much of it). */
const LOG_SAVE_MS = 1000;

/** A running job's log on its way to its file: the kept tail, the pending save and the last one. */
interface LogFile {
  readonly tail: LogTail;
  timer?: ReturnType<typeof setTimeout>;
  saving: Promise<void>;
}

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
  /** Logs of running jobs (and of ended ones until their last save is written). */
  private readonly logs = new Map<string, LogFile>();
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
      phases: this.records.get(event.jobId)?.trail().phases ?? [],
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
    const log = this.logs.get(event.jobId);
    if (log) void this.saveLog(event.jobId, log).then(() => this.logs.get(event.jobId) === log && this.logs.delete(event.jobId));
  }

  private logLine(jobId: string, line: string): void {
    const log = this.logs.get(jobId);
    if (!log) return;
    log.tail.add(line);
    log.timer ??= setTimeout(() => void this.saveLog(jobId, log), LOG_SAVE_MS);
  }

  /** Writes the job's kept log now, after any save under way; a failed write is given up (the log is a convenience). */
  private saveLog(jobId: string, log: LogFile): Promise<void> {
    if (log.timer) clearTimeout(log.timer);
    delete log.timer;
    const write = (): Promise<void> => this.store.saveJobLog(jobId, log.tail.text()).catch(() => undefined);
    log.saving = log.saving.then(write, write);
    return log.saving;
  }

  /** The history is a convenience: a failed write (a full disk) must not end the engine or its jobs. */
  private remember(summary: JobSummary): void {
    this.store.recordJob(summary).catch(() => undefined);
  }

  start(kind: JobKind, title: string, work: (ctx: JobContext) => Promise<JobResult>, about: JobAbout = {}): string {
    this.checkLimits(kind);
    const job = startJob(kind, work, (event) => {
      this.recordOf(event.jobId).add(event);
      if (event.kind === 'log') this.logLine(event.jobId, cutLine(event.line));
      this.events.job(event);
      if (event.kind === 'done' || event.kind === 'error') this.end(event);
    });
    this.logs.set(job.id, { tail: new LogTail(), saving: Promise.resolve() });
    const summary: JobSummary = {
      jobId: job.id,
      kind,
      title,
      ...(about.recipe ? { recipeName: about.recipe.name, recipe: about.recipe } : {}),
      ...(about.inputs ? { inputs: about.inputs } : {}),
      startedAt: new Date().toISOString(),
      state: 'running',
    };
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

  /** A job of the history, or the error saying it is not there. */
  private async recorded(jobId: string): Promise<JobSummary> {
    // A job that left the memory just now may be on its way to the file: read it once there.
    await this.store.historyWritten();
    const old = (await this.store.history()).find((h) => h.jobId === jobId);
    if (old) return settled(old);
    throw new AppError('bad-request', `No job ${jobId}`, { hint: 'The app keeps the last 50 jobs; this one is no longer in its history' });
  }

  /** One job: its summary, and its trail (in memory while the engine keeps it, else from the history's log file). */
  async get(jobId: string): Promise<JobDetail> {
    const live = this.running.get(jobId)?.summary ?? this.ended.get(jobId);
    const record = this.records.get(jobId);
    if (live && record) return { summary: live, trail: record.trail() };
    const summary = live ?? (await this.recorded(jobId));
    // A log whose last save is still under way is read from memory.
    const text = this.logs.get(jobId)?.tail.text() ?? (await this.store.jobLog(jobId));
    if (text === undefined && !summary.phases) return { summary };
    const lines = text ? text.replace(/\n$/, '').split('\n') : [];
    return { summary, trail: { phases: summary.phases ?? [], log: lines.slice(-LOG_KEPT), logTotal: lines.length } };
  }

  /** The n-th artifact of a job that ended done, or the error saying why there is none. */
  async artifact(jobId: string, index: number): Promise<ArtifactInfo> {
    const { summary } = await this.get(jobId);
    const artifact = summary.state === 'done' ? summary.result?.artifacts?.[index] : undefined;
    if (!artifact) throw new AppError('bad-request', `${summary.title} has no artifact ${index + 1}`, { hint: 'Pick an artifact listed with the job' });
    return artifact;
  }

  /** A job's whole kept log: the newest 2 MiB. */
  async log(jobId: string): Promise<JobLog> {
    const live = this.logs.get(jobId);
    if (live) return { text: live.tail.text(), lines: live.tail.count, truncated: live.tail.truncated };
    await this.recorded(jobId);
    const text = await this.store.jobLog(jobId);
    if (text === undefined) return { text: '', truncated: true, missing: true };
    return { text, truncated: text.startsWith(DROPPED_NOTE) };
  }

  /** Running jobs first, then the history (recently ended jobs as this engine saw them end). */
  async list(): Promise<JobSummary[]> {
    const running = [...this.running.values()].map((r) => r.summary);
    await this.store.historyWritten();
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
    await Promise.allSettled([...this.logs].map(([jobId, log]) => this.saveLog(jobId, log)));
    // How they ended, written before the app goes (else the next run reads them as cut short).
    await this.store.historyWritten();
  }
}
