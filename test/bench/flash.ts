// Flash benchmark on loop devices, against the reference tools measured in the same run:
//   1. a dense 1 GiB image: ours vs `dd bs=4M oflag=direct conv=fsync` (target: ratio <= 1.05)
//   2. a sparse 8 GiB raw image holding about 1 GiB of data, with its .bmap: ours vs
//      `bmaptool copy` (target: ratio <= 1.0)
//   3. what verifying by read-back adds;
//   4. whole process, the CLI as a user runs it (`kairos-factory flash IMG DEVICE --yes`, its
//      start, the drive checks and the helper included) against dd in the same run: a 1 MiB image
//      (target: under 0.4 s), a dense 1 GiB image to a loop device in RAM, and `--version`
//      (target: under 0.2 s).
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
import type { FlashJobSchema, FlashSummary } from '../../src-main/flash/helper-protocol.js';
import type { input } from 'zod/mini';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
const RUNS = Number(process.env.KF_BENCH_RUNS ?? 7);
/** `npm run bench:flash -- --whole-process`: only the CLI rows (a minute instead of ten). */
const WHOLE_ONLY = process.argv.includes('--whole-process');

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

async function ours(job: Omit<input<typeof FlashJobSchema>, 'type' | 'allowVirtual'>): Promise<FlashSummary> {
  let summary: FlashSummary | undefined;
  const { FlashJobSchema: schema } = await import('../../src-main/flash/helper-protocol.js');
  await runFlash(schema.parse({ type: 'flash', allowVirtual: true, ...job }), (e) => {
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
    if (WHOLE_ONLY) {
      await wholeProcess(dir, dense, await loop(GIB + 64 * MIB, 'ram'));
      return;
    }
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
    console.log(`  kairos-factory (with verify)      ${median(usSparseVerify).toFixed(2)} s   ratio ${verifyRatio.toFixed(3)}  verify adds ${(median(usSparseVerify) - median(usSparse)).toFixed(2)} s\n`);

    await wholeProcess(dir, dense, await loop(GIB + 64 * MIB, 'ram'));
  } finally {
    for (const device of loops) await execa('losetup', ['-d', device], { reject: false });
    await execa('umount', [ram], { reject: false });
    await rm(dir, { recursive: true, force: true });
  }
}

/** The CLI as a user runs it, process start and all, against dd in the same run. */
async function wholeProcess(dir: string, dense: string, target: string): Promise<void> {
  const cli = join(process.cwd(), 'bin', 'kairos-factory.js');
  const env = { ...process.env, KF_DATA_DIR: join(dir, 'data') };
  const small = join(dir, 'one-mib.img');
  await fill(small, MIB, [[0, MIB]]);
  const version: number[] = [];
  const bare: number[] = [];
  const ddSmall: number[] = [];
  const usSmall: number[] = [];
  const ddDense: number[] = [];
  const usDense: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await time(() => execa('node', ['-e', '0'])));
    version.push(await time(() => execa('node', [cli, '--version'], { env })));
    ddSmall.push(await time(() => execa('dd', [`if=${small}`, `of=${target}`, 'bs=4M', 'oflag=direct', 'conv=fsync', 'status=none'])));
    usSmall.push(await time(() => execa('node', [cli, 'flash', small, target, '--yes', '--no-verify'], { env })));
    ddDense.push(await time(() => execa('dd', [`if=${dense}`, `of=${target}`, 'bs=4M', 'oflag=direct', 'conv=fsync', 'status=none'])));
    usDense.push(await time(() => execa('node', [cli, 'flash', dense, target, '--yes', '--no-verify'], { env })));
  }
  const row = (label: string, ref: number, us: number, target?: number): string =>
    `  ${label.padEnd(34)}dd ${ref.toFixed(3)} s   ours ${us.toFixed(3)} s   ratio ${(us / ref).toFixed(2)}${target !== undefined ? `   (target < ${target} s) ${us < target ? 'OK' : 'MISSED'}` : ''}`;
  console.log('Whole process: `kairos-factory flash IMAGE DEVICE --yes --no-verify`, loop device in RAM');
  console.log(`  node -e 0 (the runtime alone)     ${median(bare).toFixed(3)} s`);
  console.log(`  kairos-factory --version          ${median(version).toFixed(3)} s   (target < 0.2 s) ${median(version) < 0.2 ? 'OK' : 'MISSED'}`);
  console.log(row('1 MiB image', median(ddSmall), median(usSmall), 0.4));
  console.log(row('dense 1 GiB image', median(ddDense), median(usDense)));
}

await main();
