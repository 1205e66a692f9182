// `osartifact --apply` against a small local HTTP server that answers the few Kubernetes API calls
// it makes (create Secret and OSArtifact, read the OSArtifact, list pods, read a pod's log, delete),
// as an API server with the kairos-operator's CRD would. No real API server can be started on the
// CI machine (see the README, "Kubernetes (kairos-operator)"): this checks the client library's
// calls, the kubeconfig handling and the following, not the operator.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiServer, type ApiServer } from '../../../src-main/api/handlers.js';
import { memoryTransport } from '../../../src-main/api/memory-transport.js';
import { JobContext } from '../../../src-main/jobs/job-context.js';
import { applyOsArtifact } from '../../../src-main/kubernetes/apply-osartifact.js';
import type { JobEvent } from '../../../src-shared/jobs/job-events.js';
import { recipeToOsArtifact } from '../../../src-shared/kubernetes/recipe-to-osartifact.js';
import { validateRecipe } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';
import { FakeCluster, type Phase, writeKubeconfig } from '../../fixtures/fake-kube-cluster.js';
import { useTempFolder } from '../temp-folder.js';

const folder = useTempFolder('kf-kube-');

const recipe = ((): Recipe => {
  const r = validateRecipe({ name: 'deb', source: { baseImage: 'debian:bookworm' }, artifacts: ['iso'], cloudConfig: '#cloud-config\nhostname: deb\n' });
  if (!r.ok) throw new Error('fixture recipe');
  return r.recipe;
})();

let cluster: FakeCluster;
let kubeconfig: string;
const startCluster = async (phases: ReadonlyArray<Phase>): Promise<void> => {
  cluster = new FakeCluster(phases);
  const server = await cluster.start();
  kubeconfig = join(folder(), `kubeconfig-${Date.now()}`);
  await writeKubeconfig(kubeconfig, server);
};
afterEach(async () => {
  await cluster?.stop();
});

function run(phases: ReadonlyArray<Phase>, abort?: AbortController) {
  const events: JobEvent[] = [];
  const ctx = new JobContext('job-1', (abort ?? new AbortController()).signal, (e) => events.push(e));
  return { events, promise: startCluster(phases).then(() => applyOsArtifact({ exported: recipeToOsArtifact(recipe), kubeconfig, pollMs: 10 }, ctx)) };
}

describe('applyOsArtifact', () => {
  it('creates the Secrets and the OSArtifact (generateName), follows the phase and the builder log until Ready', async () => {
    const { events, promise } = run([{ phase: 'Pending' }, { phase: 'Building' }, { phase: 'Building' }, { phase: 'Exporting' }, { phase: 'Ready' }]);
    const result = await promise;
    expect(result.message).toBe('OSArtifact deb-x7k2q is Ready in namespace builds: its artifacts are in PersistentVolumeClaim deb-x7k2q-artifacts');
    const posts = cluster.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.path)).toEqual(['/api/v1/namespaces/builds/secrets', '/apis/build.kairos.io/v1alpha2/namespaces/builds/osartifacts']);
    expect(posts[0]!.body).toMatchObject({ kind: 'Secret', metadata: { name: 'deb-cloud-config' }, stringData: { userdata: '#cloud-config\nhostname: deb\n' } });
    expect(posts[1]!.body).toMatchObject({ kind: 'OSArtifact', metadata: { generateName: 'deb-' }, spec: { artifacts: { iso: true } } });
    // The kubeconfig's user and namespace are the ones used.
    expect(cluster.calls.every((c) => c.auth === 'Bearer s3cret-token')).toBe(true);
    expect(cluster.calls.some((c) => c.path === `/api/v1/namespaces/builds/pods?labelSelector=${encodeURIComponent('build.kairos.io/artifact=deb-x7k2q')}`)).toBe(true);
    // Phases as the job's phases, in order; each log line once, with its container.
    const phases = events.filter((e) => e.kind === 'phase' && e.state === 'started').map((e) => (e.kind === 'phase' ? e.phase : ''));
    expect(phases).toEqual(['submit', 'Pending', 'Building', 'Exporting']);
    const lines = events.filter((e) => e.kind === 'log' && /^(pull-image|build): /.test(e.line)).map((e) => (e.kind === 'log' ? e.line : ''));
    expect(lines.filter((l) => l.startsWith('pull-image: '))).toEqual(['pull-image: pulled debian:bookworm']);
    expect(lines.filter((l) => l.startsWith('build: '))).toEqual(['build: step 1', 'build: step 2', 'build: step 3', 'build: step 4']);
    const progress = events.filter((e) => e.kind === 'progress').map((e) => (e.kind === 'progress' ? e.done : -1));
    expect(progress[progress.length - 1]).toBe(4);
  });

  it('fails the job with the operator\'s message when the phase is Error', async () => {
    const { promise } = run([{ phase: 'Building' }, { phase: 'Error', message: 'exporter job deb-x7k2q-export-0 failed' }]);
    await expect(promise).rejects.toThrow('OSArtifact deb-x7k2q failed: exporter job deb-x7k2q-export-0 failed');
  });

  it('replaces a Secret left by an earlier submit', async () => {
    const { promise } = run([{ phase: 'Ready' }]);
    await new Promise((r) => setTimeout(r, 0));
    cluster.existingSecrets.add('deb-cloud-config');
    await promise;
    expect(cluster.calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual(['/api/v1/namespaces/builds/secrets/deb-cloud-config']);
  });

  it('deletes the OSArtifact when the job is cancelled', async () => {
    const abort = new AbortController();
    const { events, promise } = run([{ phase: 'Building' }], abort);
    let settled = false;
    promise.catch(() => undefined).finally(() => (settled = true));
    while (!settled && !events.some((e) => e.kind === 'phase' && e.phase === 'Building')) await new Promise((r) => setTimeout(r, 5));
    expect(settled).toBe(false);
    abort.abort();
    await expect(promise).rejects.toThrow('Cancelled');
    expect(cluster.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/apis/build.kairos.io/v1alpha2/namespaces/builds/osartifacts/deb-x7k2q']);
  });

  it('names the API server\'s answer when the CRD is not installed', async () => {
    const events: JobEvent[] = [];
    await startCluster([{ phase: 'Ready' }]);
    // A namespace the fake server has no routes for answers 404, as a cluster without the operator does.
    const promise = applyOsArtifact({ exported: recipeToOsArtifact(recipe), kubeconfig, namespace: 'elsewhere', pollMs: 10 }, new JobContext('j', new AbortController().signal, (e) => events.push(e)));
    await expect(promise).rejects.toThrow(/^Creating Secret deb-cloud-config on http:\/\/127\.0\.0\.1:\d+ \(namespace elsewhere\): HTTP 404: no route POST/);
  });

  it('names a malformed kubeconfig and where, without echoing its lines (they hold tokens)', async () => {
    const bad = join(folder(), 'bad-kubeconfig');
    await writeFile(bad, 'users:\n- name: me\n  user:\n    token: s3cret-token\n  key: : [bad\n', { mode: 0o600 });
    const error = await applyOsArtifact({ exported: recipeToOsArtifact(recipe), kubeconfig: bad, pollMs: 10 }, new JobContext('j', new AbortController().signal, () => undefined)).catch((e: unknown) => e as Error);
    expect(error.message).toMatch(new RegExp(`^Cannot read the kubeconfig ${bad}: .*\\(\\d+:\\d+\\)$`));
    expect(error.message).not.toContain('s3cret-token');
    expect(error.message).not.toContain('\n');
  });
});

describe('kubernetes.apply through the handler table', () => {
  let dataDir: string;
  let api: ApiServer;
  beforeEach(async () => {
    dataDir = join(folder(), `data-${Date.now()}`);
    api = createApiServer({ dataDir, shell: 'memory' });
  });
  afterEach(async () => {
    await api.close();
  });

  it('refuses, before contacting any cluster, a recipe whose OSArtifact the operator would refuse', async () => {
    await startCluster([{ phase: 'Ready' }]);
    const client = memoryTransport(api);
    const pi = { name: 'pi', source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' }, model: 'rpi4', arch: 'arm64', artifacts: ['rpi'] };
    await expect(client.request('kubernetes.apply', { recipe: pi, kubeconfig })).rejects.toThrow(/spec\.artifacts: no artifact/);
    expect(cluster.calls).toEqual([]);
  });

  it('runs the submit as a build job the CLI and the UI follow', async () => {
    await startCluster([{ phase: 'Ready' }]);
    const client = memoryTransport(api);
    const ended = new Promise<JobEvent>((resolve) => {
      api.onEvent((event, payload) => {
        if (event === 'job' && ((payload as JobEvent).kind === 'done' || (payload as JobEvent).kind === 'error')) resolve(payload as JobEvent);
      }, ['job']);
    });
    const { jobId, notes } = await client.request('kubernetes.apply', { recipe, kubeconfig });
    expect(notes.map((n) => n.path)).toContain('output');
    const end = await ended;
    expect(end).toMatchObject({ kind: 'done', jobId, result: { message: expect.stringContaining('is Ready in namespace builds') } });
    expect((await client.request('job.get', { jobId })).summary).toMatchObject({ kind: 'build', title: 'Build deb on Kubernetes', state: 'done' });
  });
});
