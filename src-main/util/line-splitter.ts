// Tool and container output arrives in chunks cut anywhere, also inside a UTF-8 character. This
// turns such chunks into text and lines: bytes are decoded across chunk boundaries (a 'é' or '✓'
// cut in two stays one character), and a line ends at \n, \r\n or a lone \r (progress bars
// rewrite their line with \r).
import { StringDecoder } from 'node:string_decoder';

/** Decodes UTF-8 chunks into text, keeping a character cut between two chunks whole. */
export class Utf8Chunks {
  private readonly decoder = new StringDecoder('utf8');

  /** The text of a chunk: a character cut at its end waits for the next chunk. */
  write(chunk: Buffer | Uint8Array | string): string {
    return typeof chunk === 'string' ? chunk : this.decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }

  /** Whatever is left; an unfinished character becomes U+FFFD. */
  end(): string {
    return this.decoder.end();
  }
}

/** Splits chunked output into lines, in order; empty lines are kept (callers drop them if they like). */
export class LineSplitter {
  private readonly text = new Utf8Chunks();
  private carry = '';
  /** The last chunk ended with \r: a \n starting the next one belongs to the same line end. */
  private pendingCr = false;

  /** The lines a chunk completes. */
  push(chunk: Buffer | Uint8Array | string): string[] {
    let text = this.text.write(chunk);
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    if (text !== '') this.pendingCr = text.endsWith('\r');
    const parts = (this.carry + text).split(/\r\n|\n|\r/);
    this.carry = parts.pop() ?? '';
    return parts;
  }

  /** The unfinished last line, if any, at the end of the output. */
  end(): string[] {
    const rest = this.carry + this.text.end();
    this.carry = '';
    this.pendingCr = false;
    return rest === '' ? [] : [rest];
  }
}
