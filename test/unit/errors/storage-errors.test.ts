import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempFolder } from '../temp-folder.js';
import { AppError, formatErrorLine, toErrorData } from '../../../src-shared/errors/app-error.js';
import {
  engineStorageError,
  fsErrorData,
  isWithin,
  parentFolder,
  placeOfPath,
  problemInText,
  problemOfCode,
  toolStorageError,
  type ToolMount,
} from '../../../src-shared/errors/storage-errors.js';

/** A Node file system error as fs/promises makes it (code, errno, syscall, path). */
function nodeError(code: string, syscall: string, path?: string): NodeJS.ErrnoException {
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
  };
  return Object.assign(new Error(`${code}: ${words[code] ?? code}, ${syscall}${path ? ` '${path}'` : ''}`), { code, syscall, ...(path ? { path } : {}) });
}

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const folder = useTempFolder('kf-storage-');

describe('problemOfCode', () => {
  it.each([
    ['ENOSPC', undefined, 'no-space'],
    ['EDQUOT', undefined, 'quota'],
    ['EROFS', undefined, 'read-only'],
    ['EACCES', undefined, 'no-permission'],
    ['EPERM', undefined, 'no-permission'],
    ['ENOENT', undefined, 'missing'],
    ['ENOTDIR', undefined, 'not-a-folder'],
    ['EEXIST', 'mkdir', 'not-a-folder'],
    ['EEXIST', 'open', undefined],
    ['ECONNREFUSED', undefined, undefined],
    [undefined, undefined, undefined],
  ] as const)('knows what %s (from %s) says of a folder: %s', (code, syscall, problem) => {
    expect(problemOfCode(code, syscall)).toBe(problem);
  });
});

describe('paths', () => {
  it('finds the folder of a path', () => {
    const paths = ['/mnt/x/a.iso', '/mnt/x/logs/', '/a', 'a.iso', 'C:\\out\\a.iso'];
    expect(paths.map(parentFolder)).toEqual(['/mnt/x', '/mnt/x', '/', '.', 'C:\\out']);
  });

  it('tells whether a path is in the output folder', () => {
    expect([isWithin('/mnt/x/logs/a.log', '/mnt/x'), isWithin('/mnt/x', '/mnt/x/'), isWithin('/mnt/xy/a', '/mnt/x')]).toEqual([true, true, false]);
    expect(placeOfPath('/mnt/x/a.iso', '/mnt/x')).toEqual({ kind: 'output', folder: '/mnt/x' });
    expect(placeOfPath('/tmp/kf/VARS.fd', '/mnt/x')).toEqual({ kind: 'folder', folder: '/tmp/kf' });
    expect([placeOfPath(undefined, '/mnt/x'), placeOfPath(undefined)]).toEqual([{ kind: 'output', folder: '/mnt/x' }, { kind: 'unknown' }]);
  });
});

describe('fsErrorData', () => {
  it('a full output folder: names it and what to do', () => {
    const data = fsErrorData(nodeError('ENOSPC', 'write'), { outputDir: '/mnt/x' });
    expect(data).toEqual({ code: 'disk-full', message: 'No space left in /mnt/x', hint: 'Free space on its drive, or choose another output folder' });
    expect(formatErrorLine(data!)).toBe('No space left in /mnt/x. Free space on its drive, or choose another output folder');
  });

  it('a read-only output folder, from the mkdir of its logs', () => {
    const data = fsErrorData(nodeError('EROFS', 'mkdir', '/mnt/ro/logs'), { outputDir: '/mnt/ro' });
    expect(data).toMatchObject({ code: 'read-only', message: 'The output folder /mnt/ro is on a read-only file system' });
    expect(data?.hint).toMatch(/^Choose a writable output folder/);
  });

  it('no permission, a used-up quota, names the output folder and points at the log', () => {
    const denied = fsErrorData(nodeError('EACCES', 'open', '/srv/out/x.iso.partial'), { outputDir: '/srv/out', logFile: '/srv/out/logs/x-iso.log' });
    expect(denied).toEqual({
      code: 'permission-denied',
      message: 'No permission to write in /srv/out',
      hint: 'Choose an output folder you can write to, or get write access to this one; the full output is in /srv/out/logs/x-iso.log',
      logFile: '/srv/out/logs/x-iso.log',
    });
    expect(fsErrorData(nodeError('EDQUOT', 'write', '/home/u/out/a'), { outputDir: '/home/u/out' })).toMatchObject({ code: 'disk-full', message: 'Your disk quota is used up in /home/u/out' });
  });

  it('a missing folder and a file in the way, from real file system errors', async () => {
    const missing = await caught(() => writeFile(join(folder(), 'gone', 'a.iso'), 'x'));
    expect(fsErrorData(missing, { outputDir: join(folder(), 'gone') })).toMatchObject({
      code: 'folder-missing',
      message: `The output folder ${join(folder(), 'gone')} lost ${join(folder(), 'gone', 'a.iso')} while it was written`,
      hint: 'Choose an existing output folder (or reconnect its drive), then build again',
    });
    await writeFile(join(folder(), 'file'), 'x');
    const inTheWay = await caught(() => mkdir(join(folder(), 'file', 'out'), { recursive: true }));
    expect(fsErrorData(inTheWay, { outputDir: join(folder(), 'file', 'out') })).toMatchObject({ code: 'folder-missing', message: expect.stringContaining('is a file, not a folder') as string });
    const exists = await caught(() => mkdir(join(folder(), 'file'), { recursive: true }));
    expect(fsErrorData(exists, { outputDir: join(folder(), 'file') })).toMatchObject({ code: 'folder-missing', message: `The output folder ${join(folder(), 'file')} cannot be used: ${join(folder(), 'file')} is a file, not a folder` });
  });

  it('outside the output folder: names the folder itself', () => {
    expect(fsErrorData(nodeError('ENOSPC', 'write', '/tmp/kf-boot-1/VARS.fd'))).toEqual({ code: 'disk-full', message: 'No space left in /tmp/kf-boot-1', hint: 'Free space on that drive, then try again' });
    expect(fsErrorData(nodeError('ENOSPC', 'write'))).toMatchObject({ message: 'No space left on the drive being written' });
    expect(fsErrorData(nodeError('ENOENT', 'open', '/nope/x.iso'))).toMatchObject({ code: 'folder-missing', message: '/nope/x.iso does not exist' });
  });

  it('leaves alone what is no storage problem: sockets, programs that cannot start, other errors', () => {
    expect(fsErrorData(Object.assign(new Error('connect EACCES /var/run/docker.sock'), { code: 'EACCES', syscall: 'connect', address: '/var/run/docker.sock' }), { outputDir: '/o' })).toBeUndefined();
    expect(fsErrorData(Object.assign(new Error('spawn qemu ENOENT'), { code: 'ENOENT', syscall: 'spawn qemu', path: 'qemu' }))).toBeUndefined();
    expect(fsErrorData(new Error('boom'))).toBeUndefined();
    expect(fsErrorData('ENOSPC')).toBeUndefined();
  });
});

describe('problemInText', () => {
  // Real output of the tools the builder runs, one file of lines per problem (test/fixtures/storage).
  it.each(['no-space', 'read-only', 'quota'])('reads every line of %s.txt as that problem', async (problem) => {
    const lines = (await readFile(`test/fixtures/storage/${problem}.txt`, 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(problemInText(line), line).toBe(problem);
  });

  it('counts permission refusals only on lines naming a known folder', () => {
    expect(problemInText("cp: cannot create regular file '/out/x': Permission denied")).toBeUndefined();
    expect(problemInText("cp: cannot create regular file '/out/x': Permission denied", 'output')).toBe('no-permission');
    expect(problemInText('chown: changing ownership of /out/x: Operation not permitted', 'output')).toBe('no-permission');
    expect(problemInText('mount: /mnt: Operation not permitted', 'other')).toBeUndefined();
    expect(problemInText('Setting up café ✓')).toBeUndefined();
  });
});

describe('toolStorageError', () => {
  const mounts: ReadonlyArray<ToolMount> = [
    { prefix: '/out', place: { kind: 'output', folder: '/mnt/x' } },
    { prefix: '/cache', place: { kind: 'docker' } },
  ];

  it('places the problem by the path on its line', () => {
    const out = toolStorageError(['Creating regular file /out/e.img', "cp: error writing '/out/y': No space left on device"], { mounts, fallback: { kind: 'docker' }, what: 'ISO build', logFile: '/mnt/x/logs/n-iso.log' });
    expect(out).toEqual({
      code: 'disk-full',
      message: 'No space left in /mnt/x (ISO build)',
      hint: 'Free space on its drive, or choose another output folder; the full output is in /mnt/x/logs/n-iso.log',
      logFile: '/mnt/x/logs/n-iso.log',
    });
    const cache = toolStorageError(["cp: error writing '/cache/work/j-gce/disk.raw': No space left on device"], { mounts, fallback: { kind: 'output', folder: '/mnt/x' } });
    expect(cache).toMatchObject({ code: 'disk-full', message: "No space left in Docker's storage" });
    expect(cache?.hint).toContain('docker system prune');
  });

  it('without a path on the line, blames where the command wrote', () => {
    const lines = ['xorriso : UPDATE :       1 files added in 1 seconds', 'xorriso : FAILURE : Image size 131303s exceeds free space on media 1024s', 'libisofs: MISHAP : Image write cancelled'];
    expect(toolStorageError(lines, { mounts, fallback: { kind: 'output', folder: '/mnt/x' } })).toMatchObject({ message: 'No space left in /mnt/x' });
    expect(toolStorageError(['FATAL ERROR: Failed to write to output filesystem'], { mounts, fallback: { kind: 'docker' } })).toMatchObject({ message: "No space left in Docker's storage" });
  });

  it('a read-only output folder and a refused one', () => {
    expect(toolStorageError(["truncate: cannot open '/out/a.raw.partial' for writing: Read-only file system"], { mounts, fallback: { kind: 'docker' } })).toMatchObject({
      code: 'read-only',
      message: 'The output folder /mnt/x is on a read-only file system',
    });
    expect(toolStorageError(["cp: cannot create regular file '/out/x': Permission denied"], { mounts, fallback: { kind: 'docker' } })).toMatchObject({ code: 'permission-denied', message: 'No permission to write in /mnt/x' });
  });

  it('finds nothing in the output of other failures', () => {
    expect(toolStorageError(['the image has no /boot/vmlinuz (the kernel link and initrd are made by the kairosify step)'], { mounts, fallback: { kind: 'docker' } })).toBeUndefined();
    expect(toolStorageError(['bash: /usr/local/bin/x: Permission denied'], { mounts, fallback: { kind: 'docker' } })).toBeUndefined();
  });
});

describe('engineStorageError', () => {
  it("is about Docker's storage only when it is full or read-only", () => {
    expect(engineStorageError('(HTTP code 500) server error - write /var/lib/docker/tmp/x: no space left on device')).toMatchObject({ code: 'disk-full', message: "No space left in Docker's storage" });
    expect(engineStorageError('permission denied while trying to connect to the Docker daemon socket')).toBeUndefined();
  });
});

describe('toErrorData', () => {
  it('turns a file system error into what to do instead of "a bug"', async () => {
    const file = join(folder(), 'ro-test');
    await writeFile(file, 'x');
    const handle = await open(file, 'r');
    const error = await caught(() => handle.write('y'));
    await handle.close();
    // Writing a file opened read-only is EBADF: not a storage problem, still "internal".
    expect(toErrorData(error).code).toBe('internal');
    const full = toErrorData(nodeError('ENOSPC', 'write', '/mnt/x/a.iso'));
    expect(full).toEqual({ code: 'disk-full', message: 'No space left in /mnt/x', hint: 'Free space on that drive, then try again' });
    expect(toErrorData(nodeError('EROFS', 'open', '/mnt/ro/a'))).toMatchObject({ code: 'read-only', message: '/mnt/ro is on a read-only file system' });
  });

  it("turns the Docker engine's full disk into what to do", () => {
    const engine = Object.assign(new Error('(HTTP code 500) server error - failed to register layer: no space left on device'), { statusCode: 500 });
    expect(toErrorData(engine)).toMatchObject({ code: 'disk-full', message: "No space left in Docker's storage" });
  });

  it('keeps AppErrors and other errors as they were', () => {
    expect(toErrorData(new AppError('cancelled', 'Cancelled'))).toEqual({ code: 'cancelled', message: 'Cancelled' });
    expect(toErrorData(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });
});
