// Static checks of a Raspberry Pi SD card: what no emulator runs (the VideoCore firmware reading
// config.txt, the Pi 3 boot ROM's MBR rule, the Pi 4 EEPROM's GPT + EFI System partition rule,
// the DTB the firmware picks) is checked on the finished image, one pass/fail line each, like
// the image checks. A builder script prints facts; the checks are pure functions of them.
import { CONFIG_TXT_LINES, UBOOT, type RpiModelSpec } from './rpi-layout.js';

/** The EFI System partition's GPT type. */
export const ESP_TYPE_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

/**
 * Prints, for the image $img: the partition table (sfdisk -d), the FAT type of partition 1, its
 * files, config.txt, and each partition's file system label. Reads only; no mounts.
 */
export const RPI_FACTS_SCRIPT = `
sfdisk -d "$img" | sed 's/^/TABLE /'
start=$(sfdisk -d "$img" | sed -n 's/.*: *start= *\\([0-9]*\\).*/\\1/p' | head -n1)
off=$((start * 512))
echo "FAT16 $(dd if="$img" bs=1 skip=$((off + 54)) count=8 status=none | tr -cd 'A-Z0-9')"
echo "FAT32 $(dd if="$img" bs=1 skip=$((off + 82)) count=8 status=none | tr -cd 'A-Z0-9')"
mdir -i "$img@@$off" -/ -b ::/ | sed 's/^/FILE /'
mtype -i "$img@@$off" ::/config.txt 2>/dev/null | sed 's/^/CONFIG /' || true
for s in $(sfdisk -d "$img" | sed -n 's/.*: *start= *\\([0-9]*\\).*/\\1/p'); do
  echo "LABEL $s $(blkid -p -O $((s * 512)) -s LABEL -o value "$img" 2>/dev/null || true)"
done
`;

export interface RpiPartition {
  readonly start: number;
  readonly type: string;
  readonly bootable: boolean;
  readonly label: string;
}

export interface RpiFacts {
  /** "dos" (MBR) or "gpt". */
  readonly table: string;
  readonly partitions: ReadonlyArray<RpiPartition>;
  /** "FAT16", "FAT32", or "" when partition 1 has no FAT boot sector. */
  readonly fat: string;
  /** Paths in partition 1, without "::/" ("config.txt", "EFI/BOOT/bootaa64.efi"). */
  readonly files: ReadonlyArray<string>;
  readonly configTxt: ReadonlyArray<string>;
}

export function parseRpiFacts(lines: ReadonlyArray<string>): RpiFacts {
  let table = '';
  let fat = '';
  const parts: Array<{ start: number; type: string; bootable: boolean }> = [];
  const labels = new Map<number, string>();
  const files: string[] = [];
  const config: string[] = [];
  for (const line of lines) {
    const [tag, ...restWords] = line.split(' ');
    const rest = line.slice((tag ?? '').length + 1);
    if (tag === 'TABLE') {
      const label = /^label: (\S+)/.exec(rest);
      if (label) table = label[1]!;
      const part = /:\s*start=\s*(\d+),.*type=([0-9A-Fa-f-]+)/.exec(rest);
      if (part) parts.push({ start: Number(part[1]), type: part[2]!.toUpperCase(), bootable: /\bbootable\b/.test(rest) });
    } else if ((tag === 'FAT16' || tag === 'FAT32') && restWords[0]?.startsWith(tag)) {
      fat = tag;
    } else if (tag === 'FILE') {
      const path = rest.replace(/^::\//, '').replace(/\/$/, '');
      if (path) files.push(path);
    } else if (tag === 'CONFIG') {
      config.push(rest.replace(/\r$/, ''));
    } else if (tag === 'LABEL') {
      labels.set(Number(restWords[0]), restWords.slice(1).join(' ').trim());
    }
  }
  return { table, fat, files, configTxt: config, partitions: parts.map((p) => ({ ...p, label: labels.get(p.start) ?? '' })) };
}

export interface RpiCheckResult {
  readonly title: string;
  readonly status: 'pass' | 'fail';
  readonly detail: string;
}

function check(title: string, ok: boolean, pass: string, fail: string): RpiCheckResult {
  return { title, status: ok ? 'pass' : 'fail', detail: ok ? pass : fail };
}

/** The partitions a plain card needs, in order after the boot partition. */
const SYSTEM_LABELS = ['COS_OEM', 'COS_RECOVERY'];

export function rpiChecks(spec: RpiModelSpec, facts: RpiFacts): RpiCheckResult[] {
  const has = (name: string): boolean => facts.files.some((f) => f.toLowerCase() === name.toLowerCase());
  const missing = (names: ReadonlyArray<string>): string[] => names.filter((n) => !has(n));
  const p1 = facts.partitions[0];
  const results: RpiCheckResult[] = [];
  if (spec.table === 'mbr') {
    results.push(check('partition table', facts.table === 'dos', 'MBR (the Pi 3 boot ROM reads no GPT)', `${facts.table || 'none'}, but the Pi 3 boot ROM reads only an MBR`));
    const fatType = p1 && ['C', 'B'].includes(p1.type);
    const type = p1 ? `0x${p1.type.toLowerCase().padStart(2, '0')}` : 'none';
    results.push(check('boot partition', Boolean(fatType), `first entry type ${type} (FAT)${p1?.bootable ? ', active' : ''}`, `first entry type ${type}, the Pi 3 needs FAT (0x0b or 0x0c) first`));
  } else {
    results.push(check('partition table', facts.table === 'gpt', 'GPT', `${facts.table || 'none'}, expected GPT`));
    results.push(check('boot partition', p1?.type === ESP_TYPE_GUID, 'partition 1 is the EFI System partition (the Pi 4 EEPROM boots from it)', `partition 1 type ${p1?.type ?? 'none'}, not the EFI System partition`));
  }
  results.push(check('boot file system', facts.fat !== '', `${facts.fat}, label ${p1?.label || '(none)'}`, 'partition 1 holds no FAT file system'));
  const labels = facts.partitions.map((p) => p.label);
  const lost = ['COS_GRUB', ...SYSTEM_LABELS].filter((l) => !labels.includes(l));
  results.push(check('partitions', lost.length === 0, labels.join(', '), `missing ${lost.join(', ')}`));
  const firmware = missing(spec.firmware);
  results.push(check('firmware', firmware.length === 0, spec.firmware.join(', '), `missing ${firmware.join(', ')}`));
  const dtbs = missing(spec.dtbs);
  const extra = spec.optionalDtbs.filter(has);
  results.push(check('device trees', dtbs.length === 0, [...spec.dtbs, ...extra].join(', '), `missing ${dtbs.join(', ')} (upstream names, which config.txt's upstream_kernel=1 makes the firmware load)`));
  results.push(check('U-Boot', has(UBOOT), UBOOT, `missing ${UBOOT}`));
  const loader = missing(['EFI/BOOT/bootaa64.efi', 'EFI/BOOT/grub.cfg']);
  results.push(check('EFI loader', loader.length === 0, 'EFI/BOOT/bootaa64.efi and grub.cfg (what U-Boot starts)', `missing ${loader.join(', ')}`));
  const config = facts.configTxt.map((l) => l.trim());
  const lines = CONFIG_TXT_LINES.filter((l) => !config.includes(l));
  results.push(check('config.txt', has('config.txt') && lines.length === 0, CONFIG_TXT_LINES.join(' '), has('config.txt') ? `lacks ${lines.join(', ')}` : 'missing'));
  return results;
}

export function formatRpiCheck(r: RpiCheckResult): string {
  return `${r.status.padEnd(4)}  ${r.title}: ${r.detail}`;
}

export function describeRpiFailures(results: ReadonlyArray<RpiCheckResult>): string {
  return results.filter((r) => r.status === 'fail').map((r) => `${r.title} (${r.detail})`).join(', ');
}
