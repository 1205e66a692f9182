import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { registryAuth } from '../../../src-main/docker/push-image.js';
import { validateRecipe } from '../../../src-shared/recipe/parse-recipe.js';
import { imageTagFor } from '../../../src-shared/kairosify/dockerfile-common.js';

const base = { name: 'edge', source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' } };

describe('registryAuth', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads what `docker login` stored, per registry, and nothing for others', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-auth-'));
    const auth = (s: string) => Buffer.from(s).toString('base64');
    await writeFile(join(dir, 'config.json'), JSON.stringify({ auths: { 'quay.io': { auth: auth('me:s3cr:et') }, 'https://index.docker.io/v1/': { auth: auth('hub:pw') } } }));
    expect(await registryAuth('quay.io/org/os:v1', dir)).toEqual({ username: 'me', password: 's3cr:et', serveraddress: 'quay.io' });
    expect(await registryAuth('myorg/os:v1', dir)).toEqual({ username: 'hub', password: 'pw', serveraddress: 'https://index.docker.io/v1/' });
    expect(await registryAuth('ghcr.io/org/os:v1', dir)).toBeUndefined();
  });

  it('asks the credential helper the config names', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-auth-'));
    const helper = join(dir, 'docker-credential-kftest');
    await writeFile(helper, '#!/bin/sh\nread host\n[ "$host" = ghcr.io ] && echo \'{"Username":"bot","Secret":"tok"}\' || exit 1\n');
    await chmod(helper, 0o755);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ credHelpers: { 'ghcr.io': 'kftest' } }));
    const path = process.env['PATH'];
    process.env['PATH'] = `${dir}:${path ?? ''}`;
    try {
      expect(await registryAuth('ghcr.io/org/os:v1', dir)).toEqual({ username: 'bot', password: 'tok', serveraddress: 'ghcr.io' });
    } finally {
      process.env['PATH'] = path;
    }
  });

  it('has no login without a config file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-auth-'));
    expect(await registryAuth('quay.io/org/os:v1', dir)).toBeUndefined();
  });
});

describe('recipe registry and push', () => {
  it('derives the tag from the registry and the recipe', () => {
    const checked = validateRecipe({ ...base, registry: 'quay.io/acme', version: 'v1.2.0', push: true });
    expect(checked.ok && imageTagFor(checked.recipe)).toBe('quay.io/acme/edge:v1.2.0-core-generic-amd64');
    const local = validateRecipe(base);
    expect(local.ok && imageTagFor(local.recipe)).toBe('kairos-factory/edge:v0.1.0-core-generic-amd64');
  });

  it('names the field when the registry is not one, or push has nowhere to go', () => {
    const bad = validateRecipe({ ...base, registry: 'Quay.io/Acme:tag' });
    expect(!bad.ok && bad.issues.map((i) => i.path)).toEqual(['registry']);
    const nowhere = validateRecipe({ ...base, push: true });
    expect(!nowhere.ok && nowhere.issues.map((i) => `${i.path}: ${i.base.message}`)).toEqual([
      'registry: name the registry to push to, such as "quay.io/myorg" or "localhost:5000/os"',
    ]);
  });
});
