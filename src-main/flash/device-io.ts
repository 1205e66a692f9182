// Raw access to a flash target. Block devices are opened with O_DIRECT where the OS has it
// (Linux): writes go to the device, not to the page cache, so a failing device reports its error
// on the write that failed, and verification reads what the device holds. O_DIRECT needs buffers
// aligned to the logical block size; Node cannot align memory, so a buffer is probed once for the
// offset at which it is aligned. Regular files (and OSes without O_DIRECT) use plain I/O.
import { constants } from 'node:fs';
import { open, readFile, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import type { FileId } from '../../src-shared/drives/drive-types.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { devName } from '../drives/file-id.js';
import { roundUp } from './write-plan.js';

export interface TargetFacts {
  /** The path to open: links followed. */
  readonly path: string;
  /** The target as the user named it, for messages and results. */
  readonly label: string;
  readonly kind: 'block' | 'file';
  readonly size?: number;
  readonly logicalBlockSize: number;
  /** What the open must find there: the device ("major:minor") or the file checked by the policy. */
  readonly expect?: { readonly rdev?: string; readonly fileId?: FileId };
}

export async function targetFacts(path: string, label = path, expect?: TargetFacts['expect']): Promise<TargetFacts> {
  const info = await stat(path).catch(() => undefined);
  const extra = { label, ...(expect ? { expect } : {}) };
  if (!info) return { path, kind: 'file', logicalBlockSize: 512, ...extra };
  if (info.isFile()) return { path, kind: 'file', size: info.size, logicalBlockSize: 512, ...extra };
  if (!info.isBlockDevice()) throw new AppError('target-invalid', `${label} is neither a drive nor a regular file`);
  const name = basename(await realpath(path));
  const sectors = await readFile(`/sys/class/block/${name}/size`, 'utf8').catch(() => undefined);
  const lbs = await readFile(`/sys/class/block/${name}/queue/logical_block_size`, 'utf8').catch(() => '512');
  if (sectors === undefined) throw new AppError('target-invalid', `Cannot read the size of ${label}`);
  return { path, kind: 'block', size: Number(sectors.trim()) * 512, logicalBlockSize: Number(lbs.trim()) || 512, ...extra };
}

/** After open: the handle is the device or file the policy checked, not something swapped in since. */
async function checkOpened(handle: FileHandle, facts: TargetFacts): Promise<void> {
  if (!facts.expect) return;
  const info = await handle.stat({ bigint: true });
  const rdev = info.isBlockDevice() ? devName(info.rdev) : undefined;
  const file = { dev: devName(info.dev), ino: info.ino.toString() };
  const { rdev: wantDevice, fileId: wantFile } = facts.expect;
  const same = wantDevice !== undefined ? rdev === wantDevice : wantFile !== undefined ? info.isFile() && file.dev === wantFile.dev && file.ino === wantFile.ino : info.isFile();
  if (!same) {
    await handle.close().catch(() => undefined);
    throw new AppError('target-invalid', `${facts.label} changed while it was being opened: it is not the target that was checked`, { hint: 'Nothing was written; pick the target again' });
  }
}

/** A file target: never through a link (the policy checked the real path), created readable by its owner only. */
function openFileTarget(path: string): Promise<FileHandle> {
  return open(path, constants.O_RDWR | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600);
}

/** A buffer of at least `size` usable bytes whose start is aligned for O_DIRECT on `handle`. */
async function alignedBuffer(handle: FileHandle, size: number, unit: number): Promise<Buffer> {
  const raw = Buffer.allocUnsafeSlow(size + 8192);
  // malloc aligns to 16 bytes: at most 256 probes, each an O_DIRECT read at offset 0. The probe
  // spans several pages: Linux accepts a misaligned buffer for an I/O within one page, so a
  // one-block probe would pass at every offset and the first big write would then fail.
  const probe = Math.max(unit, Math.min(size, 64 * 1024));
  for (let shift = 0; shift < 4096; shift += 16) {
    try {
      await handle.read(raw, shift, probe, 0);
      return raw.subarray(shift, shift + size);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EINVAL') throw error;
    }
  }
  throw new AppError('flash-failed', 'Could not get memory aligned for direct I/O');
}

/** Buffers a target hands out: the scratch buffer and three for pipelined reads and writes. */
const ARENA_SLOTS = 4;

export class TargetIo {
  private readonly scratch: Buffer;
  private nextSlot = 1;

  private constructor(
    readonly facts: TargetFacts,
    private readonly handle: FileHandle,
    readonly direct: boolean,
    /** One allocation, aligned once, cut into ARENA_SLOTS buffers (aligned too: 4096 apart). */
    private readonly arena: Buffer,
    private readonly slotSize: number,
  ) {
    this.scratch = arena.subarray(0, slotSize);
  }

  /** Opens for writing; `bufferSize` is the largest write that will be asked for. */
  static async open(facts: TargetFacts, bufferSize: number): Promise<TargetIo> {
    const size = roundUp(bufferSize, 4096);
    if (facts.kind === 'block' && constants.O_DIRECT !== undefined) {
      try {
        const handle = await open(facts.path, constants.O_RDWR | constants.O_DIRECT | (constants.O_EXCL ?? 0));
        await checkOpened(handle, facts);
        return new TargetIo(facts, handle, true, await alignedBuffer(handle, size * ARENA_SLOTS, facts.logicalBlockSize), size);
      } catch (error) {
        if ((error as { code?: string }).code === 'EBUSY') {
          throw new AppError('target-invalid', `${facts.path} is in use by the system (mounted or held open)`, { hint: 'Close whatever uses it, or unmount it, and try again' });
        }
        if ((error as { code?: string }).code !== 'EINVAL') throw error;
      }
    }
    const handle = facts.kind === 'block' ? await open(facts.path, 'r+') : await openFileTarget(facts.path);
    await checkOpened(handle, facts);
    return new TargetIo(facts, handle, false, Buffer.allocUnsafeSlow(size * ARENA_SLOTS), size);
  }

  /** A buffer this target can do direct I/O from: a free slot of its arena, else a new one. */
  async newBuffer(size: number): Promise<Buffer> {
    const rounded = roundUp(size, 4096);
    if (rounded <= this.slotSize && this.nextSlot < ARENA_SLOTS) {
      const slot = this.nextSlot++;
      return this.arena.subarray(slot * this.slotSize, (slot + 1) * this.slotSize);
    }
    return this.direct ? alignedBuffer(this.handle, rounded, this.facts.logicalBlockSize) : Buffer.allocUnsafeSlow(rounded);
  }

  /**
   * Writes the first `length` bytes of `buffer` at `offset`. `buffer` must come from newBuffer()
   * of a target with the same or a larger block size; with O_DIRECT the write is padded with zeros
   * to a whole logical block (only at the image's end, where an image may stop mid-block).
   */
  async writeFrom(buffer: Buffer, length: number, offset: number): Promise<void> {
    let total = length;
    if (this.direct) {
      total = roundUp(length, this.facts.logicalBlockSize);
      if (total > length) buffer.fill(0, length, total);
    }
    let done = 0;
    while (done < total) {
      const { bytesWritten } = await this.handle.write(buffer, done, total - done, offset + done);
      if (bytesWritten === 0) throw new AppError('flash-failed', `${this.facts.path} accepted no more data at offset ${offset + done}`);
      done += bytesWritten;
    }
  }

  /** Writes any buffer, through the aligned scratch buffer when direct. */
  async write(data: Buffer, offset: number): Promise<void> {
    if (!this.direct) return this.writeFrom(data, data.length, offset);
    // Through the scratch buffer, in pieces it holds (a small chunk size makes it smaller than the head's MiB).
    for (let at = 0; at < data.length; at += this.scratch.length) {
      const length = Math.min(this.scratch.length, data.length - at);
      data.copy(this.scratch, 0, at, at + length);
      await this.writeFrom(this.scratch, length, offset + at);
    }
  }

  async zero(offset: number, length: number): Promise<void> {
    // In pieces the aligned scratch buffer holds: with a small chunk size it is less than a MiB.
    const zeros = Buffer.alloc(Math.min(length, 1 << 20, this.scratch.length));
    for (let at = offset; at < offset + length; at += zeros.length) {
      await this.write(zeros.subarray(0, Math.min(zeros.length, offset + length - at)), at);
    }
  }

  /** Reads `length` bytes at `offset` into `buffer` (from newBuffer() when direct); returns the bytes read. */
  async readInto(buffer: Buffer, offset: number, length: number): Promise<number> {
    const want = this.direct ? roundUp(length, this.facts.logicalBlockSize) : length;
    let got = 0;
    while (got < want) {
      const { bytesRead } = await this.handle.read(buffer, got, want - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return Math.min(got, length);
  }

  async truncate(size: number): Promise<void> {
    if (this.facts.kind === 'file') await this.handle.truncate(size);
  }

  async flush(): Promise<void> {
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}
