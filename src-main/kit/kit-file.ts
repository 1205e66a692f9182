// The offline kit on disk: a plain tar (any `tar tf` lists it) written front to back. The big
// member, one `docker save` stream, has no size until it ends, so its header is written as a
// placeholder and filled in once the stream is done; the manifest, with every member's SHA-256,
// goes last. The file is FILE.part until it is whole, then renamed: no half kit under its name.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract } from 'tar-stream';

const BLOCK = 512;
/** Kits hold recipes, whose cloud-configs hold password hashes: readable by their owner only. */
export const KIT_FILE_MODE = 0o600;

/** A ustar header; sizes past ustar's 8 GiB are written in base-256, as GNU tar (and tar-stream) read them. */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar member name too long: ${name}`);
  const b = Buffer.alloc(BLOCK);
  const octal = (value: number, offset: number, length: number): void => {
    b.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
  };
  b.write(name, 0, 100, 'utf8');
  octal(0o644, 100, 8);
  octal(0, 108, 8);
  octal(0, 116, 8);
  if (size < 8 ** 11) octal(size, 124, 12);
  else {
    b[124] = 0x80;
    let rest = size;
    for (let i = 135; i > 124; i--) {
      b[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
  }
  octal(Math.floor(mtime.getTime() / 1000), 136, 12);
  b.write('0', 156, 1, 'ascii');
  b.write('ustar\u000000', 257, 8, 'ascii');
  b.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return b;
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

export class KitWriter {
  private position = 0;
  private readonly sums = new Map<string, string>();

  private constructor(
    private readonly file: FileHandle,
    readonly path: string,
    private readonly mtime: Date,
  ) {}

  /** Starts FILE.part (replacing an old one). */
  static async create(path: string, mtime = new Date()): Promise<KitWriter> {
    return new KitWriter(await open(`${path}.part`, 'w', KIT_FILE_MODE), path, mtime);
  }

  /** Each member written so far, with its SHA-256. */
  get members(): ReadonlyMap<string, string> {
    return this.sums;
  }

  private async write(data: Buffer, at = this.position): Promise<void> {
    let done = 0;
    while (done < data.length) done += (await this.file.write(data, done, data.length - done, at + done)).bytesWritten;
    if (at === this.position) this.position += data.length;
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await this.write(tarHeader(name, data.length, this.mtime));
    await this.write(data);
    await this.write(Buffer.alloc(padding(data.length)));
    this.sums.set(name, createHash('sha256').update(data).digest('hex'));
  }

  /** A member of unknown size: streamed in, its header written once its size is known. Returns the size. */
  async addStream(name: string, stream: AsyncIterable<Buffer | string>, onBytes: (total: number) => void): Promise<number> {
    const headerAt = this.position;
    await this.write(Buffer.alloc(BLOCK));
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of stream) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(data);
      await this.write(data);
      size += data.length;
      onBytes(size);
    }
    await this.write(Buffer.alloc(padding(size)));
    await this.write(tarHeader(name, size, this.mtime), headerAt);
    this.sums.set(name, hash.digest('hex'));
    return size;
  }

  /** The last member, the end of archive, then the rename into place. */
  async finish(lastName: string, last: Buffer): Promise<number> {
    await this.addBuffer(lastName, last);
    await this.write(Buffer.alloc(2 * BLOCK));
    await this.file.sync();
    await this.file.close();
    await rename(`${this.path}.part`, this.path);
    return this.position;
  }

  /** After a failure or cancel: FILE.part goes. */
  async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(`${this.path}.part`, { force: true });
  }
}

/**
 * Reads a kit front to back, giving each member's stream to `onMember` (which must read it to its
 * end or leave it: the rest is drained); `onBytes` gets the bytes of the file read so far.
 */
export async function readKit(path: string, onMember: (name: string, content: Readable, size: number) => Promise<void>, onBytes: (read: number) => void, signal?: AbortSignal): Promise<void> {
  const source = createReadStream(path, signal ? { signal } : {});
  let read = 0;
  source.on('data', (chunk) => onBytes((read += chunk.length)));
  const tar = extract();
  const fed = pipeline(source, tar);
  try {
    for await (const entry of tar) {
      // A Node stream over the member (tar-stream's entries are streamx streams).
      await onMember(entry.header.name, Readable.from(entry), entry.header.size ?? 0);
      entry.resume();
    }
  } catch (error) {
    source.destroy();
    await fed.catch(() => undefined);
    throw error;
  }
  await fed;
}

/** Every member's SHA-256, and the text of the one named `keep` (the manifest), read in one pass. */
export async function hashKit(path: string, keep: string, onBytes: (read: number) => void, signal?: AbortSignal): Promise<{ readonly sums: Map<string, string>; readonly kept?: string }> {
  const sums = new Map<string, string>();
  let kept: string | undefined;
  await readKit(
    path,
    async (name, content) => {
      const hash = createHash('sha256');
      const parts: Buffer[] = [];
      for await (const chunk of content) {
        hash.update(chunk as Buffer);
        if (name === keep) parts.push(chunk as Buffer);
      }
      sums.set(name, hash.digest('hex'));
      if (name === keep) kept = Buffer.concat(parts).toString('utf8');
    },
    onBytes,
    signal,
  );
  return { sums, ...(kept !== undefined ? { kept } : {}) };
}
