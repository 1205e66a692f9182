// Every non-UKI artifact of the example recipe (built once by global-setup through the CLI),
// inspected structurally without mounting: partition tables (sgdisk), file systems (mtools,
// debugfs with an offset), the VHD footer, the GCE tarball, the .bmap, netboot and the tarball.
import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { parseBmap, rangeBytes } from '../../src-main/flash/bmap.js';
import { vhdChecksum } from '../../src-main/artifacts/disk/vhd-footer.js';
import { skipReason } from './support.js';

const env = inject('integration');
const MIB = 1024 * 1024;

interface GptPartition {
  readonly number: number;
  readonly start: number;
  readonly end: number;
  readonly code: string;
  readonly name: string;
}

async function partitions(file: string): Promise<GptPartition[]> {
  const out = (await execa('sgdisk', ['-p', file])).stdout;
  return [...out.matchAll(/^\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s+([0-9A-F]{4})\s+(\S+)\s*$/gm)].map((m) => ({
    number: Number(m[1]),
    start: Number(m[2]),
    end: Number(m[3]),
    code: m[4]!,
    name: m[5]!,
  }));
}

/** debugfs on the file system at a partition's offset: its output, without the banner on stderr. */
const debugfs = async (file: string, offsetSectors: number, command: string): Promise<string> =>
  (await execa('debugfs', ['-R', command, `${file}?offset=${offsetSectors * 512}`])).stdout;

describe.skipIf(skipReason(env, 'docker') !== undefined)('artifacts of the example recipe', () => {
  const out = env.outputDir;
  const efi = join(out, 'debian-bookworm-efi.raw');
  const bios = join(out, 'debian-bookworm-bios.raw');

  it('raw EFI disk: GPT with COS_GRUB (ESP), COS_OEM and COS_RECOVERY, MiB-aligned', async () => {
    const parts = await partitions(efi);
    expect(parts.map((p) => [p.number, p.code, p.name])).toEqual([
      [1, 'EF00', 'efi'],
      [2, '8300', 'oem'],
      [3, '8300', 'recovery'],
    ]);
    expect(parts[0]!.start).toBe(2048);
    expect((parts[0]!.end - parts[0]!.start + 1) * 512).toBe(64 * MIB);
    expect((parts[1]!.end - parts[1]!.start + 1) * 512).toBe(64 * MIB);
    for (const p of parts) expect(p.start % 2048).toBe(0);
    const label = (await execa('mlabel', ['-s', '-i', `${efi}@@${parts[0]!.start * 512}`, '::'])).stdout;
    expect(label).toContain('COS_GRUB');
    const esp = (await execa('mdir', ['-b', '-i', `${efi}@@${parts[0]!.start * 512}`, '::/EFI/BOOT'])).stdout;
    expect(esp).toMatch(/bootx64\.efi/i);
    expect(esp).toMatch(/grub\.cfg/i);
    expect(await debugfs(efi, parts[1]!.start, 'stats')).toMatch(/Filesystem volume name:\s+COS_OEM/);
    expect((await debugfs(efi, parts[1]!.start, 'cat /90_custom.yaml')).startsWith('#cloud-config')).toBe(true);
    const oem = await debugfs(efi, parts[1]!.start, 'ls -l /');
    expect(oem).toContain('90_custom.yaml');
    expect(oem).toContain('grubenv');
    const env = await debugfs(efi, parts[1]!.start, 'cat /grubenv');
    expect(env).toMatch(/^# GRUB Environment Block\nnext_entry=recovery\n#+$/);
    expect(env).toHaveLength(1024);
    const recovery = parts[2]!;
    expect(await debugfs(efi, recovery.start, 'stats')).toMatch(/Filesystem volume name:\s+COS_RECOVERY/);
    const cos = await debugfs(efi, recovery.start, 'ls -l /cOS');
    const squashfs = /\s(\d+)\s+\S+\s+\S+\s+recovery\.squashfs/.exec(cos);
    expect(squashfs, cos).not.toBeNull();
    // 2 x the recovery system + 150 MiB (the system: squashfs, kernel and initrd, this image has no framework).
    const recoveryMiB = (recovery.end - recovery.start + 1) / 2048;
    expect(recoveryMiB).toBeGreaterThanOrEqual(2 * Math.ceil(Number(squashfs![1]) / MIB) + 150);
    expect(await debugfs(efi, recovery.start, 'cat /etc/cos/grub.cfg')).toContain('root=live:LABEL=COS_RECOVERY');
  });

  it('raw BIOS disk: a BIOS boot partition holding GRUB core, and GRUB boot code in the MBR', async () => {
    const parts = await partitions(bios);
    expect(parts.map((p) => [p.number, p.code, p.name])).toEqual([
      [1, 'EF02', 'bios'],
      [2, '8300', 'oem'],
      [3, '8300', 'recovery'],
    ]);
    const file = await open(bios, 'r');
    try {
      const mbr = Buffer.alloc(512);
      await file.read(mbr, 0, 512, 0);
      expect(mbr.readBigUInt64LE(0x5c)).toBe(BigInt(parts[0]!.start));
      expect([mbr[0x66], mbr[0x67]]).toEqual([0x90, 0x90]);
      expect(mbr.readUInt16LE(510)).toBe(0xaa55);
      expect(mbr[450]).toBe(0xee); // the protective MBR entry survived
      const core = Buffer.alloc(512);
      await file.read(core, 0, 512, parts[0]!.start * 512);
      expect(core.readBigUInt64LE(0x1f4)).toBe(BigInt(parts[0]!.start + 1));
    } finally {
      await file.close();
    }
    const grub2 = await debugfs(bios, parts[2]!.start, 'ls /grub2/i386-pc');
    expect(grub2).toContain('normal.mod');
  });

  it('the .bmap of each raw disk matches the file: ranges and checksums', async () => {
    for (const raw of [efi, bios]) {
      const bmap = parseBmap(await readFile(`${raw}.bmap`, 'utf8'), `${raw}.bmap`);
      expect(bmap.imageSize).toBe((await stat(raw)).size);
      expect(bmap.mappedBlocksCount).toBeLessThan(bmap.blocksCount);
      const file = await open(raw, 'r');
      try {
        for (const range of bmap.ranges) {
          const { offset, length } = rangeBytes(bmap, range);
          const data = Buffer.alloc(length);
          await file.read(data, 0, length, offset);
          expect(createHash(bmap.checksumType).update(data).digest('hex'), `${raw} blocks ${range.first}-${range.last}`).toBe(range.checksum);
        }
      } finally {
        await file.close();
      }
    }
  });

  it('Azure VHD: the EFI disk rounded to whole MiB and a valid fixed-VHD footer', async () => {
    const vhd = join(out, 'debian-bookworm.vhd');
    const size = (await stat(vhd)).size;
    const rawSize = (await stat(efi)).size;
    expect(size - 512).toBe(Math.ceil(rawSize / MIB) * MIB);
    const file = await open(vhd, 'r');
    const footer = Buffer.alloc(512);
    try {
      await file.read(footer, 0, 512, size - 512);
    } finally {
      await file.close();
    }
    expect(footer.toString('ascii', 0, 8)).toBe('conectix');
    expect(footer.readUInt32BE(60)).toBe(2);
    expect(footer.readBigUInt64BE(48)).toBe(BigInt(size - 512));
    expect(footer.readUInt32BE(64)).toBe(vhdChecksum(footer));
    const info = (await execa('qemu-img', ['info', '-f', 'vpc', vhd], { reject: false })).stdout;
    if (info) expect(info).toContain('file format: vpc');
  });

  it('GCE: a gzipped tar holding exactly disk.raw, a whole number of GiB', async () => {
    const listing = (await execa('tar', ['-tzvf', join(out, 'debian-bookworm.raw.gce.tar.gz')])).stdout.trim().split('\n');
    expect(listing).toHaveLength(1);
    expect(listing[0]).toMatch(/\sdisk\.raw$/);
    const size = Number(/\s(\d+)\s+\d{4}-\d\d-\d\d/.exec(listing[0]!)?.[1]);
    expect(size % (1024 * MIB)).toBe(0);
    expect(size).toBeGreaterThanOrEqual((await stat(efi)).size);
  });

  it('netboot: kernel, initrd, squashfs, cloud-config and an iPXE script that names them', async () => {
    const dir = join(out, 'debian-bookworm-netboot');
    const script = await readFile(join(dir, 'debian-bookworm.ipxe'), 'utf8');
    expect(script.startsWith('#!ipxe\n')).toBe(true);
    expect(script).toContain('kernel ${base}debian-bookworm-kernel initrd=debian-bookworm-initrd root=live:${base}debian-bookworm.squashfs');
    expect(script).toContain('initrd ${base}debian-bookworm-initrd');
    for (const f of ['debian-bookworm-kernel', 'debian-bookworm-initrd', 'debian-bookworm.squashfs', 'debian-bookworm-config.yaml']) {
      expect((await stat(join(dir, f))).size).toBeGreaterThan(0);
    }
    expect((await readFile(join(dir, 'debian-bookworm.squashfs'))).subarray(0, 4).toString('hex')).toBe('68737173');
  });

  it('rootfs tarball: the system with numeric owners', async () => {
    const listing = (await execa('bash', ['-c', `zstd -dc ${join(out, 'debian-bookworm.rootfs.tar.zst')} | tar -tv | grep -E ' ./etc/(kairos-release|shadow)$'`])).stdout;
    expect(listing).toMatch(/0\/0 .* \.\/etc\/kairos-release/);
    expect(listing).toMatch(/\.\/etc\/shadow/);
  });

  it('every artifact has a .sha256 that matches it', async () => {
    const files = [efi, bios, join(out, 'debian-bookworm.vhd'), join(out, 'debian-bookworm.raw.gce.tar.gz'), join(out, 'debian-bookworm.rootfs.tar.zst')];
    for (const f of files) {
      const line = await readFile(`${f}.sha256`, 'utf8');
      const { stdout } = await execa('sha256sum', [f]);
      expect(line.split(' ')[0]).toBe(stdout.split(' ')[0]);
    }
  });
});
