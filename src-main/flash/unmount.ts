// Unmounting a target's file systems before it is written: on Linux every mount of the device and
// its partitions (lsblk), on macOS `diskutil unmountDisk`. A file system that will not let go is
// an error that says so; writing under a mounted file system would corrupt both.
import { readFile, readdir, realpath } from 'node:fs/promises';
import { platform } from 'node:os';
import { basename } from 'node:path';
import { runTool } from '../util/run-tool.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { isPartitionOf } from '../../src-shared/drives/partition-name.js';

interface LsblkNode {
  readonly mountpoints?: ReadonlyArray<string | null>;
  readonly children?: ReadonlyArray<LsblkNode>;
}

export function mountpointsOf(lsblkJson: string): string[] {
  const walk = (n: LsblkNode): string[] => [
    ...(n.mountpoints ?? []).filter((m): m is string => typeof m === 'string' && m !== '' && !m.startsWith('[')),
    ...(n.children ?? []).flatMap(walk),
  ];
  const devices = (JSON.parse(lsblkJson) as { blockdevices?: LsblkNode[] }).blockdevices ?? [];
  return devices.flatMap(walk);
}

/** Linux: whether /proc/mounts names the device or one of its partitions (no process started). */
async function mountedOnLinux(device: string): Promise<boolean> {
  const name = basename(await realpath(device).catch(() => device));
  // The kernel lists a disk's partitions in its sysfs folder (sda1; mmcblk0p1, nvme0n1p1, loop0p1).
  const parts = (await readdir(`/sys/class/block/${name}`).catch(() => [] as string[])).filter((p) => isPartitionOf(name, p));
  const names = new Set([name, ...parts]);
  const mounts = await readFile('/proc/mounts', 'utf8').catch(() => '');
  return mounts.split('\n').some((line) => {
    const source = line.split(' ')[0] ?? '';
    return source.startsWith('/dev/') && names.has(basename(source));
  });
}

export async function unmountTarget(device: string): Promise<string[]> {
  switch (platform()) {
    case 'linux': {
      if (!(await mountedOnLinux(device))) return [];
      const lsblk = await runTool('lsblk', ['-J', '-o', 'MOUNTPOINTS', device]);
      if (lsblk.exitCode !== 0) return [];
      const mounts = mountpointsOf(lsblk.stdout);
      // Deepest first, so nested mounts come off before their parents.
      for (const mount of mounts.sort((a, b) => b.length - a.length)) {
        const result = await runTool('umount', [mount]);
        if (result.exitCode !== 0) {
          throw new AppError('target-invalid', `${mount} on ${device} could not be unmounted: ${result.stderr.trim()}`, {
            hint: 'Close the files and windows that use it, then try again',
          });
        }
      }
      return mounts;
    }
    case 'darwin': {
      const result = await runTool('diskutil', ['unmountDisk', device]);
      if (result.exitCode !== 0) throw new AppError('target-invalid', `${device} could not be unmounted: ${result.stderr.trim()}`, { hint: 'Eject its volumes in Finder, then try again' });
      return [device];
    }
    default:
      return [];
  }
}
