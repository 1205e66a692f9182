// The Docker build wrapper on its own: a failing step is named, its output kept in the log,
// and no container survives the failure.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { JobEvent } from '../../src-shared/jobs/job-events.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { buildImage } from '../../src-main/docker/build-image.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { containerIds, skipReason } from './support.js';

const env = inject('integration');

describe.skipIf(skipReason(env, 'docker') !== undefined)('buildImage', () => {
  it('names the failing step and keeps its output in the log', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kf-build-'));
    const events: JobEvent[] = [];
    const ctx = new JobContext('test', new AbortController().signal, (e) => events.push(e));
    const before = await containerIds();
    const logFile = join(dir, 'build.log');
    const error = await buildImage(
      await dockerEngine(),
      {
        dockerfile: 'FROM debian:bookworm\nRUN echo preparing\nRUN echo "the tool said no" >&2 && exit 3\n',
        tag: 'kairos-factory/test-failing:latest',
        logFile,
        stage: 'kairosify',
        what: 'test',
      },
      ctx,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('build-failed');
    expect(appError.message).toContain('at step 3/3 (RUN echo "the tool said no" >&2 && exit 3)');
    expect(appError.message).toContain('returned a non-zero code: 3');
    expect(appError.message).toContain('last output: the tool said no');
    expect(appError.logFile).toBe(logFile);
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('Step 3/3 : RUN echo "the tool said no"');
    expect(log).toContain('the tool said no');
    expect(events.some((e) => e.kind === 'progress' && e.total === 3)).toBe(true);
    expect(await containerIds()).toEqual(before);
    await rm(dir, { recursive: true, force: true });
  });
});
