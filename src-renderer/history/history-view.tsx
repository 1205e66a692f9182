// The job history: every job the engine recorded (it keeps the last 50, across restarts), and one
// job's detail: its phases, log (follow, wrap, copy, download), how it ended, its artifacts, and
// what to do next: Rebuild or Edit the recipe it was built from, Flash or Test in VM an artifact,
// flash or boot-test again.
import type { JobSummary } from '../../src-shared/api/contract.js';
import { formatDuration } from '../../src-shared/util/format.js';
import { api } from '../api/api.js';
import { ArtifactList } from '../components/artifact-list.js';
import { ErrorBox } from '../components/error-box.js';
import { useAction } from '../components/use-action.js';
import { JobPanel } from '../components/job-panel.js';
import { useAppStore } from '../stores/app-store.js';
import { useJobsStore } from '../stores/jobs-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';

const KIND_LABEL: Record<JobSummary['kind'], string> = { build: 'Build', check: 'Image check', 'iso-config': 'ISO cloud-config', 'boot-test': 'Test in VM', flash: 'Flash', 'kit-export': 'Kit export', 'kit-import': 'Kit import' };

const when = (iso: string): string => new Date(iso).toLocaleString();

/** How long a job took: its result's time, else its start to its end. */
function took(job: JobSummary): string {
  if (job.result?.seconds !== undefined) return formatDuration(job.result.seconds);
  if (!job.finishedAt) return '';
  return formatDuration((Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000);
}

function HistoryList() {
  const summaries = useJobsStore((s) => s.summaries);
  const set = useAppStore((s) => s.set);
  if (summaries.length === 0) return <p className="lead">No jobs yet: builds, flashes and boot tests show here, also after a restart.</p>;
  return (
    <table className="history">
      <caption className="sr-only">Jobs, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Kind</th>
          <th scope="col">State</th>
          <th scope="col">Started</th>
          <th scope="col">Took</th>
        </tr>
      </thead>
      <tbody>
        {summaries.map((j) => (
          <tr key={j.jobId}>
            <td>
              <button type="button" className="link" onClick={() => set({ historyJobId: j.jobId })}>
                {j.title}
              </button>
            </td>
            <td>{KIND_LABEL[j.kind]}</td>
            <td>
              <span className={`badge ${j.state}`}>{j.state}</span>
            </td>
            <td>{when(j.startedAt)}</td>
            <td>{took(j)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function JobActions({ job }: { readonly job: JobSummary }) {
  const set = useAppStore((s) => s.set);
  const replace = useRecipeStore((s) => s.replace);
  const [error, run] = useAction();
  const { recipe, inputs } = job;
  const artifact = inputs?.artifact;
  const mode = inputs?.mode;
  return (
    <>
      <div className="actions">
        {recipe && (
          <>
            <button
              type="button"
              className="primary"
              onClick={() => void run(async () => set({ buildJobId: (await api.startBuild(recipe)).jobId, step: 'build', view: 'wizard' }))}
            >
              Rebuild
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                replace(recipe);
                set({ step: 'source', view: 'wizard', toast: `Editing the recipe of ${job.title}` });
              }}
            >
              Edit recipe
            </button>
          </>
        )}
        {job.kind === 'flash' && inputs?.image && (
          <button type="button" className="primary" onClick={() => set({ flashImage: inputs.image, step: 'flash', view: 'wizard' })}>
            Flash this image again…
          </button>
        )}
        {artifact && mode && (
          <button type="button" className="primary" onClick={() => void run(async () => set({ historyJobId: (await api.startBootTest(artifact, mode)).jobId }))}>
            Test in VM again
          </button>
        )}
      </div>
      <ErrorBox error={error} />
    </>
  );
}

function HistoryDetail({ jobId }: { readonly jobId: string }) {
  const set = useAppStore((s) => s.set);
  const job = useJobsStore((s) => s.summaries.find((j) => j.jobId === jobId));
  return (
    <div className="history-detail">
      <button type="button" className="link" onClick={() => set({ historyJobId: undefined })}>
        ← All jobs
      </button>
      {job && (
        <p className="muted">
          {KIND_LABEL[job.kind]} started {when(job.startedAt)}
          {job.finishedAt ? `, ended ${when(job.finishedAt)}` : ''}
          {job.recipeName ? ` · recipe ${job.recipeName}` : ''}
        </p>
      )}
      {job && <JobActions job={job} />}
      <JobPanel jobId={jobId} title={job?.title ?? jobId} logOpen />
      {job?.state === 'done' && (job.result?.artifacts?.length ?? 0) > 0 && (
        <section className="result" aria-labelledby="history-artifacts">
          <h3 id="history-artifacts">Artifacts</h3>
          <ArtifactList jobId={jobId} artifacts={job.result?.artifacts ?? []} onBootStarted={(id) => set({ historyJobId: id })} />
        </section>
      )}
    </div>
  );
}

export function HistoryView() {
  const jobId = useAppStore((s) => s.historyJobId);
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      {jobId ? <HistoryDetail jobId={jobId} /> : <HistoryList />}
    </section>
  );
}
