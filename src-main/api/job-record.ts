// What the engine keeps of one job's events, so a window that opens late (a reload, a reconnect, a
// job picked from Recent) can show its phases, last progress and log: bounded, whatever the job logs.
import type { JobPhase, JobTrail } from '../../src-shared/api/contract.js';
import type { JobEvent, ProgressEvent } from '../../src-shared/jobs/job-events.js';

/** Log lines kept per job (the newest). */
export const LOG_KEPT = 500;
/** Longer lines are cut: one runaway tool line must not hold megabytes. */
export const LINE_MAX = 2000;

/** A log line as the engine keeps it: cut at LINE_MAX. Pure. */
export const cutLine = (line: string): string => (line.length > LINE_MAX ? `${line.slice(0, LINE_MAX)}…` : line);

export class JobRecord {
  private readonly phases: JobPhase[] = [];
  private progress: ProgressEvent | undefined;
  /** Grows to twice LOG_KEPT, then drops its head: amortised O(1) per line. */
  private log: string[] = [];
  private logTotal = 0;

  add(event: JobEvent): void {
    switch (event.kind) {
      case 'phase': {
        const phase: JobPhase = { name: event.phase, state: event.state, ...(event.seconds !== undefined ? { seconds: event.seconds } : {}) };
        const at = this.phases.findIndex((p) => p.name === event.phase);
        if (at >= 0) this.phases[at] = phase;
        else this.phases.push(phase);
        return;
      }
      case 'progress':
        this.progress = event;
        return;
      case 'log':
        this.logTotal++;
        this.log.push(cutLine(event.line));
        if (this.log.length >= 2 * LOG_KEPT) this.log = this.log.slice(-LOG_KEPT);
        return;
      case 'done':
      case 'error':
        return;
    }
  }

  trail(): JobTrail {
    return {
      phases: [...this.phases],
      ...(this.progress ? { progress: this.progress } : {}),
      log: this.log.slice(-LOG_KEPT),
      logTotal: this.logTotal,
    };
  }
}
