import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { BmapChecker, formatBmap, parseBmap, rangeBytes } from '../../../src-main/flash/bmap.js';

const real = readFileSync(new URL('../../fixtures/bmap/bmaptool-3.6.bmap', import.meta.url), 'utf8');

function expectSourceError(fn: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('source-invalid');
  expect((error as AppError).message).toMatch(message);
}

describe('parseBmap', () => {
  it('reads what bmaptool 3.6 writes', () => {
    const bmap = parseBmap(real);
    expect(bmap).toMatchObject({ version: '2.0', imageSize: 67108864, blockSize: 4096, blocksCount: 16384, mappedBlocksCount: 1024, checksumType: 'sha256' });
    expect(bmap.ranges.map((r) => [r.first, r.last])).toEqual([
      [2560, 3327],
      [10240, 10495],
    ]);
    expect(rangeBytes(bmap, bmap.ranges[0]!)).toEqual({ offset: 2560 * 4096, length: 768 * 4096 });
  });

  it('refuses a bmap whose own checksum does not match', () => {
    expectSourceError(() => parseBmap(real.replace('10240-10495', '10240-10494')), /damaged/);
  });

  it('refuses counts that do not add up and ranges outside the image', () => {
    const body = (ranges: string, mapped: number) =>
      `<bmap version="1.4"><ImageSize>8192</ImageSize><BlockSize>4096</BlockSize><BlocksCount>2</BlocksCount><MappedBlocksCount>${mapped}</MappedBlocksCount><BlockMap>${ranges}</BlockMap></bmap>`;
    expect(parseBmap(body('<Range> 0 </Range>', 1)).checksumType).toBe('sha1');
    expectSourceError(() => parseBmap(body('<Range> 0 </Range>', 2)), /MappedBlocksCount/);
    expectSourceError(() => parseBmap(body('<Range> 0-5 </Range>', 6)), /outside the image/);
    expectSourceError(() => parseBmap('<html/>'), /not a bmap file/);
  });

  it('writes a bmap that parses back, with a valid file checksum', () => {
    const data = Buffer.alloc(4096, 7);
    const text = formatBmap({
      imageSize: 3 * 4096 + 100,
      blockSize: 4096,
      ranges: [
        { offset: 0, length: 4096, sha256: createHash('sha256').update(data).digest('hex') },
        { offset: 3 * 4096, length: 100, sha256: 'ab'.repeat(32) },
      ],
    });
    const bmap = parseBmap(text);
    expect(bmap.blocksCount).toBe(4);
    expect(bmap.mappedBlocksCount).toBe(2);
    expect(bmap.ranges).toEqual([
      { first: 0, last: 0, checksum: createHash('sha256').update(data).digest('hex') },
      { first: 3, last: 3, checksum: 'ab'.repeat(32) },
    ]);
    expect(rangeBytes(bmap, bmap.ranges[1]!)).toEqual({ offset: 3 * 4096, length: 100 });
  });
});

describe('BmapChecker', () => {
  const block = (n: number) => Buffer.alloc(4096, n);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const bmap = parseBmap(
    formatBmap({
      imageSize: 4 * 4096,
      blockSize: 4096,
      ranges: [
        { offset: 0, length: 8192, sha256: sha(Buffer.concat([block(1), block(2)])) },
        { offset: 3 * 4096, length: 4096, sha256: sha(block(4)) },
      ],
    }),
  );

  it('accepts the image it describes, fed in pieces that straddle ranges', () => {
    const checker = new BmapChecker(bmap, 'img');
    const image = Buffer.concat([block(1), block(2), block(3), block(4)]);
    checker.feed(0, image.subarray(0, 5000));
    checker.feed(5000, image.subarray(5000, 13000));
    checker.feed(13000, image.subarray(13000));
    expect(() => checker.finish()).not.toThrow();
  });

  it('names the blocks of another image', () => {
    const checker = new BmapChecker(bmap, 'img');
    expectSourceError(() => checker.feed(0, Buffer.concat([block(1), block(9)])), /does not match its \.bmap \(blocks 0-1 differ\)/);
  });

  it('notices a truncated image at the end', () => {
    const checker = new BmapChecker(bmap, 'img');
    checker.feed(0, Buffer.concat([block(1), block(2)]));
    expectSourceError(() => checker.finish(), /ended before the \.bmap's blocks 3-3/);
  });

  it('leaves out the ranges over a per-card partition (never fed: each card writes its own) and checks the rest', () => {
    const checker = new BmapChecker(bmap, 'img', { offset: 4096, length: 4096 });
    checker.feed(3 * 4096, block(4));
    expect(() => checker.finish()).not.toThrow();
    const strict = new BmapChecker(bmap, 'img', { offset: 4096, length: 4096 });
    expectSourceError(() => strict.feed(3 * 4096, block(5)), /blocks 3-3 differ/);
  });
});
