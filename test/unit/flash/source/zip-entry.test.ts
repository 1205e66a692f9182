import { describe, expect, it } from 'vitest';
import { chooseZipEntry } from '../../../../src-main/flash/source/zip-entry.js';

describe('chooseZipEntry', () => {
  it.each([
    [['kairos.img'], 'kairos.img'],
    [['README.md', 'out/', 'out/KAIROS.ISO', 'sha256sums.txt'], 'out/KAIROS.ISO'],
    [['disk.raw', '__MACOSX/._disk.raw', '.DS_Store'], 'disk.raw'],
    [['firmware.bin', 'LICENSE'], 'firmware.bin'],
    [['only-file.dat'], 'only-file.dat'],
    [['dir/', 'dir/only-file'], 'dir/only-file'],
  ])('%j -> %s', (names, name) => {
    expect(chooseZipEntry(names)).toEqual({ kind: 'chosen', name });
  });

  it('will not guess between images', () => {
    expect(chooseZipEntry(['b.img', 'a.iso', 'notes.txt'])).toEqual({ kind: 'ambiguous', images: ['a.iso', 'b.img'] });
  });

  it('finds no image among several other files, or in an empty archive', () => {
    expect(chooseZipEntry(['a.txt', 'b.txt'])).toEqual({ kind: 'none', files: ['a.txt', 'b.txt'] });
    expect(chooseZipEntry(['empty/', '__MACOSX/._x'])).toEqual({ kind: 'none', files: [] });
  });
});
