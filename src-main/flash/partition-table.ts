// Where a disk image's COS_OEM partition lies, read from the image's own bytes: the partition
// table (GPT, or MBR with its logical partitions, as a Pi 3 needs) and each partition's ext2
// superblock label. By label and not by index or GPT name, so it works for our raw disks (GPT
// name "oem"), for upstream's and for MBR images (no names at all). Pure over a reader of the
// image's bytes: the flash job reads a plain image directly, a compressed one from its stream.
import { AppError } from '../../src-shared/errors/app-error.js';

export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

export interface PartitionEntry {
  /** 1-based: the GPT entry number, or the MBR number (5 and up for logical partitions). */
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly scheme: 'gpt' | 'mbr';
  /** GPT partition name, when there is one. */
  readonly name?: string;
}

export const OEM_LABEL = 'COS_OEM';
const EXT_MAGIC = 0xef53;
const EXTENDED_TYPES = new Set([0x05, 0x0f, 0x85]);
/** O_DIRECT writes of the card's partition need whole blocks of the largest sector size in use. */
export const PARTITION_ALIGN = 4096;

function isGptHeader(block: Buffer): boolean {
  return block.length >= 92 && block.toString('latin1', 0, 8) === 'EFI PART';
}

async function gptEntries(read: ReadAt, sector: number): Promise<PartitionEntry[] | undefined> {
  const header = await read(sector, 92);
  if (!isGptHeader(header)) return undefined;
  const entriesLba = Number(header.readBigUInt64LE(72));
  const count = header.readUInt32LE(80);
  const size = header.readUInt32LE(84);
  if (count > 1024 || size < 128 || size > 4096) throw new AppError('source-invalid', 'The image has a damaged GPT (impossible entry count or size)');
  const table = await read(entriesLba * sector, count * size);
  const out: PartitionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry = table.subarray(i * size, (i + 1) * size);
    if (entry.length < 128 || entry.subarray(0, 16).every((b) => b === 0)) continue;
    const first = Number(entry.readBigUInt64LE(32));
    const last = Number(entry.readBigUInt64LE(40));
    if (last < first) continue;
    const name = entry.toString('utf16le', 56, 128).replace(/\0.*$/s, '');
    out.push({ index: i + 1, offset: first * sector, length: (last - first + 1) * sector, scheme: 'gpt', ...(name ? { name } : {}) });
  }
  return out;
}

function mbrSlots(block: Buffer): Array<{ type: number; start: number; sectors: number }> {
  const slots = [];
  for (let i = 0; i < 4; i++) {
    const at = 446 + i * 16;
    slots.push({ type: block[at + 4]!, start: block.readUInt32LE(at + 8), sectors: block.readUInt32LE(at + 12) });
  }
  return slots;
}

async function mbrEntries(read: ReadAt, mbr: Buffer): Promise<PartitionEntry[]> {
  const out: PartitionEntry[] = [];
  const slots = mbrSlots(mbr);
  for (const [i, slot] of slots.entries()) {
    if (slot.type === 0 || slot.sectors === 0) continue;
    if (!EXTENDED_TYPES.has(slot.type)) {
      out.push({ index: i + 1, offset: slot.start * 512, length: slot.sectors * 512, scheme: 'mbr' });
      continue;
    }
    // Logical partitions: a chain of EBRs, each giving one partition (relative to itself) and the
    // next EBR (relative to the extended partition's start).
    let ebr = slot.start;
    for (let n = 5; n < 5 + 128 && ebr !== 0; n++) {
      const block = await read(ebr * 512, 512);
      if (block.readUInt16LE(510) !== 0xaa55) break;
      const [part, next] = mbrSlots(block);
      if (part && part.type !== 0 && part.sectors > 0) out.push({ index: n, offset: (ebr + part.start) * 512, length: part.sectors * 512, scheme: 'mbr' });
      ebr = next && next.type !== 0 && next.start !== 0 ? slot.start + next.start : 0;
    }
  }
  return out;
}

/** The image's partitions, from its GPT (512- or 4096-byte sectors) or its MBR. */
export async function listPartitions(read: ReadAt): Promise<PartitionEntry[]> {
  const mbr = await read(0, 512);
  if (mbr.length < 512 || mbr.readUInt16LE(510) !== 0xaa55) {
    throw new AppError('source-invalid', 'The image has no partition table (no MBR signature)', { hint: 'Per-card values need a disk image: a raw disk or a Raspberry Pi image, not an ISO or a rootfs' });
  }
  const protective = mbrSlots(mbr).some((s) => s.type === 0xee);
  if (protective) {
    for (const sector of [512, 4096]) {
      const gpt = await gptEntries(read, sector);
      if (gpt) return gpt;
    }
    throw new AppError('source-invalid', 'The image has a protective MBR but no GPT header', { hint: 'The image is damaged; build or download it again' });
  }
  return mbrEntries(read, mbr);
}

/** The ext2/3/4 volume label of a partition, or undefined when it holds no ext file system. */
export function extLabel(superblock: Buffer): string | undefined {
  if (superblock.length < 136 || superblock.readUInt16LE(56) !== EXT_MAGIC) return undefined;
  return superblock.toString('latin1', 120, 136).replace(/\0.*$/s, '');
}

/** The partition whose ext file system is labelled COS_OEM, checked to be one a card's copy can replace. */
export async function findOemPartition(read: ReadAt, imageSize: number): Promise<PartitionEntry> {
  // In the order they lie, stopping at the first: a compressed image is then decompressed only
  // as far as COS_OEM (and the partitions before it), not to a last partition far behind.
  const partitions = (await listPartitions(read)).sort((a, b) => a.offset - b.offset);
  let oem: PartitionEntry | undefined;
  for (const p of partitions) {
    if (p.offset + 1024 + 136 > imageSize) continue;
    if (extLabel(await read(p.offset + 1024, 136)) === OEM_LABEL) {
      oem = p;
      break;
    }
  }
  if (!oem) {
    throw new AppError('source-invalid', `The image has no ${OEM_LABEL} partition (an ext2 file system labelled ${OEM_LABEL}): per-card values have nowhere to go`, {
      hint: 'Per-card values need a Kairos disk image (raw-efi, raw-bios or rpi); for an ISO use `kairos-factory iso-config`',
    });
  }
  if (oem.offset + oem.length > imageSize) {
    throw new AppError('source-invalid', `The image's ${OEM_LABEL} partition ends at ${oem.offset + oem.length} bytes, past the image's end (${imageSize})`, { hint: 'The image is truncated; build or download it again' });
  }
  if (oem.offset % PARTITION_ALIGN !== 0 || oem.length % PARTITION_ALIGN !== 0 || oem.offset < 1024 * 1024) {
    throw new AppError('source-invalid', `The image's ${OEM_LABEL} partition (at ${oem.offset}, ${oem.length} bytes) is not aligned to 4 KiB after the first MiB, so a card's copy cannot be written over it`, {
      hint: 'Rebuild the image with aligned partitions (kairos-factory images are)',
    });
  }
  return oem;
}
