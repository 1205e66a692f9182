// Drives as the app sees them: what drivelist (or our loop/file additions) reports, plus the
// safety verdict the rules in drive-constraints.ts give.

/** sd: a memory card, on an SD/MMC host (mmcblk) or in a USB card reader (busType USB). */
export type DriveKind = 'usb' | 'sd' | 'internal' | 'loop' | 'file' | 'other';

export interface Drive {
  /** The path to write to: /dev/sdb, /dev/disk4, \\.\PhysicalDrive2, /dev/loop3, or a file. */
  readonly device: string;
  /** Human name: vendor and model, or the file name. */
  readonly description: string;
  readonly size: number;
  readonly kind: DriveKind;
  readonly removable: boolean;
  readonly readOnly: boolean;
  /** drivelist's isSystem: holds (or may hold) the running system. */
  readonly system: boolean;
  readonly virtual: boolean;
  readonly busType?: string;
  readonly mountpoints: ReadonlyArray<string>;
  /** What tells this drive from another under the same name (a stick swapped during a password prompt). */
  readonly identity?: DriveIdentity;
  /** "major:minor" of the drive and of each of its partitions (Linux), to find the drive an image lives on. */
  readonly devices?: ReadonlyArray<string>;
  /** A loop device's backing file: writing the loop device writes that file. */
  readonly backingFile?: FileId;
}

/** A drive as the user picked it: the same path with another size or serial is another drive. */
export interface DriveIdentity {
  readonly size: number;
  readonly serial?: string;
  /** The /dev/disk/by-id name (Linux), or what the OS names the medium by. */
  readonly byId?: string;
  /** Loop devices: the file behind it. */
  readonly backingPath?: string;
}

/** A file's identity after following links: the same dev and inode is the same file (hard links too). */
export interface FileId {
  readonly dev: string;
  readonly ino: string;
}

export type ConstraintCode =
  | 'no-medium'
  | 'read-only'
  | 'too-small'
  | 'contains-source'
  | 'system-drive'
  | 'large-drive'
  | 'mounted';

export interface ConstraintFinding {
  readonly code: ConstraintCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface DriveStatus {
  readonly drive: Drive;
  readonly findings: ReadonlyArray<ConstraintFinding>;
  /** No error finding: the drive may be written (warnings are shown, not blocking). */
  readonly selectable: boolean;
  /** Hidden unless the user asks to see system drives. */
  readonly hidden: boolean;
  /** Selecting it needs the user to type the drive's name (system drives). */
  readonly needsTypedConfirmation: boolean;
}
