import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFolderError, stepError, stepLogPath } from '../../../src-main/artifacts/artifact-step.js';
import { StepLog } from '../../../src-main/util/step-log.js';
import { AppError } from '../../../src-shared/errors/app-error.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-step-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const enospc = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });

describe('stepLogPath', () => {
  it('is <output>/logs/<name>-<step>.log', () => {
    expect(stepLogPath('/o', 'debian-bookworm', 'iso')).toBe('/o/logs/debian-bookworm-iso.log');
    expect(stepLogPath('/o', 'n', 'raw disk (EFI)')).toBe('/o/logs/n-raw-disk-EFI-.log');
  });
});

describe('stepError', () => {
  const context = { outputDir: '/mnt/x', logFile: '/mnt/x/logs/n-iso.log', what: 'The iso artifact' };

  it('a tool failure names the step log (message, hint and logFile)', () => {
    const error = stepError(new AppError('artifact-failed', 'ISO build failed (exit 5): xorriso : FAILURE : x', { hint: 'Look below' }), context) as AppError;
    expect(error.toJSON()).toEqual({
      code: 'artifact-failed',
      message: 'ISO build failed (exit 5): xorriso : FAILURE : x',
      hint: 'Look below; the full output is in /mnt/x/logs/n-iso.log',
      logFile: '/mnt/x/logs/n-iso.log',
    });
  });

  it('a full output folder says what to do and where the log is', () => {
    expect((stepError(enospc(), context) as AppError).toJSON()).toEqual({
      code: 'disk-full',
      message: 'No space left in /mnt/x',
      hint: 'Free space on its drive, or choose another output folder; the full output is in /mnt/x/logs/n-iso.log',
      logFile: '/mnt/x/logs/n-iso.log',
    });
  });

  it("the engine's full storage, from a dockerode error", () => {
    const engine = Object.assign(new Error('(HTTP code 500) server error - no space left on device'), { statusCode: 500 });
    expect((stepError(engine, context) as AppError).toJSON()).toMatchObject({ code: 'disk-full', message: "No space left in Docker's storage", logFile: context.logFile });
  });

  it('an unexpected error becomes the step failing, with its log, not "a bug"', () => {
    expect((stepError(new Error('unexpected stat output: x'), context) as AppError).toJSON()).toEqual({
      code: 'artifact-failed',
      message: 'The iso artifact failed: unexpected stat output: x',
      hint: 'The full output is in /mnt/x/logs/n-iso.log',
      logFile: '/mnt/x/logs/n-iso.log',
    });
  });

  it('leaves a cancel, a recipe error and an error with its own log as they are', () => {
    const cancelled = new AppError('cancelled', 'Cancelled');
    expect(stepError(cancelled, context)).toBe(cancelled);
    const recipe = new AppError('recipe-invalid', 'The Trusted Boot keys folder /k has no db.key');
    expect(stepError(recipe, context)).toBe(recipe);
    const own = new AppError('disk-full', 'No space left in /mnt/x', { logFile: '/mnt/x/logs/n-rootfs.log' });
    expect(stepError(own, context)).toBe(own);
  });
});

describe('outputFolderError', () => {
  it('says what to do about the output folder, and passes anything else through', () => {
    const ro = Object.assign(new Error("EROFS: read-only file system, mkdir '/mnt/ro/logs'"), { code: 'EROFS', syscall: 'mkdir', path: '/mnt/ro/logs' });
    expect((outputFolderError(ro, '/mnt/ro') as AppError).toJSON()).toEqual({
      code: 'read-only',
      message: 'The output folder /mnt/ro is on a read-only file system',
      hint: 'Choose a writable output folder (or remount its drive read-write)',
    });
    const other = new Error('boom');
    expect(outputFolderError(other, '/mnt/ro')).toBe(other);
  });
});

describe('StepLog', () => {
  it('keeps every line, in order, UTF-8 intact', async () => {
    const log = await StepLog.open(join(dir, 'logs', 'n-iso.log'));
    log.line('xorriso : UPDATE : 10%');
    log.line('terminé ✓');
    await log.close();
    expect(await readFile(join(dir, 'logs', 'n-iso.log'), 'utf8')).toBe('xorriso : UPDATE : 10%\nterminé ✓\n');
  });

  it('fails to open as the file system does', async () => {
    await expect(StepLog.open(join(dir, 'missing-parent-is-made', 'x.log'))).resolves.toBeInstanceOf(StepLog);
    await writeFile(join(dir, 'a-file'), 'x');
    const error = await StepLog.open(join(dir, 'a-file', 'x.log')).catch((e: unknown) => e);
    // A file where the logs folder should be: mkdir says EEXIST, which the errors read as "not a folder".
    expect((error as NodeJS.ErrnoException).code).toBe('EEXIST');
    expect((stepError(error, { outputDir: dir }) as AppError).toJSON()).toMatchObject({ code: 'folder-missing', message: expect.stringContaining('is a file, not a folder') as string });
  });

  it.runIf(process.platform === 'linux')('a log on a full disk neither throws nor crashes: the write error is kept', async () => {
    // /dev/full answers every write with ENOSPC.
    const log = await StepLog.open('/dev/full');
    for (let i = 0; i < 1000; i++) log.line(`line ${i} of a tool that keeps printing`);
    await log.close();
    expect((log.error as NodeJS.ErrnoException | undefined)?.code).toBe('ENOSPC');
  });
});
