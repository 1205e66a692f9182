// Flash benchmark on loop devices, against the reference tools measured in the same run:
//   1. a dense 1 GiB image: ours vs `dd bs=4M oflag=direct conv=fsync` (target: ratio <= 1.05)
//   2. a sparse 8 GiB raw image holding about 1 GiB of data, with its .bmap: ours vs
//      `bmaptool copy` (target: ratio <= 1.0)
//   3. what verifying by read-back adds.
// Run as root: `npm run bench:flash` (needs losetup, dd, bmaptool, 20 GB free in $KF_BENCH_DIR
// (default /var/tmp) and 3 GB of RAM). Two kinds of loop device:
//   - on disk, with direct I/O to its backing file (losetup --direct-io=on, the file allocated
//     beforehand): writes reach the disk as they would reach a USB stick. Realistic, but shared
//     cloud disks vary by +-30 % between runs, hence the medians;
//   - in RAM (a tmpfs): fast and steady, the strictest case for us: any overhead of ours shows.
// The source images are read once beforehand so both tools read them from memory. Tools
// alternate run by run; each figure is the median of KF_BENCH_RUNS runs (default 7).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { runFlash } from '../../src-main/flash/flash-engine.js';
import type { FlashJob, FlashSummary } from '../../src-main/flash/helper-protocol.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const RUNS = Number(process.env.KF_BENCH_RUNS ?? 7);

async function time(work: () => Promise<unknown>): Promise<number> {
  await execa('sync');
  const t0 = performance.now();
  await work();
  return (performance.now() - t0) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function fill(path: string, size: number, dataRanges: ReadonlyArray<[number, number]>): Promise<void> {
  await execa('truncate', ['-s', String(size), path]);
  const file = await open(path, 'r+');
  try {
    const block = randomBytes(4 * MIB);
    for (const [offset, length] of dataRanges) {
      for (let at = offset; at < offset + length; at += block.length) {
        block[0] = (at / MIB) & 0xff; // no two blocks alike
        await file.write(block, 0, Math.min(block.length, offset + length - at), at);
      }
    }
  } finally {
    await file.close();
  }
}

async function ours(job: Omit<FlashJob, 'type'>): Promise<FlashSummary> {
  let summary: FlashSummary | undefined;
  await runFlash({ type: 'flash', ...job }, (e) => {
    if (e.type === 'done') summary = e.summary;
  }, new AbortController().signal);
  return summary!;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (loop devices)');
  const dir = await mkdtemp(join(process.env.KF_BENCH_DIR ?? '/var/tmp', 'kf-bench-'));
  const ram = join(dir, 'ram');
  await mkdir(ram);
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=4G', 'tmpfs', ram]);
  const loops: string[] = [];
  const loop = async (size: number, where: 'disk' | 'ram'): Promise<string> => {
    const file = join(where === 'ram' ? ram : dir, `target-${loops.length}.img`);
    if (where === 'disk') {
      // Allocated, not sparse: a first write into holes would cost what later runs do not.
      await execa('fallocate', ['-l', String(size), file]);
    } else {
      await execa('truncate', ['-s', String(size), file]);
    }
    const device = (await execa('losetup', ['-f', '--show', ...(where === 'disk' ? ['--direct-io=on'] : []), file])).stdout.trim();
    loops.push(device);
    return device;
  };
  try {
    console.log(`Flash benchmark (${RUNS} runs each, medians; loop devices on a tmpfs in ${ram})\n`);

    // 1. Dense 1 GiB, on both kinds of loop device.
    const dense = join(dir, 'dense.img');
    await fill(dense, GIB, [[0, GIB]]);
    await execa('cat', [dense], { stdout: 'ignore' });
    for (const where of ['disk', 'ram'] as const) {
      const target = await loop(GIB + 64 * MIB, where);
      const dd: number[] = [];
      const us: number[] = [];
      const usVerify: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        dd.push(await time(() => execa('dd', [`if=${dense}`, `of=${target}`, 'bs=4M', 'oflag=direct', 'conv=fsync', 'status=none'])));
        us.push(await time(() => ours({ source: dense, targets: [target], verify: false })));
        usVerify.push(await time(() => ours({ source: dense, targets: [target], verify: true })));
      }
      const ratio = median(us) / median(dd);
      console.log(`Dense 1 GiB image, loop device ${where === 'disk' ? 'on disk (direct I/O)' : 'in RAM'}`);
      console.log(`  dd bs=4M oflag=direct conv=fsync  ${median(dd).toFixed(2)} s   (${(GIB / MIB / median(dd)).toFixed(0)} MiB/s)`);
      console.log(`  kairos-factory (no verify)        ${median(us).toFixed(2)} s   ratio ${ratio.toFixed(3)}  (target <= 1.05) ${ratio <= 1.05 ? 'OK' : 'MISSED'}`);
      console.log(`  kairos-factory (with verify)      ${median(usVerify).toFixed(2)} s   verify adds ${(median(usVerify) - median(us)).toFixed(2)} s\n`);
    }

    // 2. Sparse 8 GiB with about 1 GiB of data, and its .bmap.
    const sparse = join(dir, 'sparse.img');
    const ranges: Array<[number, number]> = [];
    for (let i = 0; i < 16; i++) ranges.push([i * 512 * MIB, 64 * MIB]);
    await fill(sparse, 8 * GIB, ranges);
    await execa('bmaptool', ['create', sparse, '-o', `${sparse}.bmap`]);
    await execa('cat', [sparse], { stdout: 'ignore' });
    const sparseTarget = await loop(8 * GIB + 64 * MIB, 'ram');
    const bmaptool: number[] = [];
    const usSparse: number[] = [];
    const usSparseVerify: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bmaptool.push(await time(() => execa('bmaptool', ['copy', '--bmap', `${sparse}.bmap`, sparse, sparseTarget])));
      usSparse.push(await time(() => ours({ source: sparse, targets: [sparseTarget], verify: false })));
      usSparseVerify.push(await time(() => ours({ source: sparse, targets: [sparseTarget], verify: true })));
    }
    const sparseRatio = median(usSparse) / median(bmaptool);
    console.log('Sparse 8 GiB image, 1 GiB mapped, with .bmap, loop device in RAM');
    console.log(`  bmaptool copy (verifies ranges)   ${median(bmaptool).toFixed(2)} s`);
    console.log(`  kairos-factory (no verify)        ${median(usSparse).toFixed(2)} s   ratio ${sparseRatio.toFixed(3)}  (target <= 1.0) ${sparseRatio <= 1.0 ? 'OK' : 'MISSED'}`);
    const verifyRatio = median(usSparseVerify) / median(bmaptool);
    console.log(`  kairos-factory (with verify)      ${median(usSparseVerify).toFixed(2)} s   ratio ${verifyRatio.toFixed(3)}  verify adds ${(median(usSparseVerify) - median(usSparse)).toFixed(2)} s`);
  } finally {
    for (const device of loops) await execa('losetup', ['-d', device], { reject: false });
    await execa('umount', [ram], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
