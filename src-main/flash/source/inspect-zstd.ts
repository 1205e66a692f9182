// The raw size of a .zst image: the sum of its frames' declared content sizes, when every frame
// declares one (the zstd tool does for files; not for data it read from a pipe). Knowing that no
// other frame follows means walking to each frame's end: one small read per block header, seeking
// over block contents, never decompressing. The walk also finds a cut file before writing.
import { open } from 'node:fs/promises';
import { WindowedReader } from './file-reader.js';
import { invalidSource, corruptSource } from './source-errors.js';
import { BLOCK_HEADER_SIZE, MAX_FRAME_HEADER, ZstdFormatError, parseBlockHeader, parseFrameHeader, type FrameHeader } from './zstd-frames.js';

export async function zstdImageSize(path: string, fileSize: number): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const reader = new WindowedReader(handle);
    let position = 0;
    let total = 0;
    while (position < fileSize) {
      const header = parseFrameHeader(await reader.read(position, Math.min(MAX_FRAME_HEADER, fileSize - position)));
      if (header.kind === 'skippable') {
        position += header.frameSize;
        continue;
      }
      checkDecodable(path, header);
      // One frame without a declared size and the total is unknown: stop here, the stream will
      // still find any damage further on.
      if (header.contentSize === undefined) return undefined;
      total += header.contentSize;
      position = await frameEnd(reader, position + header.headerSize, fileSize);
      if (header.hasChecksum) position += 4;
    }
    if (position > fileSize) throw new ZstdFormatError('unexpected end of input');
    return total;
  } catch (error) {
    if (error instanceof ZstdFormatError) throw corruptSource(path, 'zstd', error.message);
    throw error;
  } finally {
    await handle.close();
  }
}

/** Where the frame whose first block header is at `position` ends (before its checksum). */
async function frameEnd(reader: WindowedReader, position: number, fileSize: number): Promise<number> {
  for (;;) {
    if (position + BLOCK_HEADER_SIZE > fileSize) throw new ZstdFormatError('unexpected end of input');
    const block = parseBlockHeader(await reader.read(position, BLOCK_HEADER_SIZE));
    position += BLOCK_HEADER_SIZE + block.bodySize;
    if (block.last) return position;
  }
}

function checkDecodable(path: string, header: Extract<FrameHeader, { kind: 'frame' }>): void {
  if (header.dictionaryId !== 0) {
    throw invalidSource(path, `was compressed with a zstd dictionary (id ${header.dictionaryId}), which a disk image cannot come with`, 'Decompress it with its dictionary (zstd -D) and flash the result');
  }
}
