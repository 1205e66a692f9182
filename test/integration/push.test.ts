// Pushing the kairosified image: to a real registry (Debian's docker-registry, the CNCF
// distribution server, on loopback: Docker trusts 127.0.0.0/8 over plain HTTP), then the errors a
// user meets: no registry named, a registry that does not answer.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli, skipReason } from './support.js';

const env = inject('integration');
const RECIPE = 'examples/debian-bookworm.yaml';
const TAG_SUFFIX = 'debian-bookworm:v0.1.0-core-generic-amd64';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.skipIf(skipReason(env, 'docker', 'registry') !== undefined)('build --push', () => {
  let registry: ChildProcess | undefined;
  let dir = '';
  let port = 0;
  const tags: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-registry-'));
    port = await freePort();
    const config = join(dir, 'config.yml');
    await writeFile(config, `version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\nhttp:\n  addr: 127.0.0.1:${port}\n`);
    registry = spawn('docker-registry', ['serve', config], { stdio: 'ignore' });
    for (let i = 0; i < 50; i++) {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => undefined))?.ok) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('docker-registry did not start');
  });

  afterAll(async () => {
    registry?.kill();
    const docker = new Docker();
    for (const tag of tags) await docker.getImage(tag).remove({ noprune: true }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the image in the registry, prints the tag and pushes it', { timeout: 600_000 }, async () => {
    const org = `127.0.0.1:${port}/kf-test`;
    tags.push(`${org}/${TAG_SUFFIX}`);
    const result = await cli(['build', RECIPE, '--output', env.outputDir, '--registry', org, '--push']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain(`Pushing ${org}/${TAG_SUFFIX} to 127.0.0.1:${port} (no stored login: anonymous)`);
    expect(result.all).toContain(`Pushed ${org}/${TAG_SUFFIX}`);
    expect(result.all).toContain(`Built ${org}/${TAG_SUFFIX}`);
    const list = (await (await fetch(`http://127.0.0.1:${port}/v2/kf-test/debian-bookworm/tags/list`)).json()) as { tags?: string[] };
    expect(list.tags).toEqual(['v0.1.0-core-generic-amd64']);
    // The registry holds the same image: its manifest names the local image's config digest.
    const manifest = (await (
      await fetch(`http://127.0.0.1:${port}/v2/kf-test/debian-bookworm/manifests/v0.1.0-core-generic-amd64`, {
        headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
      })
    ).json()) as { config?: { digest?: string } };
    const local = await new Docker().getImage(`${org}/${TAG_SUFFIX}`).inspect();
    expect(manifest.config?.digest).toBe(local.Id);
  });

  it('refuses --push without a registry to push to', async () => {
    const result = await cli(['build', RECIPE, '--output', env.outputDir, '--push']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain('error: --registry: name the registry to push to');
  });

  it('says which registry did not answer, after building the image', { timeout: 300_000 }, async () => {
    const dead = await freePort();
    const org = `127.0.0.1:${dead}/kf-test`;
    tags.push(`${org}/${TAG_SUFFIX}`);
    const result = await cli(['build', RECIPE, '--output', env.outputDir, '--registry', org, '--push']);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(new RegExp(`error: Could not push ${org.replace(/\./g, '\\.')}/${TAG_SUFFIX.replace(/\./g, '\\.')}: .*(connection refused|connect)`));
  });
});
