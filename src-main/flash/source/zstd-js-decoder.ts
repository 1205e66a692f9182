// zstd without the zstd program: fzstd (pure JS, streaming, 8 kB, no native code) decodes one
// frame at a time. fzstd skips the frames' content checksums, and a flipped byte in a raw or
// literal section decodes "fine" into a wrong image, so we check each frame ourselves: XXH64
// (xxhash-wasm) of its output against the stored checksum, and the byte count against the
// declared content size.
import { Readable } from 'node:stream';
import { Decompress } from 'fzstd';
import xxhash from 'xxhash-wasm';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { formatBytes } from '../../../src-shared/util/format.js';
import { ZstdFormatError } from './zstd-frames.js';
import { ZstdSplitter, type ZstdFrameHeader } from './zstd-splitter.js';

/** fzstd follows back-references up to 2^25 bytes (its README); a larger window needs zstd. */
export const FZSTD_MAX_WINDOW = 2 ** 25;

type Hasher = ReturnType<Awaited<ReturnType<typeof xxhash>>['create64']>;

interface Frame {
  readonly header: ZstdFrameHeader;
  readonly decompress: Decompress;
  readonly hasher: Hasher | undefined;
  produced: number;
}

/** The decoded bytes of `source` (the compressed file), frame after frame, verified. */
export function decodeZstdJs(path: string, source: AsyncIterable<Uint8Array>, highWaterMark: number): Readable {
  return Readable.from(decode(path, source), { objectMode: false, highWaterMark });
}

async function* decode(path: string, source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const { create64 } = await xxhash();
  const splitter = new ZstdSplitter();
  const out: Uint8Array[] = [];
  let frame: Frame | undefined;
  for await (const chunk of source) {
    for (const piece of splitter.split(chunk)) {
      if (piece.kind === 'frame-start') {
        checkWindow(path, piece.header);
        const decompress = new Decompress();
        const started: Frame = { header: piece.header, decompress, hasher: piece.header.hasChecksum ? create64(0n) : undefined, produced: 0 };
        decompress.ondata = (data) => {
          started.hasher?.update(data);
          started.produced += data.length;
          if (data.length > 0) out.push(data);
        };
        frame = started;
        decompress.push(piece.bytes);
      } else if (frame !== undefined) {
        frame.decompress.push(piece.bytes);
        if (piece.kind === 'frame-end') {
          frame.decompress.push(new Uint8Array(0), true);
          checkFrame(frame, piece.checksum);
          frame = undefined;
        }
      }
      // One block at most per piece: at most 128 KiB waits here.
      while (out.length > 0) yield out.shift()!;
    }
  }
  splitter.end();
}

function checkWindow(path: string, header: ZstdFrameHeader): void {
  if (header.windowSize > FZSTD_MAX_WINDOW) {
    throw new AppError('source-invalid', `${path} was compressed with a ${formatBytes(header.windowSize)} window (zstd --long or --ultra), more than the built-in zstd decoder can follow`, {
      hint: 'Install zstd (apt install zstd) and try again',
    });
  }
}

function checkFrame(frame: Frame, stored: number | undefined): void {
  const { contentSize } = frame.header;
  if (contentSize !== undefined && frame.produced !== contentSize) {
    throw new ZstdFormatError(`a frame decoded to ${frame.produced} bytes, its header says ${contentSize}`);
  }
  if (frame.hasher !== undefined && stored !== undefined) {
    const actual = Number(frame.hasher.digest() & 0xffffffffn);
    if (actual !== stored) throw new ZstdFormatError('checksum mismatch: the data is corrupt');
  }
}
