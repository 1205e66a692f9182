// What every stage receives: where to send its events and the signal that cancels it.
import type { JobEvent, PhaseState, Stage } from '../../src-shared/jobs/job-events.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { RateEstimator, etaSeconds } from './rate-estimator.js';

export type EventSink = (event: JobEvent) => void;

export class JobContext {
  /** Set by a build with --offline: nothing in the job may reach a registry (ensureImage refuses to pull). */
  offline = false;

  constructor(
    readonly jobId: string,
    readonly signal: AbortSignal,
    private readonly sink: EventSink,
  ) {}

  /** What the app is doing, in words for the user. */
  log(stage: Stage, line: string): void {
    this.sink({ kind: 'log', jobId: this.jobId, stage, line, level: 'info' });
  }

  /** Output of a tool (build steps, mksquashfs, qemu): for log views and --verbose. */
  detail(stage: Stage, line: string): void {
    this.sink({ kind: 'log', jobId: this.jobId, stage, line, level: 'detail' });
  }

  phase(stage: Stage, phase: string, state: PhaseState, seconds?: number): void {
    this.sink({ kind: 'phase', jobId: this.jobId, stage, phase, state, ...(seconds !== undefined ? { seconds } : {}) });
  }

  /** A meter for one step: call update(done) as often as you like, events are rate-limited. */
  meter(stage: Stage, step: string, unit: 'bytes' | 'steps' | 'percent', total?: number): ProgressMeter {
    return new ProgressMeter(this.jobId, stage, step, unit, total, this.sink);
  }

  /** Throws the cancel error when the job was cancelled. */
  throwIfCancelled(): void {
    if (this.signal.aborted) throw cancelledError();
  }

  /** Runs a phase: started/done/failed events with its duration. */
  async runPhase<T>(stage: Stage, phase: string, work: () => Promise<T>): Promise<T> {
    this.throwIfCancelled();
    const start = performance.now();
    this.phase(stage, phase, 'started');
    try {
      const result = await work();
      this.phase(stage, phase, 'done', (performance.now() - start) / 1000);
      return result;
    } catch (error) {
      this.phase(stage, phase, 'failed', (performance.now() - start) / 1000);
      throw error;
    }
  }
}

export function cancelledError(): AppError {
  return new AppError('cancelled', 'Cancelled', { hint: 'Nothing was left half-done; start again when ready' });
}

export class ProgressMeter {
  private readonly estimator = new RateEstimator();
  private lastEmit = 0;
  private done = 0;

  constructor(
    private readonly jobId: string,
    private readonly stage: Stage,
    private readonly step: string,
    private readonly unit: 'bytes' | 'steps' | 'percent',
    private total: number | undefined,
    private readonly sink: EventSink,
    private readonly intervalMs = 250,
  ) {}

  setTotal(total: number | undefined): void {
    this.total = total;
  }

  update(done: number, message?: string, force = false): void {
    this.done = done;
    const now = performance.now();
    const rate = this.estimator.sample(now, done);
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    const eta = etaSeconds(done, this.total, rate);
    this.sink({
      kind: 'progress',
      jobId: this.jobId,
      stage: this.stage,
      step: this.step,
      done,
      unit: this.unit,
      ...(this.total !== undefined ? { total: this.total } : {}),
      ...(rate !== undefined ? { rate } : {}),
      ...(eta !== undefined ? { etaSeconds: eta } : {}),
      ...(message !== undefined ? { message } : {}),
    });
  }

  add(delta: number): void {
    this.update(this.done + delta);
  }

  finish(message?: string): void {
    this.update(this.total ?? this.done, message, true);
  }
}

/** A context whose events go nowhere: work done inside a request rather than as a job. */
export function quietContext(signal: AbortSignal): JobContext {
  return new JobContext('request', signal, () => undefined);
}
