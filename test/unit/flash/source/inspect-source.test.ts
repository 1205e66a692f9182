// What inspectSource knows before writing, on real files made with the system tools.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSource, noTools, openSourceStream, systemTools } from '../../../../src-main/flash/source/open-source.js';
import { IMAGE_SIZE, compress, drain, imageBytes, tempDir } from './source-fixtures.js';

let cleanup: () => Promise<void>;
let dir: string;
let image: string;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  image = join(dir, 'disk.img');
  await writeFile(image, imageBytes());
});

afterAll(() => cleanup());

async function zipOf(name: string, files: Record<string, Buffer | string>, args: ReadonlyArray<string> = []): Promise<string> {
  const folder = join(dir, `${name}.d`);
  await mkdir(folder, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await mkdir(join(folder, file, '..'), { recursive: true });
    await writeFile(join(folder, file), content);
  }
  const out = join(dir, name);
  await execa('zip', ['-q', '-r', ...args, out, '.'], { cwd: folder });
  return out;
}

describe('facts known before writing', () => {
  it.each([
    { kind: 'gzip', imageSize: IMAGE_SIZE },
    { kind: 'xz', imageSize: IMAGE_SIZE },
    { kind: 'zstd', imageSize: IMAGE_SIZE },
    { kind: 'bzip2', imageSize: undefined },
    { kind: 'zip', imageSize: IMAGE_SIZE, entryName: 'disk.img' },
  ] as const)('$kind: by magic, whatever the name (image size $imageSize)', async ({ kind, imageSize, ...rest }) => {
    const path = await compress(kind, image, join(dir, `looks-plain-${kind}.iso`));
    for (const tools of [systemTools, noTools]) {
      const info = await inspectSource(path, { tools });
      expect(info).toEqual({ path, compression: kind, fileSize: expect.any(Number), ...(imageSize !== undefined ? { imageSize } : {}), ...rest });
    }
  });

  it('a plain image is its own size', async () => {
    expect(await inspectSource(image)).toEqual({ path: image, compression: 'none', fileSize: IMAGE_SIZE, imageSize: IMAGE_SIZE });
  });

  it('xz: concatenated streams with padding add up, through xz --list and through our index reader', async () => {
    const one = await compress('xz', image, join(dir, 'one.xz'));
    const { stdout } = await execa('sh', ['-c', `cat "${one}"; head -c 8 /dev/zero; cat "${one}"`], { encoding: 'buffer' });
    const two = join(dir, 'two.xz');
    await writeFile(two, stdout);
    for (const tools of [systemTools, noTools]) {
      const info = await inspectSource(two, { tools });
      expect(info.imageSize).toBe(2 * IMAGE_SIZE);
      expect((await drain(openSourceStream(info, { signal: new AbortController().signal, tools }))).size).toBe(2 * IMAGE_SIZE);
    }
  });

  it('gzip: concatenated members are measured whole, not by the last ISIZE', async () => {
    const big = await compress('gzip', image, join(dir, 'big.gz'));
    const { stdout } = await execa('sh', ['-c', `cat "${big}" "${big}"; printf 'tail' | gzip -c`], { encoding: 'buffer' });
    const joined = join(dir, 'joined.gz');
    await writeFile(joined, stdout);
    const info = await inspectSource(joined);
    expect(info.imageSize).toBe(2 * IMAGE_SIZE + 4);
    expect((await drain(openSourceStream(info, { signal: new AbortController().signal }))).size).toBe(2 * IMAGE_SIZE + 4);
  });
});

describe('files that are not usable images', () => {
  it('a missing file', async () => {
    const path = join(dir, 'nope.img');
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: `${path} does not exist`, hint: 'Check the path of the image' });
  });

  it('an empty file', async () => {
    const path = join(dir, 'empty.img.xz');
    await writeFile(path, '');
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: `${path} is empty (0 bytes)`, hint: expect.stringMatching(/download/) });
  });

  it('a directory', async () => {
    await expect(inspectSource(dir)).rejects.toMatchObject({ code: 'source-invalid', message: `${dir} is a directory, not an image file` });
  });

  it('an archive format we cannot stream', async () => {
    const path = join(dir, 'image.img');
    await writeFile(path, Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 1, 2, 3, 4]));
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: `${path} is a 7-Zip archive, not a disk image Kairos Factory can write` });
  });

  it('an xz whose footer is garbage', async () => {
    const path = await compress('xz', image, join(dir, 'garbage-footer.xz'));
    await execa('sh', ['-c', `printf 'garbage!' >> "${path}"`]);
    for (const tools of [systemTools, noTools]) {
      await expect(inspectSource(path, { tools })).rejects.toMatchObject({ code: 'source-invalid', message: expect.stringContaining(`${path} is truncated or corrupt (xz`) });
    }
  });

  it('a zstd frame header with its reserved bit set', async () => {
    const path = join(dir, 'reserved.zst');
    await writeFile(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x08, 0x58, 0x01, 0x00, 0x00]));
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: `${path} is truncated or corrupt (zstd: invalid frame header (reserved bit set))` });
  });

  it('a zstd frame that needs a dictionary', async () => {
    const path = join(dir, 'dictionary.zst');
    // Descriptor 0x01: a 1-byte dictionary id (7), window descriptor, then one empty raw last block.
    await writeFile(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x01, 0x58, 0x07, 0x01, 0x00, 0x00]));
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: expect.stringContaining('zstd dictionary (id 7)') });
  });

  it('a bzip2 header without a block', async () => {
    const path = join(dir, 'header-only.bz2');
    await writeFile(path, 'BZh9 not a block');
    await expect(inspectSource(path)).rejects.toMatchObject({ code: 'source-invalid', message: `${path} is truncated or corrupt (bzip2: no bzip2 block after the header)` });
  });
});

describe('zip archives', () => {
  it('picks the one image among other files and macOS litter', async () => {
    const path = await zipOf('with-readme.zip', { 'README.txt': 'flash me', 'out/kairos.raw': imageBytes(4096), '__MACOSX/out/._kairos.raw': 'x' });
    expect(await inspectSource(path)).toMatchObject({ compression: 'zip', entryName: 'out/kairos.raw', imageSize: 4096 });
  });

  it('accepts a single file whatever its name', async () => {
    const path = await zipOf('single.zip', { 'firmware.dat': imageBytes(8192) });
    const info = await inspectSource(path);
    expect(info).toMatchObject({ entryName: 'firmware.dat', imageSize: 8192 });
    expect((await drain(openSourceStream(info, { signal: new AbortController().signal }))).size).toBe(8192);
  });

  it('refuses to guess between two images', async () => {
    const path = await zipOf('two.zip', { 'a.img': imageBytes(4096), 'b.iso': imageBytes(4096, 7) });
    await expect(inspectSource(path)).rejects.toMatchObject({
      code: 'source-invalid',
      message: `${path} holds 2 images (a.img, b.iso) and Kairos Factory will not guess which one to write`,
      hint: expect.stringMatching(/Extract the image you want/),
    });
  });

  it('refuses an archive with several files and no image', async () => {
    const path = await zipOf('docs.zip', { 'a.txt': 'a', 'b.txt': 'b' });
    await expect(inspectSource(path)).rejects.toMatchObject({ message: `${path} holds no disk image (.img, .raw, .iso or .bin) among its 2 files` });
  });

  it('refuses an empty archive', async () => {
    const path = join(dir, 'empty.zip');
    await writeFile(path, Buffer.concat([Buffer.from('PK\x05\x06'), Buffer.alloc(18)]));
    await expect(inspectSource(path)).rejects.toMatchObject({ message: `${path} holds no files` });
  });

  it('refuses an encrypted image', async () => {
    const path = await zipOf('secret.zip', { 'disk.img': imageBytes(4096) }, ['-P', 'secret']);
    await expect(inspectSource(path)).rejects.toMatchObject({ message: `${path} holds disk.img encrypted` });
  });

  it('refuses a compression method that cannot be streamed, before writing', async () => {
    const path = await zipOf('bzip2-inside.zip', { 'disk.img': imageBytes(65536) }, ['-Z', 'bzip2']);
    await expect(inspectSource(path)).rejects.toMatchObject({ message: expect.stringContaining('holds disk.img compressed with bzip2, which cannot be streamed') });
  });
});
