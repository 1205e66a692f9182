// Flashing real block devices (loop devices) through the CLI and the flash helper: every source
// format, bmap, unmounting, a too-small target, a failing device, a corrupt image, cancel, and
// two targets at once.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO, cli, skipReason } from './support.js';
import { LoopDevices, MIB, markHead, readAt } from './loop-devices.js';

const env = inject('integration');
const IMAGE_MIB = 48;

let dir = '';
let image = '';
const loops = new LoopDevices(() => dir);

/** An image with data, zero runs and a recognisable first MiB, like a real disk image. */
async function makeImage(path: string, mib: number): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let i = 0; i < mib; i++) {
      const block = i % 4 === 3 ? Buffer.alloc(MIB) : randomBytes(MIB);
      if (i === 0) block.write('KAIROS-FACTORY-TEST-IMAGE', 0);
      await file.write(block, 0, MIB, i * MIB);
    }
  } finally {
    await file.close();
  }
}

const loop = (sizeMib: number, backing?: string): Promise<string> => loops.create(sizeMib, backing);
const readDevice = readAt;
const mark = markHead;

async function sameAsImage(device: string): Promise<boolean> {
  const size = (await stat(image)).size;
  return (await execa('cmp', ['-n', String(size), image, device], { reject: false })).exitCode === 0;
}

const flash = (args: string[]) => cli(['flash', ...args, '--yes']);

describe.skipIf(skipReason(env, 'loop') !== undefined)('flash to loop devices', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kf-flashdev-'));
    image = join(dir, 'disk.img');
    await makeImage(image, IMAGE_MIB);
    await execa('gzip', ['-k', '-f', image]);
    await execa('xz', ['-k', '-f', '-T2', '--block-size=4MiB', '-1', image]);
    await execa('zstd', ['-q', '-f', image, '-o', `${image}.zst`]);
    await execa('bzip2', ['-k', '-f', image]);
    await execa('zip', ['-q', '-j', `${join(dir, 'disk.zip')}`, image]);
  }, 120_000);

  afterEach(async () => {
    // Loop devices first: one may hold a file on a tmpfs that is unmounted next.
    await loops.release();
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['plain', ''],
    ['gzip', '.gz'],
    ['xz', '.xz'],
    ['zstd', '.zst'],
    ['bzip2', '.bz2'],
  ])('writes and verifies a %s image', async (_name, suffix) => {
    const device = await loop(IMAGE_MIB + 16);
    await mark(device);
    const result = await flash([`${image}${suffix}`, device]);
    expect(result.all).toMatch(new RegExp(`written to ${device} and verified`));
    expect(result.exitCode).toBe(0);
    expect(await sameAsImage(device)).toBe(true);
  });

  it('writes and verifies the image inside a zip', async () => {
    const device = await loop(IMAGE_MIB + 16);
    const result = await flash([join(dir, 'disk.zip'), device]);
    expect(result.exitCode).toBe(0);
    expect(await sameAsImage(device)).toBe(true);
  });

  it('unmounts a mounted partition of the target first', async () => {
    const device = await loop(IMAGE_MIB + 16);
    await execa('mkfs.ext4', ['-q', '-F', device]);
    const mountpoint = join(dir, 'mnt');
    await mkdir(mountpoint, { recursive: true });
    await execa('mount', [device, mountpoint]);
    loops.mounted(mountpoint);
    const result = await flash([image, device]);
    expect(result.exitCode).toBe(0);
    const stillMounted = (await readFile('/proc/mounts', 'utf8')).includes(` ${mountpoint} `);
    expect(stillMounted).toBe(false);
    expect(await sameAsImage(device)).toBe(true);
  });

  it('refuses a target smaller than the image before writing anything', async () => {
    const device = await loop(IMAGE_MIB - 16);
    await mark(device);
    const result = await flash([`${image}.xz`, device]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(new RegExp(`error: ${device}: Too small: 32\\.0 MiB, the image needs 48\\.0 MiB`));
    expect((await readDevice(device, 0, MIB)).every((b) => b === 0xa5)).toBe(true);
  });

  it('a truncated xz fails before the target is touched', async () => {
    const truncated = join(dir, 'truncated.img.xz');
    const whole = await readFile(`${image}.xz`);
    await writeFile(truncated, whole.subarray(0, Math.floor(whole.length * 0.8)));
    const device = await loop(IMAGE_MIB + 16);
    await mark(device);
    const result = await flash([truncated, device]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/error: .*truncated\.img\.xz.*(truncated|corrupt)/i);
    expect((await readDevice(device, 0, MIB)).every((b) => b === 0xa5)).toBe(true);
  });

  it('a corrupt xz (damaged data, intact index) fails mid-write and leaves the first MiB zeroed', async () => {
    const corrupt = join(dir, 'corrupt.img.xz');
    const data = Buffer.from(await readFile(`${image}.xz`));
    for (let i = 0; i < 64; i++) data[Math.floor(data.length / 2) + i]! ^= 0xff;
    await writeFile(corrupt, data);
    const device = await loop(IMAGE_MIB + 16);
    await mark(device);
    const result = await flash([corrupt, device]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(/error: .*corrupt\.img\.xz/);
    expect((await readDevice(device, 0, MIB)).every((b) => b === 0)).toBe(true);
  });

  it('a device that fails mid-write stops the flash with a clear error within 5 s', async () => {
    // A loop device over a sparse file on a 16 MiB tmpfs: writes past 16 MiB fail.
    const small = join(dir, 'small');
    await mkdir(small, { recursive: true });
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=16M', 'tmpfs', small]);
    loops.mounted(small);
    const device = await loop(IMAGE_MIB + 16, join(small, 'backing.img'));
    const started = Date.now();
    const result = await flash([image, device, '--no-verify']);
    const seconds = (Date.now() - started) / 1000;
    expect(result.exitCode).toBe(1);
    expect(result.all).toMatch(new RegExp(`error: Writing ${device} failed: .*(EIO|ENOSPC|i/o error|no space)`, 'i'));
    expect(seconds).toBeLessThan(5 + 3); // 5 s for the write to stop, plus starting node twice
  });

  it('cancel mid-write stops within 2 s and leaves the first MiB zeroed', async () => {
    const big = join(dir, 'big.img');
    await makeImage(big, 768);
    const device = await loop(800);
    await mark(device);
    const child = execa('node', ['bin/kairos-factory.js', '--json', 'flash', big, device, '--yes'], { cwd: REPO, reject: false });
    let sawProgress = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (/"kind":"progress".*"step":"write"/.test(chunk.toString())) sawProgress = true;
    });
    const deadline = Date.now() + 60_000;
    while (!sawProgress && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sawProgress).toBe(true);
    const sent = Date.now();
    child.kill('SIGINT');
    const result = await child;
    expect(Date.now() - sent).toBeLessThan(2000 + 500);
    expect(result.exitCode).toBe(130);
    expect((await readDevice(device, 0, MIB)).every((b) => b === 0)).toBe(true);
    await rm(big, { force: true });
  }, 120_000);

  it('writes two targets at once from one read of the source; both verify', async () => {
    const a = await loop(IMAGE_MIB + 16);
    const b = await loop(IMAGE_MIB + 32);
    const result = await flash([`${image}.zst`, a, b]);
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(new RegExp(`written to ${a}, ${b} and verified`));
    expect(await sameAsImage(a)).toBe(true);
    expect(await sameAsImage(b)).toBe(true);
  });

  it('one failing target drops out, the other finishes', async () => {
    const small = join(dir, 'small2');
    await mkdir(small, { recursive: true });
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=16M', 'tmpfs', small]);
    loops.mounted(small);
    const bad = await loop(IMAGE_MIB + 16, join(small, 'backing.img'));
    const good = await loop(IMAGE_MIB + 16);
    const result = await flash([image, bad, good]);
    expect(result.exitCode).toBe(0);
    expect(result.all).toContain(`${bad} dropped out`);
    expect(result.all).toMatch(new RegExp(`written to ${good} and verified; failed: ${bad}`));
    expect(await sameAsImage(good)).toBe(true);
  });

  it('uses the .bmap next to a sparse raw image: only mapped blocks are written, all verify', async () => {
    const sparse = join(dir, 'sparse.img');
    await execa('truncate', ['-s', '64M', sparse]);
    const handle = await open(sparse, 'r+');
    await handle.write(randomBytes(3 * MIB), 0, 3 * MIB, 0);
    await handle.write(randomBytes(2 * MIB), 0, 2 * MIB, 40 * MIB);
    await handle.close();
    await execa('bmaptool', ['create', sparse, '-o', join(dir, 'sparse.img.bmap')]);
    const device = await loop(80);
    await mark(device);
    const old = await open(device, 'r+');
    await old.write(Buffer.alloc(MIB, 0x5a), 0, MIB, 20 * MIB);
    await old.close();
    const result = await flash([sparse, device]);
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/only the mapped blocks of 64\.0 MiB, per the \.bmap/);
    // Mapped data arrived...
    const want = createHash('sha256').update(await readFile(sparse).then((b) => b.subarray(40 * MIB, 42 * MIB))).digest('hex');
    expect(createHash('sha256').update(await readDevice(device, 40 * MIB, 2 * MIB)).digest('hex')).toBe(want);
    // ...and an unmapped block was not written: it keeps what was there before.
    expect((await readDevice(device, 20 * MIB, MIB)).every((b) => b === 0x5a)).toBe(true);
  });
});
