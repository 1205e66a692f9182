// One decoder per compression: the system tool when there is one (faster, and xz/lbzip2 use every
// core), else a JS/WASM library so flashing still works on a bare machine.
import { createReadStream } from 'node:fs';
import { PassThrough, Readable, pipeline, type Duplex } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { assertNever } from '../../../src-shared/jobs/job-events.js';
import { spawnDecoder } from './child-decoder.js';
import type { Compression } from './detect-compression.js';
import type { Decoder } from './relay-stream.js';
import { fileWebStream } from './file-reader.js';
import { unreadableSource } from './source-errors.js';
import { firstTool, type ToolLookup } from './tool-lookup.js';

export interface DecoderRequest {
  readonly path: string;
  readonly compression: Compression;
  readonly entryName?: string;
  readonly highWaterMark: number;
  readonly tools: ToolLookup;
}

export async function startDecoder(request: DecoderRequest): Promise<Decoder> {
  const { path, compression, tools } = request;
  switch (compression) {
    case 'none':
      return fromStreams('file', fileStream(request));
    case 'gzip':
      // zlib is native code inside Node already, and createGunzip reads concatenated members.
      return fromStreams('gzip', fileStream(request), createGunzip({ chunkSize: 256 * 1024 }));
    case 'xz': {
      // xz >= 5.4 decodes the blocks of a multi-block file (xz -T, pixz) on all cores; older
      // versions accept -T0 and decode on one.
      const xz = await firstTool(tools, ['xz']);
      if (xz) return spawnDecoder(path, xz, ['-d', '-c', '-T0']);
      return xzWasm(request);
    }
    case 'zstd': {
      // --long=31 lifts the default 128 MiB window limit; memory use stays what the file needs.
      const zstd = await firstTool(tools, ['zstd']);
      if (zstd) return spawnDecoder(path, zstd, ['-d', '-c', '--long=31']);
      const file = fileStream(request);
      // The built-in decoders are loaded only when no system tool is there.
      const { decodeZstdJs } = await import('./zstd-js-decoder.js');
      const output = decodeZstdJs(path, file, request.highWaterMark);
      return { name: 'zstd (built-in)', output, stop: () => destroyAll(file, output) };
    }
    case 'bzip2': {
      // lbzip2 and pbzip2 decode blocks in parallel; bzip2 itself on one core.
      const bzip2 = await firstTool(tools, ['lbzip2', 'pbzip2', 'bzip2']);
      if (bzip2) return spawnDecoder(path, bzip2, ['-d', '-c']);
      // unbzip2-stream is a classic (streams1) through stream; the PassThrough gives it a modern face.
      const { default: unbzip2 } = await import('unbzip2-stream');
      return fromStreams('bzip2 (built-in)', fileStream(request), unbzip2() as unknown as Duplex, new PassThrough());
    }
    case 'zip': {
      const { openZipEntry } = await import('./zip-entry.js');
      const zip = await openZipEntry(path, request.entryName ?? '');
      return { name: 'zip', ...zip };
    }
    default:
      return assertNever(compression);
  }
}

function fileStream(request: DecoderRequest): Readable {
  return createReadStream(request.path, { highWaterMark: request.highWaterMark });
}

function destroyAll(...streams: ReadonlyArray<{ destroy(): unknown }>): void {
  for (const stream of streams) stream.destroy();
}

/** A chain whose last stream is the output: errors anywhere arrive there (pipeline destroys it). */
function fromStreams(name: string, first: Readable, ...rest: ReadonlyArray<Duplex>): Decoder {
  const output = rest.at(-1);
  if (output === undefined) return { name, output: first, stop: () => first.destroy() };
  pipeline([first, ...rest], () => {});
  return { name, output, stop: () => destroyAll(first, ...rest) };
}

/** xz-decompress: xz-embedded compiled to WASM, streaming through web streams, one core. */
async function xzWasm(request: DecoderRequest): Promise<Decoder> {
  const file = await fileWebStream(request.path, request.highWaterMark).catch((error: unknown) => {
    throw unreadableSource(request.path, error);
  });
  const { default: xzDecompress } = await import('xz-decompress');
  const decoded = new xzDecompress.XzReadableStream(file) as unknown as WebReadableStream<Uint8Array>;
  const output = Readable.fromWeb(decoded, { highWaterMark: request.highWaterMark });
  // Destroying the output cancels the web chain down to the file, which closes it.
  return { name: 'xz (built-in)', output, stop: () => output.destroy() };
}
