// While a job runs: the window's title says what and how far (seen from another window or tab),
// and leaving the page asks first (a closed web page or window does not stop a flash cleanly).
import { useEffect, useMemo } from 'react';
import { windowTitle, type RunningJob } from '../../src-shared/jobs/window-title.js';
import { useJobsStore } from '../stores/jobs-store.js';

export function useJobWatch(): void {
  const summaries = useJobsStore((s) => s.summaries);
  const views = useJobsStore((s) => s.jobs);
  const running = useMemo<RunningJob[]>(
    () => summaries.filter((j) => j.state === 'running' && (views[j.jobId]?.state ?? 'running') === 'running').map((j) => ({ kind: j.kind, progress: views[j.jobId]?.progress })),
    [summaries, views],
  );
  const title = windowTitle(running);
  const busy = running.length > 0;

  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    if (!busy) return undefined;
    const guard = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older Chromium (and Electron's will-prevent-unload) look at returnValue.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', guard);
    return () => window.removeEventListener('beforeunload', guard);
  }, [busy]);
}
