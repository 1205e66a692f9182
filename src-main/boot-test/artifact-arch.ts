// Which CPU a bootable image is for, read from the image itself: the EFI loader in its EFI System
// (or first FAT) partition is BOOTAA64.EFI on arm64 and BOOTX64.EFI on amd64. The boot test picks
// qemu's machine from it, so an arm64 disk or ISO needs no flag. Pure parsing of the partition
// table, and a reader that looks at the few MiB it needs.
import { open } from 'node:fs/promises';

export type ImageArch = 'amd64' | 'arm64';

export interface PartitionExtent {
  readonly startBytes: number;
  readonly sizeBytes: number;
}

const SECTOR = 512;
/** The EFI System partition type GUID as GPT stores it (mixed endian). */
const ESP_GUID = Buffer.from('28732ac11ff8d211ba4b00a0c93ec93b', 'hex');
/** MBR types of FAT partitions a board or UEFI boots from: EFI System, FAT32 LBA/CHS, FAT16. */
const MBR_BOOT_TYPES = new Set([0xef, 0x0c, 0x0b, 0x0e, 0x06]);

/** The GPT's entries area (first LBA, count, entry size), or undefined when sector 1 holds no GPT. */
export function gptEntriesArea(head: Buffer): { readonly offset: number; readonly count: number; readonly size: number } | undefined {
  if (head.length < 2 * SECTOR || head.toString('latin1', SECTOR, SECTOR + 8) !== 'EFI PART') return undefined;
  const lba = Number(head.readBigUInt64LE(SECTOR + 72));
  return { offset: lba * SECTOR, count: head.readUInt32LE(SECTOR + 80), size: head.readUInt32LE(SECTOR + 84) };
}

/** The EFI System partition among GPT entries. */
export function espFromGpt(entries: Buffer, count: number, size: number): PartitionExtent | undefined {
  for (let i = 0; i < count && (i + 1) * size <= entries.length; i++) {
    const e = entries.subarray(i * size, (i + 1) * size);
    if (!e.subarray(0, 16).equals(ESP_GUID)) continue;
    const first = Number(e.readBigUInt64LE(32));
    const last = Number(e.readBigUInt64LE(40));
    return { startBytes: first * SECTOR, sizeBytes: (last - first + 1) * SECTOR };
  }
  return undefined;
}

/** The first FAT or EFI System partition of an MBR (a Raspberry Pi 3 card), ignoring a protective one. */
export function bootFromMbr(head: Buffer): PartitionExtent | undefined {
  if (head.length < SECTOR || head[510] !== 0x55 || head[511] !== 0xaa) return undefined;
  for (let i = 0; i < 4; i++) {
    const e = 446 + i * 16;
    const type = head[e + 4]!;
    if (!MBR_BOOT_TYPES.has(type)) continue;
    return { startBytes: head.readUInt32LE(e + 8) * SECTOR, sizeBytes: head.readUInt32LE(e + 12) * SECTOR };
  }
  return undefined;
}

/** The architecture of the EFI loader named in a FAT directory (8.3 names, as the firmware looks them up). */
export function archInFat(bytes: Buffer): ImageArch | undefined {
  if (bytes.includes('BOOTAA64EFI', 0, 'latin1')) return 'arm64';
  if (bytes.includes('BOOTX64 EFI', 0, 'latin1')) return 'amd64';
  return undefined;
}

/** The EFI System partition (GPT), else the first FAT partition (MBR) of an image file. */
export async function bootPartition(path: string): Promise<PartitionExtent | undefined> {
  const file = await open(path, 'r');
  try {
    return await findBootPartition(async (offset, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    });
  } finally {
    await file.close();
  }
}

type Reader = (offset: number, length: number) => Promise<Buffer>;

async function findBootPartition(read: Reader): Promise<PartitionExtent | undefined> {
  const head = await read(0, 64 * 1024);
  const gpt = gptEntriesArea(head);
  return (gpt && espFromGpt(await read(gpt.offset, Math.min(gpt.count * gpt.size, 1024 * 1024)), gpt.count, gpt.size)) ?? bootFromMbr(head);
}

/** How much of the boot partition is read at most: its directories are near its start. */
const SCAN_LIMIT = 64 * 1024 * 1024;

/** The image's architecture, or undefined when it carries no EFI loader (a BIOS-only disk). */
export async function imageArch(path: string): Promise<ImageArch | undefined> {
  const file = await open(path, 'r');
  try {
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    };
    const part = await findBootPartition(read);
    if (!part) return undefined;
    const chunk = 4 * 1024 * 1024;
    const end = part.startBytes + Math.min(part.sizeBytes, SCAN_LIMIT);
    for (let at = part.startBytes; at < end; at += chunk - 16) {
      const bytes = await read(at, Math.min(chunk, end - at));
      if (bytes.length === 0) break;
      const arch = archInFat(bytes);
      if (arch) return arch;
    }
    return undefined;
  } finally {
    await file.close();
  }
}
