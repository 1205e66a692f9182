// One job: its phases, progress (rate, ETA), live log, cancel, and how it ended. What it shows
// comes from the engine: the job's events, its job.get answer and its summary; a Cancel only for
// a job the engine says is running.
import { useEffect, useState } from 'react';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import { formatDuration } from '../../src-shared/util/format.js';
import { api } from '../api/api.js';
import { loadJob } from '../api/job-sync.js';
import { useJobView } from '../stores/jobs-store.js';
import { ErrorBox, toErrorData } from './error-box.js';
import { LogView } from './log-view.js';
import { ProgressBar } from './progress-bar.js';

const STATE_LABEL = { started: 'running', done: 'done', cached: 'cached', skipped: 'skipped', failed: 'failed' } as const;

export function JobPanel({ jobId, title, logOpen = false }: { readonly jobId: string; readonly title: string; readonly logOpen?: boolean }) {
  const job = useJobView(jobId);
  const [unknown, setUnknown] = useState<{ readonly jobId: string; readonly error: AppErrorData } | undefined>();
  const [cancelError, setCancelError] = useState<AppErrorData | undefined>();

  useEffect(() => {
    let live = true;
    loadJob(jobId).catch((e: unknown) => live && setUnknown({ jobId, error: toErrorData(e) }));
    return () => {
      live = false;
    };
  }, [jobId]);

  const running = job?.state === 'running';
  const failedToLoad = !job && unknown?.jobId === jobId ? unknown.error : undefined;
  const cancel = async (): Promise<void> => {
    setCancelError(undefined);
    try {
      await api.cancelJob(jobId);
    } catch (e) {
      setCancelError(toErrorData(e));
    }
  };
  return (
    <div className="job-panel" data-testid={`job-${title.toLowerCase().replace(/\W+/g, '-')}`} data-state={job?.state ?? 'unknown'}>
      <div className="job-head">
        <h3>{title}</h3>
        <span className={`badge ${job?.state ?? ''}`} role="status">
          {job?.state ?? (failedToLoad ? 'unknown' : 'loading')}
        </span>
        {running && (
          <button type="button" className="danger" onClick={() => void cancel()}>
            Cancel
          </button>
        )}
      </div>
      <ErrorBox error={failedToLoad ?? cancelError} />
      <ol className="phases" aria-label={`${title} phases`}>
        {(job?.phases ?? []).map((p) => (
          <li key={p.name} className={`phase ${p.state}`}>
            <span className="phase-name">{p.name}</span>
            <span className="phase-state">
              {STATE_LABEL[p.state]}
              {p.seconds !== undefined && p.state !== 'started' ? ` · ${formatDuration(p.seconds)}` : ''}
            </span>
          </li>
        ))}
      </ol>
      {running && <ProgressBar progress={job.progress} label={`${title} progress`} />}
      {job?.error && job.state !== 'cancelled' && <ErrorBox error={job.error} />}
      {job?.state === 'cancelled' && <p role="status">Cancelled. Nothing was left half-done.</p>}
      {job?.state === 'done' && job.result?.message && <p role="status">{job.result.message}</p>}
      {job?.trailGone && <p className="muted">The engine no longer keeps this job's phases and log, only how it ended.</p>}
      <details className="log-details" open={running || logOpen}>
        <summary>Log ({job?.log.length ?? 0} lines)</summary>
        <LogView lines={job?.log ?? []} label={`${title} log`} source={{ fileName: `${jobId}.log`, text: async () => (await api.jobLog(jobId)).text }} />
      </details>
    </div>
  );
}
