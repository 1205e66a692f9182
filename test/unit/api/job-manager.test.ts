// The job manager: how many jobs may run at once, and what the engine keeps of each job for a
// window that opens late (job.get), with fake work instead of builds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-shared/api/contract.js';
import { AppError } from '../../../src-shared/errors/app-error.js';
import type { JobKind, JobResult } from '../../../src-shared/jobs/job-events.js';
import { AppStore } from '../../../src-main/api/app-store.js';
import { JobManager } from '../../../src-main/api/job-manager.js';
import { LINE_MAX, LOG_KEPT } from '../../../src-main/api/job-record.js';
import type { JobContext } from '../../../src-main/jobs/job-context.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';

let dir: string;
let store: AppStore;
let manager: JobManager;
let summaries: JobSummary[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-jobs-'));
  store = new AppStore(dir);
  summaries = [];
  manager = new JobManager(store, { job: () => undefined, summary: (s) => summaries.push(s) });
});

afterEach(async () => {
  await manager.shutdown();
  // Waits for the history writes queued before it.
  await store.recordJob({ jobId: 'build-last', kind: 'build', title: 'last', startedAt: new Date().toISOString(), state: 'done' });
  await rm(dir, { recursive: true, force: true });
});

/** Work that runs until released (or cancelled), with the context to emit events from. */
function held(): { work: (ctx: JobContext) => Promise<JobResult>; release: () => void; ctx: () => JobContext } {
  let release = (): void => undefined;
  let context: JobContext | undefined;
  const work = (ctx: JobContext): Promise<JobResult> => {
    context = ctx;
    return new Promise<JobResult>((resolve, reject) => {
      release = () => resolve({ seconds: 1, message: 'released' });
      ctx.signal.addEventListener('abort', () => reject(new Error('aborted')));
    });
  };
  return { work, release: () => release(), ctx: () => context! };
}

function refusal(kind: JobKind): AppError {
  try {
    manager.start(kind, 'one too many', held().work);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`a ${kind} job was started past the limit`);
}

const endOf = async (jobId: string): Promise<JobSummary> => {
  for (let i = 0; i < 100; i++) {
    const s = summaries.find((x) => x.jobId === jobId && x.state !== 'running');
    if (s) return s;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`job ${jobId} did not end`);
};

describe('job limits', () => {
  it('runs at most 4 jobs at once and says what to do about the fifth', async () => {
    const jobs = Array.from({ length: 4 }, () => held());
    const ids = jobs.map((j, i) => manager.start('build', `build ${i}`, j.work));
    expect(new Set(ids).size).toBe(4);
    const error = refusal('build');
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('4 jobs are running already');
    expect(error.hint).toMatch(/wait for a running job to finish or cancel one/i);
    expect(refusal('boot-test').code).toBe('bad-request');
    // One ends: one more may start.
    jobs[0]!.release();
    await endOf(ids[0]!);
    expect(manager.start('boot-test', 'fits again', held().work)).toMatch(/^boot-test-/);
    expect(refusal('build').message).toContain('4 jobs');
  });

  it('runs at most 2 flashes at once, while other jobs may still start', async () => {
    const first = held();
    const flashId = manager.start('flash', 'flash 1', first.work);
    manager.start('flash', 'flash 2', held().work);
    const error = refusal('flash');
    expect(error.message).toContain('2 flashes are running already');
    expect(error.hint).toMatch(/cancel one/);
    expect(manager.start('build', 'a build fits', held().work)).toMatch(/^build-/);
    manager.cancel(flashId);
    expect((await endOf(flashId)).state).toBe('cancelled');
    expect(manager.start('flash', 'flash 3', held().work)).toMatch(/^flash-/);
  });

  it('takes other limits from its options', () => {
    manager = new JobManager(store, { job: () => undefined, summary: () => undefined }, { running: 1 });
    manager.start('build', 'only one', held().work);
    expect(refusal('flash').message).toContain('1 jobs are running already');
  });
});

describe('job.get', () => {
  it('answers a running job with its phases, latest progress and log', async () => {
    const job = held();
    const id = manager.start('build', 'Build x', job.work, { recipe: { name: 'x' } as Recipe });
    const ctx = job.ctx();
    ctx.phase('kairosify', 'build image', 'started');
    ctx.log('kairosify', 'line 1');
    ctx.detail('kairosify', 'line 2');
    ctx.meter('artifacts', 'squashfs', 'percent', 100).update(40, undefined, true);
    ctx.phase('kairosify', 'build image', 'done', 3);
    ctx.phase('artifacts', 'iso', 'started');
    const detail = await manager.get(id);
    expect(detail.summary).toMatchObject({ jobId: id, kind: 'build', title: 'Build x', recipeName: 'x', state: 'running' });
    expect(detail.trail?.phases).toEqual([
      { name: 'build image', state: 'done', seconds: 3 },
      { name: 'iso', state: 'started' },
    ]);
    expect(detail.trail?.progress).toMatchObject({ step: 'squashfs', done: 40, total: 100 });
    expect(detail.trail?.log).toEqual(['line 1', 'line 2']);
    expect(detail.trail?.logTotal).toBe(2);
  });

  it('keeps the newest 500 log lines, cut to a bounded length, and counts them all', async () => {
    const job = held();
    const id = manager.start('build', 'noisy', job.work);
    for (let i = 1; i <= 1234; i++) job.ctx().detail('kairosify', `line ${i}`);
    job.ctx().detail('kairosify', 'x'.repeat(LINE_MAX + 500));
    const trail = (await manager.get(id)).trail!;
    expect(LOG_KEPT).toBe(500);
    expect(trail.log).toHaveLength(500);
    expect(trail.log[0]).toBe('line 736');
    expect(trail.log[498]).toBe('line 1234');
    expect(trail.log[499]).toHaveLength(LINE_MAX + 1);
    expect(trail.logTotal).toBe(1235);
  });

  it('answers an ended job with its result and its trail, and lists it as ended at once', async () => {
    const job = held();
    const id = manager.start('build', 'Build y', job.work);
    job.ctx().log('kairosify', 'the end is near');
    job.release();
    await endOf(id);
    const detail = await manager.get(id);
    expect(detail.summary).toMatchObject({ state: 'done', result: { message: 'released' } });
    expect(detail.summary.finishedAt).toBeDefined();
    expect(detail.trail?.log).toEqual(['the end is near']);
    // Not "the app ended while it ran", even before the history file caught up.
    expect((await manager.list()).find((s) => s.jobId === id)).toMatchObject({ state: 'done' });
  });

  it('forgets the trails of older ended jobs but still answers their summary from the history', async () => {
    manager = new JobManager(store, { job: () => undefined, summary: (s) => summaries.push(s) }, { keptEnded: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const job = held();
      ids.push(manager.start('build', `b${i}`, job.work));
      job.ctx().log('kairosify', `log of b${i}`);
      job.release();
      await endOf(ids[i]!);
    }
    const oldest = await manager.get(ids[0]!);
    expect(oldest.summary).toMatchObject({ jobId: ids[0], state: 'done' });
    // Its trail now comes from the history: the phases it recorded and its log file.
    expect(oldest.trail).toEqual({ phases: [], log: ['log of b0'], logTotal: 1 });
    expect((await manager.get(ids[2]!)).trail?.log).toEqual(['log of b2']);
  });

  it('reads jobs of an earlier run from the history, a job cut short as failed', async () => {
    await store.recordJob({ jobId: 'build-old1', kind: 'build', title: 'old', startedAt: '2025-01-01T00:00:00.000Z', state: 'running' });
    const detail = await manager.get('build-old1');
    expect(detail.summary).toMatchObject({ state: 'failed', error: { code: 'internal', message: 'The app ended while this job ran' } });
    expect(detail.trail).toBeUndefined();
  });

  it('answers a job of an earlier run whole: recipe, phases, result and log, from a new engine on the same folder', async () => {
    const job = held();
    const recipe = { name: 'kept', version: 'v3.2.1' } as Recipe;
    const id = manager.start('build', 'Build kept', job.work, { recipe });
    const ctx = job.ctx();
    await ctx.runPhase('kairosify', 'build image', async () => ctx.log('kairosify', 'building'));
    for (let i = 0; i < 600; i++) ctx.detail('artifacts', `tool line ${i}`);
    job.release();
    await endOf(id);
    await manager.shutdown();

    const again = new JobManager(new AppStore(dir), { job: () => undefined, summary: () => undefined });
    const detail = await again.get(id);
    expect(detail.summary).toMatchObject({ jobId: id, state: 'done', recipeName: 'kept', recipe, result: { message: 'released' } });
    expect(detail.summary.phases).toEqual([{ name: 'build image', state: 'done', seconds: expect.any(Number) }]);
    expect(detail.trail?.phases).toEqual(detail.summary.phases);
    expect(detail.trail?.logTotal).toBe(601);
    expect(detail.trail?.log).toHaveLength(LOG_KEPT);
    expect(detail.trail?.log.at(-1)).toBe('tool line 599');
    const log = await again.log(id);
    expect(log.truncated).toBe(false);
    expect(log.text.split('\n').slice(0, 2)).toEqual(['building', 'tool line 0']);
    expect(log.text.endsWith('tool line 599\n')).toBe(true);
    expect((await again.list()).find((j) => j.jobId === id)).toMatchObject({ state: 'done', recipe });
  });

  it('answers the log of a running job from memory, and says when an old job has none', async () => {
    const job = held();
    const id = manager.start('flash', 'Flash a.img', job.work, { inputs: { image: '/tmp/a.img' } });
    job.ctx().log('flash', 'writing');
    expect(await manager.log(id)).toEqual({ text: 'writing\n', lines: 1, truncated: false });
    expect((await manager.get(id)).summary.inputs).toEqual({ image: '/tmp/a.img' });
    job.release();
    await endOf(id);
    await store.recordJob({ jobId: 'build-older', kind: 'build', title: 'older', startedAt: '2025-01-01T00:00:00.000Z', state: 'done' });
    expect(await manager.log('build-older')).toEqual({ text: '', truncated: true, missing: true });
    expect((await manager.get('build-older')).trail).toBeUndefined();
    await expect(manager.log('build-nope')).rejects.toMatchObject({ code: 'bad-request', message: 'No job build-nope' });
  });

  it('refuses an unknown job by name, with a hint', async () => {
    await expect(manager.get('build-nope')).rejects.toMatchObject({ code: 'bad-request', message: 'No job build-nope', hint: expect.stringContaining('history') });
  });
});
