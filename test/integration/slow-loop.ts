// A loop device slowed down to a USB stick's pace, so a flash is still mid-way when a test
// interrupts it: the block I/O throttle of a cgroup (v1 blkio or v2 io) caps the writes of the
// processes put in it. Root and loop devices needed; without a throttle the tests say why they skip.
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, open, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';

export interface SlowLoop {
  readonly device: string;
  readonly backing: string;
  /** Starts a command inside the throttled cgroup (so are its children). */
  spawn(command: ReadonlyArray<string>, stdio: ReadonlyArray<'pipe' | 'inherit'>): ChildProcess;
  /** Detaches the device (its writes reach the backing file) and removes the cgroup. */
  release(): Promise<void>;
}

const V1 = '/sys/fs/cgroup/blkio';
const V2 = '/sys/fs/cgroup';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Where the throttle can be set, or why it cannot. */
async function throttleRoot(): Promise<{ readonly kind: 'v1' | 'v2' } | string> {
  if (await exists(join(V1, 'blkio.throttle.write_bps_device'))) return { kind: 'v1' };
  const controllers = await readFile(join(V2, 'cgroup.controllers'), 'utf8').catch(() => '');
  if (controllers.split(/\s+/).includes('io')) return { kind: 'v2' };
  return 'no block I/O throttle (neither cgroup v1 blkio nor the cgroup v2 io controller) to slow a loop device down';
}

/** A loop device over a file filled with `fill`, its writes capped at `bytesPerSecond`; or why not. */
export async function slowLoop(dir: string, sizeMib: number, fill: number, bytesPerSecond: number): Promise<SlowLoop | string> {
  const root = await throttleRoot();
  if (typeof root === 'string') return root;
  const backing = join(dir, `slow-${process.pid}-${Date.now()}.img`);
  const file = await open(backing, 'w');
  try {
    for (let i = 0; i < sizeMib; i++) await file.write(Buffer.alloc(1 << 20, fill));
  } finally {
    await file.close();
  }
  const device = (await execa('losetup', ['-f', '--show', backing])).stdout.trim();
  const majMin = (await execa('lsblk', ['-dno', 'MAJ:MIN', device])).stdout.trim();
  const group = join(root.kind === 'v1' ? V1 : V2, `kf-test-${process.pid}-${Date.now()}`);
  try {
    await mkdir(group);
    if (root.kind === 'v1') {
      await writeFile(join(group, 'blkio.throttle.write_bps_device'), `${majMin} ${bytesPerSecond}`);
    } else {
      await writeFile(join(V2, 'cgroup.subtree_control'), '+io');
      await writeFile(join(group, 'io.max'), `${majMin} wbps=${bytesPerSecond}`);
    }
  } catch (error) {
    await rmdir(group).catch(() => undefined);
    await execa('losetup', ['-d', device]);
    return `cannot throttle ${device}: ${(error as Error).message}`;
  }
  const procs = join(group, 'cgroup.procs');
  return {
    device,
    backing,
    spawn: (command, stdio) => spawn('sh', ['-c', 'echo $$ > "$0" && exec "$@"', procs, ...command], { stdio: [...stdio] }),
    release: async () => {
      await execa('losetup', ['-d', device]);
      // Emptied once its processes have ended; the kernel may take a moment to notice.
      for (let i = 0; i < 50 && (await rmdir(group).then(() => false, () => true)); i++) await new Promise((r) => setTimeout(r, 100));
    },
  };
}
