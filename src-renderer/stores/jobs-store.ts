// Jobs as the UI shows them. The engine is the truth: a job's view is built from the events it
// sends, reconciled with what it answers for the job (job.get: summary and trail) and with its
// summaries (jobs.list, job.summary). Nothing here invents an event or a state.
import { useMemo } from 'react';
import { create } from 'zustand';
import type { JobDetail, JobState, JobSummary } from '../../src-shared/api/contract.js';
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
  readonly state: JobState;
  readonly result?: JobResult;
  readonly error?: AppErrorData;
  /** Progress events received: the UI shows that the engine is alive. */
  readonly progressCount: number;
  /** The engine's count of the job's log lines up to the end of `log`, once job.get aligned the
   * view; undefined while the view holds only the live events since this window connected. */
  readonly logTotal?: number;
  /** The engine no longer keeps this job's phases and log (only its summary). */
  readonly trailGone?: boolean;
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
      return { ...base, log, ...(base.logTotal !== undefined ? { logTotal: base.logTotal + 1 } : {}) };
    }
    case 'done':
      return { ...base, state: 'done', result: event.result };
    case 'error':
      return { ...base, state: event.error.code === 'cancelled' ? 'cancelled' : 'failed', error: event.error };
  }
}

/** A view with the engine's summary applied: an ended job stays ended (with its result or error). Pure. */
export function withSummary(view: JobView, summary: JobSummary | undefined): JobView {
  if (!summary || summary.jobId !== view.jobId || view.state !== 'running' || summary.state === 'running') return view;
  return { ...view, state: summary.state, ...(summary.result ? { result: summary.result } : {}), ...(summary.error ? { error: summary.error } : {}) };
}

/** What a summary alone says of a job (opened from Recent before job.get answered). Pure. */
export function viewOfSummary(summary: JobSummary): JobView {
  return withSummary({ jobId: summary.jobId, phases: [], log: [], state: 'running', progressCount: 0 }, summary);
}

/**
 * Folds the engine's answer to job.get into a view. Its trail replaces the view's when it holds
 * more of the log (a view built from live events only, or one that missed events while the socket
 * was down); lines the window already had past the engine's count are kept. Pure.
 */
export function applyDetail(view: JobView | undefined, detail: JobDetail): JobView {
  const { summary, trail } = detail;
  const base: JobView = view ?? { jobId: summary.jobId, phases: [], log: [], state: 'running', progressCount: 0 };
  let next = base;
  if (trail) {
    const newer = !view || (base.logTotal === undefined ? trail.logTotal >= base.log.length : trail.logTotal > base.logTotal);
    if (newer) {
      next = {
        jobId: base.jobId,
        state: base.state,
        progressCount: base.progressCount,
        ...(base.result ? { result: base.result } : {}),
        ...(base.error ? { error: base.error } : {}),
        phases: trail.phases,
        log: trail.log,
        logTotal: trail.logTotal,
        ...(trail.progress ?? base.progress ? { progress: trail.progress ?? base.progress } : {}),
      };
    }
  } else if (base.log.length === 0 && base.phases.length === 0) {
    next = { ...base, trailGone: true };
  }
  return withSummary(next, summary);
}

/** The newer of two summaries of one job: an ended one is never replaced by a running one. */
const newerSummary = (known: JobSummary | undefined, next: JobSummary): JobSummary =>
  known && known.state !== 'running' && next.state === 'running' ? known : next;

interface JobsState {
  readonly jobs: Readonly<Record<string, JobView>>;
  readonly summaries: ReadonlyArray<JobSummary>;
  readonly onEvent: (event: JobEvent) => void;
  readonly onSummary: (summary: JobSummary) => void;
  /** The engine's list (jobs.list): it decides which jobs are listed. */
  readonly setSummaries: (list: ReadonlyArray<JobSummary>) => void;
  /** The engine's answer to job.get. */
  readonly onDetail: (detail: JobDetail) => void;
}

export const useJobsStore = create<JobsState>((set) => ({
  jobs: {},
  summaries: [],
  onEvent: (event) => set((s) => ({ jobs: { ...s.jobs, [event.jobId]: applyJobEvent(s.jobs[event.jobId], event) } })),
  onSummary: (summary) =>
    set((s) => {
      const known = s.summaries.find((j) => j.jobId === summary.jobId);
      return { summaries: [newerSummary(known, summary), ...s.summaries.filter((j) => j.jobId !== summary.jobId)].slice(0, 50) };
    }),
  setSummaries: (list) =>
    set((s) => {
      const known = new Map(s.summaries.map((j) => [j.jobId, j]));
      return { summaries: list.map((j) => newerSummary(known.get(j.jobId), j)) };
    }),
  onDetail: (detail) =>
    set((s) => ({
      jobs: { ...s.jobs, [detail.summary.jobId]: applyDetail(s.jobs[detail.summary.jobId], detail) },
      summaries: s.summaries.map((j) => (j.jobId === detail.summary.jobId ? newerSummary(j, detail.summary) : j)),
    })),
}));

/** One job as the UI shows it: its view reconciled with its summary, or the summary alone. */
export function useJobView(jobId: string | undefined): JobView | undefined {
  const view = useJobsStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const summary = useJobsStore((s) => (jobId ? s.summaries.find((j) => j.jobId === jobId) : undefined));
  return useMemo(() => (view ? withSummary(view, summary) : summary ? viewOfSummary(summary) : undefined), [view, summary]);
}
