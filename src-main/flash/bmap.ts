// bmaptool's block map files (.bmap): which block ranges of a sparse image hold data, with a
// checksum per range. Reading them lets a flash skip the empty parts of an image; writing them
// lets our raw images be flashed fast by bmaptool too. Format versions 1.x (sha1) and 2.x
// (ChecksumType, usually sha256), as bmap-tools 3.6 writes them.
import { createHash } from 'node:crypto';
import { AppError } from '../../src-shared/errors/app-error.js';

export interface BmapRange {
  /** First and last block, inclusive, as in the file. */
  readonly first: number;
  readonly last: number;
  readonly checksum?: string;
}

export interface Bmap {
  readonly version: string;
  readonly imageSize: number;
  readonly blockSize: number;
  readonly blocksCount: number;
  readonly mappedBlocksCount: number;
  readonly checksumType: 'sha1' | 'sha256';
  readonly ranges: ReadonlyArray<BmapRange>;
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
}

function number(xml: string, name: string, source: string): number {
  const text = tag(xml, name);
  const value = text === undefined ? NaN : Number(text);
  if (!Number.isSafeInteger(value) || value < 0) throw new AppError('source-invalid', `${source}: <${name}> is missing or not a number`);
  return value;
}

/** Parses and checks a bmap file: its own checksum (2.x), ranges inside the image, counts adding up. */
export function parseBmap(xml: string, source = 'the .bmap file'): Bmap {
  const version = /<bmap\s+version="(\d+\.\d+)"/.exec(xml)?.[1];
  if (!version) throw new AppError('source-invalid', `${source} is not a bmap file (no <bmap version="...">)`);
  const major = Number(version.split('.')[0]);
  if (major < 1 || major > 2) throw new AppError('source-invalid', `${source}: bmap version ${version} is not supported (1.x and 2.x are)`);
  const checksumType = (tag(xml, 'ChecksumType') ?? (major === 1 ? 'sha1' : undefined)) as Bmap['checksumType'] | undefined;
  if (checksumType !== 'sha1' && checksumType !== 'sha256') throw new AppError('source-invalid', `${source}: checksum type ${checksumType ?? '(none)'} is not supported`);

  const fileChecksum = tag(xml, 'BmapFileChecksum');
  if (fileChecksum) {
    // The file's own checksum is computed with the value replaced by as many "0" characters.
    const zeroed = xml.replace(fileChecksum, '0'.repeat(fileChecksum.length));
    if (createHash(checksumType).update(zeroed).digest('hex') !== fileChecksum) {
      throw new AppError('source-invalid', `${source} is damaged (its checksum does not match)`, { hint: 'Get the .bmap again, or delete it to flash without it' });
    }
  }

  const imageSize = number(xml, 'ImageSize', source);
  const blockSize = number(xml, 'BlockSize', source);
  const blocksCount = number(xml, 'BlocksCount', source);
  const mappedBlocksCount = number(xml, 'MappedBlocksCount', source);
  if (blockSize === 0 || blocksCount !== Math.ceil(imageSize / blockSize)) {
    throw new AppError('source-invalid', `${source}: BlocksCount does not match ImageSize / BlockSize`);
  }
  const ranges: BmapRange[] = [];
  let mapped = 0;
  let previousLast = -1;
  for (const m of xml.matchAll(/<Range(?:\s+chksum="([0-9a-fA-F]+)")?\s*>\s*(\d+)(?:\s*-\s*(\d+))?\s*<\/Range>/g)) {
    const first = Number(m[2]);
    const last = m[3] === undefined ? first : Number(m[3]);
    if (last < first || first <= previousLast || last >= blocksCount) {
      throw new AppError('source-invalid', `${source}: range ${first}-${last} is out of order or outside the image`);
    }
    previousLast = last;
    mapped += last - first + 1;
    ranges.push({ first, last, ...(m[1] ? { checksum: m[1].toLowerCase() } : {}) });
  }
  if (mapped !== mappedBlocksCount) throw new AppError('source-invalid', `${source}: the ranges hold ${mapped} blocks, MappedBlocksCount says ${mappedBlocksCount}`);
  return { version, imageSize, blockSize, blocksCount, mappedBlocksCount, checksumType, ranges };
}

/** A range in bytes, clipped to the image (the last block may be partial). */
export function rangeBytes(bmap: Bmap, range: BmapRange): { readonly offset: number; readonly length: number } {
  const offset = range.first * bmap.blockSize;
  const end = Math.min((range.last + 1) * bmap.blockSize, bmap.imageSize);
  return { offset, length: end - offset };
}

export interface BmapInput {
  readonly imageSize: number;
  readonly blockSize: number;
  /** Mapped ranges in bytes (offset, length), block aligned except at the image's end, in order. */
  readonly ranges: ReadonlyArray<{ readonly offset: number; readonly length: number; readonly sha256: string }>;
}

/** Writes a bmap 2.0 file, as bmaptool would, with its own checksum. */
export function formatBmap(input: BmapInput): string {
  const blocksCount = Math.ceil(input.imageSize / input.blockSize);
  let mapped = 0;
  const rangeLines = input.ranges.map((r) => {
    const first = Math.floor(r.offset / input.blockSize);
    const last = Math.ceil((r.offset + r.length) / input.blockSize) - 1;
    mapped += last - first + 1;
    return `        <Range chksum="${r.sha256}"> ${first === last ? first : `${first}-${last}`} </Range>`;
  });
  const body = [
    '<?xml version="1.0" ?>',
    '<!-- Block map of a sparse image (bmaptool format), written by Kairos Factory. -->',
    '<bmap version="2.0">',
    `    <ImageSize> ${input.imageSize} </ImageSize>`,
    `    <BlockSize> ${input.blockSize} </BlockSize>`,
    `    <BlocksCount> ${blocksCount} </BlocksCount>`,
    `    <MappedBlocksCount> ${mapped} </MappedBlocksCount>`,
    '    <ChecksumType> sha256 </ChecksumType>',
    `    <BmapFileChecksum> ${'0'.repeat(64)} </BmapFileChecksum>`,
    '    <BlockMap>',
    ...rangeLines,
    '    </BlockMap>',
    '</bmap>',
    '',
  ].join('\n');
  const checksum = createHash('sha256').update(body).digest('hex');
  return body.replace('0'.repeat(64), checksum);
}

/**
 * Checks image data against the bmap's range checksums as it streams by (in increasing offsets):
 * an image that is not the one the bmap describes fails before its first MiB is written.
 */
export class BmapChecker {
  private index = 0;
  private hash: ReturnType<typeof createHash> | undefined;
  private fed = 0;

  private readonly ranges: Bmap['ranges'];

  /** Ranges that overlap `skip` are not checked: those bytes of the image are not written (each card writes its own). */
  constructor(
    private readonly bmap: Bmap,
    private readonly source: string,
    skip?: { readonly offset: number; readonly length: number },
  ) {
    this.ranges = skip
      ? bmap.ranges.filter((r) => {
          const { offset, length } = rangeBytes(bmap, r);
          return offset + length <= skip.offset || offset >= skip.offset + skip.length;
        })
      : bmap.ranges;
  }

  feed(offset: number, data: Buffer): void {
    let at = offset;
    let rest = data;
    while (rest.length > 0 && this.index < this.ranges.length) {
      const range = this.ranges[this.index]!;
      const { offset: start, length } = rangeBytes(this.bmap, range);
      const stop = start + length;
      if (at + rest.length <= start) return;
      if (at < start) {
        rest = rest.subarray(start - at);
        at = start;
      }
      if (at >= stop) {
        this.index++;
        continue;
      }
      if (at !== start + this.fed) throw new AppError('internal', `bmap check fed out of order at ${at}`);
      const take = Math.min(rest.length, stop - at);
      this.hash ??= createHash(this.bmap.checksumType);
      this.hash.update(rest.subarray(0, take));
      this.fed += take;
      at += take;
      rest = rest.subarray(take);
      if (this.fed === length) {
        const digest = this.hash.digest('hex');
        if (range.checksum && digest !== range.checksum) {
          throw new AppError('source-invalid', `${this.source} does not match its .bmap (blocks ${range.first}-${range.last} differ)`, {
            hint: 'The image or the .bmap is damaged or belongs to another image; download them again, or remove the .bmap',
          });
        }
        this.index++;
        this.hash = undefined;
        this.fed = 0;
      }
    }
  }

  /** Every range was seen whole. */
  finish(): void {
    if (this.index < this.ranges.length) {
      const range = this.ranges[this.index]!;
      throw new AppError('source-invalid', `${this.source} ended before the .bmap's blocks ${range.first}-${range.last}`, { hint: 'The image is truncated' });
    }
  }
}
