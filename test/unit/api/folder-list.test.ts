// The web shell's file browser: what a folder listing offers and what it never does (hidden
// entries, key files, FIFOs, the app's data folder), on real files, and through the handler table.
import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiServer } from '../../../src-main/api/handlers.js';
import { listFolder } from '../../../src-main/api/folder-list.js';
import { memoryTransport } from '../../../src-main/api/memory-transport.js';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { useTempFolder } from '../temp-folder.js';

const root = useTempFolder('kf-folders-');

async function tree(): Promise<{ readonly top: string; readonly data: string }> {
  const top = join(root(), `t${Math.random().toString(36).slice(2)}`);
  const data = join(top, 'kf-data');
  await mkdir(join(top, 'images'), { recursive: true });
  await mkdir(join(top, '.ssh'));
  await mkdir(data);
  await writeFile(join(data, 'settings.json'), '{}');
  await writeFile(join(top, 'b.iso'), Buffer.alloc(2048));
  await writeFile(join(top, 'A.img.xz'), 'x');
  await writeFile(join(top, 'notes.txt'), 'hello');
  await writeFile(join(top, '.hidden.img'), 'x');
  await writeFile(join(top, 'db.key'), 'PRIVATE');
  await writeFile(join(top, 'id_ed25519'), 'PRIVATE');
  await symlink(join(top, 'b.iso'), join(top, 'latest.iso'));
  await symlink(join(top, 'gone.iso'), join(top, 'dangling.iso'));
  execFileSync('mkfifo', [join(top, 'pipe.img')]);
  return { top, data };
}

describe('listFolder', () => {
  it('lists folders first, then regular files with their sizes; no hidden entries, keys, FIFOs, dangling links or data folder', async () => {
    const { top, data } = await tree();
    const listing = await listFolder(top, { dataDir: data });
    expect(listing.folder).toBe(top);
    expect(listing.parent).toBe(root());
    expect(listing.entries.map((e) => `${e.kind}:${e.name}`)).toEqual(['folder:images', 'file:A.img.xz', 'file:b.iso', 'file:latest.iso', 'file:notes.txt']);
    const iso = listing.entries.find((e) => e.name === 'b.iso')!;
    expect(iso).toMatchObject({ path: join(top, 'b.iso'), size: 2048 });
    expect(Object.keys(iso)).not.toContain('content');
  });

  it('keeps only files with the asked extensions, and every folder', async () => {
    const { top, data } = await tree();
    const listing = await listFolder(top, { dataDir: data, extensions: ['iso', 'xz'] });
    expect(listing.entries.map((e) => e.name)).toEqual(['images', 'A.img.xz', 'b.iso', 'latest.iso']);
  });

  it('refuses the data folder and anything inside it, a missing folder and a file, saying what to do', async () => {
    const { top, data } = await tree();
    for (const [folder, code, text] of [
      [data, 'permission-denied', /own data folder/],
      [join(data, 'sub'), 'permission-denied', /own data folder/],
      [join(top, 'nope'), 'folder-missing', /does not exist/],
      [join(top, 'b.iso'), 'bad-request', /is a file, not a folder/],
    ] as const) {
      const error = await listFolder(folder, { dataDir: data }).catch((e: unknown) => e);
      expect(error, folder).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(code);
      expect((error as AppError).message).toMatch(text);
      expect((error as AppError).hint).toBeTruthy();
    }
  });

  it('browses where builds write even inside the data folder, and nothing else of it', async () => {
    const { data } = await tree();
    await mkdir(join(data, 'out', 'job'), { recursive: true });
    await writeFile(join(data, 'out', 'job', 'x.iso'), 'iso');
    const outputRoot = join(data, 'out');
    expect((await listFolder(join(outputRoot, 'job'), { dataDir: data, outputRoot })).entries.map((e) => e.name)).toEqual(['x.iso']);
    await expect(listFolder(data, { dataDir: data, outputRoot })).rejects.toThrow(/own data folder/);
  });

  it('has no parent at the root', async () => {
    const listing = await listFolder('/', { dataDir: root() });
    expect(listing.parent).toBeUndefined();
    expect(listing.entries.some((e) => e.name === 'tmp' && e.kind === 'folder')).toBe(true);
  });
});

describe('files.list through the handler table', () => {
  it('opens the output root when no folder is given, and checks its payload', async () => {
    const { top, data } = await tree();
    await writeFile(join(data, 'settings.json'), JSON.stringify({ outputRoot: top }));
    const api = createApiServer({ dataDir: data, shell: 'memory' });
    try {
      const client = memoryTransport(api);
      const listing = await client.request('files.list', {});
      expect(listing.folder).toBe(top);
      expect(listing.entries.map((e) => e.name)).toContain('b.iso');
      const images = await client.request('files.list', { folder: join(top, 'images') });
      expect(images.entries).toEqual([]);
      const bad = await api.dispatch('files.list', { folder: '' });
      expect(bad.ok).toBe(false);
    } finally {
      await api.close();
    }
  });
});
