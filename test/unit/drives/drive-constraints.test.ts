import { describe, expect, it } from 'vitest';
import {
  LARGE_DRIVE_BYTES,
  confirmationWord,
  driveFindings,
  driveStatus,
  isSdReader,
  isSystemDrive,
  sourceIsOnDrive,
  visibleDrives,
} from '../../../src-shared/drives/drive-constraints.js';
import type { Drive } from '../../../src-shared/drives/drive-types.js';
import { usbStick } from './drive-fixture.js';

/** A 32 GB USB stick, not mounted: no finding at all. */
function drive(over: Partial<Drive> = {}): Drive {
  return usbStick({ description: 'SanDisk Ultra', size: 32e9, busType: 'USB', ...over });
}

const codes = (d: Drive, image: { size?: number; path?: string } = {}) => driveFindings(d, image).map((f) => f.code);

describe('driveFindings', () => {
  it('finds nothing wrong with an unmounted USB stick big enough for the image', () => {
    expect(driveFindings(drive(), { size: 2e9, path: '/home/me/kairos.iso' })).toEqual([]);
  });

  it('refuses a write-protected drive', () => {
    const findings = driveFindings(drive({ readOnly: true }), {});
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'read-only', severity: 'error' });
    expect(findings[0]?.message).toMatch(/write-protected/);
  });

  describe('too-small', () => {
    it('refuses a drive smaller than the image and says both sizes', () => {
      const findings = driveFindings(drive({ size: 4 * 1024 ** 3 }), { size: 8 * 1024 ** 3 });
      expect(findings).toEqual([{ code: 'too-small', severity: 'error', message: 'Too small: 4.00 GiB, the image needs 8.00 GiB' }]);
    });

    it('accepts a drive exactly the size of the image', () => {
      expect(codes(drive({ size: 8e9 }), { size: 8e9 })).not.toContain('too-small');
    });

    it('accepts any drive while the image size is not known', () => {
      expect(codes(drive({ size: 1 }), {})).not.toContain('too-small');
    });

    it('never applies to a file target (it grows)', () => {
      expect(codes(drive({ kind: 'file', device: '/tmp/out.img', size: 0 }), { size: 8e9 })).toEqual([]);
    });
  });

  describe('no-medium', () => {
    it('refuses an empty card slot with the reason alone (no "too small: 0 B")', () => {
      const slot = drive({ kind: 'sd', size: 0, description: 'Generic- SD/MMC' });
      expect(driveFindings(slot, { size: 8e9 })).toEqual([{ code: 'no-medium', severity: 'error', message: 'No card in this slot: insert one to write it' }]);
      expect(driveStatus(slot, {})).toMatchObject({ selectable: false, hidden: false });
    });

    it('takes the card once it is in', () => {
      expect(codes(drive({ kind: 'sd', size: 32e9 }), { size: 8e9 })).toEqual([]);
    });
  });

  describe('contains-source', () => {
    it('refuses the drive the image lives on', () => {
      const findings = driveFindings(drive({ mountpoints: ['/media/a'] }), { path: '/media/a/images/kairos.iso' });
      expect(findings.find((f) => f.code === 'contains-source')).toEqual({ code: 'contains-source', severity: 'error', message: 'The image file is on this drive' });
    });

    it('does not confuse /media/a with /media/ab', () => {
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a'] }), { path: '/media/ab/kairos.iso' })).toBe(false);
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/ab'] }), { path: '/media/a/kairos.iso' })).toBe(false);
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a'] }), { path: '/media/a/kairos.iso' })).toBe(true);
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/ab'] }), { path: '/media/ab/kairos.iso' })).toBe(true);
    });

    it('handles a mountpoint given with a trailing slash', () => {
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a/'] }), { path: '/media/a/kairos.iso' })).toBe(true);
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a/'] }), { path: '/media/ab/kairos.iso' })).toBe(false);
    });

    it('counts the root filesystem as holding every absolute path', () => {
      expect(sourceIsOnDrive(drive({ mountpoints: ['/'] }), { path: '/home/me/kairos.iso' })).toBe(true);
    });

    it('checks every mountpoint of the drive (its partitions)', () => {
      const d = drive({ mountpoints: ['/boot/efi', '/media/data'] });
      expect(sourceIsOnDrive(d, { path: '/media/data/kairos.iso' })).toBe(true);
      expect(sourceIsOnDrive(d, { path: '/media/other/kairos.iso' })).toBe(false);
    });

    it('understands Windows drive letters', () => {
      expect(sourceIsOnDrive(drive({ device: '\\\\.\\PhysicalDrive1', mountpoints: ['E:\\'] }), { path: 'E:\\isos\\kairos.iso' })).toBe(true);
      expect(sourceIsOnDrive(drive({ device: '\\\\.\\PhysicalDrive1', mountpoints: ['E:\\'] }), { path: 'C:\\isos\\kairos.iso' })).toBe(false);
      expect(sourceIsOnDrive(drive({ mountpoints: ['D:\\data'] }), { path: 'D:\\data\\kairos.iso' })).toBe(true);
      expect(sourceIsOnDrive(drive({ mountpoints: ['D:\\data'] }), { path: 'D:\\database\\kairos.iso' })).toBe(false);
    });

    it('finds the image by the device numbers of its file system, whatever the path says', () => {
      const d = drive({ devices: ['8:16', '8:17', '8:18'], mountpoints: [] });
      expect(sourceIsOnDrive(d, { path: '/somewhere/kairos.iso', device: '8:18' })).toBe(true);
      expect(sourceIsOnDrive(d, { path: '/somewhere/kairos.iso', device: '8:32' })).toBe(false);
    });

    it('refuses a loop device whose backing file is the image', () => {
      const d = drive({ kind: 'loop', device: '/dev/loop3', backingFile: { dev: '254:1', ino: '77' } });
      expect(sourceIsOnDrive(d, { fileId: { dev: '254:1', ino: '77' } })).toBe(true);
      expect(sourceIsOnDrive(d, { fileId: { dev: '254:1', ino: '78' } })).toBe(false);
    });

    it('is not raised without an image path or without mountpoints', () => {
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a'] }), {})).toBe(false);
      expect(sourceIsOnDrive(drive({ mountpoints: ['/media/a'] }), { path: '' })).toBe(false);
      expect(sourceIsOnDrive(drive({ mountpoints: [] }), { path: '/media/a/kairos.iso' })).toBe(false);
    });
  });

  describe('system-drive', () => {
    it('warns about a system drive without refusing it', () => {
      const findings = driveFindings(drive({ kind: 'internal', removable: false, system: true, device: '/dev/nvme0n1', busType: 'NVME' }), {});
      expect(findings).toEqual([expect.objectContaining({ code: 'system-drive', severity: 'warning' })]);
      expect(findings[0]?.message).toMatch(/unbootable/);
    });

    it('never calls a loop device or a file a system drive', () => {
      expect(codes(drive({ kind: 'loop', device: '/dev/loop0', system: true }))).not.toContain('system-drive');
      expect(codes(drive({ kind: 'file', device: '/tmp/x.img', system: true }))).not.toContain('system-drive');
      expect(isSystemDrive(drive({ kind: 'loop', device: '/dev/loop0', system: true }))).toBe(false);
      expect(isSystemDrive(drive({ kind: 'file', device: '/tmp/x.img', system: true }))).toBe(false);
    });

    it('calls any drive with a system mount a system drive, loop devices and USB disks too', () => {
      for (const mount of ['/', '/boot/efi', '/home', '/var', '[SWAP]', '/srv/']) {
        expect(isSystemDrive(drive({ kind: 'loop', device: '/dev/loop0', system: false, mountpoints: [mount] })), mount).toBe(true);
        expect(isSystemDrive(drive({ system: false, mountpoints: ['/media/me/STICK', mount] })), mount).toBe(true);
      }
      expect(isSystemDrive(drive({ kind: 'loop', device: '/dev/loop0', mountpoints: ['/mnt/test', '/media/a', '/bootstrap'] }))).toBe(false);
    });

    it('does not count an internal SD reader that drivelist marks as system', () => {
      const reader = drive({ device: '/dev/mmcblk0', description: 'SD card', kind: 'internal', system: true, removable: false, busType: 'MMC' });
      expect(codes(reader)).not.toContain('system-drive');
    });
  });

  describe('large-drive', () => {
    it('warns above 128 GB', () => {
      const findings = driveFindings(drive({ size: LARGE_DRIVE_BYTES + 1 }), {});
      expect(findings.map((f) => [f.code, f.severity])).toEqual([['large-drive', 'warning']]);
      expect(findings[0]?.message).toContain('119 GiB');
    });

    it('does not warn at exactly 128 GB or below', () => {
      expect(LARGE_DRIVE_BYTES).toBe(128e9);
      expect(codes(drive({ size: 128e9 }))).toEqual([]);
      expect(codes(drive({ size: 64e9 }))).toEqual([]);
    });

    it('does not warn for a large file target', () => {
      expect(codes(drive({ kind: 'file', device: '/tmp/x.img', size: 1e12 }))).toEqual([]);
    });
  });

  describe('mounted', () => {
    it('warns that mounted partitions will be unmounted, naming them', () => {
      const findings = driveFindings(drive({ mountpoints: ['/media/me/BOOT', '/media/me/DATA'] }), {});
      expect(findings).toEqual([
        { code: 'mounted', severity: 'warning', message: 'In use (/media/me/BOOT, /media/me/DATA): it will be unmounted first' },
      ]);
    });

    it('does not apply to a file target', () => {
      expect(codes(drive({ kind: 'file', device: '/tmp/x.img', mountpoints: ['/tmp'] }))).toEqual([]);
    });
  });

  it('reports every problem of a bad drive, errors and warnings, in a stable order', () => {
    const bad = drive({
      readOnly: true,
      size: 200e9,
      system: true,
      kind: 'internal',
      removable: false,
      device: '/dev/sda',
      description: 'Samsung SSD',
      busType: 'SATA',
      mountpoints: ['/'],
    });
    expect(codes(bad, { size: 300e9, path: '/home/me/k.iso' })).toEqual(['read-only', 'too-small', 'contains-source', 'system-drive', 'large-drive', 'mounted']);
  });
});

describe('isSdReader', () => {
  it('recognises an SD card by its kind', () => {
    expect(isSdReader(drive({ kind: 'sd' }))).toBe(true);
  });

  it('recognises internal readers by device, description or bus', () => {
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/mmcblk0', description: 'MMC', busType: undefined }))).toBe(true);
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/sdc', description: 'Generic- SD/MMC', busType: 'USB' }))).toBe(true);
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/disk4', description: 'Built In SDXC Reader' }))).toBe(true);
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/sdd', description: 'Realtek Card Reader' }))).toBe(true);
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/sde', description: 'Transcend SDHC' }))).toBe(true);
  });

  it('does not take an ordinary disk for a reader', () => {
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/sda', description: 'Samsung SSD 870', busType: 'SATA' }))).toBe(false);
    expect(isSdReader(drive({ kind: 'internal', device: '/dev/nvme0n1', description: 'WD Black SN850', busType: 'NVME' }))).toBe(false);
    expect(isSdReader(drive())).toBe(false);
  });

  it('makes a system-flagged internal SD reader an ordinary removable target', () => {
    const reader = drive({ device: '/dev/mmcblk0', description: 'SD card reader', kind: 'internal', system: true, removable: false, busType: undefined });
    expect(isSystemDrive(reader)).toBe(false);
    const status = driveStatus(reader, {});
    expect(status).toMatchObject({ selectable: true, hidden: false, needsTypedConfirmation: false });
  });
});

describe('driveStatus', () => {
  it('makes a plain USB stick selectable and visible with no confirmation', () => {
    const d = drive();
    expect(driveStatus(d, { size: 1e9 })).toEqual({ drive: d, findings: [], selectable: true, hidden: false, needsTypedConfirmation: false });
  });

  it('keeps a drive with only warnings selectable', () => {
    const status = driveStatus(drive({ size: 256e9, mountpoints: ['/media/x'] }), { size: 1e9 });
    expect(status.findings.map((f) => f.code)).toEqual(['large-drive', 'mounted']);
    expect(status.selectable).toBe(true);
  });

  it('makes a drive with an error unselectable', () => {
    expect(driveStatus(drive({ readOnly: true }), {}).selectable).toBe(false);
    expect(driveStatus(drive({ size: 1e9 }), { size: 2e9 }).selectable).toBe(false);
    expect(driveStatus(drive({ mountpoints: ['/media/a'] }), { path: '/media/a/x.iso' }).selectable).toBe(false);
  });

  it('hides a system drive and asks for its name typed', () => {
    const status = driveStatus(drive({ device: '/dev/sda', kind: 'internal', system: true, removable: false }), { size: 1e9 });
    expect(status).toMatchObject({ selectable: true, hidden: true, needsTypedConfirmation: true });
  });

  it('neither hides nor asks for a loop device drivelist calls system', () => {
    const status = driveStatus(drive({ device: '/dev/loop3', kind: 'loop', system: true, removable: false, virtual: true }), {});
    expect(status).toMatchObject({ findings: [], hidden: false, needsTypedConfirmation: false });
  });
});

describe('confirmationWord', () => {
  it('drops /dev/ on Linux and macOS', () => {
    expect(confirmationWord(drive({ device: '/dev/sda' }))).toBe('sda');
    expect(confirmationWord(drive({ device: '/dev/disk4' }))).toBe('disk4');
    expect(confirmationWord(drive({ device: '/dev/nvme0n1' }))).toBe('nvme0n1');
  });

  it('drops the \\\\.\\ prefix on Windows', () => {
    expect(confirmationWord(drive({ device: '\\\\.\\PhysicalDrive2' }))).toBe('PhysicalDrive2');
  });

  it('leaves other paths as they are', () => {
    expect(confirmationWord(drive({ device: '/tmp/disk.img' }))).toBe('/tmp/disk.img');
  });
});

describe('visibleDrives', () => {
  const sda = driveStatus(drive({ device: '/dev/sda', kind: 'internal', system: true, removable: false }), {});
  const nvme = driveStatus(drive({ device: '/dev/nvme0n1', kind: 'internal', system: true, removable: false }), {});
  const sdc = driveStatus(drive({ device: '/dev/sdc' }), {});
  const sdb = driveStatus(drive({ device: '/dev/sdb' }), {});
  const loop = driveStatus(drive({ device: '/dev/loop0', kind: 'loop', removable: false }), {});
  const all = [sda, sdc, loop, nvme, sdb];

  it('hides system drives unless asked', () => {
    expect(visibleDrives(all, false).map((s) => s.drive.device)).toEqual(['/dev/sdb', '/dev/sdc', '/dev/loop0']);
  });

  it('shows system drives when asked, removable ones first then by name', () => {
    expect(visibleDrives(all, true).map((s) => s.drive.device)).toEqual(['/dev/sdb', '/dev/sdc', '/dev/loop0', '/dev/nvme0n1', '/dev/sda']);
  });

  it('does not reorder the list it was given', () => {
    visibleDrives(all, true);
    expect(all.map((s) => s.drive.device)).toEqual(['/dev/sda', '/dev/sdc', '/dev/loop0', '/dev/nvme0n1', '/dev/sdb']);
  });

  it('gives an empty list for no drives', () => {
    expect(visibleDrives([], true)).toEqual([]);
  });
});
