// Writes an image to a target (a block device or a regular file) and verifies it by reading it
// back: per-chunk SHA-256 taken while writing, compared chunk by chunk after, so a mismatch names
// the offset where the copy went wrong.
import { createHash } from 'node:crypto';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { execa } from 'execa';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { formatBytes } from '../../src-shared/util/format.js';

export interface FlashRequest {
  readonly image: string;
  readonly target: string;
  readonly verify: boolean;
}

export const CHUNK = 4 * 1024 * 1024;

export interface TargetInfo {
  readonly path: string;
  readonly kind: 'block' | 'file';
  /** Size in bytes; undefined for a file that grows. */
  readonly size?: number;
}

export async function describeTarget(path: string): Promise<TargetInfo> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { path, kind: 'file' };
    throw new AppError('target-invalid', `Cannot use ${path}: ${(error as Error).message}`);
  }
  if (info.isBlockDevice()) return { path, kind: 'block', size: await blockDeviceSize(path) };
  if (info.isFile()) return { path, kind: 'file' };
  throw new AppError('target-invalid', `${path} is neither a block device nor a regular file`, {
    hint: 'Give a drive (e.g. /dev/sdb) or a file path',
  });
}

/** Linux: /sys/class/block/<name>/size counts 512-byte sectors whatever the device's block size. */
async function blockDeviceSize(path: string): Promise<number> {
  const name = basename(await realpath(path));
  const sectors = await readFile(`/sys/class/block/${name}/size`, 'utf8').catch(() => undefined);
  if (sectors === undefined) throw new AppError('target-invalid', `Cannot read the size of ${path}`);
  return Number(sectors.trim()) * 512;
}

export async function flashImage(request: FlashRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const image = await stat(request.image).catch(() => undefined);
  if (!image?.isFile()) {
    throw new AppError('source-invalid', `${request.image} is not a readable image file`, { hint: 'Check the path of the image' });
  }
  if ((await realpath(request.image)) === (await realpath(request.target).catch(() => ''))) {
    throw new AppError('target-invalid', 'The target is the image itself');
  }
  const target = await describeTarget(request.target);
  if (target.size !== undefined && target.size < image.size) {
    throw new AppError('target-too-small', `${request.target} holds ${formatBytes(target.size)}, the image needs ${formatBytes(image.size)}`, {
      hint: 'Use a bigger drive',
    });
  }

  const chunkHashes: string[] = [];
  await ctx.runPhase('flash', 'write', async () => {
    const meter = ctx.meter('flash', 'write', 'bytes', image.size);
    const source = await open(request.image, 'r');
    const sink = await open(request.target, target.kind === 'block' ? 'r+' : 'w');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      let offset = 0;
      while (offset < image.size) {
        if (ctx.signal.aborted) throw cancelledError();
        const { bytesRead } = await source.read(buffer, 0, Math.min(CHUNK, image.size - offset), offset);
        if (bytesRead === 0) throw new AppError('source-invalid', `${request.image} ended early at ${offset} bytes`);
        const chunk = buffer.subarray(0, bytesRead);
        chunkHashes.push(createHash('sha256').update(chunk).digest('hex'));
        let written = 0;
        while (written < bytesRead) {
          const r = await sink.write(chunk, written, bytesRead - written, offset + written);
          written += r.bytesWritten;
        }
        offset += bytesRead;
        meter.update(offset);
      }
      await ctx.runPhase('flash', 'flush', () => sink.sync());
      meter.finish();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('flash-failed', `Writing ${request.target} failed: ${(error as Error).message}`, {
        hint: 'The drive may be failing or was removed; try another port or drive',
      });
    } finally {
      await source.close();
      await sink.close();
    }
  });

  if (request.verify) {
    await ctx.runPhase('flash', 'verify', async () => {
      if (target.kind === 'block') await dropBlockCache(request.target);
      await verifyTarget(request.target, image.size, chunkHashes, ctx);
    });
  }
  const seconds = (performance.now() - started) / 1000;
  return { message: `${formatBytes(image.size)} written to ${request.target}${request.verify ? ' and verified' : ''}`, seconds };
}

/** Reads come from the device, not from the page cache that still holds what we wrote. */
async function dropBlockCache(device: string): Promise<void> {
  await execa('blockdev', ['--flushbufs', device], { reject: false });
}

export async function verifyTarget(path: string, length: number, chunkHashes: ReadonlyArray<string>, ctx: JobContext): Promise<void> {
  const meter = ctx.meter('flash', 'verify', 'bytes', length);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (let index = 0, offset = 0; offset < length; index++) {
      if (ctx.signal.aborted) throw cancelledError();
      const want = Math.min(CHUNK, length - offset);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const hash = createHash('sha256').update(buffer.subarray(0, got)).digest('hex');
      if (got !== want || hash !== chunkHashes[index]) {
        throw new AppError('verify-mismatch', `Verification failed: ${path} differs from the image in the ${formatBytes(CHUNK)} block at offset ${offset}`, {
          hint: 'The drive did not keep what was written; it may be faulty or counterfeit. Try another drive',
        });
      }
      offset += want;
      meter.update(offset);
    }
    meter.finish();
  } finally {
    await handle.close();
  }
}
