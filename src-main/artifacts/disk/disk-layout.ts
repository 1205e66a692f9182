// The Kairos raw disk, as AuroraBoot lays it out (kairos-io/AuroraBoot pkg/ops/rawDiskGeneration.go,
// kairos-sdk constants): GPT, a 1 MiB lead, then
//   p1 COS_GRUB  vfat 64 MiB (EFI)   or  a 1 MiB BIOS boot partition holding GRUB's core (BIOS)
//   p2 COS_OEM   ext2 64 MiB: the cloud-config, a grubenv that boots recovery first
//   p3 COS_RECOVERY ext2, 2 x the recovery system + 150 MiB (room for an upgrade's transition image)
// and a 1 MiB tail for the backup GPT. On first boot Kairos adds COS_STATE and COS_PERSISTENT in
// the space after p3 and resets into them. Pure: sizes, GUIDs and the sgdisk command line.
import { createHash } from 'node:crypto';
import { AppError } from '../../../src-shared/errors/app-error.js';

export type DiskFirmware = 'efi' | 'bios';

export interface PartitionPlan {
  readonly index: number;
  readonly gptName: string;
  /** File system label (COS_*), or the partition's purpose for the BIOS boot partition. */
  readonly label: string;
  /** sgdisk type code: EF00 EFI system, EF02 BIOS boot, 8300 Linux data. */
  readonly typeCode: 'EF00' | 'EF02' | '8300';
  readonly uniqueGuid: string;
  readonly fs: 'vfat' | 'ext2' | 'none';
  readonly startMiB: number;
  readonly sizeMiB: number;
}

export interface DiskPlan {
  readonly firmware: DiskFirmware;
  /** GPT (with a protective MBR), or a plain MBR for boards whose boot ROM reads nothing else (Raspberry Pi 3). */
  readonly table: 'gpt' | 'mbr';
  readonly partitions: ReadonlyArray<PartitionPlan>;
  /** The whole image, lead and tail included. */
  readonly imageMiB: number;
  /** The smallest image the system fits in. */
  readonly minimalMiB: number;
}

export const ESP_MIB = 64;
export const BIOS_BOOT_MIB = 1;
export const OEM_MIB = 64;

/** UUIDv5 in the URL namespace: the partition GUIDs upstream derives from the labels. */
export function uuidV5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const hash = createHash('sha1').update(namespace).update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Kairos' fixed disk GUID: UUIDv5 of "KAIROS_DISK". */
export const DISK_GUID = uuidV5('KAIROS_DISK');

/** The recovery partition for a recovery system of `recoveryMiB`: twice it plus 150 MiB. */
export function recoveryPartitionMiB(recoveryMiB: number): number {
  return 2 * Math.ceil(recoveryMiB) + 150;
}

export function diskPlan(options: { readonly firmware: DiskFirmware; readonly recoveryMiB: number; readonly sizeMiB?: number; readonly table?: 'gpt' | 'mbr' }): DiskPlan {
  if (options.table === 'mbr' && options.firmware !== 'efi') throw new Error('an MBR disk plan is for EFI boards');
  const first = options.firmware === 'efi'
    ? { gptName: 'efi', label: 'COS_GRUB', typeCode: 'EF00' as const, fs: 'vfat' as const, sizeMiB: ESP_MIB }
    : { gptName: 'bios', label: 'COS_GRUB', typeCode: 'EF02' as const, fs: 'none' as const, sizeMiB: BIOS_BOOT_MIB };
  const parts = [
    first,
    { gptName: 'oem', label: 'COS_OEM', typeCode: '8300' as const, fs: 'ext2' as const, sizeMiB: OEM_MIB },
    { gptName: 'recovery', label: 'COS_RECOVERY', typeCode: '8300' as const, fs: 'ext2' as const, sizeMiB: recoveryPartitionMiB(options.recoveryMiB) },
  ];
  let start = 1;
  const partitions = parts.map((p, i) => {
    const plan: PartitionPlan = { index: i + 1, ...p, uniqueGuid: uuidV5(p.label), startMiB: start };
    start += p.sizeMiB;
    return plan;
  });
  const minimalMiB = start + 1;
  const wanted = options.sizeMiB ?? 0;
  if (wanted > 0 && wanted < minimalMiB) {
    throw new AppError('recipe-invalid', `disk.sizeMiB ${wanted} is too small: this system needs at least ${minimalMiB} MiB`, {
      hint: `Set disk.sizeMiB to ${minimalMiB} or more, or 0 for the smallest disk`,
    });
  }
  return { firmware: options.firmware, table: options.table ?? 'gpt', partitions, imageMiB: Math.max(wanted, minimalMiB), minimalMiB };
}

/**
 * sgdisk writes the protective MBR, both GPTs and the partitions at exact places. Unlike upstream,
 * which grows the file after writing the GPT, the backup GPT is at the image's real end, so a
 * bigger disk size needs no repair on first boot.
 */
export function sgdiskArgs(plan: DiskPlan, file: string): string[] {
  const args = ['--clear', '--set-alignment=2048', `--disk-guid=${DISK_GUID}`];
  for (const p of plan.partitions) {
    const first = p.startMiB * 2048;
    const last = (p.startMiB + p.sizeMiB) * 2048 - 1;
    args.push(`--new=${p.index}:${first}:${last}`, `--typecode=${p.index}:${p.typeCode}`, `--change-name=${p.index}:${p.gptName}`, `--partition-guid=${p.index}:${p.uniqueGuid}`);
    if (p.typeCode === 'EF02') args.push(`--attributes=${p.index}:set:0`, `--attributes=${p.index}:set:2`);
    if (p.typeCode === 'EF00') args.push(`--attributes=${p.index}:set:0`);
  }
  args.push(file);
  return args;
}

/** A grubenv file: its header, the settings, then "#" to exactly 1024 bytes, as grub-editenv writes it. */
export function grubenv(vars: Readonly<Record<string, string>>): string {
  const body = `# GRUB Environment Block\n${Object.entries(vars).map(([k, v]) => `${k}=${v}\n`).join('')}`;
  if (body.length > 1024) throw new Error('grubenv too long');
  return body + '#'.repeat(1024 - body.length);
}
