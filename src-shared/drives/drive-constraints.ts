// The drive safety rules, as pure functions: the UI uses them to show and the engine to enforce.
// Etcher's rules (locked, system, source on target, too small, large) plus rpi-imager's "type the
// name to pick a system drive", internal SD readers counted as removable, and empty card slots
// listed but refused.
import { formatBytes } from '../util/format.js';
import { isCardReaderName } from './card-reader.js';
import { isEmptySlot } from './drive-kind.js';
import type { ConstraintFinding, Drive, DriveStatus, FileId } from './drive-types.js';

/** Above this a drive is probably not a USB stick or SD card: warn (Etcher's 128 GB). */
export const LARGE_DRIVE_BYTES = 128e9;

export interface ImageFacts {
  /** Bytes the image needs on the target (uncompressed). Undefined when not known yet. */
  readonly size?: number;
  /** Absolute path of the image file after following links, to refuse the drive it lives on. */
  readonly path?: string;
  /** "major:minor" of the file system the image lives on (Linux). */
  readonly device?: string;
  /** The image file itself (dev and inode), to refuse targets that are the image under another name. */
  readonly fileId?: FileId;
}

/**
 * Mount points that only a system disk has: a drive with one of these mounted holds the running
 * system, whatever drivelist says (a loop device or a USB disk can be the root disk too).
 */
const SYSTEM_MOUNTS = ['/', '/boot', '/efi', '/usr', '/var', '/home', '/etc', '/opt', '/srv', '/root', '/nix', '/snap', '[SWAP]', 'C:\\'];

export function isSystemMount(mount: string): boolean {
  const m = mount.length > 1 ? mount.replace(/[/]+$/, '') : mount;
  return SYSTEM_MOUNTS.some((s) => m.toUpperCase() === s.toUpperCase()) || /^\/boot\//.test(m) || /^\/System\/Volumes(\/|$)/.test(m);
}

export function sameFile(a: FileId | undefined, b: FileId | undefined): boolean {
  return a !== undefined && b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/** An SD card reader (internal or USB): drivelist calls an internal one a system drive, but it holds cards. */
export function isSdReader(drive: Drive): boolean {
  return drive.kind === 'sd' || /mmcblk/.test(drive.device) || isCardReaderName(`${drive.description} ${drive.busType ?? ''}`);
}

/** A system drive in the sense that matters: not removable media, not a loop device or file. */
export function isSystemDrive(drive: Drive): boolean {
  if (drive.kind === 'file') return false;
  if (drive.mountpoints.some(isSystemMount)) return true;
  if (drive.kind === 'loop') return false;
  if (isSdReader(drive)) return false;
  return drive.system;
}

/** The image lives on the drive: its file system is the drive or a partition of it, or it is under one of its mounts, or behind it (a loop device over the image). */
export function sourceIsOnDrive(drive: Drive, image: ImageFacts): boolean {
  if (image.device !== undefined && (drive.devices ?? []).includes(image.device)) return true;
  if (sameFile(drive.backingFile, image.fileId)) return true;
  const imagePath = image.path;
  if (!imagePath) return false;
  return drive.mountpoints.some((mount) => {
    const m = mount.endsWith('/') || mount.endsWith('\\') ? mount : `${mount}${mount.includes('\\') ? '\\' : '/'}`;
    return imagePath.startsWith(m) || imagePath === mount;
  });
}

export function driveFindings(drive: Drive, image: ImageFacts): ConstraintFinding[] {
  const findings: ConstraintFinding[] = [];
  if (isEmptySlot(drive)) {
    // Nothing to judge by size: the card that goes in decides.
    findings.push({ code: 'no-medium', severity: 'error', message: 'No card in this slot: insert one to write it' });
  }
  if (drive.readOnly) {
    findings.push({ code: 'read-only', severity: 'error', message: 'The drive is write-protected (check the lock switch on SD cards)' });
  }
  if (image.size !== undefined && drive.kind !== 'file' && !isEmptySlot(drive) && drive.size < image.size) {
    findings.push({ code: 'too-small', severity: 'error', message: `Too small: ${formatBytes(drive.size)}, the image needs ${formatBytes(image.size)}` });
  }
  if (sourceIsOnDrive(drive, image)) {
    findings.push({ code: 'contains-source', severity: 'error', message: 'The image file is on this drive' });
  }
  if (isSystemDrive(drive)) {
    findings.push({ code: 'system-drive', severity: 'warning', message: 'This looks like a system drive: writing it can make this computer unbootable' });
  }
  if (drive.size > LARGE_DRIVE_BYTES && drive.kind !== 'file') {
    findings.push({ code: 'large-drive', severity: 'warning', message: `A large drive (${formatBytes(drive.size)}): make sure it is the one you mean` });
  }
  if (drive.mountpoints.length > 0 && drive.kind !== 'file') {
    findings.push({ code: 'mounted', severity: 'warning', message: `In use (${drive.mountpoints.join(', ')}): it will be unmounted first` });
  }
  return findings;
}

export function driveStatus(drive: Drive, image: ImageFacts): DriveStatus {
  const findings = driveFindings(drive, image);
  const system = isSystemDrive(drive);
  return {
    drive,
    findings,
    selectable: !findings.some((f) => f.severity === 'error'),
    hidden: system,
    needsTypedConfirmation: system,
  };
}

/** What the user must type to pick a system drive: its device name without /dev/. */
export function confirmationWord(drive: Drive): string {
  return drive.device.replace(/^\/dev\//, '').replace(/^\\\\\.\\/, '');
}

/** Drives to show: system drives only when asked, sorted removable first then by name. */
export function visibleDrives(statuses: ReadonlyArray<DriveStatus>, showHidden: boolean): DriveStatus[] {
  return statuses
    .filter((s) => showHidden || !s.hidden)
    .slice()
    .sort((a, b) => Number(b.drive.removable) - Number(a.drive.removable) || a.drive.device.localeCompare(b.drive.device));
}
