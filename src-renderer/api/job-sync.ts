// The UI's jobs from the engine: a job view asks job.get when it opens, and after the event stream
// was down the app reads the list and the jobs it shows again (events sent meanwhile are lost).
import { useAppStore } from '../stores/app-store.js';
import { useJobsStore } from '../stores/jobs-store.js';
import { api } from './api.js';

/** Reads one job from the engine into the store; rejects with the engine's error (an unknown job). */
export async function loadJob(jobId: string): Promise<void> {
  useJobsStore.getState().onDetail(await api.getJob(jobId));
}

/** Reads the list and every job a step shows; failures leave the store as it was. */
export async function catchUp(): Promise<void> {
  const [list] = await Promise.allSettled([api.listJobs()]);
  if (list.status === 'fulfilled') useJobsStore.getState().setSummaries(list.value);
  const { buildJobId, flashJobId, bootJobId, historyJobId } = useAppStore.getState();
  const shown = [buildJobId, flashJobId, bootJobId, historyJobId].filter((id): id is string => id !== undefined);
  await Promise.allSettled(shown.map(loadJob));
}
