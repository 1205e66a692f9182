// The handler table through the in-memory transport: the same JSON envelopes Electron IPC and the
// web shell carry, with no process boundary. Only requests that need no Docker, qemu or drives.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer, type PickRequest } from '../../../src-main/api/handlers.js';
import { memoryTransport } from '../../../src-main/api/memory-transport.js';
import { defaultSettings } from '../../../src-main/api/app-store.js';
import type { ApiTransport, JobSummary } from '../../../src-shared/api/contract.js';
import { AppError } from '../../../src-shared/errors/app-error.js';

let dataDir: string;
let api: ApiServer;
let client: ApiTransport;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kf-api-'));
  api = createApiServer({ dataDir, shell: 'memory' });
  client = memoryTransport(api);
});

afterEach(async () => {
  await api.close();
  await rm(dataDir, { recursive: true, force: true });
});

const minimal = { name: 'x', source: { baseImage: 'debian:bookworm' } };

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`expected an AppError, got ${String(error)}`);
  }
  throw new Error('expected a rejection');
}

describe('settings', () => {
  it('gives the defaults, then what was set', async () => {
    expect(await client.request('settings.get', {})).toEqual(defaultSettings());
    const next = await client.request('settings.set', { theme: 'dark', verifyAfterFlash: false });
    expect(next).toEqual({ ...defaultSettings(), theme: 'dark', verifyAfterFlash: false });
    expect(await client.request('settings.get', {})).toEqual(next);
  });

  it('persists settings for the next server on the same folder', async () => {
    await client.request('settings.set', { outputRoot: '/srv/images' });
    const again = createApiServer({ dataDir, shell: 'memory' });
    try {
      expect((await memoryTransport(again).request('settings.get', {})).outputRoot).toBe('/srv/images');
    } finally {
      await again.close();
    }
  });

  it('refuses a wrong value, naming the field', async () => {
    const error = await rejection(client.request('settings.set', { theme: 'neon' as 'dark' }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('theme');
    expect(await client.request('settings.get', {})).toEqual(defaultSettings());
  });

  it('keeps an engine choice that names an address or automatic, and refuses one naming no engine', async () => {
    expect((await client.request('settings.set', { engine: 'unix:///run/kf-elsewhere.sock' })).engine).toBe('unix:///run/kf-elsewhere.sock');
    expect((await client.request('settings.set', { engine: 'automatic' })).engine).toBe('automatic');
    const error = await rejection(client.request('settings.set', { engine: 'no-such-engine' }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toMatch(/^engine: no engine named "no-such-engine" here/);
    expect(await rejection(client.request('settings.set', { engine: 'ftp://x' }))).toMatchObject({ message: expect.stringMatching(/^engine: "ftp:\/\/x" is not an engine address/) });
    expect((await client.request('settings.get', {})).engine).toBe('automatic');
  });

  it('refuses an unknown setting', async () => {
    const envelope = await api.dispatch('settings.set', { colour: 'red' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('offline kit requests (loading images needs Docker: test/integration/offline-kit.test.ts)', () => {
  /** The job's summary once it ended (also when it ended before we listened). */
  function ended(jobId: string): Promise<JobSummary> {
    return new Promise((resolve) => {
      const done = (s: JobSummary): void => {
        if (s.jobId !== jobId || s.state === 'running') return;
        stop();
        resolve(s);
      };
      const stop = client.subscribe('job.summary', done);
      void client.request('job.get', { jobId }).then((d) => done(d.summary));
    });
  }

  it('the offline setting is off by default and kept once set', async () => {
    expect((await client.request('settings.get', {})).offline).toBe(false);
    await client.request('settings.set', { offline: true });
    expect((await client.request('settings.get', {})).offline).toBe(true);
  });

  it('kit.import of a kit whose images are not what the manifest says fails naming the member, and saves none of its recipes', async () => {
    const dir = join(dataDir, 'kit');
    await mkdir(join(dir, 'recipes'), { recursive: true });
    await writeFile(join(dir, 'recipes', 'from-kit.yaml'), 'name: from-kit\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\n');
    await writeFile(join(dir, 'images.tar'), 'changed');
    const recipeSha = execFileSync('sha256sum', [join(dir, 'recipes', 'from-kit.yaml')], { encoding: 'utf8' }).split(' ')[0];
    const manifest = { kitVersion: 1, created: 'now', appVersion: 'test', recipes: ['from-kit'], images: [], members: { 'recipes/from-kit.yaml': recipeSha, 'images.tar': 'f'.repeat(64) } };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const kit = join(dataDir, 'bad.kit.tar');
    execFileSync('tar', ['cf', kit, '-C', dir, 'recipes/from-kit.yaml', 'images.tar', 'manifest.json']);

    const { jobId } = await client.request('kit.import', { file: kit });
    const summary = await ended(jobId);
    expect(summary).toMatchObject({ kind: 'kit-import', state: 'failed', error: { code: 'source-invalid', message: expect.stringMatching(/bad\.kit\.tar is refused: member images\.tar is corrupt/) } });
    expect(await client.request('recipe.list', {})).toEqual([]);
  });

  it('kit.export refuses an invalid recipe before any job, naming the field', async () => {
    await expect(client.request('kit.export', { recipes: [{ name: 'Bad Name' }], output: join(dataDir, 'x.kit.tar') })).rejects.toMatchObject({ code: 'recipe-invalid', message: expect.stringMatching(/^The recipe is not valid: name: /) });
    await expect(client.request('kit.export', { recipes: [], output: join(dataDir, 'x.kit.tar') })).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(/recipes/) });
  });
});

describe('recipe.validate', () => {
  it('answers a valid recipe with its defaults filled', async () => {
    const result = await client.request('recipe.validate', { recipe: minimal });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.recipe).toMatchObject({ name: 'x', version: 'v0.1.0', arch: 'amd64', source: { kind: 'image', baseImage: 'debian:bookworm' } });
  });

  it('answers an invalid recipe with issues naming each field', async () => {
    const result = await client.request('recipe.validate', { recipe: { ...minimal, name: 'Bad Name', varient: 'core', arch: 'sparc' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'varient', 'arch']));
    expect(result.issues.find((i) => i.path === 'varient')?.message).toBe('unknown field; did you mean "variant"?');
    expect(result.issues.find((i) => i.path === 'arch')?.message).toMatch(/^must be one of: /);
    // Plain issues only: nothing internal leaks through the API.
    for (const issue of result.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
  });

  it('answers a missing source with its path', async () => {
    const result = await client.request('recipe.validate', { recipe: { name: 'x' } });
    expect(result).toEqual({ ok: false, issues: [{ path: 'source', message: 'is required' }], problems: [{ path: 'source', message: 'is required', severity: 'error' }] });
  });

  it('refuses a request without the recipe field', async () => {
    const envelope = await api.dispatch('recipe.validate', { recipee: minimal });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('bad-request');
  });
});

describe('saved recipes', () => {
  it('saves, lists, loads and deletes', async () => {
    expect(await client.request('recipe.list', {})).toEqual([]);
    const saved = await client.request('recipe.save', { recipe: minimal });
    expect(saved.name).toBe('x');
    expect(await readdir(join(dataDir, 'recipes'))).toEqual(['x.yaml']);

    const list = await client.request('recipe.list', {});
    expect(list.map((r) => r.name)).toEqual(['x']);

    const { recipe } = await client.request('recipe.load', { name: 'x' });
    expect(recipe).toMatchObject({ name: 'x', source: { kind: 'image', baseImage: 'debian:bookworm' }, artifacts: ['iso'] });

    expect(await client.request('recipe.delete', { name: 'x' })).toEqual({});
    expect(await client.request('recipe.list', {})).toEqual([]);
  });

  it('refuses to save an invalid recipe, naming the field', async () => {
    const error = await rejection(client.request('recipe.save', { recipe: { ...minimal, version: 'latest' } }));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toContain('version');
    expect(error.hint).toBe('Fix the field named above');
    expect(await client.request('recipe.list', {})).toEqual([]);
  });

  it('rejects loading an unknown recipe with bad-request', async () => {
    const error = await rejection(client.request('recipe.load', { name: 'nothing-here' }));
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('nothing-here');
  });

  it('refuses a recipe name that could leave the recipes folder', async () => {
    for (const name of ['../settings', 'a/b', '.hidden', 'Upper', '']) {
      const error = await rejection(client.request('recipe.load', { name }));
      expect(error.code, name).toBe('bad-request');
      expect(error.message, name).toContain('name');
    }
    const envelope = await api.dispatch('recipe.delete', { name: '../../etc' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });
});

describe('keys.check', () => {
  it('answers for a folder that is not there', async () => {
    const folder = join(dataDir, 'no-keys');
    expect(await client.request('keys.check', { folder })).toEqual({ folder, ok: false, files: [{ name: folder, present: false, problem: 'not a folder' }] });
  });

  it('lists the missing files of an empty folder', async () => {
    const result = await client.request('keys.check', { folder: dataDir });
    expect(result.ok).toBe(false);
    expect(result.files.map((f) => f.name)).toEqual(['PK.auth', 'KEK.auth', 'db.pem (or db.crt)', 'db.auth', 'db.key', 'tpm2-pcr-private.pem']);
    expect(result.files.every((f) => f.problem === 'missing')).toBe(true);
  });

  it('refuses an empty folder path', async () => {
    expect((await rejection(client.request('keys.check', { folder: '' }))).code).toBe('bad-request');
  });
});

describe('dialog.pick', () => {
  it('is refused by a shell without dialogs, with a hint', async () => {
    const error = await rejection(client.request('dialog.pick', { kind: 'file', title: 'Pick an image' }));
    expect(error.code).toBe('bad-request');
    expect(error.hint).toBe('Type the path instead');
  });

  it('answers the path the shell picked, passing the request through', async () => {
    await api.close();
    const asked: PickRequest[] = [];
    api = createApiServer({
      dataDir,
      shell: 'memory',
      pickPath: async (request) => {
        asked.push(request);
        return request.kind === 'folder' ? '/home/me/keys' : null;
      },
    });
    client = memoryTransport(api);
    expect(await client.request('dialog.pick', { kind: 'folder', title: 'Keys folder' })).toEqual({ path: '/home/me/keys' });
    expect(await client.request('dialog.pick', { kind: 'file', title: 'Image', extensions: ['iso', 'img'] })).toEqual({ path: null });
    expect(asked).toEqual([
      { kind: 'folder', title: 'Keys folder' },
      { kind: 'file', title: 'Image', extensions: ['iso', 'img'] },
    ]);
  });

  it('checks the request before asking the shell', async () => {
    let asked = 0;
    await api.close();
    api = createApiServer({ dataDir, shell: 'memory', pickPath: async () => (asked++, '/x') });
    const envelope = await api.dispatch('dialog.pick', { kind: 'device', title: 't' });
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(asked).toBe(0);
  });
});

describe('jobs', () => {
  it('lists no jobs on a fresh data folder', async () => {
    expect(await client.request('jobs.list', {})).toEqual([]);
  });

  it('refuses to cancel a job that is not running', async () => {
    const error = await rejection(client.request('job.cancel', { jobId: 'job-404' }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toContain('job-404');
    expect(error.hint).toBe('It may have finished already');
  });

  it('refuses to build an invalid recipe, naming the field, and starts no job', async () => {
    const error = await rejection(client.request('build.start', { recipe: { ...minimal, arch: 'sparc' } }));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toMatch(/^The recipe is not ready to build: arch: must be one of: /);
    expect(await client.request('jobs.list', {})).toEqual([]);
  });

  it('refuses to build for a Raspberry Pi 5, naming model and the reason, and starts no job', async () => {
    const error = await rejection(client.request('build.start', { recipe: { ...minimal, model: 'rpi5', arch: 'arm64' } }));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toMatch(/^The recipe is not ready to build: model: Raspberry Pi 5 is not supported: .*kairos-init rejects -m rpi5/);
    expect(await client.request('jobs.list', {})).toEqual([]);
  });

  it('plans no invalid recipe: the field is named, nothing is asked of the engine', async () => {
    const error = await rejection(client.request('build.plan', { recipe: { ...minimal, arch: 'sparc' } }));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toMatch(/^The recipe is not valid: arch: /);
    expect(error.hint).toBe('Fix the field named above');
  });

  it('refuses to build a recipe with a misspelled field', async () => {
    const error = await rejection(client.request('build.start', { recipe: { ...minimal, sorce: {} } }));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toContain('sorce');
  });
});

describe('artifact.show', () => {
  const build = (state: string) => ({
    jobId: 'build-0123abcd',
    kind: 'build',
    title: 'Build node',
    startedAt: '2026-01-01T00:00:00.000Z',
    state,
    result: { seconds: 1, artifacts: [{ kind: 'iso', path: '/srv/out/node.iso', size: 1, sha256: 'x' }] },
  });

  it('shows an artifact of a recorded finished build, and nothing else', async () => {
    await api.close();
    const shown: string[] = [];
    api = createApiServer({ dataDir, shell: 'memory', showInFolder: (path) => shown.push(path) });
    client = memoryTransport(api);
    await writeFile(join(dataDir, 'history.json'), JSON.stringify([build('done')]));
    expect(await client.request('artifact.show', { jobId: 'build-0123abcd', index: 0 })).toEqual({});
    expect(shown).toEqual(['/srv/out/node.iso']);
    const missing = await rejection(client.request('artifact.show', { jobId: 'build-0123abcd', index: 1 }));
    expect(missing).toMatchObject({ code: 'bad-request', message: 'Build node has no artifact 2', hint: 'Pick an artifact listed with the job' });
    await writeFile(join(dataDir, 'history.json'), JSON.stringify([build('failed')]));
    expect((await rejection(client.request('artifact.show', { jobId: 'build-0123abcd', index: 0 }))).code).toBe('bad-request');
    expect((await rejection(client.request('artifact.show', { jobId: 'build-nope', index: 0 }))).message).toBe('No job build-nope');
    expect(shown).toHaveLength(1);
  });

  it('is refused by a shell without a file manager, saying to download instead', async () => {
    const error = await rejection(client.request('artifact.show', { jobId: 'build-0123abcd', index: 0 }));
    expect(error).toMatchObject({ code: 'bad-request', message: 'Only the desktop app can open a folder', hint: 'Download the artifact instead' });
  });
});

describe('dispatch envelopes', () => {
  it('answers an unknown request with bad-request naming it', async () => {
    expect(await api.dispatch('no.such', {})).toEqual({ ok: false, error: { code: 'bad-request', message: 'Unknown request "no.such"' } });
  });

  it('names the field of a payload of the wrong type', async () => {
    const envelope = await api.dispatch('job.cancel', { jobId: 5 });
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.code).toBe('bad-request');
    expect(envelope.error.message).toMatch(/^Bad request job\.cancel: jobId: /);
  });

  it('names a missing field', async () => {
    const envelope = await api.dispatch('recipe.load', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringMatching(/^Bad request recipe\.load: name: /) } });
  });

  it('treats a missing payload as an empty one', async () => {
    expect(await api.dispatch('jobs.list', undefined)).toEqual({ ok: true, value: [] });
    expect(await api.dispatch('settings.get', null)).toEqual({ ok: true, value: defaultSettings() });
  });

  it('refuses a payload that is not an object', async () => {
    const envelope = await api.dispatch('settings.get', 'please');
    expect(envelope).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('payload') } });
  });

  it('wraps a successful answer in ok: true', async () => {
    expect(await api.dispatch('recipe.list', {})).toEqual({ ok: true, value: [] });
  });

  it('gives envelopes that survive JSON unchanged', async () => {
    const envelopes = [await api.dispatch('settings.get', {}), await api.dispatch('no.such', {}), await api.dispatch('recipe.validate', { recipe: minimal })];
    for (const e of envelopes) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('flash.start with per-card values', () => {
  const request = (cards: { hostname?: string; cloudConfig?: string[] }) =>
    client.request('flash.start', { image: join(dataDir, 'disk.raw'), targets: [join(dataDir, 'a.img'), join(dataDir, 'b.img')], verify: true, virtual: true, cards });

  it('refuses a hostname pattern with characters a hostname cannot hold, before any job', async () => {
    const error = await rejection(request({ hostname: 'node_{n}' }));
    expect(error.code).toBe('bad-request');
    expect(error.message).toBe('The hostname pattern "node_{n}": "_" cannot be in a hostname; use letters, digits and "-" (and {n} or {serial})');
    expect(await client.request('jobs.list', {})).toEqual([]);
  });

  it('refuses one name for two cards, and an extra cloud-config per card that does not match the targets', async () => {
    expect((await rejection(request({ hostname: 'node' }))).message).toBe('The hostname pattern "node" would give all 2 cards the same name: add {n} (the card\'s number) or {serial}');
    expect((await rejection(request({ cloudConfig: ['timezone: UTC\n'] }))).message).toBe('cards.cloudConfig has 1 entries for 2 targets');
    expect((await rejection(request({ cloudConfig: ['', 'users: root\n'] }))).message).toBe(`Card 2's cloud-config (${join(dataDir, 'b.img')}) (line 1): users must be a list`);
    expect(await client.request('jobs.list', {})).toEqual([]);
  });
});
