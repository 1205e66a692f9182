import { describe, expect, it } from 'vitest';
import { fromDrivelist, type DrivelistEntry } from '../../../src-main/drives/list-drives.js';
import { driveStatus } from '../../../src-shared/drives/drive-constraints.js';

function entry(over: Partial<DrivelistEntry> = {}): DrivelistEntry {
  return {
    device: '/dev/sdb',
    description: 'SanDisk Cruzer Blade',
    size: 16008609792,
    mountpoints: [],
    isReadOnly: false,
    isSystem: false,
    isVirtual: false,
    isRemovable: true,
    isCard: false,
    isUSB: true,
    busType: 'USB',
    ...over,
  };
}

describe('fromDrivelist', () => {
  it('maps a USB stick', () => {
    expect(fromDrivelist(entry({ mountpoints: [{ path: '/media/me/STICK' }] }))).toEqual({
      device: '/dev/sdb',
      description: 'SanDisk Cruzer Blade',
      size: 16008609792,
      kind: 'usb',
      removable: true,
      readOnly: false,
      system: false,
      virtual: false,
      busType: 'USB',
      mountpoints: ['/media/me/STICK'],
    });
  });

  it('takes busType USB for a USB drive when isUSB is unknown', () => {
    expect(fromDrivelist(entry({ isUSB: null, busType: 'USB' }))?.kind).toBe('usb');
  });

  it('drops zram and RAM disks', () => {
    expect(fromDrivelist(entry({ device: '/dev/zram0', isUSB: false, busType: undefined, isSystem: true }))).toBeUndefined();
    expect(fromDrivelist(entry({ device: '/dev/ram0', isUSB: false, busType: undefined }))).toBeUndefined();
    expect(fromDrivelist(entry({ device: '/dev/ram15', isUSB: false, busType: undefined }))).toBeUndefined();
  });

  it('drops drives of unknown or zero size (empty card readers)', () => {
    expect(fromDrivelist(entry({ size: null }))).toBeUndefined();
    expect(fromDrivelist(entry({ size: 0 }))).toBeUndefined();
  });

  it('keeps a disk whose name only contains "ram"', () => {
    expect(fromDrivelist(entry({ device: '/dev/disk/by-id/ram-stick' }))?.device).toBe('/dev/disk/by-id/ram-stick');
  });

  it('maps an SD card (isCard) as removable even when drivelist says not', () => {
    const d = fromDrivelist(entry({ device: '/dev/sdc', isCard: true, isUSB: true, isRemovable: false, busType: 'USB' }));
    expect(d).toMatchObject({ kind: 'sd', removable: true });
  });

  it('maps an internal mmcblk reader that drivelist flags as system to an SD target', () => {
    const d = fromDrivelist(
      entry({ device: '/dev/mmcblk0', description: 'SD  SC32G', isCard: null, isUSB: null, isRemovable: false, isSystem: true, busType: undefined }),
    );
    expect(d).toMatchObject({ kind: 'sd', removable: true, system: true });
    expect(d).not.toHaveProperty('busType');
    // The safety rules then treat it as an ordinary card, not a hidden system drive.
    const status = driveStatus(d!, {});
    expect(status).toMatchObject({ hidden: false, needsTypedConfirmation: false, findings: [] });
  });

  it('maps an SD or MMC bus type to an SD target (Windows, macOS)', () => {
    expect(fromDrivelist(entry({ device: '\\\\.\\PhysicalDrive2', isCard: null, isUSB: false, busType: 'SD' }))?.kind).toBe('sd');
    expect(fromDrivelist(entry({ device: '/dev/disk4', isCard: null, isUSB: false, busType: 'MMC' }))?.kind).toBe('sd');
  });

  it('maps a card in a USB reader, named by the reader, to an SD target (Windows, macOS)', () => {
    expect(fromDrivelist(entry({ device: '\\\\.\\PhysicalDrive3', description: 'Generic- SD/MMC USB Device', isCard: false, isUSB: true, busType: 'USB' }))).toMatchObject({ kind: 'sd', busType: 'USB', removable: true });
    expect(fromDrivelist(entry({ device: '/dev/disk5', description: 'Apple SDXC Reader Media', isCard: null, isUSB: false, busType: 'PCI' }))?.kind).toBe('sd');
  });

  it('maps the system disk as internal', () => {
    const d = fromDrivelist(
      entry({
        device: '/dev/nvme0n1',
        description: 'Samsung SSD 980 PRO 1TB',
        size: 1000204886016,
        isSystem: true,
        isRemovable: false,
        isUSB: false,
        isCard: false,
        busType: 'NVME',
        mountpoints: [{ path: '/' }, { path: '/boot/efi' }],
      }),
    );
    expect(d).toMatchObject({ kind: 'internal', system: true, removable: false, busType: 'NVME', mountpoints: ['/', '/boot/efi'] });
  });

  it('maps a non-system, non-USB disk as other', () => {
    expect(fromDrivelist(entry({ device: '/dev/sdd', isSystem: false, isUSB: false, isCard: false, busType: 'SATA', isRemovable: false }))?.kind).toBe('other');
  });

  it('uses the device as the description when drivelist has none', () => {
    expect(fromDrivelist(entry({ description: '' }))?.description).toBe('/dev/sdb');
  });

  it('keeps the read-only and virtual flags', () => {
    expect(fromDrivelist(entry({ isReadOnly: true, isVirtual: true }))).toMatchObject({ readOnly: true, virtual: true });
  });
});
