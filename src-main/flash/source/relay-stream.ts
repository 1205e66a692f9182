// The one Readable the flasher sees, whatever decodes behind it. It exists at once (the decoder
// starts asynchronously), forwards bytes with backpressure, ends only when the decoder has
// succeeded, counts the bytes against the expected image size, turns every failure into an
// AppError naming the file, and stops the decoder on abort, on error, or when the consumer
// destroys it.
import { Readable } from 'node:stream';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { cancelledError } from '../../jobs/job-context.js';
import { corruptSource, describeDecoderError, isFileSystemError, unreadableSource } from './source-errors.js';

export interface Decoder {
  /** Names the decoder in messages: "xz", "zstd (built-in)". */
  readonly name: string;
  /** The raw image bytes. */
  readonly output: Readable;
  /** Settles after the output ended: rejects when the producer failed (a child's exit code). */
  readonly done?: Promise<void>;
  /** Stops everything behind the output: kills a child, closes files. May be called twice. */
  readonly stop: () => void;
}

export interface RelayOptions {
  readonly path: string;
  readonly signal: AbortSignal;
  readonly highWaterMark: number;
  /** The raw size the decoder must produce, when the container states it authoritatively. */
  readonly expectedSize?: number;
}

export class RelayStream extends Readable {
  private decoder: Decoder | undefined;
  private bytes = 0;

  constructor(
    start: () => Promise<Decoder>,
    private readonly options: RelayOptions,
  ) {
    super({ highWaterMark: options.highWaterMark });
    const { signal } = options;
    const onAbort = (): void => {
      this.destroy(cancelledError());
    };
    if (signal.aborted) {
      this.destroy(cancelledError());
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    this.once('close', () => signal.removeEventListener('abort', onAbort));
    start().then(
      (decoder) => this.attach(decoder),
      (error: unknown) => this.destroy(this.toAppError(error, 'decoder')),
    );
  }

  override _read(): void {
    this.decoder?.output.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.decoder?.stop();
    callback(error);
  }

  private attach(decoder: Decoder): void {
    if (this.destroyed) {
      decoder.stop();
      return;
    }
    this.decoder = decoder;
    const { output } = decoder;
    output.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (!this.push(chunk)) output.pause();
    });
    output.on('error', (error) => this.destroy(this.toAppError(error, decoder.name)));
    // A failed producer fails the stream at once (a child that could not start never ends its
    // output); a successful one lets it end once its output has.
    decoder.done?.catch((error: unknown) => this.destroy(this.toAppError(error, decoder.name)));
    output.once('end', () => {
      (decoder.done ?? Promise.resolve()).then(
        () => this.finish(),
        () => undefined,
      );
    });
  }

  private finish(): void {
    if (this.destroyed) return;
    const { expectedSize, path } = this.options;
    if (expectedSize !== undefined && this.bytes !== expectedSize) {
      this.destroy(corruptSource(path, this.decoder?.name ?? 'decoder', `it gave ${this.bytes} bytes of image where ${expectedSize} were expected`));
      return;
    }
    this.push(null);
  }

  private toAppError(error: unknown, decoderName: string): AppError {
    if (error instanceof AppError) return error;
    if (isFileSystemError(error)) return unreadableSource(this.options.path, error);
    return corruptSource(this.options.path, decoderName, describeDecoderError(error), error);
  }
}
