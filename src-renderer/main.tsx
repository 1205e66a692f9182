// Renderer entry: connect to the engine, load status, settings and recent jobs, follow events.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/api.js';
import { App } from './app.js';
import { useAppStore } from './stores/app-store.js';
import { useJobsStore } from './stores/jobs-store.js';
import './styles.css';

const jobs = useJobsStore.getState();
api.on('job', jobs.onEvent);
api.on('job.summary', jobs.onSummary);

void (async () => {
  const set = useAppStore.getState().set;
  const [status, settings, list] = await Promise.allSettled([api.engineStatus(), api.getSettings(), api.listJobs()]);
  if (status.status === 'fulfilled') set({ status: status.value });
  if (settings.status === 'fulfilled') set({ settings: settings.value });
  if (list.status === 'fulfilled') jobs.setSummaries(list.value);
})();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
