import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archInFat, bootFromMbr, bootPartition, espFromGpt, gptEntriesArea, imageArch } from '../../../src-main/boot-test/artifact-arch.js';

const ESP = Buffer.from('28732ac11ff8d211ba4b00a0c93ec93b', 'hex');
const LINUX = Buffer.from('af3dc60f838472478e793d69d8477de4', 'hex');

/** A disk image: GPT (entries at LBA 2) or MBR, and a FAT directory entry for `loader` inside partition 1 at 1 MiB. */
function disk(table: 'gpt' | 'mbr', loader: string): Buffer {
  const image = Buffer.alloc(3 * 1024 * 1024);
  const start = 2048;
  const sectors = 2048;
  if (table === 'gpt') {
    image[446 + 4] = 0xee;
    image.write('EFI PART', 512, 'latin1');
    image.writeBigUInt64LE(2n, 512 + 72);
    image.writeUInt32LE(128, 512 + 80);
    image.writeUInt32LE(128, 512 + 84);
    // A Linux partition first, the ESP second: found by its type, not its place.
    LINUX.copy(image, 1024);
    image.writeBigUInt64LE(BigInt(start + sectors), 1024 + 32);
    image.writeBigUInt64LE(BigInt(start + 2 * sectors - 1), 1024 + 40);
    ESP.copy(image, 1024 + 128);
    image.writeBigUInt64LE(BigInt(start), 1024 + 128 + 32);
    image.writeBigUInt64LE(BigInt(start + sectors - 1), 1024 + 128 + 40);
  } else {
    image[446 + 4] = 0x0c;
    image.writeUInt32LE(start, 446 + 8);
    image.writeUInt32LE(sectors, 446 + 12);
  }
  image[510] = 0x55;
  image[511] = 0xaa;
  image.write(loader, start * 512 + 4096, 'latin1');
  return image;
}

describe('the architecture of a bootable image', () => {
  const dir = mkdtemp(join(tmpdir(), 'kf-arch-'));
  afterAll(async () => rm(await dir, { recursive: true, force: true }));

  it('finds the EFI System partition of a GPT by its type', () => {
    const image = disk('gpt', 'BOOTAA64EFI');
    const area = gptEntriesArea(image)!;
    expect(area).toEqual({ offset: 1024, count: 128, size: 128 });
    expect(espFromGpt(image.subarray(area.offset), area.count, area.size)).toEqual({ startBytes: 2048 * 512, sizeBytes: 2048 * 512 });
  });

  it("finds a Pi 3 card's FAT partition in its MBR, and nothing in a sector without a signature", () => {
    expect(bootFromMbr(disk('mbr', 'x'))).toEqual({ startBytes: 2048 * 512, sizeBytes: 2048 * 512 });
    expect(bootFromMbr(Buffer.alloc(512))).toBeUndefined();
    expect(gptEntriesArea(disk('mbr', 'x'))).toBeUndefined();
  });

  it('reads the loader name as FAT stores it (8.3)', () => {
    expect(archInFat(Buffer.from('xxBOOTAA64EFI   '))).toBe('arm64');
    expect(archInFat(Buffer.from('xxBOOTX64 EFI   '))).toBe('amd64');
    expect(archInFat(Buffer.from('GRUBAA64EFI'))).toBeUndefined();
  });

  it('tells arm64 from amd64 images, on GPT and on MBR; a disk without a loader has none', async () => {
    const folder = await dir;
    const cases: Array<[string, Buffer, string | undefined]> = [
      ['arm.img', disk('gpt', 'BOOTAA64EFI'), 'arm64'],
      ['pc.raw', disk('gpt', 'BOOTX64 EFI'), 'amd64'],
      ['pi3.img', disk('mbr', 'BOOTAA64EFI'), 'arm64'],
      ['bios.raw', disk('mbr', 'nothing'), undefined],
    ];
    for (const [name, bytes, arch] of cases) {
      await writeFile(join(folder, name), bytes);
      expect(await imageArch(join(folder, name)), name).toBe(arch);
    }
    expect(await bootPartition(join(folder, 'pi3.img'))).toEqual({ startBytes: 2048 * 512, sizeBytes: 2048 * 512 });
  });
});
