import { describe, expect, it } from 'vitest';
import { extLabel, findOemPartition, listPartitions, type ReadAt } from '../../../src-main/flash/partition-table.js';

const MIB = 1024 * 1024;

/** A disk image as a few written pieces over zeros: enough for a partition table and superblocks. */
class SparseDisk {
  private readonly pieces: Array<{ offset: number; data: Buffer }> = [];
  constructor(readonly size: number) {}
  write(offset: number, data: Buffer): void {
    this.pieces.push({ offset, data });
  }
  read: ReadAt = async (offset, length) => {
    const out = Buffer.alloc(Math.max(0, Math.min(length, this.size - offset)));
    for (const p of this.pieces) {
      const from = Math.max(offset, p.offset);
      const to = Math.min(offset + out.length, p.offset + p.data.length);
      if (to > from) p.data.copy(out, from - offset, from - p.offset, to - p.offset);
    }
    return out;
  };
}

function superblock(label: string): Buffer {
  const sb = Buffer.alloc(1024);
  sb.writeUInt16LE(0xef53, 56);
  sb.write(label, 120, 'latin1');
  return sb;
}

function mbrWith(slots: Array<{ type: number; start: number; sectors: number }>): Buffer {
  const mbr = Buffer.alloc(512);
  slots.forEach((s, i) => {
    mbr[446 + i * 16 + 4] = s.type;
    mbr.writeUInt32LE(s.start, 446 + i * 16 + 8);
    mbr.writeUInt32LE(s.sectors, 446 + i * 16 + 12);
  });
  mbr.writeUInt16LE(0xaa55, 510);
  return mbr;
}

/** Our raw EFI disk's layout: GPT, ESP at 1 MiB, COS_OEM (GPT name "oem") at 65 MiB, recovery after. */
function gptDisk(): SparseDisk {
  const disk = new SparseDisk(400 * MIB);
  disk.write(0, mbrWith([{ type: 0xee, start: 1, sectors: 400 * 2048 - 1 }]));
  const header = Buffer.alloc(92);
  header.write('EFI PART', 0, 'latin1');
  header.writeBigUInt64LE(2n, 72);
  header.writeUInt32LE(128, 80);
  header.writeUInt32LE(128, 84);
  disk.write(512, header);
  const parts = [
    { name: 'efi', start: 1, size: 64 },
    { name: 'oem', start: 65, size: 64 },
    { name: 'recovery', start: 129, size: 200 },
  ];
  const entries = Buffer.alloc(128 * 128);
  parts.forEach((p, i) => {
    const e = entries.subarray(i * 128, (i + 1) * 128);
    e.fill(0x11, 0, 16);
    e.writeBigUInt64LE(BigInt(p.start * 2048), 32);
    e.writeBigUInt64LE(BigInt((p.start + p.size) * 2048 - 1), 40);
    e.write(p.name, 56, 'utf16le');
  });
  disk.write(1024, entries);
  disk.write(65 * MIB + 1024, superblock('COS_OEM'));
  disk.write(129 * MIB + 1024, superblock('COS_RECOVERY'));
  return disk;
}

describe('listPartitions', () => {
  it("reads a GPT's entries with their names", async () => {
    const parts = await listPartitions(gptDisk().read);
    expect(parts).toEqual([
      { index: 1, offset: MIB, length: 64 * MIB, scheme: 'gpt', name: 'efi' },
      { index: 2, offset: 65 * MIB, length: 64 * MIB, scheme: 'gpt', name: 'oem' },
      { index: 3, offset: 129 * MIB, length: 200 * MIB, scheme: 'gpt', name: 'recovery' },
    ]);
  });

  it("reads an MBR's primary and logical partitions (a Pi 3 card)", async () => {
    const disk = new SparseDisk(600 * MIB);
    disk.write(0, mbrWith([{ type: 0x0c, start: 8192, sectors: 96 * 2048 }, { type: 0x0f, start: 100 * 2048, sectors: 400 * 2048 }]));
    // Two logical partitions: 64 MiB at 101 MiB, then 200 MiB at 166 MiB (each EBR 1 MiB before its partition).
    disk.write(100 * MIB, mbrWith([{ type: 0x83, start: 2048, sectors: 64 * 2048 }, { type: 0x05, start: 65 * 2048, sectors: 201 * 2048 }]));
    disk.write(165 * MIB, mbrWith([{ type: 0x83, start: 2048, sectors: 200 * 2048 }]));
    expect(await listPartitions(disk.read)).toEqual([
      { index: 1, offset: 4 * MIB, length: 96 * MIB, scheme: 'mbr' },
      { index: 5, offset: 101 * MIB, length: 64 * MIB, scheme: 'mbr' },
      { index: 6, offset: 166 * MIB, length: 200 * MIB, scheme: 'mbr' },
    ]);
  });

  it('refuses an image without a partition table (an ISO made without one, a rootfs)', async () => {
    await expect(listPartitions(new SparseDisk(4 * MIB).read)).rejects.toThrow('The image has no partition table (no MBR signature)');
  });
});

describe('findOemPartition', () => {
  it('finds COS_OEM by its ext2 label, not its GPT name or index', async () => {
    expect(await findOemPartition(gptDisk().read, 400 * MIB)).toMatchObject({ index: 2, offset: 65 * MIB, length: 64 * MIB });
  });

  it('finds COS_OEM on an MBR card', async () => {
    const disk = new SparseDisk(300 * MIB);
    disk.write(0, mbrWith([{ type: 0x0c, start: 8192, sectors: 96 * 2048 }, { type: 0x83, start: 100 * 2048, sectors: 64 * 2048 }, { type: 0x83, start: 164 * 2048, sectors: 100 * 2048 }]));
    disk.write(100 * MIB + 1024, superblock('COS_OEM'));
    disk.write(164 * MIB + 1024, superblock('COS_RECOVERY'));
    expect(await findOemPartition(disk.read, 300 * MIB)).toEqual({ index: 2, offset: 100 * MIB, length: 64 * MIB, scheme: 'mbr' });
  });

  it('refuses an image without COS_OEM, saying which images have one', async () => {
    const disk = new SparseDisk(200 * MIB);
    disk.write(0, mbrWith([{ type: 0x83, start: 2048, sectors: 100 * 2048 }]));
    disk.write(MIB + 1024, superblock('rootfs'));
    await expect(findOemPartition(disk.read, 200 * MIB)).rejects.toMatchObject({
      message: 'The image has no COS_OEM partition (an ext2 file system labelled COS_OEM): per-card values have nowhere to go',
      hint: expect.stringContaining('raw-efi, raw-bios or rpi'),
    });
  });

  it('refuses a COS_OEM that is not 4 KiB aligned (O_DIRECT could not write it)', async () => {
    const disk = new SparseDisk(200 * MIB);
    disk.write(0, mbrWith([{ type: 0x83, start: 2049, sectors: 64 * 2048 }]));
    disk.write(2049 * 512 + 1024, superblock('COS_OEM'));
    await expect(findOemPartition(disk.read, 200 * MIB)).rejects.toThrow(/is not aligned to 4 KiB/);
  });

  it('refuses a COS_OEM that runs past the end of a truncated image', async () => {
    await expect(findOemPartition(gptDisk().read, 100 * MIB)).rejects.toThrow(/past the image's end/);
  });
});

describe('extLabel', () => {
  it('reads the label of an ext superblock and nothing from other data', () => {
    expect(extLabel(superblock('COS_OEM'))).toBe('COS_OEM');
    expect(extLabel(Buffer.alloc(1024))).toBeUndefined();
  });
});
