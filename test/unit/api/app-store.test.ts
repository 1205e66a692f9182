import { chmod, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppStore, defaultDataDir, defaultSettings } from '../../../src-main/api/app-store.js';
import type { JobSummary } from '../../../src-shared/api/contract.js';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { RecipeSchema, type Recipe } from '../../../src-shared/recipe/recipe-schema.js';

let dir: string;
let store: AppStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-store-'));
  store = new AppStore(dir);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const recipe = (name: string, over: Record<string, unknown> = {}): Recipe => RecipeSchema.parse({ name, source: { baseImage: 'debian:bookworm' }, ...over });

function job(n: number, over: Partial<JobSummary> = {}): JobSummary {
  return { jobId: `job-${n}`, kind: 'build', title: `Build ${n}`, startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(), state: 'running', ...over };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('defaultDataDir', () => {
  it('uses KF_DATA_DIR when set', () => {
    expect(defaultDataDir({ KF_DATA_DIR: '/srv/kf' })).toBe('/srv/kf');
  });

  it.runIf(process.platform === 'linux')('follows XDG_CONFIG_HOME on Linux', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/u/.cfg' })).toBe('/home/u/.cfg/kairos-factory');
  });
});

describe('settings', () => {
  it('gives the defaults when nothing was saved', async () => {
    expect(await store.settings()).toEqual(defaultSettings());
    expect(defaultSettings()).toMatchObject({ theme: 'system', verifyAfterFlash: true, showVirtualTargets: false });
  });

  it('saves a change and keeps the other values', async () => {
    const next = await store.updateSettings({ theme: 'dark', showVirtualTargets: true });
    expect(next).toEqual({ ...defaultSettings(), theme: 'dark', showVirtualTargets: true });
    // A new store on the same folder (the next run of the app) reads it back.
    expect(await new AppStore(dir).settings()).toEqual(next);
    const onDisk = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(next);
  });

  it('applies successive changes on top of each other', async () => {
    await store.updateSettings({ theme: 'light' });
    await store.updateSettings({ outputRoot: '/data/out' });
    expect(await store.settings()).toEqual({ ...defaultSettings(), theme: 'light', outputRoot: '/data/out' });
  });

  it('creates the data folder when it does not exist', async () => {
    const nested = new AppStore(join(dir, 'a', 'b'));
    await nested.updateSettings({ verifyAfterFlash: false });
    expect((await nested.settings()).verifyAfterFlash).toBe(false);
  });

  it('falls back to the defaults for a corrupt settings file', async () => {
    await writeFile(join(dir, 'settings.json'), '{ not json');
    expect(await store.settings()).toEqual(defaultSettings());
  });

  it('fills values missing from an older settings file', async () => {
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ theme: 'dark' }));
    expect(await store.settings()).toEqual({ ...defaultSettings(), theme: 'dark' });
  });

  it('applies changes made at the same moment one after the other, losing none', async () => {
    const results = await Promise.all([
      store.updateSettings({ theme: 'dark' }),
      store.updateSettings({ verifyAfterFlash: false }),
      store.updateSettings({ showVirtualTargets: true }),
    ]);
    const all = { ...defaultSettings(), theme: 'dark', verifyAfterFlash: false, showVirtualTargets: true };
    expect(results[2]).toEqual(all);
    expect(await store.settings()).toEqual(all);
  });

  it('leaves no temporary file behind', async () => {
    await store.updateSettings({ theme: 'dark' });
    expect(await readdir(dir)).toEqual(['settings.json']);
  });
});

describe('recipes', () => {
  it('lists nothing before anything was saved', async () => {
    expect(await store.listRecipes()).toEqual([]);
  });

  it('saves, lists, loads and deletes a recipe', async () => {
    const saved = await store.saveRecipe(recipe('x'));
    expect(saved.name).toBe('x');
    expect(Number.isNaN(Date.parse(saved.savedAt))).toBe(false);

    const list = await store.listRecipes();
    expect(list.map((r) => r.name)).toEqual(['x']);
    expect(Number.isNaN(Date.parse(list[0]!.savedAt))).toBe(false);

    expect(await store.loadRecipe('x')).toEqual(recipe('x'));
    expect(await readFile(join(dir, 'recipes', 'x.yaml'), 'utf8')).toContain('baseImage: debian:bookworm');

    await store.deleteRecipe('x');
    expect(await store.listRecipes()).toEqual([]);
    expect((await rejection(store.loadRecipe('x'))) as AppError).toMatchObject({ code: 'bad-request' });
  });

  it('keeps every field of a recipe through save and load', async () => {
    const full = recipe('full', {
      version: 'v2.1.0',
      cloudConfig: '#cloud-config\n# a comment\nhostname: edge\n',
      variant: 'standard',
      provider: { name: 'k3s', version: 'v1.31.4+k3s1' },
      kairosify: { method: 'kairos-init', framework: 'quay.io/kairos/framework:v2.18.3' },
      output: '/tmp/out',
    });
    await store.saveRecipe(full);
    expect(await store.loadRecipe('full')).toEqual(full);
  });

  it('overwrites a recipe saved again under the same name', async () => {
    await store.saveRecipe(recipe('x'));
    await store.saveRecipe(recipe('x', { version: 'v9.9.9' }));
    expect((await store.loadRecipe('x')).version).toBe('v9.9.9');
    expect(await store.listRecipes()).toHaveLength(1);
  });

  it('survives the same recipe saved twice at once', async () => {
    await Promise.all([store.saveRecipe(recipe('x')), store.saveRecipe(recipe('x', { version: 'v2.0.0' }))]);
    expect(['v0.1.0', 'v2.0.0']).toContain((await store.loadRecipe('x')).version);
    expect(await readdir(join(dir, 'recipes'))).toEqual(['x.yaml']);
  });

  it('lists the most recently saved first and ignores other files', async () => {
    await store.saveRecipe(recipe('old'));
    await store.saveRecipe(recipe('new'));
    await store.saveRecipe(recipe('middle'));
    await writeFile(join(dir, 'recipes', 'notes.txt'), 'not a recipe');
    await utimes(join(dir, 'recipes', 'old.yaml'), new Date('2024-01-01'), new Date('2024-01-01'));
    await utimes(join(dir, 'recipes', 'middle.yaml'), new Date('2024-06-01'), new Date('2024-06-01'));
    await utimes(join(dir, 'recipes', 'new.yaml'), new Date('2025-01-01'), new Date('2025-01-01'));
    const list = await store.listRecipes();
    expect(list).toEqual([
      { name: 'new', savedAt: '2025-01-01T00:00:00.000Z' },
      { name: 'middle', savedAt: '2024-06-01T00:00:00.000Z' },
      { name: 'old', savedAt: '2024-01-01T00:00:00.000Z' },
    ]);
  });

  it('says which recipe is not saved', async () => {
    const error = await rejection(store.loadRecipe('nothing'));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'bad-request', message: 'No saved recipe named nothing' });
  });

  it('names a corrupt saved recipe and its first problem', async () => {
    await mkdir(join(dir, 'recipes'), { recursive: true });
    await writeFile(join(dir, 'recipes', 'broken.yaml'), 'name: broken\nsource:\n  baseImage: debian:bookworm\nvarient: core\n');
    const error = await rejection(store.loadRecipe('broken'));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('recipe-invalid');
    expect((error as AppError).message).toContain('broken');
    expect((error as AppError).message).toContain('varient');
  });

  it('names a saved recipe that is not even YAML', async () => {
    await mkdir(join(dir, 'recipes'), { recursive: true });
    await writeFile(join(dir, 'recipes', 'garbage.yaml'), 'name: [unclosed\n');
    const error = await rejection(store.loadRecipe('garbage'));
    expect(error).toMatchObject({ code: 'recipe-invalid' });
    expect((error as AppError).message).toMatch(/garbage.*YAML/);
  });

  it.runIf(process.platform !== 'win32')('keeps saved recipes private: the file 0600, the folder 0700', async () => {
    await store.saveRecipe(recipe('secret', { cloudConfig: '#cloud-config\nusers:\n  - name: kairos\n    passwd: kairos\n' }));
    expect((await stat(join(dir, 'recipes', 'secret.yaml'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'recipes'))).mode & 0o777).toBe(0o700);
  });

  it.runIf(process.platform !== 'win32')('makes a recipe saved by an older version (0644, folder 0755) private when it is saved again', async () => {
    await mkdir(join(dir, 'recipes'), { mode: 0o755 });
    await chmod(join(dir, 'recipes'), 0o755);
    await writeFile(join(dir, 'recipes', 'old.yaml'), 'name: old\n', { mode: 0o644 });
    await chmod(join(dir, 'recipes', 'old.yaml'), 0o644);
    await store.saveRecipe(recipe('old', { version: 'v2.0.0' }));
    expect((await stat(join(dir, 'recipes', 'old.yaml'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'recipes'))).mode & 0o777).toBe(0o700);
    expect((await store.loadRecipe('old')).version).toBe('v2.0.0');
    // Overwritten again: still private.
    await store.saveRecipe(recipe('old', { version: 'v3.0.0' }));
    expect((await stat(join(dir, 'recipes', 'old.yaml'))).mode & 0o777).toBe(0o600);
  });

  it('deletes a recipe that does not exist without complaint', async () => {
    await expect(store.deleteRecipe('ghost')).resolves.toBeUndefined();
  });
});

describe('history', () => {
  it('is empty at first and when the file is corrupt', async () => {
    expect(await store.history()).toEqual([]);
    await writeFile(join(dir, 'history.json'), '[{');
    expect(await store.history()).toEqual([]);
  });

  it('keeps the newest job first', async () => {
    await store.recordJob(job(1));
    await store.recordJob(job(2));
    await store.recordJob(job(3));
    expect((await store.history()).map((j) => j.jobId)).toEqual(['job-3', 'job-2', 'job-1']);
    expect(await new AppStore(dir).history()).toEqual([job(3), job(2), job(1)]);
  });

  it('replaces a job recorded again (started, then ended), moving it to the front', async () => {
    await store.recordJob(job(1));
    await store.recordJob(job(2));
    const ended = job(1, { state: 'done', finishedAt: '2025-01-01T00:10:00.000Z', result: { seconds: 600 } });
    await store.recordJob(ended);
    expect(await store.history()).toEqual([ended, job(2)]);
  });

  it('keeps the last 50 jobs', async () => {
    for (let n = 1; n <= 55; n++) await store.recordJob(job(n));
    const history = await store.history();
    expect(history).toHaveLength(50);
    expect(history[0]?.jobId).toBe('job-55');
    expect(history[49]?.jobId).toBe('job-6');
    expect(history.map((j) => j.jobId)).not.toContain('job-5');
  });

  it('loses no job when many are recorded at once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.recordJob(job(i + 1))));
    const ids = (await store.history()).map((j) => j.jobId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => `job-${i + 1}`)));
    // Recorded in call order, so the last call is the newest.
    expect(ids[0]).toBe('job-20');
    expect(ids[19]).toBe('job-1');
  });

  it('loses no update when a job starts and ends while others are recorded', async () => {
    await Promise.all([
      store.recordJob(job(1)),
      store.recordJob(job(2)),
      store.recordJob(job(1, { state: 'failed', error: { code: 'build-failed', message: 'boom' } })),
      store.recordJob(job(3)),
    ]);
    const history = await store.history();
    expect(history.map((j) => [j.jobId, j.state])).toEqual([
      ['job-3', 'running'],
      ['job-1', 'failed'],
      ['job-2', 'running'],
    ]);
  });

  it('keeps the history and job logs private (recipe snapshots hold password hashes)', async () => {
    await store.recordJob(job(1));
    await store.saveJobLog('job-1', 'line 1\n');
    expect((await stat(join(dir, 'history.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'jobs', 'job-1.log'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'jobs'))).mode & 0o777).toBe(0o700);
    expect(await new AppStore(dir).jobLog('job-1')).toBe('line 1\n');
  });

  it('reads and writes no log outside its folder, whatever the job id', async () => {
    await expect(store.saveJobLog('../settings', 'x')).rejects.toMatchObject({ code: 'bad-request' });
    await writeFile(join(dir, 'secret.log'), 'secret');
    expect(await store.jobLog('../secret')).toBeUndefined();
    expect(await store.jobLog('job-404')).toBeUndefined();
  });

  it('deletes the logs of jobs that leave the history', async () => {
    for (let n = 1; n <= 51; n++) {
      await store.saveJobLog(`job-${n}`, `log ${n}\n`);
      await store.recordJob(job(n));
    }
    expect(await store.jobLog('job-1')).toBeUndefined();
    expect(await store.jobLog('job-2')).toBe('log 2\n');
  });

  it('keeps recording after a write failed', async () => {
    // A folder where history.json should be makes the write fail.
    await mkdir(join(dir, 'history.json'));
    await expect(store.recordJob(job(1))).rejects.toThrow();
    await rm(join(dir, 'history.json'), { recursive: true });
    await store.recordJob(job(2));
    expect((await store.history()).map((j) => j.jobId)).toEqual(['job-2']);
  });
});
