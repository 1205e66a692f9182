// The window: header with the engine's status and the theme, the steps and the saved recipes and
// recent jobs on the side, and in the middle the job history or the open door: the start screen,
// the wizard, or the flash door.
import { useEffect, useRef } from 'react';
import { api } from './api/api.js';
import { formatDuration } from '../src-shared/util/format.js';
import { useAppStore } from './stores/app-store.js';
import { useJobsStore } from './stores/jobs-store.js';
import { useRecipeStore } from './stores/recipe-store.js';
import { StepNav, Wizard } from './wizard/wizard.js';
import { SavedRecipes } from './components/saved-recipes.js';
import { HistoryView } from './history/history-view.js';
import { Sidebar } from './components/sidebar.js';
import type { Theme } from '../src-shared/api/contract.js';
import { FlashDoor } from './start/flash-door.js';
import { useJobWatch } from './start/job-watch.js';
import { useFocusTitle } from './components/focus-title.js';
import { StartScreen } from './start/start-screen.js';
import { DockerChip } from './components/engine-picker.js';

function StatusChips() {
  const status = useAppStore((s) => s.status);
  if (!status) return <span className="chip">Checking…</span>;
  const chip = (name: string, ok: boolean, title: string) => (
    <span className={`chip ${ok ? 'ok' : 'bad'}`} title={title}>
      <span aria-hidden="true">{ok ? '●' : '○'}</span> {name}
      <span className="sr-only">{ok ? ' available' : ' unavailable'}</span>
    </span>
  );
  return (
    <div className="chips" aria-label="What this machine offers">
      <DockerChip />
      {chip('qemu', status.qemu.ok, status.qemu.message)}
      {chip('UEFI', status.uefiFirmware.ok, status.uefiFirmware.message)}
    </div>
  );
}

function ThemePicker() {
  const settings = useAppStore((s) => s.settings);
  const set = useAppStore((s) => s.set);
  return (
    <label className="theme-picker">
      Theme
      <select
        value={settings?.theme ?? 'system'}
        onChange={async (e) => set({ settings: await api.setSettings({ theme: e.target.value as Theme }) })}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

function RecentJobs() {
  const summaries = useJobsStore((s) => s.summaries);
  const view = useAppStore((s) => s.view);
  const set = useAppStore((s) => s.set);
  return (
    <section className="side-section" aria-labelledby="recent-title">
      <h2 id="recent-title">Recent</h2>
      <button type="button" className="link history-link" aria-current={view === 'history' ? 'page' : undefined} onClick={() => set({ view: 'history', historyJobId: undefined })}>
        All jobs (history)
      </button>
      <ul className="recent">
        {summaries.slice(0, 8).map((j) => (
          <li key={j.jobId}>
            <button
              type="button"
              className="link"
              // Builds, image checks and ISO config swaps (run from the CLI too) show in the Build step.
              onClick={() => set(j.kind === 'flash' ? { flashJobId: j.jobId, step: 'flash', view: 'wizard' } : j.kind === 'boot-test' ? { bootJobId: j.jobId, step: 'build', view: 'wizard' } : { buildJobId: j.jobId, step: 'build', view: 'wizard' })}
            >
              {j.title}
            </button>
            <span className={`badge ${j.state}`}>{j.state}</span>
            {j.result?.seconds !== undefined && <span className="muted"> {formatDuration(j.result.seconds)}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function App() {
  const theme = useAppStore((s) => s.settings?.theme ?? 'system');
  const toast = useAppStore((s) => s.toast);
  const name = useRecipeStore((s) => s.draft.name);
  const door = useAppStore((s) => s.door);
  const view = useAppStore((s) => s.view);
  const set = useAppStore((s) => s.set);
  const main = useRef<HTMLElement>(null);
  useJobWatch();
  useFocusTitle(main, door);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to the main content
      </a>
      <header className="app-header">
        <h1>
          Kairos Factory <span className="muted">· {name || 'new recipe'}</span>
        </h1>
        {(door !== 'start' || view !== 'wizard') && (
          <button type="button" className="secondary" onClick={() => set({ door: 'start' })}>
            Start screen
          </button>
        )}
        <StatusChips />
        <ThemePicker />
      </header>
      <div className="app-body">
        <Sidebar>
          {/* A step or a saved recipe picked leaves the history for the wizard. */}
          <div onClickCapture={() => view !== 'wizard' && set({ view: 'wizard' })}>
            <StepNav />
            <SavedRecipes />
          </div>
          <RecentJobs />
        </Sidebar>
        <main id="main" tabIndex={-1} ref={main}>
          {toast && (
            <div className="toast" role="status">
              {toast}
            </div>
          )}
          {view === 'history' ? <HistoryView /> : door === 'start' ? <StartScreen /> : door === 'flash' ? <FlashDoor /> : <Wizard />}
        </main>
      </div>
    </div>
  );
}
