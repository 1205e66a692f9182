// Random reads of an image's first bytes, plain or compressed: a plain image is read where it is;
// a compressed one is decompressed only as far as the reads reach (COS_OEM sits near the start of
// a Kairos disk), into a scratch file, and the rest of the stream is never decoded here.
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { readAt } from './source/file-reader.js';
import { inspectSource, openSourceStream, type SourceInfo } from './source/open-source.js';
import type { ReadAt } from './partition-table.js';

export interface ImagePrefix {
  readonly info: SourceInfo;
  readonly read: ReadAt;
  close(): Promise<void>;
}

export async function openImagePrefix(path: string, scratch: string, signal: AbortSignal): Promise<ImagePrefix> {
  const info = await inspectSource(path);
  if (info.compression === 'none') {
    const handle = await open(path, 'r');
    return { info, read: (offset, length) => readAt(handle, offset, length), close: () => handle.close() };
  }
  const stream: Readable = openSourceStream(info, { signal });
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const handle = await open(scratch, 'w+', 0o600);
  let have = 0;
  let ended = false;
  const ensure = async (upTo: number): Promise<void> => {
    while (have < upTo && !ended) {
      const next = await chunks.next();
      if (next.done) {
        ended = true;
        break;
      }
      await handle.write(next.value, 0, next.value.length, have);
      have += next.value.length;
    }
  };
  return {
    info,
    read: async (offset, length) => {
      await ensure(offset + length);
      return readAt(handle, offset, Math.max(0, Math.min(length, have - offset)));
    },
    close: async () => {
      // Ends the decoder (and its child process) without reading further.
      await chunks.return?.().catch(() => undefined);
      stream.destroy();
      await handle.close();
    },
  };
}
