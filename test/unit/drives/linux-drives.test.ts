import { describe, expect, it } from 'vitest';
import { drivesFromLsblk, type LinuxExtras } from '../../../src-main/drives/linux-drives.js';
import { driveStatus, isSystemDrive } from '../../../src-shared/drives/drive-constraints.js';
import { usbStick } from './drive-fixture.js';

// `lsblk -J -b -o NAME,PATH,MAJ:MIN,SIZE,RO,RM,HOTPLUG,TRAN,TYPE,SERIAL,MODEL,VENDOR,MOUNTPOINTS`
const LSBLK = JSON.stringify({
  blockdevices: [
    {
      name: 'loop0', path: '/dev/loop0', 'maj:min': '7:0', size: 4294967296, ro: false, rm: false, hotplug: false, tran: null, type: 'loop', serial: null, model: null, vendor: null,
      mountpoints: [null],
      children: [
        { name: 'loop0p1', path: '/dev/loop0p1', 'maj:min': '259:0', size: 104857600, ro: false, rm: false, hotplug: false, type: 'part', mountpoints: ['/mnt/efi'] },
        { name: 'loop0p2', path: '/dev/loop0p2', 'maj:min': '259:1', size: 4188012544, ro: false, rm: false, hotplug: false, type: 'part', mountpoints: [null] },
      ],
    },
    { name: 'loop7', path: '/dev/loop7', 'maj:min': '7:7', size: 0, ro: false, rm: false, hotplug: false, type: 'loop', mountpoints: [null] },
    {
      name: 'nvme0n1', path: '/dev/nvme0n1', 'maj:min': '259:2', size: 500107862016, ro: false, rm: false, hotplug: false, tran: 'nvme', type: 'disk', serial: 'S4EVNF0M ', model: 'Samsung SSD 970', vendor: null,
      mountpoints: [null],
      children: [
        { name: 'nvme0n1p1', path: '/dev/nvme0n1p1', 'maj:min': '259:3', size: 536870912, ro: false, rm: false, hotplug: false, type: 'part', mountpoints: ['/boot/efi'] },
        {
          name: 'nvme0n1p2', path: '/dev/nvme0n1p2', 'maj:min': '259:4', size: 499570991104, ro: false, rm: false, hotplug: false, type: 'part', mountpoints: [null],
          children: [{ name: 'root', path: '/dev/mapper/root', 'maj:min': '254:0', size: 499570991104, ro: false, rm: false, hotplug: false, type: 'crypt', mountpoints: ['/', '/home'] }],
        },
      ],
    },
    {
      name: 'sdb', path: '/dev/sdb', 'maj:min': '8:16', size: 15518924800, ro: false, rm: true, hotplug: true, tran: 'usb', type: 'disk', serial: '4C530001', model: 'Cruzer Blade', vendor: 'SanDisk ',
      mountpoints: [null],
      children: [{ name: 'sdb1', path: '/dev/sdb1', 'maj:min': '8:17', size: 15517876224, ro: false, rm: true, hotplug: true, type: 'part', mountpoints: ['/media/me/STICK'] }],
    },
    { name: 'mmcblk0', path: '/dev/mmcblk0', 'maj:min': '179:0', size: 31914983424, ro: true, rm: false, hotplug: false, tran: null, type: 'disk', serial: '0x1234', model: null, vendor: null, mountpoints: [null] },
    { name: 'sr0', path: '/dev/sr0', 'maj:min': '11:0', size: 1073741312, ro: false, rm: true, hotplug: true, tran: 'sata', type: 'rom', mountpoints: [null] },
    { name: 'zram0', path: '/dev/zram0', 'maj:min': '253:0', size: 8589934592, ro: false, rm: false, hotplug: false, type: 'disk', mountpoints: ['[SWAP]'] },
  ],
});

const EXTRAS: LinuxExtras = {
  byId: new Map([
    ['/dev/sdb', 'usb-SanDisk_Cruzer_Blade_4C530001-0:0'],
    ['/dev/nvme0n1', 'nvme-Samsung_SSD_970_S4EVNF0M'],
  ]),
  loops: new Map([['/dev/loop0', { path: '/tmp/x.img', fileId: { dev: '254:0', ino: '1234' } }]]),
};

describe('drivesFromLsblk', () => {
  const drives = drivesFromLsblk(LSBLK, EXTRAS);
  const byDevice = (device: string) => drives.find((d) => d.device === device);

  it('keeps whole disks and attached loop devices; drops partitions, optical drives, zram and empty loops', () => {
    expect(drives.map((d) => d.device)).toEqual(['/dev/loop0', '/dev/nvme0n1', '/dev/sdb', '/dev/mmcblk0']);
  });

  it('maps a USB stick with its identity, partitions and mounts', () => {
    expect(byDevice('/dev/sdb')).toEqual(
      usbStick({
        size: 15518924800,
        busType: 'USB',
        mountpoints: ['/media/me/STICK'],
        identity: { size: 15518924800, serial: '4C530001', byId: 'usb-SanDisk_Cruzer_Blade_4C530001-0:0' },
        devices: ['8:16', '8:17'],
      }),
    );
  });

  it('collects nested mounts (LUKS, LVM) and device numbers of the system disk, and calls it system', () => {
    const nvme = byDevice('/dev/nvme0n1')!;
    expect(nvme.mountpoints).toEqual(['/boot/efi', '/', '/home']);
    expect(nvme.devices).toEqual(['259:2', '259:3', '259:4', '254:0']);
    expect(nvme.system).toBe(true);
    expect(nvme.kind).toBe('internal');
    expect(nvme.identity).toEqual({ size: 500107862016, serial: 'S4EVNF0M', byId: 'nvme-Samsung_SSD_970_S4EVNF0M' });
  });

  it('describes a loop device by its backing file and keeps the file identity', () => {
    const loop = byDevice('/dev/loop0')!;
    expect(loop).toMatchObject({ kind: 'loop', virtual: true, system: false, description: 'Loop device on /tmp/x.img', mountpoints: ['/mnt/efi'] });
    expect(loop.backingFile).toEqual({ dev: '254:0', ino: '1234' });
    expect(loop.identity).toEqual({ size: 4294967296, backingPath: '/tmp/x.img' });
  });

  it('takes an mmcblk device for a removable SD card, read-only when locked', () => {
    expect(byDevice('/dev/mmcblk0')).toMatchObject({ kind: 'sd', removable: true, system: false, readOnly: true });
  });

  it('feeds the rules: the system disk is hidden and needs its name typed, a loop with a system mount too', () => {
    expect(driveStatus(byDevice('/dev/nvme0n1')!, {}).needsTypedConfirmation).toBe(true);
    expect(driveStatus(byDevice('/dev/sdb')!, {}).needsTypedConfirmation).toBe(false);
    const dressed = drivesFromLsblk(LSBLK.replace('"/mnt/efi"', '"/boot"'), EXTRAS).find((d) => d.device === '/dev/loop0')!;
    expect(isSystemDrive(dressed)).toBe(true);
  });

  it('gives nothing for an empty answer', () => {
    expect(drivesFromLsblk('{}', { byId: new Map(), loops: new Map() })).toEqual([]);
  });
});
