import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isPartitionOf, partitionName } from '../../../src-shared/drives/partition-name.js';

interface Node {
  readonly name: string;
  readonly path: string;
  readonly children?: ReadonlyArray<Node>;
}

const fixtures = new URL('../../fixtures/lsblk/', import.meta.url);

describe('partitionName', () => {
  it('puts a "p" after a disk name ending in a digit', () => {
    expect(partitionName('mmcblk0', 1)).toBe('mmcblk0p1');
    expect(partitionName('/dev/mmcblk0', 2)).toBe('/dev/mmcblk0p2');
    expect(partitionName('/dev/nvme0n1', 3)).toBe('/dev/nvme0n1p3');
    expect(partitionName('/dev/loop0', 1)).toBe('/dev/loop0p1');
    expect(partitionName('/dev/loop12', 10)).toBe('/dev/loop12p10');
  });

  it('appends the number to a disk name ending in a letter', () => {
    expect(partitionName('/dev/sda', 1)).toBe('/dev/sda1');
    expect(partitionName('sdab', 12)).toBe('sdab12');
    expect(partitionName('/dev/vdb', 2)).toBe('/dev/vdb2');
  });

  it('uses macOS slices for its disks', () => {
    expect(partitionName('/dev/disk4', 1)).toBe('/dev/disk4s1');
    expect(partitionName('/dev/rdisk4', 2)).toBe('/dev/rdisk4s2');
  });

  it('refuses a partition number below 1', () => {
    expect(() => partitionName('/dev/sda', 0)).toThrow(/start at 1/);
    expect(() => partitionName('/dev/sda', 1.5)).toThrow(RangeError);
  });

  it('names the partitions of every disk in the lsblk fixtures as the kernel did', () => {
    let checked = 0;
    for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      const { blockdevices } = JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as { blockdevices: Node[] };
      for (const disk of blockdevices) {
        (disk.children ?? []).forEach((part, i) => {
          expect(partitionName(disk.name, i + 1), file).toBe(part.name);
          expect(partitionName(disk.path, i + 1), file).toBe(part.path);
          expect(isPartitionOf(disk.name, part.name)).toBe(true);
          checked++;
        });
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe('isPartitionOf', () => {
  it('knows the partitions of a disk from other devices sharing its prefix', () => {
    expect(isPartitionOf('mmcblk0', 'mmcblk0p1')).toBe(true);
    expect(isPartitionOf('mmcblk0', 'mmcblk0boot0')).toBe(false);
    expect(isPartitionOf('mmcblk0', 'mmcblk01')).toBe(false);
    expect(isPartitionOf('mmcblk1', 'mmcblk10p1')).toBe(false);
    expect(isPartitionOf('sda', 'sda1')).toBe(true);
    expect(isPartitionOf('sda', 'sdab')).toBe(false);
    expect(isPartitionOf('sda', 'sdab1')).toBe(false);
    expect(isPartitionOf('sda', 'sda')).toBe(false);
    expect(isPartitionOf('nvme0n1', 'nvme0n1p2')).toBe(true);
    expect(isPartitionOf('/dev/disk4', '/dev/disk4s1')).toBe(true);
    expect(isPartitionOf('/dev/disk4', '/dev/disk41')).toBe(false);
  });
});
