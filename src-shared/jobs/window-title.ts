// The window's title while jobs run: what runs and how far, so a user on another window or tab
// sees a flash or a build progress and end without coming back ("42% Flashing · Kairos Factory").
import type { JobSummary } from '../api/contract.js';
import type { JobKind, ProgressEvent } from './job-events.js';

export const APP_TITLE = 'Kairos Factory';

const VERB: Partial<Record<JobKind, string>> = { build: 'Building', flash: 'Flashing', 'boot-test': 'Testing in a VM', check: 'Checking', 'iso-config': 'Writing an ISO', 'kit-export': 'Exporting a kit', 'kit-import': 'Importing a kit' };

export interface RunningJob {
  readonly kind: JobKind;
  readonly progress?: ProgressEvent | undefined;
}

/** A progress event's share done, 0-100, when its total is known. */
export function percentOf(progress: ProgressEvent | undefined): number | undefined {
  if (!progress) return undefined;
  if (progress.unit === 'percent') return Math.max(0, Math.min(100, Math.floor(progress.done)));
  if (progress.total === undefined || progress.total <= 0) return undefined;
  return Math.max(0, Math.min(100, Math.floor((progress.done / progress.total) * 100)));
}

/** The title for these running jobs (the first one leads), or the plain app title when none runs. */
export function windowTitle(running: ReadonlyArray<RunningJob>, base = APP_TITLE): string {
  const first = running[0];
  if (!first) return base;
  const percent = percentOf(first.progress);
  const what = `${percent !== undefined ? `${percent}% ` : ''}${VERB[first.kind] ?? 'Working'}`;
  const more = running.length > 1 ? ` (+${running.length - 1} more)` : '';
  return `${what}${more} · ${base}`;
}

/** The desktop notification for a job that ended: what ended and what to do next. */
export function endNotice(job: Pick<JobSummary, 'kind' | 'title' | 'state' | 'result' | 'error'>): { readonly title: string; readonly body: string } {
  if (job.state === 'done') {
    const title = job.kind === 'flash' ? 'Flash complete: safe to remove' : `${job.title}: done`;
    return { title, body: job.result?.message ?? job.title };
  }
  if (job.state === 'cancelled') return { title: `${job.title}: cancelled`, body: 'Nothing was left half-done.' };
  return { title: `${job.title}: failed`, body: job.error ? `${job.error.message}${job.error.hint ? `. ${job.error.hint}` : ''}` : 'Open Kairos Factory for the log.' };
}
