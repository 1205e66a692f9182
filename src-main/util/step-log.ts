// The log file of one build step (<output>/logs/<name>-<step>.log): every line a tool printed,
// as it came. A log that cannot be written (its disk filled up) never stops or crashes the step:
// the write error is kept, the step's own error tells the story.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { makeFolder } from './make-folder.js';

export class StepLog {
  private writeError: Error | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.writeError ??= error;
    });
  }

  /** Creates (or empties) the log; fails as the file system does (read-only, no permission, ...). */
  static async open(path: string): Promise<StepLog> {
    await makeFolder(dirname(path));
    const stream = createWriteStream(path, { flags: 'w', mode: 0o644 });
    const opened = once(stream, 'open');
    try {
      await opened;
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return new StepLog(path, stream);
  }

  line(text: string): void {
    if (this.closed || this.writeError) return;
    this.stream.write(`${text}\n`);
  }

  /** The error that stopped the log being written, if one did. */
  get error(): Error | undefined {
    return this.writeError;
  }

  /** Flushes and closes; never throws (a failed write is in `error`). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.writeError) {
      this.stream.destroy();
      return;
    }
    await new Promise<void>((resolve) => {
      // end's callback gets a write error before the 'error' event does.
      this.stream.end((error?: Error | null) => {
        if (error) this.writeError ??= error;
        resolve();
      });
    });
  }
}
