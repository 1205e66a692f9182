// Bad input and a missing engine: one line that says what to do, a non-zero exit, and no
// container left behind.
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cli, containerIds, skipReason } from './support.js';

const env = inject('integration');
let dir = '';
let example = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-errors-'));
  example = await readFile('examples/debian-bookworm.yaml', 'utf8');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function recipe(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function errorLines(output: string): string[] {
  return output.split('\n').filter((l) => l.startsWith('error: '));
}

describe('CLI errors', () => {
  it('a misspelled field: exit 2, one line naming the field and what was meant', async () => {
    const path = await recipe('typo.yaml', example.replace(/^variant:/m, 'varient:'));
    for (const command of ['validate', 'build']) {
      const result = await cli([command, path]);
      expect(result.exitCode).toBe(2);
      const lines = errorLines(result.all);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/typo\.yaml:\d+:1: varient: unknown field; did you mean "variant"\?/);
    }
  });

  it('a model the recipe cannot have: exit 2, one line naming the field, why and what to do', async () => {
    const pi5 = await recipe('pi5.yaml', example.replace('model: generic', 'model: rpi5').replace('arch: amd64', 'arch: arm64'));
    const pi4 = await recipe('pi4.yaml', example.replace('model: generic', 'model: rpi4'));
    for (const command of ['validate', 'build']) {
      const refused = await cli([command, pi5]);
      expect(refused.exitCode).toBe(2);
      expect(errorLines(refused.all)).toEqual([expect.stringMatching(/pi5\.yaml:\d+:\d+: model: Raspberry Pi 5 is not supported: .*kairos-init rejects -m rpi5.*; build for a Raspberry Pi 4 \(model: rpi4\)/)]);
      const wrongArch = await cli([command, pi4]);
      expect(wrongArch.exitCode).toBe(2);
      expect(errorLines(wrongArch.all)).toEqual([expect.stringMatching(/pi4\.yaml:\d+:\d+: arch: model rpi4 runs only on arm64; set arch: arm64\./)]);
    }
  });

  it.skipIf(skipReason(env, 'docker') !== undefined)('a base image that does not exist: exit 1, one line, no container left', async () => {
    const before = await containerIds();
    const path = await recipe('noimage.yaml', example.replace('baseImage: debian:bookworm', 'baseImage: debian:no-such-release-42'));
    const result = await cli(['build', path, '--output', join(dir, 'out')]);
    expect(result.exitCode).toBe(1);
    const lines = errorLines(result.all);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Image "debian:no-such-release-42" is not on this machine and could not be pulled');
    expect(lines[0]).toContain('Check the name and tag');
    expect(await containerIds()).toEqual(before);
  });

  it('a stopped Docker engine: exit 1, one line saying how to start it', async () => {
    // A socket file nobody listens on: what a stopped dockerd leaves behind.
    const socket = join(dir, 'docker.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await writeFile(socket, '').catch(() => undefined);
    const before = skipReason(env, 'docker') === undefined ? await containerIds() : [];
    const result = await cli(['build', 'examples/debian-bookworm.yaml', '--output', join(dir, 'out2')], { DOCKER_HOST: `unix://${socket}` });
    expect(result.exitCode).toBe(1);
    const lines = errorLines(result.all);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/No Docker engine answered \(tried DOCKER_HOST=unix:\/\/.*docker\.sock \((connection refused|absent)\)\)/);
    expect(lines[0]).toContain('Start the Docker engine');
    if (skipReason(env, 'docker') === undefined) expect(await containerIds()).toEqual(before);
  });

  it('a recipe file that does not exist', async () => {
    const result = await cli(['build', join(dir, 'nope.yaml')]);
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.all)[0]).toMatch(/Cannot read recipe .*nope\.yaml: ENOENT/);
  });

  it('usage errors exit 2 with help', async () => {
    const result = await cli(['flash', 'only-one-arg']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toContain("missing required argument 'targets'");
  });
});
