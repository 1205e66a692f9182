// The Zstandard frame layout (RFC 8878), as pure functions on bytes: shared by the inspector,
// which walks the frames of a file to sum their declared sizes, and by the JS decoder, which
// splits the stream at frame ends to verify each frame's checksum.

export const ZSTD_MAGIC = 0xfd2fb528;
/** Enough bytes for any frame header: magic 4 + descriptor 1 + window 1 + dictionary 4 + size 8. */
export const MAX_FRAME_HEADER = 18;
export const BLOCK_HEADER_SIZE = 3;
/** Beyond this the reference decoder refuses a window unless told otherwise (--long=27). */
export const DEFAULT_MAX_WINDOW = 128 * 1024 * 1024;

export class ZstdFormatError extends Error {}

export type FrameHeader =
  | {
      readonly kind: 'frame';
      readonly headerSize: number;
      /** The raw size of the frame, when the encoder declared it. */
      readonly contentSize?: number;
      readonly hasChecksum: boolean;
      readonly windowSize: number;
      readonly dictionaryId: number;
    }
  /** Metadata that decoders skip: magic 0x184D2A5?, a 4-byte length, then that many bytes. */
  | { readonly kind: 'skippable'; readonly frameSize: number };

function readLE(bytes: Uint8Array, at: number, length: number): number {
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[at + i]!;
  return value;
}

/** How many bytes the header at the start of `bytes` needs, once its first 5 are there. */
export function frameHeaderSize(bytes: Uint8Array): number {
  if (bytes.length < 5) return MAX_FRAME_HEADER;
  if (readLE(bytes, 0, 4) !== ZSTD_MAGIC) return 8;
  const descriptor = bytes[4]!;
  const singleSegment = (descriptor >> 5) & 1;
  const sizeFlag = descriptor >> 6;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const sizeBytes = sizeFlag === 0 ? singleSegment : 1 << sizeFlag;
  return 5 + (singleSegment ? 0 : 1) + dictionaryBytes + sizeBytes;
}

/** Parses the frame header at the start of `bytes` (which holds at least frameHeaderSize bytes). */
export function parseFrameHeader(bytes: Uint8Array): FrameHeader {
  if (bytes.length < 4) throw new ZstdFormatError('unexpected end of input');
  const magic = readLE(bytes, 0, 4);
  if (magic >>> 4 === 0x184d2a5) {
    if (bytes.length < 8) throw new ZstdFormatError('unexpected end of input');
    return { kind: 'skippable', frameSize: 8 + readLE(bytes, 4, 4) };
  }
  if (magic !== ZSTD_MAGIC) throw new ZstdFormatError('not a zstd frame (unknown magic number)');
  const headerSize = frameHeaderSize(bytes);
  if (bytes.length < headerSize) throw new ZstdFormatError('unexpected end of input');
  const descriptor = bytes[4]!;
  if (descriptor & 0x08) throw new ZstdFormatError('invalid frame header (reserved bit set)');
  const singleSegment = (descriptor >> 5) & 1;
  let at = 5;
  let windowSize = 0;
  if (!singleSegment) {
    const exponent = bytes[at]! >> 3;
    const base = 2 ** (10 + exponent);
    windowSize = base + (base / 8) * (bytes[at]! & 7);
    at += 1;
  }
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 3]!;
  const dictionaryId = readLE(bytes, at, dictionaryBytes);
  at += dictionaryBytes;
  const sizeBytes = headerSize - at;
  let contentSize: number | undefined;
  if (sizeBytes > 0) contentSize = readLE(bytes, at, sizeBytes) + (sizeBytes === 2 ? 256 : 0);
  if (singleSegment) windowSize = contentSize ?? 0;
  return {
    kind: 'frame',
    headerSize,
    ...(contentSize !== undefined ? { contentSize } : {}),
    hasChecksum: (descriptor & 0x04) !== 0,
    windowSize,
    dictionaryId,
  };
}

export interface BlockHeader {
  readonly last: boolean;
  /** Bytes of block content that follow the 3-byte header in the file. */
  readonly bodySize: number;
}

export function parseBlockHeader(bytes: Uint8Array): BlockHeader {
  const value = readLE(bytes, 0, 3);
  const type = (value >> 1) & 3;
  const size = value >>> 3;
  if (type === 3) throw new ZstdFormatError('invalid block type');
  // An RLE block stores one byte, repeated `size` times on output.
  return { last: (value & 1) === 1, bodySize: type === 1 ? 1 : size };
}
