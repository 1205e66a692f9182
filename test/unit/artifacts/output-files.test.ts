import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutputFiles, withOutputFiles } from '../../../src-main/artifacts/output-files.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-out-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('OutputFiles', () => {
  it('names partials on this machine and in the builder', () => {
    const files = new OutputFiles(undefined, dir, new AbortController().signal);
    expect(files.partial('x.iso')).toEqual({ host: join(dir, 'x.iso.partial'), builder: '/out/x.iso.partial' });
  });

  it('publishes a finished partial: the file, its .sha256 and side files in place, nothing partial left', async () => {
    const info = await withOutputFiles(undefined, dir, new AbortController().signal, async (files) => {
      await writeFile(files.partial('d.raw').host, 'disk');
      await writeFile(files.partial('d.raw.bmap').host, '<bmap/>');
      return files.publish('raw-efi', 'd.raw', ['bmap']);
    });
    expect(info).toEqual({ kind: 'raw-efi', path: join(dir, 'd.raw'), size: 4, sha256: sha('disk') });
    expect((await readdir(dir)).sort()).toEqual(['d.raw', 'd.raw.bmap', 'd.raw.sha256']);
    expect(await readFile(join(dir, 'd.raw.sha256'), 'utf8')).toBe(`${sha('disk')}  d.raw\n`);
  });

  it('removes every partial (files and folders) when the step fails, and keeps what was there before', async () => {
    await writeFile(join(dir, 'old.iso'), 'an earlier build');
    const error = await withOutputFiles(undefined, dir, new AbortController().signal, async (files) => {
      await writeFile(files.partial('old.iso').host, 'half');
      await writeFile(join(dir, 'unrelated.partial'), 'not ours');
      await mkdir(files.partial('net').host);
      await writeFile(join(files.partial('net').host, 'kernel'), 'k');
      throw new Error('xorriso failed');
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('xorriso failed');
    expect((await readdir(dir)).sort()).toEqual(['old.iso', 'unrelated.partial']);
    expect(await readFile(join(dir, 'old.iso'), 'utf8')).toBe('an earlier build');
  });

  it('a cancel while hashing leaves neither the partial nor a final file', async () => {
    const abort = new AbortController();
    const error = await withOutputFiles(undefined, dir, abort.signal, async (files) => {
      await writeFile(files.partial('big.iso').host, Buffer.alloc(8 << 20));
      abort.abort();
      return files.publish('iso', 'big.iso');
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await readdir(dir)).toEqual([]);
  });

  it('a partial the step moved itself is left alone', async () => {
    await withOutputFiles(undefined, dir, new AbortController().signal, async (files) => {
      await writeFile(files.partial('keys').host, 'k');
      await rename(files.partial('keys').host, join(dir, 'keys'));
      files.forget('keys');
    });
    expect(await readdir(dir)).toEqual(['keys']);
  });
});
