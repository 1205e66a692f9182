// Jobs as the UI shows them: built from the job events the engine sends, one record per job.
import { create } from 'zustand';
import type { JobSummary } from '../../src-shared/api/contract.js';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import type { JobEvent, JobResult, PhaseState, ProgressEvent } from '../../src-shared/jobs/job-events.js';

const LOG_LIMIT = 3000;

export interface PhaseView {
  readonly name: string;
  readonly state: PhaseState;
  readonly seconds?: number;
}

export interface JobView {
  readonly jobId: string;
  readonly phases: ReadonlyArray<PhaseView>;
  readonly progress?: ProgressEvent;
  readonly log: ReadonlyArray<string>;
  readonly state: 'running' | 'done' | 'failed' | 'cancelled';
  readonly result?: JobResult;
  readonly error?: AppErrorData;
  /** Progress events received: the UI shows that the engine is alive. */
  readonly progressCount: number;
}

/** Folds one event into a job's view. Pure. */
export function applyJobEvent(job: JobView | undefined, event: JobEvent): JobView {
  const base: JobView = job ?? { jobId: event.jobId, phases: [], log: [], state: 'running', progressCount: 0 };
  switch (event.kind) {
    case 'phase': {
      const existing = base.phases.findIndex((p) => p.name === event.phase);
      const phase: PhaseView = { name: event.phase, state: event.state, ...(event.seconds !== undefined ? { seconds: event.seconds } : {}) };
      const phases = existing >= 0 ? base.phases.map((p, i) => (i === existing ? phase : p)) : [...base.phases, phase];
      return { ...base, phases };
    }
    case 'progress':
      return { ...base, progress: event, progressCount: base.progressCount + 1 };
    case 'log': {
      const log = base.log.length >= LOG_LIMIT ? [...base.log.slice(-LOG_LIMIT + 1), event.line] : [...base.log, event.line];
      return { ...base, log };
    }
    case 'done':
      return { ...base, state: 'done', result: event.result };
    case 'error':
      return { ...base, state: event.error.code === 'cancelled' ? 'cancelled' : 'failed', error: event.error };
  }
}

interface JobsState {
  readonly jobs: Readonly<Record<string, JobView>>;
  readonly summaries: ReadonlyArray<JobSummary>;
  readonly onEvent: (event: JobEvent) => void;
  readonly onSummary: (summary: JobSummary) => void;
  readonly setSummaries: (list: ReadonlyArray<JobSummary>) => void;
}

export const useJobsStore = create<JobsState>((set) => ({
  jobs: {},
  summaries: [],
  onEvent: (event) => set((s) => ({ jobs: { ...s.jobs, [event.jobId]: applyJobEvent(s.jobs[event.jobId], event) } })),
  onSummary: (summary) =>
    set((s) => ({ summaries: [summary, ...s.summaries.filter((j) => j.jobId !== summary.jobId)].slice(0, 50) })),
  setSummaries: (list) => set({ summaries: list }),
}));
