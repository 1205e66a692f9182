// Loop devices for the flash tests: real block devices on files, made and let go again, and the
// few reads and writes the tests check a device with.
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll } from 'vitest';

export const MIB = 1024 * 1024;

/** The loop devices (and mounts on them) a test file makes; release() lets them all go. */
export class LoopDevices {
  private readonly devices: string[] = [];
  private readonly mounts: string[] = [];

  /** `folder` gives where backing files go (it may be set only once the tests start). */
  constructor(private readonly folder: () => string) {}

  /** A new loop device of `sizeMib` MiB, on a new sparse file or on `backing`. */
  async create(sizeMib: number, backing?: string): Promise<string> {
    const file = backing ?? join(this.folder(), `loop-${Date.now().toString(36)}-${this.devices.length}.img`);
    await execa('truncate', ['-s', `${sizeMib}M`, file]);
    return this.attach(file);
  }

  /** A loop device over an existing file, as it is. */
  async attach(file: string): Promise<string> {
    const device = (await execa('losetup', ['-f', '--show', file])).stdout.trim();
    this.devices.push(device);
    return device;
  }

  /** Remembers a mount to take off at release(). */
  mounted(path: string): void {
    this.mounts.push(path);
  }

  /**
   * Loop devices first (one may hold a file on a tmpfs mounted here; a mounted one is detached
   * lazily, when its file system comes off), then the mounts, newest first.
   */
  async release(): Promise<void> {
    for (const d of this.devices.splice(0)) await execa('losetup', ['-d', d], { reject: false });
    for (const m of this.mounts.splice(0).reverse()) await execa('umount', [m], { reject: false });
  }
}

/**
 * For one describe block: a fresh work folder, made before its tests and removed after them with
 * the loop devices they made in it (returned).
 */
export function loopsInWorkFolder(work: string): LoopDevices {
  const loops = new LoopDevices(() => work);
  beforeAll(async () => {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
  });
  afterAll(async () => {
    await loops.release();
    await rm(work, { recursive: true, force: true });
  });
  return loops;
}

export async function readAt(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, offset);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Fills the first MiB with 0xa5, so a test can tell whether anything was written there. */
export async function markHead(device: string): Promise<void> {
  const handle = await open(device, 'r+');
  try {
    await handle.write(Buffer.alloc(MIB, 0xa5), 0, MIB, 0);
  } finally {
    await handle.close();
  }
}

export async function headIsMarked(device: string): Promise<boolean> {
  return (await readAt(device, 0, MIB)).every((b) => b === 0xa5);
}
