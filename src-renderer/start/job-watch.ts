// While a job runs: the window's title says what and how far (seen from another window or tab),
// and leaving the page asks first (a closed web page or window does not stop a flash cleanly).
// When a job this window saw running ends, a desktop notification says so (where allowed).
import { useEffect, useMemo, useRef } from 'react';
import { endNotice, windowTitle, type RunningJob } from '../../src-shared/jobs/window-title.js';
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
  const watched = useRef(new Set<string>());

  useEffect(() => {
    const notices = typeof Notification === 'undefined' ? undefined : Notification;
    for (const job of summaries) {
      if (job.state === 'running') {
        // Asked once, when the first job starts (right after the click that started it).
        if (watched.current.size === 0 && notices?.permission === 'default') void notices.requestPermission().catch(() => undefined);
        watched.current.add(job.jobId);
      } else if (watched.current.delete(job.jobId) && notices?.permission === 'granted') {
        const { title: heading, body } = endNotice(job);
        new notices(heading, { body, tag: job.jobId });
      }
    }
  }, [summaries]);

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
