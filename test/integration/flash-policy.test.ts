// The target policy as a user meets it, through the CLI (`kairos-factory flash IMG TARGET --yes`)
// on real loop devices, and in the elevated helper itself: every refusal comes before a byte is
// written (the first MiB of the target and the image stay as they were).
import { link, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { HELPER_BUNDLE, withImageFile } from './image-file.js';
import { REPO, cli, skipReason } from './support.js';
import { LoopDevices, MIB, headIsMarked, markHead, readAt } from './loop-devices.js';

const env = inject('integration');

let dir = '';
let image = '';
let data: Buffer;
const loops = new LoopDevices(() => dir);

const loop = (sizeMib: number): Promise<string> => loops.create(sizeMib);
const firstMib = (path: string): Promise<Buffer> => readAt(path, 0, MIB);
const mark = markHead;

const untouched = headIsMarked;
const errorLine = (all: string): string => all.split('\n').filter((l) => l.startsWith('error: ') || l.startsWith('  ')).join('\n');
const flash = (args: string[], extra: Record<string, string> = {}) => cli(['flash', ...args, '--yes'], { KF_DATA_DIR: join(dir, 'data'), ...extra });

/** Runs the CLI in a private mount namespace where `device` is mounted at `at` (a system path there, nowhere else). */
async function inNamespaceWithMount(device: string, at: string, args: string[]): Promise<{ exitCode: number | undefined; all: string }> {
  const script = `mount "$1" "$2" && shift 2 && exec node bin/kairos-factory.js "$@"`;
  const result = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', device, at, ...args], {
    cwd: REPO,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { KF_DATA_DIR: join(dir, 'data') },
  });
  return { exitCode: result.exitCode, all: result.all };
}

withImageFile('kf-policy-', 8 * MIB, (made) => ({ dir, image, data } = made));

afterEach(async () => {
  await loops.release();
});

describe.skipIf(skipReason(env, 'loop') !== undefined)('the target policy on loop devices, through the CLI', () => {
  it('refuses a drive with a system mount unless --confirm-system-drive names it, then writes it', async () => {
    const device = await loop(32);
    await execa('mkfs.ext4', ['-q', '-F', device]);
    const name = basename(device);
    // /srv is a system mount point: in this namespace the loop device is a system disk.
    const refused = await inNamespaceWithMount(device, '/srv', ['flash', image, device, '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(errorLine(refused.all)).toContain(`${device} looks like a system drive (it holds /srv)`);
    expect(errorLine(refused.all)).toContain(`confirm it by its name, ${name}`);
    const wrong = await inNamespaceWithMount(device, '/srv', ['flash', image, device, '--yes', '--confirm-system-drive', 'sda']);
    expect(wrong.exitCode).toBe(1);
    // Still the file system mkfs made: nothing was written.
    expect((await execa('blkid', ['-o', 'value', '-s', 'TYPE', device], { reject: false })).stdout.trim()).toBe('ext4');
    const accepted = await inNamespaceWithMount(device, '/srv', ['flash', image, device, '--yes', '--confirm-system-drive', name]);
    expect(accepted.all).toContain(`written to ${device} and verified`);
    expect(accepted.exitCode).toBe(0);
    expect((await firstMib(device)).equals(data.subarray(0, MIB))).toBe(true);
  });

  it('refuses the drive that holds the image, also when the image is named through a link', async () => {
    const device = await loop(32);
    await execa('mkfs.ext4', ['-q', '-F', device]);
    const mountpoint = join(dir, 'mnt');
    await mkdir(mountpoint, { recursive: true });
    await execa('mount', [device, mountpoint]);
    loops.mounted(mountpoint);
    const inside = join(mountpoint, 'disk.img');
    await writeFile(inside, data.subarray(0, 4 * MIB));
    const viaLink = join(dir, 'elsewhere.img');
    await symlink(inside, viaLink);
    for (const source of [inside, viaLink]) {
      const result = await flash([source, device]);
      expect(result.exitCode).toBe(1);
      expect(errorLine(result.all)).toContain(`${device}: The image file is on this drive`);
    }
    // Still mounted and whole: nothing was unmounted or zeroed.
    expect((await readFile('/proc/mounts', 'utf8')).includes(` ${mountpoint} `)).toBe(true);
    expect((await readFile(inside)).equals(data.subarray(0, 4 * MIB))).toBe(true);
  });

  it('refuses a loop device over the image file itself', async () => {
    const copy = join(dir, 'backing.img');
    await writeFile(copy, data);
    const device = await loops.attach(copy);
    const result = await flash([copy, device]);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result.all)).toContain('The image file is on this drive');
    expect((await readFile(copy)).equals(data)).toBe(true);
  });

  it('refuses the same drive named twice (a path and a link to it)', async () => {
    const device = await loop(32);
    await mark(device);
    const alias = join(dir, 'alias');
    await symlink(device, alias);
    const result = await flash([image, device, alias]);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result.all)).toContain(`${alias} is the same drive as ${device}`);
    expect(await untouched(device)).toBe(true);
  });

  it('refuses a drive too small for what an .xz image holds, judged by its decompressed size', async () => {
    const big = join(dir, 'big.img');
    await execa('truncate', ['-s', '48M', big]);
    await writeFile(big, data.subarray(0, MIB), { flag: 'r+' });
    await execa('xz', ['-k', '-f', '-T2', '-0', big]);
    const device = await loop(32);
    await mark(device);
    const list = await cli(['drives', '--virtual', '--image', `${big}.xz`, '--json'], { KF_DATA_DIR: join(dir, 'data') });
    const listed = JSON.parse(list.all) as { imageSize: number; drives: Array<{ drive: { device: string }; selectable: boolean; findings: Array<{ code: string }> }> };
    expect(listed.imageSize).toBe(48 * MIB);
    const entry = listed.drives.find((d) => d.drive.device === device);
    expect(entry?.selectable).toBe(false);
    expect(entry?.findings.map((f) => f.code)).toContain('too-small');
    const result = await flash([`${big}.xz`, device]);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result.all)).toContain('Too small: 32.0 MiB, the image needs 48.0 MiB');
    expect(await untouched(device)).toBe(true);
  });

  it('measures a .bz2 image before touching the target, and refuses it when it is too big', async () => {
    const big = join(dir, 'big2.img');
    await execa('truncate', ['-s', '48M', big]);
    await writeFile(big, data.subarray(0, MIB), { flag: 'r+' });
    await execa('bzip2', ['-k', '-f', big]);
    const device = await loop(32);
    await mark(device);
    const result = await flash([`${big}.bz2`, device]);
    expect(result.exitCode).toBe(1);
    expect(result.all).toContain('measure');
    expect(errorLine(result.all)).toContain('Too small: 32.0 MiB, the image needs 48.0 MiB');
    expect(await untouched(device)).toBe(true);
  });

  it('refuses a target that is the image: the image named twice, a symlink and a hard link to it', async () => {
    const copy = join(dir, 'self.img');
    await writeFile(copy, data);
    const soft = join(dir, 'soft.img');
    const hard = join(dir, 'hard.img');
    await symlink(copy, soft);
    await link(copy, hard);
    for (const target of [copy, soft, hard]) {
      const result = await flash([copy, target]);
      expect(result.exitCode).toBe(1);
      expect(errorLine(result.all)).toContain(`${target} is the image itself`);
    }
    expect((await readFile(copy)).equals(data)).toBe(true);
  });

  it('never writes a file under /proc, /sys or /etc, nor through a link to nothing', async () => {
    const before = await readFile('/proc/sys/kernel/hostname', 'utf8');
    for (const target of ['/proc/sys/kernel/hostname', '/etc/kf-should-not-exist.img', '/sys/kernel/kf.img']) {
      const result = await flash([image, target]);
      expect(result.exitCode).toBe(1);
      expect(errorLine(result.all)).toMatch(/where no image file is written/);
    }
    expect(await readFile('/proc/sys/kernel/hostname', 'utf8')).toBe(before);
    const dangling = join(dir, 'dangling.img');
    await symlink('/etc/kf-created-through-a-link', dangling);
    const result = await flash([image, dangling]);
    expect(result.exitCode).toBe(1);
    expect(errorLine(result.all)).toContain('is a link to a file that does not exist');
    await expect(readFile('/etc/kf-created-through-a-link')).rejects.toThrow();
  });

  it('creates a new image file readable by its owner only', async () => {
    const target = join(dir, 'new.img');
    const result = await flash([image, target]);
    expect(result.exitCode).toBe(0);
    expect((await execa('stat', ['-c', '%a', target])).stdout.trim()).toBe('600');
    expect((await readFile(target)).equals(data)).toBe(true);
  });
});

describe.skipIf(skipReason(env, 'loop') !== undefined)('the elevated helper re-checks the target it is given', () => {
  type Event = { type: string; phase?: string; error?: { code: string; message: string } };
  /** The helper as the app runs it: the job on stdin, which stays open (closing it means "the app is gone"). */
  async function runHelper(job: unknown): Promise<Event[]> {
    const child = execa('node', [HELPER_BUNDLE], { stdin: 'pipe', reject: false });
    const events: Event[] = [];
    let carry = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (carry + chunk).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line) as Event;
        events.push(event);
        if (event.type === 'done' || event.type === 'error') child.stdin?.end();
      }
    });
    child.stdin?.write(`${JSON.stringify(job)}\n`);
    await child;
    return events;
  }

  it('refuses a drive whose identity is not the one picked (another stick under the same name), before writing', async () => {
    const device = await loop(32);
    await mark(device);
    const picked = { size: 16 * MIB, backingPath: join(dir, 'another-stick.img') };
    const events = await runHelper({ type: 'flash', source: image, targets: [{ path: device, identity: picked }], allowVirtual: true, verify: true });
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    expect(last?.error?.message).toContain(`${device} is not the drive that was picked`);
    expect(events.some((e) => e.type === 'phase' && e.phase === 'prepare')).toBe(false);
    expect(await untouched(device)).toBe(true);
  });

  it('writes and verifies a drive with the smallest chunk size the job allows (64 KiB)', async () => {
    const device = await loop(32);
    await mark(device);
    const events = await runHelper({ type: 'flash', source: image, targets: [device], allowVirtual: true, verify: true, chunkSize: 65536 });
    expect(events.at(-1)).toMatchObject({ type: 'done' });
    expect((await firstMib(device)).equals(data.subarray(0, MIB))).toBe(true);
  });

  it('writes the drive when its identity matches, and refuses loop devices the job did not allow', async () => {
    const device = await loop(32);
    await mark(device);
    const refused = await runHelper({ type: 'flash', source: image, targets: [device], verify: true });
    expect(refused.at(-1)?.error?.message).toContain(`${device} is a loop device`);
    expect(await untouched(device)).toBe(true);
    const backing = (await readFile(`/sys/block/${basename(device)}/loop/backing_file`, 'utf8')).trim();
    const events = await runHelper({ type: 'flash', source: image, targets: [{ path: device, identity: { size: 32 * MIB, backingPath: backing } }], allowVirtual: true, verify: true });
    expect(events.at(-1)?.type).toBe('done');
    expect((await firstMib(device)).equals(data.subarray(0, MIB))).toBe(true);
  });
});
