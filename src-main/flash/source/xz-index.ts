// The .xz container's trailer, read without decompressing: every stream ends with an index (one
// record per block: compressed and uncompressed size) and a 12-byte footer that says where the
// index starts. Summing the indexes gives the raw image size; failing to read them means the file
// is truncated or damaged, which we can say before a single byte is written to the drive.
// Pure functions on bytes; inspect-xz.ts does the reading. Format: tukaani.org/xz/xz-file-format.txt
import { crc32 } from 'node:zlib';

export const XZ_HEADER_SIZE = 12;
export const XZ_FOOTER_SIZE = 12;
const HEADER_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

export class XzFormatError extends Error {}

export interface XzFooter {
  /** Size of the index that precedes the footer. */
  readonly indexSize: number;
  /** The two stream-flag bytes, which the stream header must repeat. */
  readonly flags: number;
}

export function parseXzFooter(bytes: Uint8Array): XzFooter {
  if (bytes.length !== XZ_FOOTER_SIZE || bytes[10] !== 0x59 || bytes[11] !== 0x5a) {
    throw new XzFormatError('no stream footer at the end of the file');
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (crc32(view.subarray(4, 10)) !== view.readUInt32LE(0)) throw new XzFormatError('the stream footer is damaged');
  return { indexSize: (view.readUInt32LE(4) + 1) * 4, flags: view.readUInt16BE(8) };
}

export function checkXzHeader(bytes: Uint8Array, footer: XzFooter): void {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.length !== XZ_HEADER_SIZE || !HEADER_MAGIC.every((b, i) => view[i] === b)) {
    throw new XzFormatError('the index does not lead back to a stream header');
  }
  if (crc32(view.subarray(6, 8)) !== view.readUInt32LE(8)) throw new XzFormatError('the stream header is damaged');
  if (view.readUInt16BE(6) !== footer.flags) throw new XzFormatError('the stream header and footer disagree');
}

export interface XzIndex {
  /** Sum of the blocks' padded compressed sizes: where the index starts, after the header. */
  readonly blocksSize: number;
  readonly uncompressedSize: number;
  readonly blockCount: number;
}

/** A multibyte integer (7 bits a byte, little end first, up to 9 bytes) at `at`. */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new XzFormatError('the index is cut short');
    value += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
  }
  throw new XzFormatError('the index holds an invalid number');
}

export function parseXzIndex(bytes: Uint8Array): XzIndex {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (view.length < 8 || view[0] !== 0x00) throw new XzFormatError('no index where the footer points');
  if (crc32(view.subarray(0, view.length - 4)) !== view.readUInt32LE(view.length - 4)) throw new XzFormatError('the index is damaged');
  const first = readVarint(view, 1);
  const count = first.value;
  let next = first.next;
  let blocksSize = 0;
  let uncompressedSize = 0;
  for (let i = 0; i < count; i++) {
    const unpadded = readVarint(view, next);
    const uncompressed = readVarint(view, unpadded.next);
    blocksSize += Math.ceil(unpadded.value / 4) * 4;
    uncompressedSize += uncompressed.value;
    next = uncompressed.next;
  }
  if (Math.ceil(next / 4) * 4 !== view.length - 4) throw new XzFormatError('the index has the wrong size');
  return { blocksSize, uncompressedSize, blockCount: count };
}

/** The raw size from `xz --robot --list` output: the 5th column of the "totals" line. */
export function parseXzRobotList(stdout: string): number | undefined {
  const totals = stdout.split('\n').find((line) => line.startsWith('totals\t'));
  const value = Number(totals?.split('\t')[4]);
  return Number.isSafeInteger(value) ? value : undefined;
}
