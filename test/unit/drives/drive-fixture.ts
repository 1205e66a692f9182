// One USB stick, as the drive rules' tests start from: not mounted, removable, nothing wrong.
import type { Drive } from '../../../src-shared/drives/drive-types.js';

export function usbStick(over: Partial<Drive> = {}): Drive {
  return {
    device: '/dev/sdb',
    description: 'SanDisk Cruzer Blade',
    size: 16e9,
    kind: 'usb',
    removable: true,
    readOnly: false,
    system: false,
    virtual: false,
    mountpoints: [],
    ...over,
  };
}
