import { describe, expect, it } from 'vitest';
import { applyJobEvent, useJobsStore, type JobView } from '../../../src-renderer/stores/jobs-store.js';
import type { JobEvent, LogEvent, PhaseEvent, ProgressEvent } from '../../../src-shared/jobs/job-events.js';

const jobId = 'job-1';
const phase = (name: string, state: PhaseEvent['state'], seconds?: number): PhaseEvent => ({
  kind: 'phase',
  jobId,
  stage: 'kairosify',
  phase: name,
  state,
  ...(seconds !== undefined ? { seconds } : {}),
});
const log = (line: string): LogEvent => ({ kind: 'log', jobId, stage: 'kairosify', line, level: 'detail' });
const progress = (done: number): ProgressEvent => ({ kind: 'progress', jobId, stage: 'artifacts', step: 'squashfs', done, total: 100, unit: 'percent' });

function fold(events: ReadonlyArray<JobEvent>, start?: JobView): JobView {
  let view = start;
  for (const e of events) view = applyJobEvent(view, e);
  if (!view) throw new Error('no events');
  return view;
}

describe('applyJobEvent', () => {
  it('starts a running job with nothing in it from its first event', () => {
    expect(applyJobEvent(undefined, log('hello'))).toEqual({ jobId, phases: [], log: ['hello'], state: 'running', progressCount: 0 });
  });

  it('adds phases in the order they start', () => {
    const view = fold([phase('pull', 'started'), phase('build image', 'started')]);
    expect(view.phases).toEqual([
      { name: 'pull', state: 'started' },
      { name: 'build image', state: 'started' },
    ]);
  });

  it('updates a phase in place by its name, keeping the order', () => {
    const view = fold([phase('pull', 'started'), phase('build image', 'started'), phase('pull', 'done', 12.5), phase('squashfs', 'cached')]);
    expect(view.phases).toEqual([
      { name: 'pull', state: 'done', seconds: 12.5 },
      { name: 'build image', state: 'started' },
      { name: 'squashfs', state: 'cached' },
    ]);
  });

  it('drops the seconds of a phase that starts again', () => {
    const view = fold([phase('iso', 'failed', 3), phase('iso', 'started')]);
    expect(view.phases).toEqual([{ name: 'iso', state: 'started' }]);
  });

  it('keeps the latest progress and counts progress events', () => {
    const view = fold([progress(10), progress(20), progress(35)]);
    expect(view.progress).toEqual(progress(35));
    expect(view.progressCount).toBe(3);
  });

  it('appends log lines in order', () => {
    expect(fold([log('a'), log('b'), log('c')]).log).toEqual(['a', 'b', 'c']);
  });

  it('keeps the newest 3000 log lines', () => {
    const lines = Array.from({ length: 3005 }, (_, i) => `line ${i + 1}`);
    const view = fold(lines.map(log));
    expect(view.log).toHaveLength(3000);
    expect(view.log[0]).toBe('line 6');
    expect(view.log[2999]).toBe('line 3005');
    const more = applyJobEvent(view, log('line 3006'));
    expect(more.log).toHaveLength(3000);
    expect(more.log[0]).toBe('line 7');
    expect(more.log[2999]).toBe('line 3006');
  });

  it('keeps exactly 3000 lines when the 3000th arrives', () => {
    const view = fold(Array.from({ length: 3000 }, (_, i) => log(`l${i}`)));
    expect(view.log).toHaveLength(3000);
    expect(view.log[0]).toBe('l0');
  });

  it('ends done with the result', () => {
    const view = fold([phase('iso', 'started'), { kind: 'done', jobId, result: { seconds: 42, image: 'kairos-x:v1' } }]);
    expect(view.state).toBe('done');
    expect(view.result).toEqual({ seconds: 42, image: 'kairos-x:v1' });
    expect(view.phases).toHaveLength(1);
  });

  it('ends failed with the error', () => {
    const view = fold([log('x'), { kind: 'error', jobId, error: { code: 'build-failed', message: 'apt-get failed', hint: 'see the log' } }]);
    expect(view.state).toBe('failed');
    expect(view.error).toEqual({ code: 'build-failed', message: 'apt-get failed', hint: 'see the log' });
    expect(view.log).toEqual(['x']);
  });

  it('ends cancelled for a cancelled error', () => {
    const view = fold([{ kind: 'error', jobId, error: { code: 'cancelled', message: 'Cancelled' } }]);
    expect(view.state).toBe('cancelled');
    expect(view.error?.code).toBe('cancelled');
  });

  it('never changes the view it was given', () => {
    const before = fold([phase('pull', 'started'), log('a')]);
    const frozen = structuredClone(before);
    applyJobEvent(before, phase('pull', 'done', 1));
    applyJobEvent(before, log('b'));
    applyJobEvent(before, progress(5));
    expect(before).toEqual(frozen);
  });
});

describe('useJobsStore', () => {
  it('keeps one view per job', () => {
    const { onEvent } = useJobsStore.getState();
    onEvent({ kind: 'log', jobId: 'store-a', stage: 'flash', line: 'a1', level: 'info' });
    onEvent({ kind: 'log', jobId: 'store-b', stage: 'flash', line: 'b1', level: 'info' });
    onEvent({ kind: 'log', jobId: 'store-a', stage: 'flash', line: 'a2', level: 'info' });
    const { jobs } = useJobsStore.getState();
    expect(jobs['store-a']?.log).toEqual(['a1', 'a2']);
    expect(jobs['store-b']?.log).toEqual(['b1']);
  });

  it('keeps the newest summary of each job first', () => {
    const { onSummary } = useJobsStore.getState();
    const summary = (id: string, state: 'running' | 'done') => ({ jobId: id, kind: 'build' as const, title: id, startedAt: '2025-01-01T00:00:00.000Z', state });
    onSummary(summary('s1', 'running'));
    onSummary(summary('s2', 'running'));
    onSummary(summary('s1', 'done'));
    expect(useJobsStore.getState().summaries.map((s) => [s.jobId, s.state])).toEqual([
      ['s1', 'done'],
      ['s2', 'running'],
    ]);
  });
});
