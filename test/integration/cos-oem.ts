// A flashed drive's COS_OEM, found by its label as the app finds it, copied out of the drive so
// debugfs and blkid can read it (ext4 cannot be mounted on every machine that runs the tests).
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { MIB } from './loop-devices.js';

export interface Partition {
  readonly node: string;
  readonly start: number;
  readonly size: number;
  readonly name?: string;
}

/** The drive's partitions as sfdisk reads them (offsets in bytes). */
async function partitions(device: string): Promise<Partition[]> {
  const table = JSON.parse((await execa('sfdisk', ['--json', device])).stdout) as { partitiontable: { sectorsize?: number; partitions: Array<{ node: string; start: number; size: number; name?: string }> } };
  const sector = table.partitiontable.sectorsize ?? 512;
  return table.partitiontable.partitions.map((p) => ({ node: p.node, start: p.start * sector, size: p.size * sector, ...(p.name ? { name: p.name } : {}) }));
}

/** Copies one partition of a drive into a file, for debugfs and blkid. */
async function copyPartition(device: string, p: Partition, file: string): Promise<void> {
  const from = await open(device, 'r');
  const to = await open(file, 'w');
  try {
    const buffer = Buffer.alloc(8 * MIB);
    for (let at = 0; at < p.size; at += buffer.length) {
      const { bytesRead } = await from.read(buffer, 0, Math.min(buffer.length, p.size - at), p.start + at);
      await to.write(buffer, 0, bytesRead, at);
    }
  } finally {
    await from.close();
    await to.close();
  }
}

/** The drive's COS_OEM (found by its label, as the app finds it): where it is and a copy of it. */
export async function cosOem(device: string, work: string): Promise<Partition & { readonly copy: string }> {
  for (const [i, p] of (await partitions(device)).entries()) {
    const copy = join(work, `${device.replace(/\W/g, '')}-p${i + 1}.img`);
    await copyPartition(device, p, copy);
    const label = await execa('blkid', ['-p', '-o', 'value', '-s', 'LABEL', copy], { reject: false });
    if (label.stdout.trim() === 'COS_OEM') return { ...p, copy };
    await rm(copy, { force: true });
  }
  throw new Error(`${device} has no COS_OEM partition`);
}

export const debugfsCat = async (image: string, path: string): Promise<string> => (await execa('debugfs', ['-R', `cat ${path}`, image])).stdout;
