// Identities of files and devices that survive links: "major:minor" device numbers and dev:inode
// pairs, read with bigint stat so that large inode numbers stay exact.
import { realpath, stat } from 'node:fs/promises';
import type { FileId } from '../../src-shared/drives/drive-types.js';

/** Linux's dev_t as "major:minor" (glibc's encoding, as lsblk prints it). */
export function devName(dev: bigint): string {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn);
  const minor = (dev & 0xffn) | ((dev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

export interface PathFacts {
  /** The path with every link followed. */
  readonly real: string;
  readonly fileId: FileId;
  /** The file system it lives on, "major:minor". */
  readonly device: string;
  readonly isFile: boolean;
  readonly isBlockDevice: boolean;
  /** For block devices: the device itself, "major:minor". */
  readonly rdev?: string;
  readonly size: number;
}

/** Facts of an existing path, or undefined when it does not exist. */
export async function pathFacts(path: string): Promise<PathFacts | undefined> {
  const info = await stat(path, { bigint: true }).catch(() => undefined);
  if (!info) return undefined;
  const real = await realpath(path).catch(() => path);
  return {
    real,
    fileId: { dev: devName(info.dev), ino: info.ino.toString() },
    device: devName(info.dev),
    isFile: info.isFile(),
    isBlockDevice: info.isBlockDevice(),
    ...(info.isBlockDevice() ? { rdev: devName(info.rdev) } : {}),
    size: Number(info.size),
  };
}
