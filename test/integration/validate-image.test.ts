// Our own image validation against real images: the example image passes, and images broken in
// one way each (no kernel, SSH host keys left, a kairos-release key gone) fail with the check
// named, leaving no container behind.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type Docker from 'dockerode';
import type { JobEvent } from '../../src-shared/jobs/job-events.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import { parseRecipeYaml } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { buildImage } from '../../src-main/docker/build-image.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { validateImage } from '../../src-main/kairosify/validate-image.js';
import { REPO, containerIds, skipReason } from './support.js';

const env = inject('integration');

const BAD: Readonly<Record<string, string>> = {
  'no-kernel': 'RUN rm -f /boot/vmlinuz /boot/vmlinuz-*',
  'ssh-keys': 'RUN mkdir -p /etc/ssh && echo x > /etc/ssh/ssh_host_ed25519_key',
  'no-version': "RUN sed -i '/^KAIROS_VERSION=/d' /etc/kairos-release",
};

describe.skipIf(skipReason(env, 'docker') !== undefined)('validateImage', () => {
  let docker: Docker;
  let recipe: Recipe;
  let good: string;
  let dir: string;
  const events: JobEvent[] = [];
  const ctx = new JobContext('test-validate', new AbortController().signal, (e) => events.push(e));

  beforeAll(async () => {
    docker = await dockerEngine();
    const parsed = parseRecipeYaml(await readFile(join(REPO, 'examples', 'debian-bookworm.yaml'), 'utf8'));
    if (!parsed.ok) throw new Error('the example recipe does not parse');
    recipe = parsed.recipe;
    good = imageTagFor(recipe);
    dir = await mkdtemp(join(tmpdir(), 'kf-validate-'));
    for (const [name, run] of Object.entries(BAD)) {
      await buildImage(docker, { dockerfile: `FROM ${good}\n${run}\n`, tag: `kairos-factory/test-bad-${name}:latest`, logFile: join(dir, `${name}.log`), stage: 'kairosify', what: `test-bad-${name}` }, ctx);
    }
  });

  afterAll(async () => {
    for (const name of Object.keys(BAD)) await docker?.getImage(`kairos-factory/test-bad-${name}:latest`).remove({ force: true }).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('passes the example image, logging one line per check', async () => {
    const before = await containerIds();
    events.length = 0;
    const results = await validateImage(docker, recipe, good, ctx);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['kernel-link', 'pass'],
      ['initrd', 'pass'],
      ['kairos-release', 'pass'],
      ['ssh-host-keys', 'pass'],
      ['machine-id', 'pass'],
      ['kernel-modules', 'pass'],
      ['framework', 'skip'],
      ['device-tools', 'skip'],
    ]);
    const logs = events.flatMap((e) => (e.kind === 'log' ? [e.line] : []));
    expect(logs).toContain('Check pass  kairos-release: /etc/kairos-release');
    expect(logs.filter((l) => l.startsWith('Check '))).toHaveLength(8);
    expect(events.some((e) => e.kind === 'phase' && e.phase === 'validate' && e.state === 'done')).toBe(true);
    expect(await containerIds()).toEqual(before);
  });

  it.each([
    ['no-kernel', 'Validation failed: kernel link (/boot/vmlinuz is missing)'],
    ['ssh-keys', 'Validation failed: SSH host keys (left in the image: /etc/ssh/ssh_host_ed25519_key)'],
    ['no-version', 'Validation failed: kairos-release (KAIROS_VERSION is missing)'],
  ])('names the failing check: %s', async (name, message) => {
    const before = await containerIds();
    events.length = 0;
    const error = await validateImage(docker, recipe, `kairos-factory/test-bad-${name}:latest`, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('validation-failed');
    expect(appError.message).toContain(message);
    // Only the broken check fails.
    expect(appError.message.match(/\), |\)$/g)).toHaveLength(1);
    expect(appError.hint).toBeTruthy();
    expect(events.some((e) => e.kind === 'phase' && e.phase === 'validate' && e.state === 'failed')).toBe(true);
    expect(await containerIds()).toEqual(before);
  });

  it('leaves nothing behind when cancelled', async () => {
    const before = await containerIds();
    const controller = new AbortController();
    const cancelCtx = new JobContext('test-validate-cancel', controller.signal, () => undefined);
    const pending = validateImage(docker, recipe, good, cancelCtx).catch((e: unknown) => e);
    controller.abort();
    const error = await pending;
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('cancelled');
    expect(await containerIds()).toEqual(before);
  });
});
