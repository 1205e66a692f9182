// The example cloud images, taken apart by the tools their clouds' users take them apart with,
// boot in qemu with UEFI: the Azure VHD converted by `qemu-img convert -f vpc -O raw` (which reads
// it at its full size, as Azure does), and the GCE tarball unpacked by `tar`. Each boot also
// checks the recipe's identity when switched on (boot-expect.ts).
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectBooted, identityArgs } from './boot-expect.js';
import { cli, skipReason } from './support.js';

const env = inject('integration');
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

describe.skipIf(skipReason(env, 'docker', 'qemu', 'ovmf') !== undefined)('boot tests of the example cloud images', () => {
  const iso = env.iso ?? '';
  const efiRaw = iso.replace(/\.iso$/, '-efi.raw');
  const vhd = iso.replace(/\.iso$/, '.vhd');
  const gce = iso.replace(/\.iso$/, '.raw.gce.tar.gz');
  const work = join(env.outputDir, 'boot-cloud');

  beforeAll(async () => {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('the VHD reads, in qemu-img as in Azure, as the whole EFI disk: a fixed VHD of whole MiB', async () => {
    const raw = (await stat(efiRaw)).size;
    const info = JSON.parse((await execa('qemu-img', ['info', '-f', 'vpc', '--output', 'json', vhd])).stdout) as { 'virtual-size': number };
    expect(info['virtual-size']).toBe(Math.ceil(raw / MIB) * MIB);
    expect(info['virtual-size'] % MIB).toBe(0);
    expect((await stat(vhd)).size).toBe(info['virtual-size'] + 512);
  });

  it('boots the VHD converted by qemu-img to a raw disk, with UEFI', async () => {
    const converted = join(work, 'from-vhd.raw');
    await execa('qemu-img', ['convert', '-f', 'vpc', '-O', 'raw', vhd, converted]);
    // The whole disk, backup GPT included: the first bytes are the EFI disk's, as they are.
    const raw = (await stat(efiRaw)).size;
    expect((await execa('cmp', ['-n', String(raw), efiRaw, converted], { reject: false })).exitCode).toBe(0);
    const result = await cli(['boot-test', converted, '--uefi', '--timeout', '600', '--log', `${vhd}.uefi.boot.log`, ...(await identityArgs())]);
    await expectBooted(result, 'uefi', 'VHD converted by qemu-img, UEFI');
  });

  it('boots the disk.raw that tar unpacks from the GCE tarball, with UEFI', async () => {
    const listing = await execa('tar', ['-tzf', gce]);
    expect(listing.stdout.trim().split('\n')).toEqual(['disk.raw']);
    await execa('tar', ['-xzSf', gce, '-C', work]);
    const disk = join(work, 'disk.raw');
    expect((await stat(disk)).size % GIB).toBe(0);
    const result = await cli(['boot-test', disk, '--uefi', '--timeout', '600', '--log', `${gce}.uefi.boot.log`, ...(await identityArgs())]);
    await expectBooted(result, 'uefi', 'GCE disk.raw unpacked by tar, UEFI');
  });
});
