// Cuts a zstd byte stream into what a frame-by-frame decoder needs: a frame's header, its block
// bytes (never more than one block per piece, so the decoder's output per piece stays <= 128 KiB
// even for runs of zeros that compress 30000:1), and its end with the stored checksum. Skippable
// frames are dropped. Pure: bytes in, pieces out.
import { BLOCK_HEADER_SIZE, ZstdFormatError, frameHeaderSize, parseBlockHeader, parseFrameHeader, type FrameHeader } from './zstd-frames.js';

export type ZstdFrameHeader = Extract<FrameHeader, { kind: 'frame' }>;

export type ZstdPiece =
  | { readonly kind: 'frame-start'; readonly header: ZstdFrameHeader; readonly bytes: Uint8Array }
  | { readonly kind: 'data'; readonly bytes: Uint8Array }
  /** `bytes` is the checksum field (empty without one); `checksum` its value, low 32 bits of XXH64. */
  | { readonly kind: 'frame-end'; readonly bytes: Uint8Array; readonly checksum?: number };

type State = 'frame-header' | 'block-header' | 'block-body' | 'checksum' | 'skip';

export class ZstdSplitter {
  private state: State = 'frame-header';
  private field = Buffer.alloc(0);
  private remaining = 0;
  private lastBlock = false;
  private header: ZstdFrameHeader | undefined;

  /** Pieces of `chunk`, in order; byte views share the chunk's memory. */
  *split(chunk: Uint8Array): Generator<ZstdPiece> {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'block-body' || this.state === 'skip') {
        const take = Math.min(this.remaining, chunk.length - at);
        const bytes = chunk.subarray(at, at + take);
        at += take;
        this.remaining -= take;
        if (this.state === 'block-body') {
          yield { kind: 'data', bytes };
          if (this.remaining === 0) yield* this.afterBlock();
        } else if (this.remaining === 0) {
          this.state = 'frame-header';
        }
        continue;
      }
      const need = this.fieldSize();
      const take = Math.min(need - this.field.length, chunk.length - at);
      this.field = Buffer.concat([this.field, chunk.subarray(at, at + take)]);
      at += take;
      // A frame header's size is known from its 5th byte: ask again before parsing.
      if (this.field.length < need || this.fieldSize() > this.field.length) continue;
      const field = this.field;
      this.field = Buffer.alloc(0);
      yield* this.onField(field);
    }
  }

  /** Throws when the input stopped inside a frame. */
  end(): void {
    if (this.state !== 'frame-header' || this.field.length > 0) throw new ZstdFormatError('unexpected end of input');
  }

  private fieldSize(): number {
    if (this.state === 'block-header') return BLOCK_HEADER_SIZE;
    if (this.state === 'checksum') return 4;
    return this.field.length < 5 ? 5 : frameHeaderSize(this.field);
  }

  private *onField(field: Buffer): Generator<ZstdPiece> {
    if (this.state === 'frame-header') {
      const header = parseFrameHeader(field);
      if (header.kind === 'skippable') {
        this.remaining = header.frameSize - field.length;
        this.state = this.remaining > 0 ? 'skip' : 'frame-header';
        return;
      }
      this.header = header;
      this.state = 'block-header';
      yield { kind: 'frame-start', header, bytes: field };
    } else if (this.state === 'block-header') {
      const block = parseBlockHeader(field);
      yield { kind: 'data', bytes: field };
      this.lastBlock = block.last;
      this.remaining = block.bodySize;
      this.state = 'block-body';
      if (this.remaining === 0) yield* this.afterBlock();
    } else {
      this.state = 'frame-header';
      yield { kind: 'frame-end', bytes: field, checksum: field.readUInt32LE(0) };
    }
  }

  private *afterBlock(): Generator<ZstdPiece> {
    if (!this.lastBlock) {
      this.state = 'block-header';
    } else if (this.header?.hasChecksum) {
      this.state = 'checksum';
    } else {
      this.state = 'frame-header';
      yield { kind: 'frame-end', bytes: new Uint8Array(0) };
    }
  }
}
