// The drives a user can flash: drivelist's list (it reads lsblk on Linux, diskutil on macOS, the
// Windows APIs), mapped to our Drive type, plus loop devices on request (drivelist hides them,
// and they are how tests and image-file users get real block devices).
import { platform } from 'node:os';
import { execa } from 'execa';
import type { Drive, DriveKind } from '../../src-shared/drives/drive-types.js';

/** The fields of a drivelist entry we use. */
export interface DrivelistEntry {
  readonly device: string;
  readonly description: string;
  readonly size: number | null;
  readonly mountpoints: ReadonlyArray<{ readonly path: string }>;
  readonly isReadOnly: boolean;
  readonly isSystem: boolean;
  readonly isVirtual: boolean;
  readonly isRemovable: boolean;
  readonly isCard: boolean | null;
  readonly isUSB: boolean | null;
  readonly busType?: string;
}

function kindOf(entry: DrivelistEntry): DriveKind {
  if (entry.isCard || /mmcblk/.test(entry.device) || /SD|MMC/.test(entry.busType ?? '')) return 'sd';
  if (entry.isUSB || entry.busType === 'USB') return 'usb';
  if (entry.isSystem) return 'internal';
  return 'other';
}

/** drivelist -> Drive; undefined for what is never a target (zram, RAM disks, size unknown). */
export function fromDrivelist(entry: DrivelistEntry): Drive | undefined {
  if (!entry.size || /\/(zram|ram)\d+$/.test(entry.device)) return undefined;
  return {
    device: entry.device,
    description: entry.description || entry.device,
    size: entry.size,
    kind: kindOf(entry),
    removable: entry.isRemovable || kindOf(entry) === 'sd',
    readOnly: entry.isReadOnly,
    system: entry.isSystem,
    virtual: entry.isVirtual,
    ...(entry.busType ? { busType: entry.busType } : {}),
    mountpoints: entry.mountpoints.map((m) => m.path),
  };
}

interface LsblkDevice {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly ro: boolean;
  readonly type: string;
  readonly mountpoints?: ReadonlyArray<string | null>;
  readonly children?: ReadonlyArray<LsblkDevice>;
}

function mountsOf(device: LsblkDevice): string[] {
  const own = (device.mountpoints ?? []).filter((m): m is string => typeof m === 'string');
  return [...own, ...(device.children ?? []).flatMap(mountsOf)];
}

/** Loop devices from `lsblk -J -b -o NAME,PATH,SIZE,RO,RM,TYPE,MOUNTPOINTS` and `losetup -J -l`. */
export function loopDrives(lsblkJson: string, losetupJson: string): Drive[] {
  const backing = new Map<string, string>();
  try {
    const loops = (JSON.parse(losetupJson) as { loopdevices?: Array<{ name: string; 'back-file'?: string }> }).loopdevices ?? [];
    for (const l of loops) if (l['back-file']) backing.set(l.name, l['back-file']);
  } catch {
    // no loop devices configured: losetup prints nothing
  }
  const devices = (JSON.parse(lsblkJson) as { blockdevices?: LsblkDevice[] }).blockdevices ?? [];
  return devices
    .filter((d) => d.type === 'loop' && d.size > 0)
    .map((d) => ({
      device: d.path,
      description: backing.has(d.path) ? `Loop device on ${backing.get(d.path)}` : 'Loop device',
      size: d.size,
      kind: 'loop' as const,
      removable: false,
      readOnly: d.ro,
      system: false,
      virtual: true,
      mountpoints: mountsOf(d),
    }));
}

export async function listDrives(options: { readonly includeVirtual: boolean }): Promise<Drive[]> {
  const { list } = await import('drivelist');
  const drives = ((await list()) as unknown as DrivelistEntry[]).map(fromDrivelist).filter((d): d is Drive => d !== undefined);
  if (options.includeVirtual && platform() === 'linux') {
    const [lsblk, losetup] = await Promise.all([
      execa('lsblk', ['-J', '-b', '-o', 'NAME,PATH,SIZE,RO,RM,TYPE,MOUNTPOINTS'], { reject: false }),
      execa('losetup', ['-J', '-l'], { reject: false }),
    ]);
    if (lsblk.exitCode === 0) drives.push(...loopDrives(lsblk.stdout, losetup.stdout));
  }
  return drives;
}
