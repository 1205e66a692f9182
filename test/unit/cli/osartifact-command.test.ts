// `kairos-factory osartifact` and `recipe-from`, run in-process as a user runs them (argv): the
// manifest on stdout or in a 0600 file, the notes on stderr, a refused recipe naming the field.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FakeCluster, type Phase, writeKubeconfig } from '../../fixtures/fake-kube-cluster.js';
import { captureCli, useCliDataDir } from './cli-capture.js';

const { main } = await import('../../../src-main/cli/main.js');

const folder = useCliDataDir('kf-cli-osartifact-');
const cli = (...argv: string[]) => captureCli(main, argv);

describe('kairos-factory osartifact / recipe-from', () => {
  it('prints the checked-in manifest of the Debian example, with the notes on stderr', async () => {
    const { code, out, err } = await cli('osartifact', 'examples/debian-bookworm-kairos-init.yaml');
    expect(code).toBe(0);
    expect(out).toBe(await readFile('examples/kubernetes/debian-bookworm-kairos-init.yaml', 'utf8'));
    expect(err).toContain('note: output: artifacts land in the PersistentVolumeClaim');
  });

  it('writes <name>-osartifact.yaml readable by its owner only, and reads it back as the same recipe', async () => {
    expect((await cli('osartifact', 'examples/debian-bookworm-kairos-init.yaml', '-o', join(folder(), 'k8s'))).code).toBe(0);
    const file = join(folder(), 'k8s', 'debian-bookworm-kairos-init-osartifact.yaml');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const recipeFile = join(folder(), 'back.yaml');
    const { code, err } = await cli('recipe-from', file, '-o', recipeFile);
    expect(code).toBe(0);
    expect(err).toContain('not carried: spec.image.imageCredentialsSecretRef:');
    const back = parse(await readFile(recipeFile, 'utf8')) as Record<string, unknown>;
    const original = parse(await readFile('examples/debian-bookworm-kairos-init.yaml', 'utf8')) as Record<string, unknown>;
    for (const key of ['name', 'version', 'source', 'model', 'arch', 'cloudConfig', 'artifacts', 'registry', 'push']) {
      expect(back[key], key).toEqual(key === 'source' ? { kind: 'image', ...(original.source as object) } : key === 'cloudConfig' ? original.cloudConfig : original[key]);
    }
  });

  it('refuses a recipe with nothing the operator makes, naming the field and the artifact', async () => {
    const { code, err } = await cli('osartifact', 'examples/debian-bookworm-rpi3.yaml');
    expect(code).toBe(2);
    expect(err).toContain('spec.artifacts: no artifact');
    expect(err).toContain('artifacts.rpi: the operator makes no Raspberry Pi SD card layout');
  });

  it('recipe-from takes the Secrets from further files, and refuses an invalid manifest naming the field', async () => {
    const manifest = join(folder(), 'own.yaml');
    const secrets = join(folder(), 'secrets.yaml');
    await writeFile(manifest, 'apiVersion: build.kairos.io/v1alpha2\nkind: OSArtifact\nmetadata:\n  name: own\nspec:\n  image:\n    ociSpec:\n      ref: { name: own-df }\n  artifacts:\n    iso: true\n');
    await writeFile(secrets, 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: own-df\nstringData:\n  Dockerfile: |\n    FROM quay.io/kairos/alpine:3.21-core\n');
    const read = await cli('recipe-from', manifest, secrets);
    expect(read.code).toBe(0);
    expect(parse(read.out)).toMatchObject({ name: 'own', source: { kind: 'dockerfile', dockerfile: 'FROM quay.io/kairos/alpine:3.21-core\n' }, kairosify: { method: 'none' }, artifacts: ['iso'] });
    await writeFile(manifest, 'apiVersion: build.kairos.io/v1alpha2\nkind: OSArtifact\nmetadata:\n  name: own\nspec:\n  image:\n    ref: quay.io/kairos/alpine:3.21-core\n  artifacts:\n    iso: true\n  volumes:\n  - name: artifacts\n    emptyDir: {}\n');
    const refused = await cli('recipe-from', manifest);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('spec.volumes[0].name: "artifacts" is a volume the operator mounts itself');
  });
});

// --apply as a user runs it, against the fake API server (no real one can be started here): the
// phases and the builder pod's log are the job's progress; Ready exits 0, Error exits non-zero with
// the operator's message; the kubeconfig's token is never printed.
describe('kairos-factory osartifact --apply', () => {
  let cluster: FakeCluster | undefined;
  afterEach(async () => {
    await cluster?.stop();
  });
  const applyWith = async (phases: ReadonlyArray<Phase>) => {
    cluster = new FakeCluster(phases);
    const kubeconfig = join(folder(), `kubeconfig-${phases.length}-${Date.now()}`);
    await writeKubeconfig(kubeconfig, await cluster.start());
    return cli('osartifact', 'examples/debian-bookworm-kairos-init.yaml', '--apply', '--kubeconfig', kubeconfig);
  };

  it('submits, follows the phases and the builder log, and ends Ready', async () => {
    const { code, out, err } = await applyWith([{ phase: 'Pending' }, { phase: 'Building' }, { phase: 'Ready' }]);
    const all = `${out}${err}`;
    expect(code, all).toBe(0);
    expect(cluster!.created).toBe('debian-bookworm-kairos-init-x7k2q');
    expect(cluster!.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/api/v1/namespaces/builds/secrets',
      '/apis/build.kairos.io/v1alpha2/namespaces/builds/osartifacts',
    ]);
    expect(all).toContain('OSArtifact debian-bookworm-kairos-init-x7k2q: Pending');
    expect(all).toContain('OSArtifact debian-bookworm-kairos-init-x7k2q: Building');
    // The builder pod's log, without -v: each line once, as the pod's containers start.
    expect(all).toContain('pull-image: pulled debian:bookworm\n');
    expect(all.match(/^build: step 1$/gm)).toHaveLength(1);
    expect(all).toMatch(/OSArtifact debian-bookworm-kairos-init-x7k2q is Ready in namespace builds: its artifacts are in PersistentVolumeClaim debian-bookworm-kairos-init-x7k2q-artifacts in \d/);
    expect(all).not.toContain('s3cret-token');
  });

  it('exits non-zero with the operator message when the build ends in Error', async () => {
    const { code, out, err } = await applyWith([{ phase: 'Pending' }, { phase: 'Error', message: 'the build job failed: exit code 1' }]);
    expect(code).not.toBe(0);
    expect(`${out}${err}`).toContain('OSArtifact debian-bookworm-kairos-init-x7k2q failed: the build job failed: exit code 1');
  });
});
