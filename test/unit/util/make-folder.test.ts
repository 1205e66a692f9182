import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempFolder } from '../temp-folder.js';
import { makeFolder } from '../../../src-main/util/make-folder.js';

const folder = useTempFolder('kf-mkdir-');

describe('makeFolder', () => {
  it('makes every missing level, and is happy when the folder exists', async () => {
    await makeFolder(join(folder(), 'a', 'b', 'c'));
    expect((await stat(join(folder(), 'a', 'b', 'c'))).isDirectory()).toBe(true);
    await expect(makeFolder(join(folder(), 'a', 'b', 'c'))).resolves.toBeUndefined();
  });

  it('fails as the file system does when a file is in the way', async () => {
    await writeFile(join(folder(), 'file'), 'x');
    const error = (await makeFolder(join(folder(), 'file', 'sub', 'logs')).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(error.code).toBe('ENOTDIR');
  });
});
