// Renderer entry: connect to the engine, load status, settings and recent jobs, follow events, and
// read the jobs again whenever the event stream comes back after a drop.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api/api.js';
import { catchUp } from './api/job-sync.js';
import { App } from './app.js';
import { toErrorData } from './components/error-box.js';
import { useAppStore } from './stores/app-store.js';
import { useJobsStore } from './stores/jobs-store.js';
import './styles.css';

const jobs = useJobsStore.getState();
api.on('job', jobs.onEvent);
api.on('job.summary', jobs.onSummary);
api.onReconnect(() => void catchUp());

void (async () => {
  const set = useAppStore.getState().set;
  const [status, settings, list] = await Promise.allSettled([api.engineStatus(), api.getSettings(), api.listJobs()]);
  if (status.status === 'fulfilled') set({ status: status.value });
  else {
    // Most often a page opened without its token: say what to do instead of "Checking…" for ever.
    const error = toErrorData(status.reason);
    set({ toast: `${error.message}${error.hint ? `. ${error.hint}` : ''}` });
  }
  if (settings.status === 'fulfilled') set({ settings: settings.value });
  if (list.status === 'fulfilled') jobs.setSummaries(list.value);
})();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
