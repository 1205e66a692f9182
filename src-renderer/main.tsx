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
import { DRAFT_KEY, makeAutosave, readStoredDraft } from './stores/draft-autosave.js';
import { hasUnsavedChanges, useRecipeStore } from './stores/recipe-store.js';
import './styles.css';

const jobs = useJobsStore.getState();
api.on('job', jobs.onEvent);
api.on('job.summary', jobs.onSummary);
api.onReconnect(() => void catchUp());

// The draft of the last session comes back (said in a notice), then every change is kept.
const stored = readStoredDraft(window.localStorage.getItem(DRAFT_KEY));
if (stored) {
  useRecipeStore.getState().restore(stored.draft, stored.unsaved, stored.savedName);
  if (stored.unsaved) useAppStore.getState().set({ toast: `Restored your unsaved draft ${stored.draft.name ?? ''} from ${new Date(stored.savedAt).toLocaleString()}. "New recipe" starts over.` });
}
const autosave = makeAutosave(
  window.localStorage,
  () => {
    const s = useRecipeStore.getState();
    return { draft: s.draft, savedAt: new Date().toISOString(), unsaved: hasUnsavedChanges(s), ...(s.savedName ? { savedName: s.savedName } : {}) };
  },
  (toast) => useAppStore.getState().set({ toast }),
);
useRecipeStore.subscribe((s, before) => {
  if (s.draft !== before.draft || s.baseline !== before.baseline) autosave.changed();
});
window.addEventListener('pagehide', autosave.flush);

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
