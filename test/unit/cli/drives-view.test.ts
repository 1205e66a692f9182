// `kairos-factory drives` on the lsblk fixtures of real readers: what a user reads in the table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDriveList } from '../../../src-main/cli/drives-view.js';
import { drivesFromLsblk } from '../../../src-main/drives/linux-drives.js';
import { driveStatus } from '../../../src-shared/drives/drive-constraints.js';

function list(...fixtures: string[]) {
  const drives = fixtures.flatMap((name) => drivesFromLsblk(readFileSync(new URL(`../../fixtures/lsblk/${name}.json`, import.meta.url), 'utf8'), { byId: new Map(), loops: new Map() }));
  return { drives: drives.map((d) => driveStatus(d, { size: 2 * 1024 ** 3 })), imageSize: 2 * 1024 ** 3 };
}

describe('formatDriveList', () => {
  it('shows an internal reader\'s card as an SD card, a USB reader\'s card and its empty slots, and hides the system disk', () => {
    const text = formatDriveList(list('laptop-rtsx-sd-reader', 'usb-multi-card-reader'), false);
    const rows = text.split('\n');
    expect(rows[0]).toBe('The image needs 2.00 GiB.');
    expect(rows[1]).toMatch(/^DRIVE\s+SIZE\s+KIND\s+DESCRIPTION\s+VERDICT$/);
    expect(rows.find((r) => r.startsWith('/dev/mmcblk0 '))).toMatch(/^\/dev\/mmcblk0\s+29\.7 GiB\s+SD card\s+Internal card reader\s+ok; In use \(\/media\/anna\/SDCARD\): it will be unmounted first$/);
    expect(rows.find((r) => r.startsWith('/dev/sdb '))).toMatch(/^\/dev\/sdb\s+14\.8 GiB\s+Card in a USB reader\s+Generic- SD\/MMC\s+ok$/);
    expect(rows.find((r) => r.startsWith('/dev/sdc '))).toMatch(/^\/dev\/sdc\s+0 B\s+Card reader, no card\s+Generic- Compact Flash\s+refused: No card in this slot: insert one to write it$/);
    expect(rows.some((r) => r.startsWith('/dev/nvme0n1'))).toBe(false);
    expect(text).toContain('1 system drive not shown (--all shows it).');
  });

  it('shows a Raspberry Pi\'s own card only with --all, as its system drive', () => {
    expect(formatDriveList(list('raspberry-pi4-sd-boot'), false)).toContain('No drive to write');
    expect(formatDriveList(list('raspberry-pi4-sd-boot'), true)).toMatch(/^\/dev\/mmcblk0\s+29\.7 GiB\s+SD card\s+Internal card reader\s+system drive: confirm with --confirm-system-drive mmcblk0; /m);
  });
});
