// Step 7: the build as it happens (phases, progress, log, cancel), then its artifacts with
// "Test in VM" and "Flash" (also for a finished build opened from Recent).
import { formatDuration } from '../../src-shared/util/format.js';
import { ArtifactList } from '../components/artifact-list.js';
import { JobPanel } from '../components/job-panel.js';
import { useAppStore } from '../stores/app-store.js';
import { useJobView } from '../stores/jobs-store.js';

export function StepBuild() {
  const jobId = useAppStore((s) => s.buildJobId);
  const bootJobId = useAppStore((s) => s.bootJobId);
  const setApp = useAppStore((s) => s.set);
  // A build opened from Recent shows its artifacts from its summary, even when its log is gone.
  const job = useJobView(jobId);

  if (!jobId) {
    return (
      <section aria-labelledby="step-title">
        <h2 id="step-title">Build</h2>
        <p className="lead">No build yet: review the recipe and press Build.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Build</h2>
      <JobPanel jobId={jobId} title="Build" />
      {job?.state === 'done' && job.result && (
        <div className="result" data-testid="build-result">
          <h3>Built in {formatDuration(job.result.seconds)}</h3>
          {job.result.image && (
            <p>
              Image <code>{job.result.image}</code>
            </p>
          )}
          <ArtifactList jobId={jobId} artifacts={job.result.artifacts ?? []} onBootStarted={(id) => setApp({ bootJobId: id })} />
        </div>
      )}
      {bootJobId && <JobPanel jobId={bootJobId} title="Test in VM" />}
    </section>
  );
}
