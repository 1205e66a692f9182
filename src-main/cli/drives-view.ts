// `kairos-factory drives`: the drive list as a table, each drive with what the safety rules say
// of it (the same findings the app shows), system drives counted but hidden unless asked for.
// The KIND column says what the drive is in words (SD card, card in a USB reader, an empty slot).
import type { DriveList } from '../../src-shared/api/contract.js';
import { confirmationWord, visibleDrives } from '../../src-shared/drives/drive-constraints.js';
import { driveKindLabel } from '../../src-shared/drives/drive-kind.js';
import { formatBytes } from '../../src-shared/util/format.js';

export function formatDriveList(list: DriveList, showSystem: boolean): string {
  const shown = visibleDrives(list.drives, showSystem);
  const hidden = list.drives.length - shown.length;
  const lines: string[] = [];
  if (list.imageSize !== undefined) lines.push(`The image needs ${formatBytes(list.imageSize)}.`);
  else if (list.imageSizeUnknown) lines.push("The image's size is not recorded in it: it is measured before anything is written.");
  if (shown.length === 0) lines.push('No drive to write: plug in a USB stick or an SD card.');
  const rows = shown.map((s) => {
    const errors = s.findings.filter((f) => f.severity === 'error').map((f) => f.message);
    const warnings = s.findings.filter((f) => f.severity === 'warning').map((f) => f.message);
    const verdict = errors.length > 0 ? `refused: ${errors.join('; ')}` : s.needsTypedConfirmation ? `system drive: confirm with --confirm-system-drive ${confirmationWord(s.drive)}` : 'ok';
    return [s.drive.device, formatBytes(s.drive.size), driveKindLabel(s.drive), s.drive.description, [verdict, ...warnings].join('; ')];
  });
  if (rows.length > 0) {
    const header = ['DRIVE', 'SIZE', 'KIND', 'DESCRIPTION', 'VERDICT'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    for (const row of [header, ...rows]) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
  }
  if (hidden > 0) lines.push(`${hidden} system drive${hidden === 1 ? '' : 's'} not shown (--all shows ${hidden === 1 ? 'it' : 'them'}).`);
  return `${lines.join('\n')}\n`;
}
