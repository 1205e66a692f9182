import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, firstTool, noTools, type ToolLookup } from '../../../../src-main/flash/source/tool-lookup.js';
import { tempDir } from './source-fixtures.js';

describe('tool lookup', () => {
  it('finds executables on a PATH, skipping files that are not executable', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(join(dir, 'unxz'), '#!/bin/sh\n');
      await chmod(join(dir, 'unxz'), 0o755);
      await writeFile(join(dir, 'plain'), 'not a program');
      expect(await findOnPath('unxz', `/nonexistent::${dir}`)).toBe(join(dir, 'unxz'));
      expect(await findOnPath('plain', dir)).toBeUndefined();
      expect(await findOnPath('unxz', '')).toBeUndefined();
    } finally {
      await cleanup();
    }
  });

  it('firstTool takes the first program that exists, in order of preference', async () => {
    const lookup: ToolLookup = (name) => Promise.resolve(name === 'bzip2' || name === 'pbzip2' ? `/usr/bin/${name}` : undefined);
    expect(await firstTool(lookup, ['lbzip2', 'pbzip2', 'bzip2'])).toEqual({ name: 'pbzip2', path: '/usr/bin/pbzip2' });
    expect(await firstTool(noTools, ['xz'])).toBeUndefined();
  });
});
