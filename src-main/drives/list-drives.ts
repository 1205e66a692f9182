// The drives a user can flash, as our Drive type: on Linux from lsblk (linux-drives.ts, loop
// devices included on request: drivelist hides them, and they are how tests and image-file users
// get real block devices), on macOS and Windows from drivelist (diskutil, the Windows APIs).
import { platform } from 'node:os';
import { isCardReaderName } from '../../src-shared/drives/card-reader.js';
import type { Drive, DriveKind } from '../../src-shared/drives/drive-types.js';
import { listLinuxDrives } from './linux-drives.js';

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
  if (entry.isCard || /mmcblk/.test(entry.device) || /SD|MMC/.test(entry.busType ?? '') || isCardReaderName(entry.description)) return 'sd';
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

/**
 * Linux: our own lsblk reader (linux-drives.ts), which keeps what the target policy needs and
 * reads loop devices too; drivelist is lsblk underneath there. macOS and Windows: drivelist.
 */
export async function listDrives(options: { readonly includeVirtual: boolean }): Promise<Drive[]> {
  if (platform() === 'linux') return listLinuxDrives(options.includeVirtual);
  const { list } = await import('drivelist');
  return ((await list()) as unknown as DrivelistEntry[]).map(fromDrivelist).filter((d): d is Drive => d !== undefined);
}
