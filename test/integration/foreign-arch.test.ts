// Cross-arch: an arm64 image's programs run on this amd64 machine through qemu-user (binfmt);
// without the emulator the build stops at once, saying what to install. The probe image is the
// first stage of an arm64 debootstrap (scripts/base-image.sh ... arm64 --foreign).
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobEvent } from '../../src-shared/jobs/job-events.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { ensureArchRuns } from '../../src-main/kairosify/foreign-arch.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { containerIds, skipReason } from './support.js';

const env = inject('integration');
const PROBE = 'kairos-factory/arm64-probe:bookworm';
const BINFMT = '/proc/sys/fs/binfmt_misc/qemu-aarch64';

describe.skipIf(skipReason(env, 'docker', 'arm64') !== undefined)('building for arm64 on amd64', () => {
  const events: JobEvent[] = [];
  const ctx = new JobContext('arch-test', new AbortController().signal, (e) => events.push(e));

  it('runs the arm64 image under emulation, and says so', async () => {
    await ensureArchRuns(await dockerEngine(), PROBE, 'arm64', ctx);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'log', line: 'Building arm64 on an amd64 engine: its programs run under emulation (slower)' }));
  });

  it('stops with what to install when the emulator is not registered, leaving no container', async () => {
    const before = await containerIds();
    expect((await readFile(BINFMT, 'utf8')).split('\n')[0]).toBe('enabled');
    await writeFile(BINFMT, '0');
    try {
      const error = await ensureArchRuns(await dockerEngine(), PROBE, 'arm64', ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe('This machine cannot run arm64 programs, which building an arm64 image needs (exec format error)');
      expect((error as AppError).hint).toContain('sudo apt-get install qemu-user-static binfmt-support');
    } finally {
      await writeFile(BINFMT, '1');
    }
    expect(await containerIds()).toEqual(before);
  });

  it('refuses a base image of the wrong architecture, naming both', async () => {
    const error = await ensureArchRuns(await dockerEngine(), 'debian:bookworm', 'arm64', ctx).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('recipe-invalid');
    expect((error as AppError).message).toBe('The base image debian:bookworm is amd64, but the recipe builds arm64');
  });
});
