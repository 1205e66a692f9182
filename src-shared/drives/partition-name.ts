// The names of a disk's partitions, as the kernels make them. Linux puts a "p" between a disk name
// that ends in a digit and the partition number (mmcblk0p1, nvme0n1p1, loop0p1; but sda1), and
// macOS an "s" (disk4s1). Every place that derives a partition from its disk goes through here.

/** The name or path of partition `index` (1-based) of a disk, e.g. /dev/mmcblk0 -> /dev/mmcblk0p1. */
export function partitionName(disk: string, index: number): string {
  if (!Number.isInteger(index) || index < 1) throw new RangeError(`partition numbers start at 1, not ${index}`);
  if (/(^|\/)r?disk\d+$/.test(disk)) return `${disk}s${index}`;
  return /\d$/.test(disk) ? `${disk}p${index}` : `${disk}${index}`;
}

/** Whether `name` is a partition of `disk` (both bare names or both paths): sda1 of sda, mmcblk0p2 of mmcblk0, not mmcblk0boot0. */
export function isPartitionOf(disk: string, name: string): boolean {
  if (!name.startsWith(disk)) return false;
  const rest = name.slice(disk.length);
  if (/(^|\/)r?disk\d+$/.test(disk)) return /^s[1-9]\d*$/.test(rest);
  return /\d$/.test(disk) ? /^p[1-9]\d*$/.test(rest) : /^[1-9]\d*$/.test(rest);
}
