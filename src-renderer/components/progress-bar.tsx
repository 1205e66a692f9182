// A progress bar with the numbers users want: percent, amount, rate and ETA.
import type { ProgressEvent } from '../../src-shared/jobs/job-events.js';
import { formatBytes, formatDuration } from '../../src-shared/util/format.js';

export function ProgressBar({ progress, label }: { readonly progress: ProgressEvent | undefined; readonly label: string }) {
  const fraction = progress?.total ? Math.min(1, progress.done / progress.total) : undefined;
  const details: string[] = [];
  if (progress) {
    if (progress.unit === 'bytes') {
      details.push(progress.total ? `${formatBytes(progress.done)} of ${formatBytes(progress.total)}` : formatBytes(progress.done));
      if (progress.rate !== undefined) details.push(`${formatBytes(progress.rate)}/s`);
    } else if (progress.unit === 'steps' && progress.total) {
      details.push(`step ${Math.min(progress.done + 1, progress.total)} of ${progress.total}`);
    }
    if (progress.etaSeconds !== undefined) details.push(`about ${formatDuration(progress.etaSeconds)} left`);
  }
  return (
    <div className="progress">
      <div className="progress-head">
        <span className="progress-step">{progress ? progress.step : label}</span>
        <span className="progress-numbers" data-testid="progress-numbers">
          {fraction !== undefined && `${Math.floor(fraction * 100)}%`} {details.join(' · ')}
        </span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(fraction !== undefined ? { 'aria-valuenow': Math.floor(fraction * 100) } : {})}
      >
        <div className={`progress-fill${fraction === undefined ? ' indeterminate' : ''}`} style={{ width: `${(fraction ?? 1) * 100}%` }} />
      </div>
      {progress?.message && <p className="progress-message">{progress.message}</p>}
    </div>
  );
}
