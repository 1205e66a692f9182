// One job: its phases, progress (rate, ETA), live log, cancel, and how it ended.
import { api } from '../api/api.js';
import { formatDuration } from '../../src-shared/util/format.js';
import { useJobsStore } from '../stores/jobs-store.js';
import { ErrorBox } from './error-box.js';
import { LogView } from './log-view.js';
import { ProgressBar } from './progress-bar.js';

const STATE_LABEL = { started: 'running', done: 'done', cached: 'cached', skipped: 'skipped', failed: 'failed' } as const;

export function JobPanel({ jobId, title }: { readonly jobId: string; readonly title: string }) {
  const job = useJobsStore((s) => s.jobs[jobId]);
  const running = !job || job.state === 'running';
  return (
    <div className="job-panel" data-testid={`job-${title.toLowerCase().replace(/\W+/g, '-')}`} data-state={job?.state ?? 'running'}>
      <div className="job-head">
        <h3>{title}</h3>
        <span className={`badge ${job?.state ?? 'running'}`} role="status">
          {job?.state ?? 'starting'}
        </span>
        {running && (
          <button type="button" className="danger" onClick={() => void api.cancelJob(jobId)}>
            Cancel
          </button>
        )}
      </div>
      <ol className="phases" aria-label={`${title} phases`}>
        {(job?.phases ?? []).filter((p) => p.name !== 'queued').map((p) => (
          <li key={p.name} className={`phase ${p.state}`}>
            <span className="phase-name">{p.name}</span>
            <span className="phase-state">
              {STATE_LABEL[p.state]}
              {p.seconds !== undefined && p.state !== 'started' ? ` · ${formatDuration(p.seconds)}` : ''}
            </span>
          </li>
        ))}
      </ol>
      {running && <ProgressBar progress={job?.progress} label={`${title} progress`} />}
      {job?.error && job.state !== 'cancelled' && <ErrorBox error={job.error} />}
      {job?.state === 'cancelled' && <p role="status">Cancelled. Nothing was left half-done.</p>}
      {job?.state === 'done' && job.result?.message && <p role="status">{job.result.message}</p>}
      <details className="log-details" open={running}>
        <summary>Log ({job?.log.length ?? 0} lines)</summary>
        <LogView lines={job?.log ?? []} label={`${title} log`} />
      </details>
    </div>
  );
}
