import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFolder } from '../../../src-main/util/make-folder.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-mkdir-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('makeFolder', () => {
  it('makes every missing level, and is happy when the folder exists', async () => {
    await makeFolder(join(dir, 'a', 'b', 'c'));
    expect((await stat(join(dir, 'a', 'b', 'c'))).isDirectory()).toBe(true);
    await expect(makeFolder(join(dir, 'a', 'b', 'c'))).resolves.toBeUndefined();
  });

  it('fails as the file system does when a file is in the way', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const error = (await makeFolder(join(dir, 'file', 'sub', 'logs')).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ENOTDIR');
  });
});
