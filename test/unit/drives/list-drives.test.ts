import { describe, expect, it } from 'vitest';
import { fromDrivelist, loopDrives, type DrivelistEntry } from '../../../src-main/drives/list-drives.js';
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

// `lsblk -J -b -o NAME,PATH,SIZE,RO,RM,TYPE,MOUNTPOINTS` (util-linux 2.39) on a machine with a
// disk, two attached loop devices (one with a mounted partition) and one detached loop device.
const LSBLK = JSON.stringify({
  blockdevices: [
    {
      name: 'loop0',
      path: '/dev/loop0',
      size: 4294967296,
      ro: false,
      rm: false,
      type: 'loop',
      mountpoints: [null],
      children: [
        { name: 'loop0p1', path: '/dev/loop0p1', size: 104857600, ro: false, rm: false, type: 'part', mountpoints: ['/mnt/efi'] },
        { name: 'loop0p2', path: '/dev/loop0p2', size: 4188012544, ro: false, rm: false, type: 'part', mountpoints: [null] },
      ],
    },
    { name: 'loop1', path: '/dev/loop1', size: 58363904, ro: true, rm: false, type: 'loop', mountpoints: ['/snap/core20/2318'] },
    { name: 'loop7', path: '/dev/loop7', size: 0, ro: false, rm: false, type: 'loop', mountpoints: [null] },
    {
      name: 'sda',
      path: '/dev/sda',
      size: 500107862016,
      ro: false,
      rm: false,
      type: 'disk',
      mountpoints: [null],
      children: [{ name: 'sda1', path: '/dev/sda1', size: 500106813440, ro: false, rm: false, type: 'part', mountpoints: ['/'] }],
    },
    { name: 'sr0', path: '/dev/sr0', size: 1073741312, ro: false, rm: true, type: 'rom', mountpoints: [null] },
  ],
});

// `losetup -J -l`
const LOSETUP = `{
   "loopdevices": [
      {
         "name": "/dev/loop0",
         "sizelimit": 0,
         "offset": 0,
         "autoclear": false,
         "ro": false,
         "back-file": "/tmp/x.img",
         "dio": false,
         "log-sec": 512
      },
      {
         "name": "/dev/loop1",
         "sizelimit": 0,
         "offset": 0,
         "autoclear": true,
         "ro": true,
         "back-file": "/var/lib/snapd/snaps/core20_2318.snap",
         "dio": false,
         "log-sec": 512
      }
   ]
}
`;

describe('loopDrives', () => {
  it('lists the attached loop devices with their backing files and all mountpoints', () => {
    expect(loopDrives(LSBLK, LOSETUP)).toEqual([
      {
        device: '/dev/loop0',
        description: 'Loop device on /tmp/x.img',
        size: 4294967296,
        kind: 'loop',
        removable: false,
        readOnly: false,
        system: false,
        virtual: true,
        mountpoints: ['/mnt/efi'],
      },
      {
        device: '/dev/loop1',
        description: 'Loop device on /var/lib/snapd/snaps/core20_2318.snap',
        size: 58363904,
        kind: 'loop',
        removable: false,
        readOnly: true,
        system: false,
        virtual: true,
        mountpoints: ['/snap/core20/2318'],
      },
    ]);
  });

  it('leaves out disks, partitions, optical drives and detached (size 0) loop devices', () => {
    const devices = loopDrives(LSBLK, LOSETUP).map((d) => d.device);
    expect(devices).not.toContain('/dev/sda');
    expect(devices).not.toContain('/dev/sr0');
    expect(devices).not.toContain('/dev/loop7');
    expect(devices).not.toContain('/dev/loop0p1');
  });

  it('works when losetup prints nothing (no loop devices configured)', () => {
    const drives = loopDrives(LSBLK, '');
    expect(drives.map((d) => [d.device, d.description])).toEqual([
      ['/dev/loop0', 'Loop device'],
      ['/dev/loop1', 'Loop device'],
    ]);
  });

  it('works when losetup lists a device without a backing file', () => {
    const losetup = JSON.stringify({ loopdevices: [{ name: '/dev/loop0', sizelimit: 0, offset: 0, autoclear: false, ro: false, dio: false, 'log-sec': 512 }] });
    expect(loopDrives(LSBLK, losetup)[0]?.description).toBe('Loop device');
  });

  it('gives no drives for a machine without loop devices', () => {
    const lsblk = JSON.stringify({ blockdevices: [{ name: 'sda', path: '/dev/sda', size: 1e11, ro: false, rm: false, type: 'disk', mountpoints: [null] }] });
    expect(loopDrives(lsblk, '')).toEqual([]);
    expect(loopDrives('{}', '')).toEqual([]);
  });

  it('treats a loop device without a mountpoints field as unmounted', () => {
    const lsblk = JSON.stringify({ blockdevices: [{ name: 'loop2', path: '/dev/loop2', size: 1048576, ro: false, rm: false, type: 'loop' }] });
    expect(loopDrives(lsblk, '')).toEqual([expect.objectContaining({ device: '/dev/loop2', mountpoints: [] })]);
  });

  it('produces loop drives the safety rules neither hide nor call system drives', () => {
    for (const d of loopDrives(LSBLK, LOSETUP)) {
      const status = driveStatus(d, { size: 1e6 });
      expect(status.hidden).toBe(false);
      expect(status.findings.map((f) => f.code)).not.toContain('system-drive');
    }
  });
});
