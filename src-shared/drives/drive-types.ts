// Drives as the app sees them: what drivelist (or our loop/file additions) reports, plus the
// safety verdict the rules in drive-constraints.ts give.

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
}

export type ConstraintCode =
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
