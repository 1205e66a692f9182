// A root filesystem tarball as the recipe's source: imported as the base image, it runs programs,
// its family is read from its own os-release, and the scratch Dockerfile builds FROM it; a
// compressed tarball is decompressed on the way in.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '../../src-shared/errors/app-error.js';
import { validateRecipe } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { runScript } from '../../src-main/docker/run-in-image.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { dockerfileForSource } from '../../src-main/pipeline/kairosify.js';
import { resolveSource } from '../../src-main/pipeline/source.js';
import { containerIds, skipReason } from './support.js';

const env = inject('integration');

function recipeFor(path: string): Recipe {
  const checked = validateRecipe({ name: 'rootfs-src', source: { kind: 'rootfs', path }, kairosify: { method: 'scratch', framework: 'none' } });
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.recipe;
}

describe.skipIf(skipReason(env, 'docker') !== undefined)('a rootfs tarball as the source', () => {
  const ctx = new JobContext('rootfs-test', new AbortController().signal, () => undefined);
  let dir = '';
  let tarball = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-rootfs-src-'));
    tarball = join(dir, 'debian-rootfs.tar');
    // The tarball a user would have: a Debian root filesystem, exported from a container.
    const docker = await dockerEngine();
    const container = await docker.createContainer({ Image: 'debian:bookworm', Cmd: ['true'] });
    try {
      await pipeline((await container.export()) as unknown as Readable, createWriteStream(tarball));
    } finally {
      await container.remove({ force: true });
    }
  });

  afterAll(async () => {
    const docker = await dockerEngine();
    await docker.getImage('kairos-factory/rootfs-src-rootfs:v0.1.0').remove().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('becomes a base image that runs programs and is built FROM', async () => {
    const docker = await dockerEngine();
    const before = await containerIds();
    const recipe = recipeFor(tarball);
    const ref = await resolveSource(docker, recipe, dir, ctx);
    expect(ref).toBe('kairos-factory/rootfs-src-rootfs:v0.1.0');
    const run = await runScript(docker, ref, '. /etc/os-release && echo "$ID $VERSION_ID" && cat /etc/debian_version', ctx);
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatch(/^debian 12\n12\.\d+/);
    const dockerfile = await dockerfileForSource(docker, recipe, ref, ctx);
    expect(dockerfile).toMatch(/^FROM kairos-factory\/rootfs-src-rootfs:v0\.1\.0$/m);
    expect(dockerfile).toContain('apt-get install');
    expect(await containerIds()).toEqual(before);
  });

  it('imports a zstd-compressed tarball too (the engine alone refuses it)', async () => {
    const docker = await dockerEngine();
    const zst = `${tarball}.zst`;
    await execa('zstd', ['-q', '-T0', '-3', tarball, '-o', zst]);
    const ref = await resolveSource(docker, recipeFor(zst), dir, ctx);
    const run = await runScript(docker, ref, 'cat /etc/debian_version', ctx);
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatch(/^12\.\d+/);
  });

  it('names a missing tarball', async () => {
    const error = await resolveSource(await dockerEngine(), recipeFor(join(dir, 'nope.tar')), dir, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe(`The root filesystem ${join(dir, 'nope.tar')} does not exist`);
  });
});
