import { describe, expect, it } from 'vitest';
import { applyDetail, applyJobEvent, useJobsStore, viewOfSummary, withSummary, type JobView } from '../../../src-renderer/stores/jobs-store.js';
import type { JobDetail, JobSummary } from '../../../src-shared/api/contract.js';
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

const summaryOf = (state: JobSummary['state'], extra: Partial<JobSummary> = {}): JobSummary => ({
  jobId,
  kind: 'build',
  title: 'Build x',
  startedAt: '2025-01-01T00:00:00.000Z',
  state,
  ...extra,
});
const artifacts = [{ kind: 'rootfs-tar', path: '/out/x.rootfs.tar.zst', size: 10, sha256: 'ab' }];

describe('a job from its summary (opened from Recent)', () => {
  it('is done with its artifacts, nothing running about it', () => {
    const view = viewOfSummary(summaryOf('done', { result: { seconds: 12, artifacts } }));
    expect(view).toEqual({ jobId, phases: [], log: [], state: 'done', progressCount: 0, result: { seconds: 12, artifacts } });
  });

  it('is failed with the error', () => {
    const error = { code: 'internal' as const, message: 'The app ended while this job ran' };
    expect(viewOfSummary(summaryOf('failed', { error }))).toMatchObject({ state: 'failed', error });
  });

  it('ends a live view the events left running (the done event was missed)', () => {
    const live = fold([phase('iso', 'started'), log('a')]);
    const view = withSummary(live, summaryOf('done', { result: { seconds: 3, artifacts } }));
    expect(view.state).toBe('done');
    expect(view.result?.artifacts).toEqual(artifacts);
    expect(view.log).toEqual(['a']);
  });

  it('never turns an ended view back to running', () => {
    const ended = fold([{ kind: 'done', jobId, result: { seconds: 1 } }]);
    expect(withSummary(ended, summaryOf('running'))).toBe(ended);
    expect(withSummary(ended, summaryOf('failed', { error: { code: 'internal', message: 'x' } }))).toBe(ended);
  });
});

describe('applyDetail (job.get)', () => {
  const trail = (lines: ReadonlyArray<string>, logTotal: number): NonNullable<JobDetail['trail']> => ({
    phases: [{ name: 'build image', state: 'done', seconds: 4 }, { name: 'rootfs', state: 'started' }],
    progress: progress(50),
    log: lines,
    logTotal,
  });

  it('gives a job opened late its phases, progress, log and state', () => {
    const view = applyDetail(undefined, { summary: summaryOf('running'), trail: trail(['a', 'b'], 2) });
    expect(view).toEqual({
      jobId,
      state: 'running',
      progressCount: 0,
      phases: [
        { name: 'build image', state: 'done', seconds: 4 },
        { name: 'rootfs', state: 'started' },
      ],
      progress: progress(50),
      log: ['a', 'b'],
      logTotal: 2,
    });
  });

  it('replaces a live-only view (it holds only the lines since this window connected)', () => {
    const live = fold([log('c'), phase('rootfs', 'started')]);
    const view = applyDetail(live, { summary: summaryOf('running'), trail: trail(['a', 'b', 'c'], 3) });
    expect(view.log).toEqual(['a', 'b', 'c']);
    expect(view.logTotal).toBe(3);
    expect(view.phases.map((p) => p.name)).toEqual(['build image', 'rootfs']);
  });

  it('counts the live lines after it, and a later answer with more lines wins (a reconnect)', () => {
    let view = applyDetail(undefined, { summary: summaryOf('running'), trail: trail(['a'], 1) });
    view = applyJobEvent(view, log('b'));
    expect(view.logTotal).toBe(2);
    // The socket was down: the engine has lines the window never saw.
    view = applyDetail(view, { summary: summaryOf('running'), trail: trail(['a', 'b', 'c', 'd'], 4) });
    expect(view.log).toEqual(['a', 'b', 'c', 'd']);
    // An answer older than what the window has changes nothing of its log.
    view = applyJobEvent(view, log('e'));
    const same = applyDetail(view, { summary: summaryOf('running'), trail: trail(['a', 'b', 'c', 'd'], 4) });
    expect(same.log).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('takes the end from the summary when the done event was lost', () => {
    const live = fold([log('a')]);
    const view = applyDetail(live, { summary: summaryOf('done', { result: { seconds: 9, artifacts } }), trail: trail(['a', 'z'], 2) });
    expect(view).toMatchObject({ state: 'done', result: { seconds: 9, artifacts }, log: ['a', 'z'] });
  });

  it('says the trail is gone for an old job the engine keeps only the summary of', () => {
    const view = applyDetail(undefined, { summary: summaryOf('cancelled', { error: { code: 'cancelled', message: 'Cancelled' } }) });
    expect(view).toMatchObject({ state: 'cancelled', trailGone: true, log: [], phases: [] });
  });

  it('keeps what a live view has when the engine has no trail any more', () => {
    const live = fold([log('a'), { kind: 'done', jobId, result: { seconds: 1 } }]);
    const view = applyDetail(live, { summary: summaryOf('done', { result: { seconds: 1 } }) });
    expect(view.log).toEqual(['a']);
    expect(view.trailGone).toBeUndefined();
  });
});

describe('useJobsStore reconciles with the engine', () => {
  it('keeps an ended summary over an older running one from a list', () => {
    const { onSummary, setSummaries } = useJobsStore.getState();
    const s = (id: string, state: JobSummary['state']): JobSummary => ({ ...summaryOf(state), jobId: id });
    onSummary(s('r1', 'done'));
    setSummaries([s('r2', 'running'), s('r1', 'running')]);
    expect(useJobsStore.getState().summaries.map((j) => [j.jobId, j.state])).toEqual([
      ['r2', 'running'],
      ['r1', 'done'],
    ]);
  });

  it('stores the answer of job.get and updates the summary it carries', () => {
    const { setSummaries, onDetail } = useJobsStore.getState();
    setSummaries([{ ...summaryOf('running'), jobId: 'd1' }]);
    onDetail({ summary: { ...summaryOf('done', { result: { seconds: 2, artifacts } }), jobId: 'd1' }, trail: { phases: [], log: ['x'], logTotal: 1 } });
    const state = useJobsStore.getState();
    expect(state.jobs.d1).toMatchObject({ state: 'done', log: ['x'], result: { artifacts } });
    expect(state.summaries[0]).toMatchObject({ jobId: 'd1', state: 'done' });
  });
});
