// The example raw disks boot in qemu as their users start them: the EFI disk written to a drive
// (a loop device) by `bmaptool copy` with our .bmap, then booted from that drive with UEFI; the
// BIOS disk booted as it is with BIOS. Each boot also checks the recipe's identity when switched
// on (boot-expect.ts).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { expectBooted, identityArgs } from './boot-expect.js';
import { loopsInWorkFolder } from './loop-devices.js';
import { cli, skipReason } from './support.js';

const env = inject('integration');
const MIB = 1024 * 1024;

describe.skipIf(skipReason(env, 'docker', 'qemu') !== undefined)('boot tests of the example raw disks', () => {
  const iso = env.iso ?? '';
  const efiRaw = iso.replace(/\.iso$/, '-efi.raw');
  const biosRaw = iso.replace(/\.iso$/, '-bios.raw');
  const work = join(env.outputDir, 'boot-raw');
  const loops = loopsInWorkFolder(work);

  it.skipIf(skipReason(env, 'ovmf', 'loop') !== undefined)('boots the EFI disk with UEFI from a drive bmaptool wrote with our .bmap', async () => {
    const size = (await stat(efiRaw)).size;
    const device = await loops.create(Math.ceil(size / MIB));
    // bmaptool checks every mapped range against the .bmap's SHA-256 as it writes.
    const copy = await execa('bmaptool', ['copy', '--bmap', `${efiRaw}.bmap`, efiRaw, device], { all: true, reject: false });
    expect(copy.exitCode, copy.all).toBe(0);
    expect(copy.all).toMatch(/copying time/);
    const result = await cli(['boot-test', device, '--uefi', '--timeout', '600', '--log', `${efiRaw}.drive.uefi.boot.log`, ...(await identityArgs())]);
    await expectBooted(result, 'uefi', 'raw EFI written by bmaptool, UEFI');
  });

  it('boots the BIOS disk with BIOS', async () => {
    const result = await cli(['boot-test', biosRaw, '--timeout', '600', ...(await identityArgs())]);
    await expectBooted(result, 'bios', 'raw BIOS, BIOS');
  });
});
