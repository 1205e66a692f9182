// Reading a disk image's first bytes for its partition table and COS_OEM, plain and compressed:
// the compressed one is decompressed only as far as the reads reach.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImagePrefix } from '../../../src-main/flash/image-prefix.js';
import { findOemPartition } from '../../../src-main/flash/partition-table.js';
import { compress, tempDir, type Kind } from './source/source-fixtures.js';

const MIB = 1024 * 1024;
let cleanup: () => Promise<void>;
let dir: string;
let image: string;

/** 24 MiB: an MBR with COS_OEM (an ext superblock) at 1 MiB, 2 MiB long, and data behind it. */
function diskBytes(): Buffer {
  const disk = Buffer.alloc(24 * MIB, 0x5a);
  disk.fill(0, 0, 512);
  disk[446 + 4] = 0x83;
  disk.writeUInt32LE(2048, 446 + 8);
  disk.writeUInt32LE(4096, 446 + 12);
  disk.writeUInt16LE(0xaa55, 510);
  disk.fill(0, MIB, MIB + 2048);
  disk.writeUInt16LE(0xef53, MIB + 1024 + 56);
  disk.write('COS_OEM', MIB + 1024 + 120, 'latin1');
  return disk;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  image = join(dir, 'disk.img');
  await writeFile(image, diskBytes());
});

afterAll(() => cleanup());

describe('openImagePrefix', () => {
  it.each(['none', 'gzip', 'xz', 'zstd'] as const)('finds COS_OEM and reads its bytes from a %s image', async (kind) => {
    const file = kind === 'none' ? image : await compress(kind as Kind, image, join(dir, `disk-${kind}`));
    const scratch = join(dir, `prefix-${kind}.img`);
    const prefix = await openImagePrefix(file, scratch, new AbortController().signal);
    try {
      expect(prefix.info.compression).toBe(kind);
      const oem = await findOemPartition(prefix.read, prefix.info.imageSize ?? Number.MAX_SAFE_INTEGER);
      expect(oem).toEqual({ index: 1, offset: MIB, length: 2 * MIB, scheme: 'mbr' });
      expect((await prefix.read(oem.offset + oem.length, 4)).equals(Buffer.alloc(4, 0x5a))).toBe(true);
    } finally {
      await prefix.close();
    }
    // Decompressed as far as the reads went (with the decoder's read-ahead), not all 24 MiB.
    if (kind !== 'none') expect((await stat(scratch)).size).toBeLessThan(16 * MIB);
  });
});
