// Positioned reads for the inspectors, which look at a few bytes here and there of files that may
// be many GiB (headers, footers, indexes, block headers), never at the whole.
import { open, type FileHandle } from 'node:fs/promises';

/** Reads up to `length` bytes at `position`; fewer only at the end of the file. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buffer, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === length ? buffer : buffer.subarray(0, got);
}

/**
 * Small reads far apart, through a 4 KiB window: walking the block headers of a zstd file costs
 * one read per few blocks instead of one per field.
 */
export class WindowedReader {
  private window: Buffer = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly windowSize = 4096,
  ) {}

  async read(position: number, length: number): Promise<Buffer> {
    const offset = position - this.windowStart;
    if (offset < 0 || offset + length > this.window.length) {
      this.window = await readAt(this.handle, position, Math.max(length, this.windowSize));
      this.windowStart = position;
      return this.window.subarray(0, length);
    }
    return this.window.subarray(offset, offset + length);
  }
}

/**
 * A file as a web ReadableStream, pulled chunk by chunk. (Readable.toWeb(createReadStream()) on
 * Node 20 throws "Controller is already closed" from inside its adapter when the web side is
 * cancelled while the file stream still has data: an uncaught exception on every abort.)
 */
export async function fileWebStream(path: string, chunkSize: number): Promise<ReadableStream<Uint8Array>> {
  const handle = await open(path, 'r');
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(chunkSize), 0, chunkSize, null);
          if (closed) return;
          if (bytesRead === 0) {
            await close();
            controller.close();
          } else {
            controller.enqueue(buffer.subarray(0, bytesRead));
          }
        } catch (error) {
          // A read cut short by cancel() is no error; any other is the stream's.
          if (!closed) {
            await close();
            controller.error(error);
          }
        }
      },
      cancel: close,
    },
    { highWaterMark: 1 },
  );
}
