// What kind of drive it is, in words: the drive list of the app and of `kairos-factory drives`.
import { assertNever } from '../jobs/job-events.js';
import type { Drive } from './drive-types.js';

/** A reader slot with no card in it (or a drive with no medium): listed, never written. */
export function isEmptySlot(drive: Drive): boolean {
  return drive.size === 0 && drive.kind !== 'file' && drive.kind !== 'loop';
}

export function driveKindLabel(drive: Drive): string {
  switch (drive.kind) {
    case 'sd':
      if (isEmptySlot(drive)) return 'Card reader, no card';
      return drive.busType === 'USB' ? 'Card in a USB reader' : 'SD card';
    case 'usb':
      return isEmptySlot(drive) ? 'USB, no medium' : 'USB drive';
    case 'internal':
      return 'Internal disk';
    case 'loop':
      return 'Loop device';
    case 'file':
      return 'Image file';
    case 'other':
      return isEmptySlot(drive) ? 'Removable, no medium' : 'Removable disk';
    default:
      return assertNever(drive.kind);
  }
}
