import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LSBLK_ARGS, drivesFromLsblk, type LinuxExtras } from '../../../src-main/drives/linux-drives.js';
import { driveStatus, isSystemDrive, visibleDrives, type ImageFacts } from '../../../src-shared/drives/drive-constraints.js';
import { driveKindLabel } from '../../../src-shared/drives/drive-kind.js';
import type { Drive } from '../../../src-shared/drives/drive-types.js';
import { targetProblems } from '../../../src-shared/drives/target-policy.js';
import { usbStick } from './drive-fixture.js';

// `lsblk -J -b -o NAME,PATH,MAJ:MIN,SIZE,RO,RM,HOTPLUG,TRAN,TYPE,SERIAL,MODEL,VENDOR,MOUNTPOINTS` (before SUBSYSTEMS was asked for)
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

// Whole-machine `lsblk -J -b -O` outputs (util-linux 2.38.1, Debian 12), each file saying which
// devices it models: the columns we ask for are a subset of those, so they parse the same.
describe('drivesFromLsblk on real readers (test/fixtures/lsblk)', () => {
  const fixture = (name: string): string => readFileSync(new URL(`../../fixtures/lsblk/${name}.json`, import.meta.url), 'utf8');
  const NONE: LinuxExtras = { byId: new Map(), loops: new Map() };
  const listed = (name: string) => drivesFromLsblk(fixture(name), NONE);
  const status = (name: string, device: string, image: ImageFacts = {}) => {
    const found = listed(name).find((d) => d.device === device);
    if (!found) throw new Error(`${device} is not listed from ${name}`);
    return driveStatus(found, image);
  };
  const policy = (drive: Drive) => targetProblems({ image: { size: 2e9 }, targets: [{ kind: 'drive', given: drive.device, drive }], allowVirtual: false, confirmations: {}, platform: 'linux' });

  it('asks lsblk only for columns that lsblk -O prints in every fixture', () => {
    const columns = LSBLK_ARGS[LSBLK_ARGS.length - 1]!.split(',').map((c) => c.toLowerCase());
    const nodes = (list: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> => list.flatMap((n) => [n, ...nodes((n.children as Array<Record<string, unknown>> | undefined) ?? [])]);
    for (const name of ['laptop-rtsx-sd-reader', 'raspberry-pi4-sd-boot', 'usb-multi-card-reader', 'desktop-usb-stick']) {
      for (const node of nodes((JSON.parse(fixture(name)) as { blockdevices: Array<Record<string, unknown>> }).blockdevices)) {
        expect(columns.filter((c) => !(c in node)), `${name} ${String(node.name)}`).toEqual([]);
      }
    }
  });

  it("a laptop's internal Realtek reader: the card (mmcblk0, rm 0) is a removable SD card; the NVMe disk is the system", () => {
    expect(listed('laptop-rtsx-sd-reader').map((d) => [d.device, d.kind, d.removable, d.system])).toEqual([
      ['/dev/mmcblk0', 'sd', true, false],
      ['/dev/nvme0n1', 'internal', false, true],
    ]);
    const card = status('laptop-rtsx-sd-reader', '/dev/mmcblk0', { size: 2e9 });
    expect(card).toMatchObject({ selectable: true, hidden: false, needsTypedConfirmation: false });
    expect(card.drive).toMatchObject({ description: 'Internal card reader', mountpoints: ['/media/anna/SDCARD'], devices: ['179:0', '179:1'] });
    expect(driveKindLabel(card.drive)).toBe('SD card');
    expect(card.findings.map((f) => f.code)).toEqual(['mounted']);
    expect(policy(card.drive)).toEqual([]);
    const nvme = status('laptop-rtsx-sd-reader', '/dev/nvme0n1');
    expect(nvme).toMatchObject({ hidden: true, needsTypedConfirmation: true });
    expect(nvme.drive.mountpoints).toEqual(['/boot/efi', '/', '[SWAP]']);
    expect(visibleDrives([card, nvme], false).map((s) => s.drive.device)).toEqual(['/dev/mmcblk0']);
  });

  it('a Raspberry Pi booted from its SD card: mmcblk0 is an SD card and the system drive', () => {
    const pi = status('raspberry-pi4-sd-boot', '/dev/mmcblk0');
    expect(pi.drive).toMatchObject({ kind: 'sd', removable: true, mountpoints: ['/boot/firmware', '/'] });
    expect(isSystemDrive(pi.drive)).toBe(true);
    expect(pi).toMatchObject({ hidden: true, needsTypedConfirmation: true });
    expect(pi.findings.map((f) => f.code)).toEqual(['system-drive', 'mounted']);
    expect(policy(pi.drive)).toEqual([
      expect.objectContaining({ code: 'not-confirmed', message: '/dev/mmcblk0 looks like a system drive (it holds /boot/firmware, /): writing it can make this computer unbootable', hint: 'To write it anyway, confirm it by its name, mmcblk0' }),
    ]);
  });

  it('a USB multi-card reader: the card is a card in a USB reader, each empty slot is listed as "no card" and cannot be picked', () => {
    const drives = listed('usb-multi-card-reader');
    expect(drives.map((d) => [d.device, d.kind, d.size, driveKindLabel(d)])).toEqual([
      ['/dev/sdb', 'sd', 15931539456, 'Card in a USB reader'],
      ['/dev/sdc', 'sd', 0, 'Card reader, no card'],
      ['/dev/sdd', 'sd', 0, 'Card reader, no card'],
      ['/dev/sde', 'sd', 0, 'Card reader, no card'],
    ]);
    const card = status('usb-multi-card-reader', '/dev/sdb', { size: 2e9 });
    expect(card).toMatchObject({ selectable: true, hidden: false, findings: [] });
    expect(card.drive).toMatchObject({ description: 'Generic- SD/MMC', busType: 'USB', removable: true, system: false });
    const empty = status('usb-multi-card-reader', '/dev/sdc', { size: 2e9 });
    expect(empty).toMatchObject({ selectable: false, hidden: false, needsTypedConfirmation: false });
    expect(empty.drive.description).toBe('Generic- Compact Flash');
    // Only the reason that matters: not "too small: 0 B".
    expect(empty.findings).toEqual([{ code: 'no-medium', severity: 'error', message: 'No card in this slot: insert one to write it' }]);
    expect(policy(empty.drive)).toEqual([
      { target: '/dev/sdc', code: 'no-medium', message: '/dev/sdc: No card in this slot: insert one to write it', hint: 'Insert a card in the reader, then pick it again from a fresh drive list' },
    ]);
  });

  it('a desktop: the SATA system disk is hidden, the USB stick is a USB drive', () => {
    expect(listed('desktop-usb-stick').map((d) => [d.device, d.kind, driveKindLabel(d), d.system])).toEqual([
      ['/dev/sda', 'internal', 'Internal disk', true],
      ['/dev/sdb', 'usb', 'USB drive', false],
    ]);
    expect(status('desktop-usb-stick', '/dev/sdb', { size: 2e9 })).toMatchObject({ selectable: true, hidden: false });
    expect(status('desktop-usb-stick', '/dev/sda')).toMatchObject({ hidden: true, needsTypedConfirmation: true });
  });

  it('takes lsblk 2.39\'s "mmc" transport for an SD card too, and never lists an eMMC\'s boot areas', () => {
    const json = JSON.parse(fixture('laptop-rtsx-sd-reader')) as { blockdevices: Array<Record<string, unknown>> };
    const card = json.blockdevices[0]!;
    const newer = { blockdevices: [{ ...card, tran: 'mmc' }] };
    expect(drivesFromLsblk(JSON.stringify(newer), NONE).map((d) => d.kind)).toEqual(['sd']);
    const emmc = { blockdevices: [{ ...card, name: 'mmcblk1', path: '/dev/mmcblk1' }, { ...card, name: 'mmcblk1boot0', path: '/dev/mmcblk1boot0', size: 4194304, ro: true, children: undefined }] };
    expect(drivesFromLsblk(JSON.stringify(emmc), NONE).map((d) => d.device)).toEqual(['/dev/mmcblk1']);
  });

  it('drops an internal disk of size 0 (nothing to say about it), keeps a removable one as empty', () => {
    const json = JSON.parse(fixture('desktop-usb-stick')) as { blockdevices: Array<Record<string, unknown>> };
    const [sata, stick] = json.blockdevices;
    const empty = { blockdevices: [{ ...sata, size: 0, children: undefined }, { ...stick, size: 0, children: undefined }] };
    expect(drivesFromLsblk(JSON.stringify(empty), NONE).map((d) => [d.device, driveKindLabel(d)])).toEqual([['/dev/sdb', 'USB, no medium']]);
  });
});
