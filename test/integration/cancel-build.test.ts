// Ctrl-C during a Docker build: the CLI says it cancelled, exits 130, and the engine is left
// with no container of ours, and no tag for the half-built image.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import Docker from 'dockerode';
import { describe, expect, inject, it } from 'vitest';
import { REPO, containerIds, dockerfileSteps, skipReason } from './support.js';

const env = inject('integration');

describe.skipIf(skipReason(env, 'docker') !== undefined)('cancelling a build', () => {
  it('Ctrl-C in the slow initrd step leaves no container behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kf-cancel-'));
    // A version nobody built: the cache ends before the kairos-release step, so the initrd step runs.
    const version = `v0.0.${Date.now() % 1_000_000}`;
    const example = await readFile(join(REPO, 'examples/debian-bookworm.yaml'), 'utf8');
    const path = join(dir, 'cancel.yaml');
    await writeFile(path, example.replace('version: v0.1.0', `version: ${version}`));
    const { total, step } = await dockerfileSteps(path, 'dracut -f');
    expect(step).toBeDefined();
    const initrdStep = new RegExp(`Step ${step}/${total}: RUN`);
    const before = await containerIds();
    const child = execa('node', ['bin/kairos-factory.js', 'build', path, '--output', join(dir, 'out')], { cwd: REPO, reject: false, all: true });
    let output = '';
    child.all?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const deadline = Date.now() + 180_000;
    while (!initrdStep.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(output).toMatch(initrdStep);
    await new Promise((r) => setTimeout(r, 2000));
    const during = await containerIds();
    expect(during.length).toBeGreaterThan(before.length);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(result.all).toContain('Cancelling');
    expect(result.all).toMatch(/error: Cancelled/);
    expect(await containerIds()).toEqual(before);
    const tagged = await new Docker().getImage(`kairos-factory/debian-bookworm:${version}-core-generic-amd64`).inspect().catch(() => undefined);
    expect(tagged).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });
});
