// The flash source: an image file, compressed or not, opened as one stream of raw image bytes,
// plus what can be known about it before a byte is written to a drive.
//
// Before writing (inspectSource): the file exists, is not empty, what it is (magic bytes, not the
// name), and whatever its container proves cheaply: xz's index and zip's central directory (a cut
// download fails here), zstd's frame headers (and, when sizes are declared, the frame chain),
// gzip/bzip2 headers. During writing (openSourceStream): everything else, i.e. damaged or cut
// data in gzip/bzip2/zstd streams and CRC/checksum mismatches, as a stream 'error'.
import { open, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { startDecoder } from './decoders.js';
import { DETECT_BYTES, detectCompression, type Compression } from './detect-compression.js';
import { readAt } from './file-reader.js';
import { xzImageSize } from './inspect-xz.js';
import { zstdImageSize } from './inspect-zstd.js';
import { RelayStream } from './relay-stream.js';
import { corruptSource, invalidSource, unreadableSource } from './source-errors.js';
import { checkBzip2Header, checkGzipHeader } from './stream-headers.js';
import { gzipSizeFacts } from './inspect-gzip.js';
import { systemTools, type ToolLookup } from './tool-lookup.js';
import { inspectZip } from './zip-entry.js';

export type { Compression } from './detect-compression.js';
export { noTools, systemTools, type ToolLookup } from './tool-lookup.js';

export interface SourceInfo {
  readonly path: string;
  readonly compression: Compression;
  /** Size of the file on disk. */
  readonly fileSize: number;
  /**
   * Size of the raw image once decompressed, when it can be known without decompressing (plain:
   * file size; xz: from its index; zstd: frame content sizes when all frames declare them; zip:
   * the entry's size from the central directory; gzip: ISIZE when the file is < 4 GiB and a
   * bounded inflate of its start (<= 512 MiB out) shows neither several members nor a wrapped
   * size, exact when that inflate reached the end, else undefined (see gzipImageSize); bzip2:
   * undefined).
   */
  readonly imageSize?: number;
  /** For zip: the name of the image entry chosen. */
  readonly entryName?: string;
}

export interface SourceOptions {
  /** Which decompressor programs exist; defaults to PATH. `noTools` forces the JS decoders. */
  readonly tools?: ToolLookup;
}

export interface StreamOptions extends SourceOptions {
  readonly signal: AbortSignal;
  readonly highWaterMark?: number;
}

const DEFAULT_HIGH_WATER_MARK = 1024 * 1024;
const DOWNLOAD_AGAIN = 'The download may have failed: download the image again';

/**
 * Detects the compression from the file's magic bytes, checks what can be checked cheaply without
 * decompressing everything, and returns the facts. Throws AppError('source-invalid').
 */
export async function inspectSource(path: string, options: SourceOptions = {}): Promise<SourceInfo> {
  const tools = options.tools ?? systemTools;
  const info = await stat(path).catch((error: unknown) => {
    throw unreadableSource(path, error);
  });
  if (info.isDirectory()) throw unreadableSource(path, { code: 'EISDIR' });
  if (!info.isFile()) throw invalidSource(path, 'is not a regular file', 'Choose an image file (.img, .iso, or a compressed one)');
  const fileSize = info.size;
  if (fileSize === 0) throw invalidSource(path, 'is empty (0 bytes)', DOWNLOAD_AGAIN);

  const { head, tail } = await readEnds(path, fileSize);
  const detection = detectCompression(head);
  if (detection.kind === 'unsupported') {
    throw invalidSource(path, `is ${detection.format}, not a disk image Kairos Factory can write`, 'Extract or convert the raw disk image it holds (.img or .iso) and choose that');
  }
  const { compression } = detection;
  const base = { path, compression, fileSize };
  switch (compression) {
    case 'none':
      return { ...base, imageSize: fileSize };
    case 'gzip': {
      const problem = checkGzipHeader(head);
      if (problem) throw corruptSource(path, 'gzip', problem);
      const imageSize = await gzipSizeFacts(path, fileSize, tail);
      return imageSize === undefined ? base : { ...base, imageSize };
    }
    case 'xz':
      return { ...base, imageSize: await xzImageSize(path, tools) };
    case 'zstd': {
      const imageSize = await zstdImageSize(path, fileSize);
      return imageSize === undefined ? base : { ...base, imageSize };
    }
    case 'bzip2': {
      const problem = checkBzip2Header(head);
      if (problem) throw corruptSource(path, 'bzip2', problem);
      return base;
    }
    case 'zip':
      return { ...base, ...(await inspectZip(path)) };
  }
}

async function readEnds(path: string, fileSize: number): Promise<{ head: Buffer; tail: Buffer }> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw unreadableSource(path, error);
  });
  try {
    const head = await readAt(handle, 0, DETECT_BYTES);
    const tail = await readAt(handle, Math.max(0, fileSize - 8), Math.min(8, fileSize));
    return { head, tail };
  } catch (error) {
    throw error instanceof AppError ? error : unreadableSource(path, error);
  } finally {
    await handle.close();
  }
}

/**
 * The raw image bytes as a Node Readable, decompressed on the fly. Damaged or cut data surfaces as
 * a stream 'error' with an AppError('source-invalid') naming the file; `signal` aborts (the stream
 * is destroyed with AppError('cancelled') and any child process is killed), and so does the
 * consumer destroying the stream.
 */
export function openSourceStream(info: SourceInfo, options: StreamOptions): Readable {
  const highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  const tools = options.tools ?? systemTools;
  // Where the container states the raw size as a fact, the stream must deliver exactly that many
  // bytes (gzip's ISIZE is a guess, bzip2 has none).
  const exact = info.compression !== 'gzip' && info.compression !== 'bzip2';
  return new RelayStream(
    () => startDecoder({ path: info.path, compression: info.compression, highWaterMark, tools, ...(info.entryName !== undefined ? { entryName: info.entryName } : {}) }),
    {
      path: info.path,
      signal: options.signal,
      highWaterMark,
      ...(exact && info.imageSize !== undefined ? { expectedSize: info.imageSize } : {}),
    },
  );
}

/**
 * The raw size of an image whose container does not record it (bzip2, zstd streamed without
 * content sizes, gzip over 4 GiB): decompressed once, counting, before any target is touched.
 * `onProgress` gets the image bytes counted so far (the total is what is being found out).
 */
export async function measureImageSize(info: SourceInfo, signal: AbortSignal, onProgress: (done: number) => void): Promise<number> {
  const stream = openSourceStream(info, { signal });
  let size = 0;
  let lastReport = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    const now = Date.now();
    if (now - lastReport > 250) {
      lastReport = now;
      onProgress(size);
    }
  }
  return size;
}
