import { describe, expect, it } from 'vitest';
import { detectCompression } from '../../../../src-main/flash/source/detect-compression.js';

const bytes = (...values: ReadonlyArray<number | string>): Uint8Array =>
  Buffer.concat(values.map((v) => (typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from([v]))));

describe('detectCompression', () => {
  it.each([
    ['gzip', bytes(0x1f, 0x8b, 0x08, 0)],
    ['xz', bytes(0xfd, '7zXZ', 0x00, 0x00, 0x04)],
    ['zstd', bytes(0x28, 0xb5, 0x2f, 0xfd, 0x24)],
    ['zstd', bytes(0x5e, 0x2a, 0x4d, 0x18, 4, 0, 0, 0)], // a skippable frame first (pzstd)
    ['bzip2', bytes('BZh9', 0x31, 0x41)],
    ['zip', bytes('PK', 0x03, 0x04, 0x14)],
    ['zip', bytes('PK', 0x05, 0x06, 0)],
    ['none', bytes(0xeb, 0x63, 0x90)], // an MBR boot jump
    ['none', bytes('BZh0')], // not a bzip2 block size
    ['none', bytes(0x1f)],
  ] as const)('%s: %o', (compression, head) => {
    expect(detectCompression(head)).toEqual({ kind: 'image', compression });
  });

  it('an ISO (32 KiB of zeros first) is a plain image', () => {
    expect(detectCompression(new Uint8Array(264))).toEqual({ kind: 'image', compression: 'none' });
  });

  it.each([
    ['a 7-Zip archive', bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)],
    ['a RAR archive', bytes('Rar!', 0x1a, 0x07, 0x01)],
    ['LZ4-compressed', bytes(0x04, 0x22, 0x4d, 0x18)],
    ['a qcow2 virtual disk', bytes('QFI', 0xfb)],
    ['a VMDK virtual disk', bytes('KDMV')],
    ['compressed with Unix compress (.Z)', bytes(0x1f, 0x9d, 0x90)],
  ])('refuses %s', (format, head) => {
    expect(detectCompression(head)).toEqual({ kind: 'unsupported', format });
  });

  it('refuses a tar archive (ustar at offset 257)', () => {
    const head = Buffer.alloc(264);
    head.write('disk.img', 0);
    head.write('ustar', 257);
    expect(detectCompression(head)).toEqual({ kind: 'unsupported', format: 'a tar archive' });
  });
});
