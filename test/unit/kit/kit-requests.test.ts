// kit.import and the offline setting through the handler table and the in-memory transport, as
// every shell sends them: a refused kit fails its job naming the member, and its recipes are not
// saved. (Loading images needs Docker: test/integration/offline-kit.test.ts.)
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../../src-main/api/handlers.js';
import { memoryTransport } from '../../../src-main/api/memory-transport.js';
import type { ApiTransport, JobSummary } from '../../../src-shared/api/contract.js';

let dataDir: string;
let api: ApiServer;
let client: ApiTransport;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kf-kit-api-'));
  api = createApiServer({ dataDir, shell: 'memory' });
  client = memoryTransport(api);
});

afterEach(async () => {
  await api.close();
  await rm(dataDir, { recursive: true, force: true });
});

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
