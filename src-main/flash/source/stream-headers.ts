// What the first and last bytes of gzip and bzip2 files say, as pure functions. Neither format
// has an index, so these are cheap plausibility checks; the stream finds the rest.

export type HeaderProblem = string | undefined;

/** RFC 1952: 1f 8b, method 8 (deflate), no reserved flag bits. */
export function checkGzipHeader(head: Uint8Array): HeaderProblem {
  if (head.length < 10) return 'the gzip header is cut short';
  if (head[2] !== 8) return `unknown gzip compression method ${head[2]}`;
  if ((head[3]! & 0xe0) !== 0) return 'the gzip header has reserved flags set';
  return undefined;
}

const FOUR_GIB = 2 ** 32;

/**
 * ISIZE, the last 4 bytes, is the raw size modulo 2^32 of the LAST member only: a lower bound of
 * the image size, exact only for a single member under 4 GiB. A candidate when the file is under
 * 4 GiB and ISIZE is at least about the file size (deflate expands incompressible data by a few
 * bytes per 64 KiB at most: a smaller ISIZE means several members, or a size that wrapped).
 */
export function gzipIsizeCandidate(fileSize: number, tail: Uint8Array): number | undefined {
  if (fileSize >= FOUR_GIB || tail.length !== 8) return undefined;
  const isize = Buffer.from(tail.buffer, tail.byteOffset, tail.length).readUInt32LE(4);
  const deflateOverhead = 64 * 1024 + fileSize / 1000;
  return isize + deflateOverhead >= fileSize ? isize : undefined;
}

/** What inflating the file from its start found before stopping. */
export interface GzipProbe {
  readonly produced: number;
  /** The whole file inflated: `produced` is the image size. */
  readonly complete: boolean;
}

/**
 * The image size from an ISIZE candidate and a probe: exact when the probe read the whole file;
 * none when the probe already produced more than ISIZE (a mostly empty 4.5 GiB image gzips to a
 * few MiB and its ISIZE says 512 MiB); else ISIZE, which nothing cheap can prove or disprove.
 */
export function gzipImageSize(isize: number | undefined, probe: GzipProbe): number | undefined {
  if (probe.complete) return probe.produced;
  if (isize === undefined || probe.produced > isize) return undefined;
  return isize;
}

/** "BZh" + level, then the first block's magic (pi) or, for an empty file, the end marker (sqrt pi). */
export function checkBzip2Header(head: Uint8Array): HeaderProblem {
  const block = Buffer.from(head.buffer, head.byteOffset, head.length).subarray(4, 10).toString('hex');
  if (block === '314159265359' || block === '177245385090') return undefined;
  return head.length < 10 ? 'the bzip2 header is cut short' : 'no bzip2 block after the header';
}
