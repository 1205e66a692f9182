// The flash itself, as the helper process runs it: checks before touching anything, unmounts,
// zeroes the first and last MiB, writes the image (only its mapped blocks with a .bmap) to every
// target from one read of the source, the first MiB last, flushes, and reads everything back.
// One failing target drops out; the others finish.
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AppError, type AppErrorData } from '../../src-shared/errors/app-error.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { BmapChecker, parseBmap, rangeBytes, type Bmap } from './bmap.js';
import { TargetIo, targetFacts, type TargetFacts } from './device-io.js';
import type { FlashJob, FlashPhase, HelperEvent, TargetResult } from './helper-protocol.js';
import { inspectSource, measureImageSize, openSourceStream, type SourceInfo } from './source/open-source.js';
import { checkTargets } from './target-check.js';
import { unmountTarget } from './unmount.js';
import { fastHasher, type Hasher } from './fast-hash.js';
import { MIB, cardRangeProblem, end, intersect, planWrites, without, type Interval } from './write-plan.js';

export const DEFAULT_CHUNK = 8 * MIB;

interface Target {
  readonly facts: TargetFacts;
  /** This card's own partition image (per-card values), written over the job's cardRange. */
  readonly partition?: string;
  io?: TargetIo;
  error?: AppErrorData;
  /** What was written to this target alone (its own partition), for its read-back. */
  readonly own: Written[];
}

interface Written extends Interval {
  /** XXH64 of what was written there (fast-hash.ts). */
  readonly hash: string;
}

type Emit = (event: HelperEvent) => void;

function cancelled(): AppError {
  return new AppError('cancelled', 'Flashing cancelled: the drive was left without a boot sector, so it will not boot half-written', {
    hint: 'Flash it again when ready',
  });
}

/** Finds the .bmap of an image: next to it, or next to its uncompressed name (image.img.xz -> image.img.bmap). */
async function findBmap(source: string): Promise<string | undefined> {
  const candidates = [`${source}.bmap`, `${source.replace(/\.(xz|gz|zst|bz2|zip)$/i, '')}.bmap`, source.replace(/\.[^./]+$/, '.bmap')];
  for (const path of candidates) {
    if (path !== source && (await stat(path).catch(() => undefined))?.isFile()) return path;
  }
  return undefined;
}

export async function runFlash(job: FlashJob, emit: Emit, signal: AbortSignal): Promise<void> {
  let sourceHandle: FileHandle | undefined;
  try {
    await flashWithSource(job, emit, signal, (handle) => (sourceHandle = handle));
  } finally {
    await sourceHandle?.close().catch(() => undefined);
  }
}

async function flashWithSource(job: FlashJob, emit: Emit, signal: AbortSignal, holdSource: (handle: FileHandle) => void): Promise<void> {
  const started = performance.now();
  const durations: Partial<Record<FlashPhase, number>> = {};
  const phase = async <T>(name: FlashPhase, work: () => Promise<T>): Promise<T> => {
    if (signal.aborted) throw cancelled();
    const t0 = performance.now();
    emit({ type: 'phase', phase: name, state: 'started' });
    const result = await work();
    durations[name] = (performance.now() - t0) / 1000;
    emit({ type: 'phase', phase: name, state: 'done', seconds: durations[name] });
    return result;
  };
  const chunk = job.chunkSize ?? DEFAULT_CHUNK;

  // 1. Everything that can be checked before a target is touched: the source is opened (and held
  //    open, so the file system it lives on cannot be unmounted under it) and validated, its real
  //    size known (measured by decompressing when the container does not say), then the targets
  //    are judged by the same policy the app applied, against the drives as they are now.
  const { info, bmap } = await phase('inspect', async () => {
    const info = await inspectSource(job.source);
    holdSource(await open(job.source, 'r'));
    const bmapPath = job.bmap === false ? undefined : typeof job.bmap === 'string' ? job.bmap : await findBmap(job.source);
    let bmap: Bmap | undefined;
    if (bmapPath) {
      bmap = parseBmap(await readFile(bmapPath, 'utf8'), bmapPath);
      if (info.imageSize !== undefined && bmap.imageSize !== info.imageSize) {
        throw new AppError('source-invalid', `${bmapPath} describes a ${formatBytes(bmap.imageSize)} image, but the image is ${formatBytes(info.imageSize)}`, {
          hint: 'It belongs to another image: remove it, or fetch the right one',
        });
      }
      emit({ type: 'log', line: `Using ${bmapPath}: ${formatBytes(bmap.mappedBlocksCount * bmap.blockSize)} of ${formatBytes(bmap.imageSize)} hold data` });
    }
    return { info, bmap };
  });
  let imageSize = info.imageSize ?? bmap?.imageSize;
  if (imageSize === undefined) {
    imageSize = await phase('measure', async () => {
      emit({ type: 'log', line: `${info.compression} does not record the image's size: measuring it before any drive is touched` });
      return measureImageSize(info, signal, (done) => emit({ type: 'progress', phase: 'measure', done }));
    });
  }
  const measuredSize = imageSize;
  const cardRange = job.cardRange;
  if (cardRange) await checkCardPartitions(job, cardRange, measuredSize);
  const targets: Target[] = await phase('check', async () => {
    const checked = await checkTargets({
      image: job.source,
      imageSize: measuredSize,
      targets: job.targets.map((t) => t.path),
      allowVirtual: job.allowVirtual,
      confirmations: job.confirmations,
      picked: Object.fromEntries(job.targets.filter((t) => t.identity !== undefined).map((t) => [t.path, t.identity!])),
    });
    return Promise.all(
      checked.targets.map(async (fact, i) => ({
        own: [],
        ...(job.targets[i]?.partition !== undefined ? { partition: job.targets[i]!.partition } : {}),
        facts:
          fact.kind === 'drive'
            ? await targetFacts(fact.drive.device, fact.given, fact.drive.devices?.[0] ? { rdev: fact.drive.devices[0] } : undefined)
            : await targetFacts(fact.path, fact.given, fact.fileId ? { fileId: fact.fileId } : undefined),
      })),
    );
  });

  // 2. Nothing may use the targets while they are written.
  await phase('unmount', async () => {
    for (const t of targets) if (t.facts.kind === 'block') await unmountTarget(t.facts.path);
  });

  const active = (): Target[] => targets.filter((t) => !t.error);
  const fail = async (t: Target, error: unknown): Promise<void> => {
    if (t.error) return;
    t.error = error instanceof AppError ? error.toJSON() : { code: 'flash-failed', message: `Writing ${t.facts.label} failed: ${(error as Error).message}`, hint: 'The drive may be failing or was removed; try another port or drive' };
    emit({ type: 'target-failed', device: t.facts.label, error: t.error });
    await t.io?.close();
    if (active().length === 0) throw AppError.fromData(t.error);
  };
  /** Runs an operation on every live target at once; one failure drops that target only. */
  const eachTarget = async (work: (t: Target & { io: TargetIo }) => Promise<void>): Promise<void> => {
    await Promise.all(active().map((t) => work(t as Target & { io: TargetIo }).catch((e: unknown) => fail(t, e))));
    if (active().length === 0) throw AppError.fromData(targets[0]!.error!);
  };

  const written: Written[] = [];
  // Checksums are only for the read-back: without it, no CPU is spent on them.
  const hash: Hasher = job.verify ? await fastHasher() : () => '';
  try {
    // 3. Open, and zero the first and last MiB: a half-written drive then boots nothing, and no
    //    stale backup GPT at the end of a big drive confuses the firmware.
    await phase('prepare', async () => {
      await Promise.all(targets.map(async (t) => {
        try {
          t.io = await TargetIo.open(t.facts, chunk);
          if (!t.io.direct && t.facts.kind === 'block') emit({ type: 'log', line: `${t.facts.label}: direct I/O unavailable, using the page cache` });
        } catch (e) {
          await fail(t, e);
        }
      }));
      await eachTarget(async (t) => {
        if (t.facts.kind === 'file') {
          await t.io.truncate(0);
          return;
        }
        await t.io.zero(0, Math.min(MIB, t.facts.size ?? MIB));
        if (t.facts.size !== undefined && t.facts.size > 2 * MIB) await t.io.zero(t.facts.size - MIB, MIB);
      });
    });

    // 4. Write.
    const imageMapped: Interval[] | undefined = bmap?.ranges.map((r) => rangeBytes(bmap, r));
    // With per-card values every target gets the image's bytes except over its own partition.
    const mapped = cardRange ? without(imageMapped, cardRange, measuredSize) : imageMapped;
    const checker = bmap ? new BmapChecker(bmap, job.source, cardRange) : undefined;
    const io: WriteIo = { eachTarget, written, emit, signal, checker, hash };
    const head = await phase('write', () =>
      info.compression === 'none' && imageSize !== undefined
        ? writeRandomAccess(job.source, imageSize, mapped, chunk, targets, io)
        : writeStream(info, imageSize, mapped, chunk, targets, io),
    );
    checker?.finish();
    if (cardRange) await phase('card-partitions', () => eachTarget((t) => writeOwnPartition(t, cardRange, chunk, hash, signal)));
    // The first MiB last: only now is the drive bootable.
    if (signal.aborted) throw cancelled();
    for (const piece of head) {
      await eachTarget((t) => t.io.write(piece.data, piece.offset));
      // Recorded in pieces of at most one chunk: verification reads them back into chunk-sized buffers.
      for (let at = 0; at < piece.data.length; at += chunk) {
        const part = piece.data.subarray(at, at + chunk);
        written.push({ offset: piece.offset + at, length: part.length, hash: hash(part) });
      }
    }
    if (job.truncateFiles !== false) {
      const finalSize = imageSize ?? written.reduce((m, w) => Math.max(m, end(w)), 0);
      await eachTarget(async (t) => {
        if (t.facts.kind === 'file') await t.io.truncate(finalSize);
      });
    }
    await phase('flush', () => eachTarget((t) => t.io.flush()));

    // 5. Read it all back.
    if (job.verify) await phase('verify', () => verifyTargets(written, chunk, targets, eachTarget, hash, emit, signal));
  } finally {
    await Promise.all(targets.map((t) => t.io?.close()));
  }

  const results: TargetResult[] = targets.map((t) => ({ device: t.facts.label, ok: !t.error, ...(t.error ? { error: t.error } : {}) }));
  emit({
    type: 'done',
    summary: {
      imageSize: imageSize ?? written.reduce((m, w) => Math.max(m, end(w)), 0),
      bytesWritten: written.reduce((s, w) => s + w.length, 0) + (cardRange?.length ?? 0),
      bmap: Boolean(bmap),
      verified: job.verify,
      seconds: (performance.now() - started) / 1000,
      durations,
      targets: results,
    },
  });
}

interface HeadPiece {
  readonly offset: number;
  readonly data: Buffer;
}

type EachTarget = (work: (t: Target & { io: TargetIo }) => Promise<void>) => Promise<void>;

interface WriteIo {
  readonly eachTarget: EachTarget;
  readonly written: Written[];
  readonly emit: Emit;
  readonly signal: AbortSignal;
  readonly checker: BmapChecker | undefined;
  readonly hash: Hasher;
}

/** Buffers every live target can do direct I/O from: probed on the one with the largest blocks. */
async function ioBuffers(targets: ReadonlyArray<Target>, size: number, count: number): Promise<Buffer[]> {
  const live = targets.filter((t) => !t.error && t.io);
  const strictest = live.filter((t) => t.io!.direct).sort((a, b) => b.facts.logicalBlockSize - a.facts.logicalBlockSize)[0] ?? live[0];
  if (!strictest?.io) throw new AppError('flash-failed', 'No target left to write');
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) out.push(await strictest.io.newBuffer(size));
  return out;
}

/**
 * A plain image: positional reads of only the parts to write. Three things overlap: the read of
 * the next piece, the writes of this piece to every target (I/O threads), and its checksums (here).
 */
async function writeRandomAccess(
  path: string,
  imageSize: number,
  mapped: ReadonlyArray<Interval> | undefined,
  chunk: number,
  targets: ReadonlyArray<Target>,
  io: WriteIo,
): Promise<HeadPiece[]> {
  const plan = planWrites(imageSize, mapped, chunk);
  const file = await open(path, 'r');
  try {
    const readInto = async (buffer: Buffer, i: Interval): Promise<void> => {
      let got = 0;
      while (got < i.length) {
        const { bytesRead } = await file.read(buffer, got, i.length - got, i.offset + got);
        if (bytesRead === 0) throw new AppError('source-invalid', `${path} ended early at ${i.offset + got} bytes`);
        got += bytesRead;
      }
    };
    const head: HeadPiece[] = [];
    for (const i of plan.head) {
      const data = Buffer.allocUnsafe(i.length);
      await readInto(data, i);
      io.checker?.feed(i.offset, data);
      head.push({ offset: i.offset, data });
    }
    // Two writes in flight and the next read under way: drives (and loop devices) take queued
    // requests, and it keeps them busy while this thread reads and checksums.
    const depth = 2;
    const pool = await ioBuffers(targets, chunk, depth + 1);
    const inFlight: Array<Promise<void>> = [];
    let done = head.reduce((s, h) => s + h.data.length, 0);
    try {
      for (let n = 0; n < plan.body.length; n++) {
        if (io.signal.aborted) throw cancelled();
        const piece = plan.body[n]!;
        const buffer = pool[n % pool.length]!;
        // The buffer is free once the write that used it, depth rounds ago, has finished.
        if (inFlight.length >= depth) await inFlight.shift();
        await readInto(buffer, piece);
        const data = buffer.subarray(0, piece.length);
        const writing = io.eachTarget((t) => t.io.writeFrom(buffer, piece.length, piece.offset));
        io.checker?.feed(piece.offset, data);
        const digest = io.hash(data);
        const finished = writing.then(() => {
          io.written.push({ ...piece, hash: digest });
          done += piece.length;
          io.emit({ type: 'progress', phase: 'write', done, total: plan.bytes });
        });
        // Handled here (awaited below): a failure while the next piece is read is not "unhandled".
        finished.catch(() => undefined);
        inFlight.push(finished);
      }
      await Promise.all(inFlight);
    } catch (error) {
      await Promise.allSettled(inFlight);
      throw error;
    }
    return head;
  } finally {
    await file.close();
  }
}

/** A compressed image: one pass over the decompressed stream, writing the mapped parts. */
async function writeStream(
  info: SourceInfo,
  imageSize: number | undefined,
  mapped: ReadonlyArray<Interval> | undefined,
  chunk: number,
  targets: ReadonlyArray<Target>,
  io: WriteIo,
): Promise<HeadPiece[]> {
  const stream: Readable = openSourceStream(info, { signal: io.signal, highWaterMark: 1 << 20 });
  const head: HeadPiece[] = [];
  const total = imageSize !== undefined ? planWrites(imageSize, mapped, chunk).bytes : undefined;
  const pool = await ioBuffers(targets, chunk, 1);
  let position = 0;
  let done = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const flushChunk = async (data: Buffer, at: number): Promise<void> => {
    const span = { offset: at, length: data.length };
    for (const part of intersect(span, mapped)) {
      const slice = data.subarray(part.offset - at, part.offset - at + part.length);
      io.checker?.feed(part.offset, slice);
      const headPart = intersect(part, [{ offset: 0, length: MIB }])[0];
      if (headPart) head.push({ offset: headPart.offset, data: Buffer.from(slice.subarray(0, headPart.length)) });
      const bodyOffset = headPart ? end(headPart) : part.offset;
      const body = slice.subarray(bodyOffset - part.offset);
      if (body.length === 0) continue;
      for (const t of targets) {
        if (!t.error && t.facts.kind === 'block' && t.facts.size !== undefined && bodyOffset + body.length > t.facts.size) {
          throw new AppError('target-too-small', `${t.facts.label} is full: the image is bigger than its ${formatBytes(t.facts.size)}`, { hint: 'Use a bigger drive' });
        }
      }
      const buffer = pool[0]!;
      body.copy(buffer);
      const writing = io.eachTarget((t) => t.io.writeFrom(buffer, body.length, bodyOffset));
      const digest = io.hash(body);
      await writing;
      io.written.push({ offset: bodyOffset, length: body.length, hash: digest });
      done += body.length;
    }
    io.emit({ type: 'progress', phase: 'write', done: done + head.reduce((s, h) => s + h.data.length, 0), ...(total !== undefined ? { total } : {}) });
  };

  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      if (io.signal.aborted) throw cancelled();
      pending.push(piece);
      pendingBytes += piece.length;
      if (pendingBytes >= chunk) {
        const data = Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        const whole = data.subarray(0, Math.floor(data.length / chunk) * chunk);
        const rest = data.subarray(whole.length);
        for (let at = 0; at < whole.length; at += chunk) await flushChunk(whole.subarray(at, at + chunk), position + at);
        position += whole.length;
        if (rest.length > 0) {
          pending = [Buffer.from(rest)];
          pendingBytes = rest.length;
        }
      }
    }
    if (pendingBytes > 0) {
      await flushChunk(Buffer.concat(pending, pendingBytes), position);
      position += pendingBytes;
    }
  } catch (error) {
    if (io.signal.aborted) throw cancelled();
    throw error instanceof AppError ? error : new AppError('source-invalid', `Reading ${info.path} failed: ${(error as Error).message}`);
  }
  if (imageSize !== undefined && position !== imageSize) {
    throw new AppError('source-invalid', `${info.path} holds ${formatBytes(position)} of image, ${formatBytes(imageSize)} were expected`, { hint: 'The file is truncated or corrupt; download it again' });
  }
  return head;
}

/** Reads back everything written, on every target at once, each reading its next piece while hashing this one. */
async function verifyTargets(
  written: ReadonlyArray<Written>,
  chunk: number,
  targets: ReadonlyArray<Target>,
  eachTarget: EachTarget,
  hash: Hasher,
  emit: Emit,
  signal: AbortSignal,
): Promise<void> {
  // Each target's own bytes (its partition) are read back against what it alone was given.
  const piecesOf = (t: Target): Written[] => [...written, ...t.own].sort((a, b) => a.offset - b.offset);
  const total = piecesOf(targets[0]!).reduce((s, w) => s + w.length, 0);
  const progress = new Map<string, number>();
  const report = (): void => emit({ type: 'progress', phase: 'verify', done: Math.min(...[...progress.values()]), total });
  await eachTarget(async (t) => {
    const pieces = piecesOf(t);
    progress.set(t.facts.path, 0);
    const pool = [await t.io.newBuffer(chunk), await t.io.newBuffer(chunk)];
    let reading = pieces[0] ? t.io.readInto(pool[0]!, pieces[0].offset, pieces[0].length) : undefined;
    let done = 0;
    for (let n = 0; n < pieces.length; n++) {
      if (signal.aborted) throw cancelled();
      const piece = pieces[n]!;
      const got = await reading!;
      reading = pieces[n + 1] ? t.io.readInto(pool[(n + 1) % 2]!, pieces[n + 1]!.offset, pieces[n + 1]!.length) : undefined;
      if (got !== piece.length || hash(pool[n % 2]!.subarray(0, piece.length)) !== piece.hash) {
        await reading?.catch(() => undefined);
        const what = t.own.includes(piece) ? 'its own partition' : 'the image';
        throw new AppError('verify-mismatch', `Verification failed: ${t.facts.label} differs from ${what} in the ${formatBytes(piece.length)} at offset ${piece.offset}`, {
          hint: 'The drive did not keep what was written; it may be faulty or counterfeit. Try another drive',
        });
      }
      done += piece.length;
      progress.set(t.facts.path, done);
      report();
    }
  });
}

/** Every target has its own partition image, each exactly the partition's size, inside the image: or nothing is touched. */
async function checkCardPartitions(job: FlashJob, range: Interval, imageSize: number): Promise<void> {
  const sizes = await Promise.all(
    job.targets.map(async (t) => {
      if (t.partition === undefined) throw new AppError('bad-request', `${t.path} has no partition image of its own, but the job gives per-card values`);
      const info = await stat(t.partition).catch(() => undefined);
      if (!info?.isFile()) throw new AppError('source-invalid', `${t.path}'s own partition image ${t.partition} is missing`);
      return { target: t.path, size: info.size };
    }),
  );
  const problem = cardRangeProblem(range, imageSize, sizes);
  if (problem) throw new AppError('source-invalid', `Nothing was written: ${problem}`, { hint: 'Make the per-card partition images again from this image' });
}

/** One card's own partition image over the range, in chunks, each recorded for the read-back. */
async function writeOwnPartition(t: Target & { io: TargetIo }, range: Interval, chunk: number, hash: Hasher, signal: AbortSignal): Promise<void> {
  const file = await open(t.partition!, 'r');
  try {
    const buffer = await t.io.newBuffer(chunk);
    for (let at = 0; at < range.length; at += chunk) {
      if (signal.aborted) throw cancelled();
      const length = Math.min(chunk, range.length - at);
      const { bytesRead } = await file.read(buffer, 0, length, at);
      if (bytesRead !== length) throw new AppError('source-invalid', `${t.partition} ended early at ${at + bytesRead} bytes`);
      await t.io.writeFrom(buffer, length, range.offset + at);
      t.own.push({ offset: range.offset + at, length, hash: hash(buffer.subarray(0, length)) });
    }
  } finally {
    await file.close();
  }
}
