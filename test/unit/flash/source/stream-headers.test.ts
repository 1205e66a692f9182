import { describe, expect, it } from 'vitest';
import { checkBzip2Header, checkGzipHeader, gzipImageSize, gzipIsizeCandidate } from '../../../../src-main/flash/source/stream-headers.js';

const isize = (value: number): Uint8Array => {
  const tail = Buffer.alloc(8);
  tail.writeUInt32LE(value, 4);
  return tail;
};

describe('gzip', () => {
  it('accepts a deflate header and refuses others', () => {
    expect(checkGzipHeader(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]))).toBeUndefined();
    expect(checkGzipHeader(Buffer.from([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3]))).toBe('unknown gzip compression method 7');
    expect(checkGzipHeader(Buffer.from([0x1f, 0x8b, 8, 0x20, 0, 0, 0, 0, 0, 3]))).toBe('the gzip header has reserved flags set');
    expect(checkGzipHeader(Buffer.from([0x1f, 0x8b]))).toBe('the gzip header is cut short');
  });

  it('ISIZE is a candidate for a file under 4 GiB when it is at least about the file size', () => {
    expect(gzipIsizeCandidate(1_000_000, isize(3_000_000))).toBe(3_000_000);
    // Incompressible data: the .gz is a little larger than the image.
    expect(gzipIsizeCandidate(1_000_200, isize(1_000_000))).toBe(1_000_000);
  });

  it('ISIZE is no candidate when it cannot be the whole image', () => {
    expect(gzipIsizeCandidate(200_000_000, isize(50_000))).toBeUndefined(); // several members, or wrapped
    expect(gzipIsizeCandidate(2 ** 32, isize(123))).toBeUndefined(); // file of 4 GiB or more
    expect(gzipIsizeCandidate(100, new Uint8Array(4))).toBeUndefined();
  });

  it('the probe decides: exact when it read all, none when it passed ISIZE, else ISIZE', () => {
    expect(gzipImageSize(4, { produced: 6_291_460, complete: true })).toBe(6_291_460);
    // A sparse 4.5 GiB image: ISIZE says 512 MiB, the start alone inflates to more.
    expect(gzipImageSize(2 ** 29, { produced: 2 ** 29 + 1, complete: false })).toBeUndefined();
    expect(gzipImageSize(3 * 2 ** 30, { produced: 2 ** 29 + 1, complete: false })).toBe(3 * 2 ** 30);
    expect(gzipImageSize(undefined, { produced: 2 ** 29 + 1, complete: false })).toBeUndefined();
    expect(gzipImageSize(undefined, { produced: 1000, complete: true })).toBe(1000);
  });
});

describe('bzip2', () => {
  it('wants a block (or the end-of-stream marker of an empty file) after the header', () => {
    expect(checkBzip2Header(Buffer.from('425a683931415926535900', 'hex'))).toBeUndefined();
    expect(checkBzip2Header(Buffer.from('425a683917724538509000', 'hex'))).toBeUndefined();
    expect(checkBzip2Header(Buffer.from('BZh9 not a block'))).toBe('no bzip2 block after the header');
    expect(checkBzip2Header(Buffer.from('BZh9'))).toBe('the bzip2 header is cut short');
  });
});
