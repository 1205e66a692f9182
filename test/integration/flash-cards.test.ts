// Per-card values, as a user flashes a fleet: the example raw EFI disk (built by global-setup)
// written by the CLI to two drives (loop devices) with --hostname 'node-{n}'. Both verify; each
// drive's COS_OEM, read with debugfs, holds its own hostname (in the Kairos cloud-config and in
// the plain image's cloud-init user-data); everything else is the image's; and one of them boots
// in qemu showing its name on the login prompt.
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { MIB, headIsMarked, loopsInWorkFolder, markHead } from './loop-devices.js';
import { type Partition, cosOem, debugfsCat } from './cos-oem.js';
import { cli, skipReason } from './support.js';
import { exampleIdentity } from './boot-expect.js';

const env = inject('integration');


/** The drive holds the image's bytes everywhere but in its COS_OEM. */
async function sameAsImageOutside(image: string, device: string, hole: Partition): Promise<void> {
  const size = (await stat(image)).size;
  const before = await execa('cmp', ['-n', String(hole.start), image, device], { reject: false });
  expect(before.exitCode, before.stdout).toBe(0);
  const after = await execa('cmp', ['-n', String(size - hole.start - hole.size), '-i', String(hole.start + hole.size), image, device], { reject: false });
  expect(after.exitCode, after.stdout).toBe(0);
}

describe.skipIf(skipReason(env, 'docker', 'loop') !== undefined)('flash a fleet with per-card values', () => {
  const efiRaw = (env.iso ?? '').replace(/\.iso$/, '-efi.raw');
  const work = join(env.outputDir, 'flash-cards');
  const loops = loopsInWorkFolder(work);
  const devices: string[] = [];

  it("writes the raw EFI disk to two drives with --hostname 'node-{n}': both verify, each COS_OEM holds its own name", async () => {
    const size = (await stat(efiRaw)).size;
    devices.push(await loops.create(Math.ceil(size / MIB) + 16), await loops.create(Math.ceil(size / MIB) + 32));
    const result = await cli(['flash', efiRaw, ...devices, '--hostname', 'node-{n}', '--yes']);
    expect(result.all).toMatch(new RegExp(`written to ${devices[0]}, ${devices[1]} and verified`));
    expect(result.all).toMatch(/each card with its own COS_OEM \(node-1, node-2\)/);
    expect(result.exitCode, result.all.slice(-2000)).toBe(0);

    const identity = await exampleIdentity();
    for (const [i, device] of devices.entries()) {
      const oem = await cosOem(device, work);
      const config = await debugfsCat(oem.copy, '/90_custom.yaml');
      expect(config).toMatch(new RegExp(`^hostname: node-${i + 1}$`, 'm'));
      // The rest of the recipe's cloud-config is still there.
      expect(config).toMatch(new RegExp(`- name: ${identity.user}`));
      // The plain image applies it through cloud-init: its user-data has the same name.
      const userData = await debugfsCat(oem.copy, '/kairos-factory/user-data');
      expect(userData).toMatch(new RegExp(`^hostname: node-${i + 1}$`, 'm'));
      expect(userData).toMatch(/^preserve_hostname: false$/m);
      // The other files of COS_OEM are the image's, and the file system is sound.
      expect(await debugfsCat(oem.copy, '/grubenv')).toMatch(/^next_entry=recovery$/m);
      const fsck = await execa('e2fsck', ['-fn', oem.copy], { reject: false, all: true });
      expect(fsck.exitCode, fsck.all).toBe(0);
      await sameAsImageOutside(efiRaw, device, oem);
    }
  });

  it.skipIf(skipReason(env, 'qemu', 'ovmf') !== undefined)('the second card boots with UEFI and its login prompt says node-2', async () => {
    expect(devices).toHaveLength(2);
    const identity = await exampleIdentity();
    const result = await cli(['boot-test', devices[1]!, '--uefi', '--timeout', '600', '--log', join(work, 'node-2.boot.log'), '--expect-hostname', 'node-2', '--login', `${identity.user}:${identity.password}`]);
    console.log(`[boot] per-card raw EFI (node-2), UEFI: ${/^booted \(.*$/m.exec(result.all)?.[0] ?? 'no verdict'}`);
    expect(result.all).toMatch(new RegExp(`booted \\(uefi\\): node-2 login:; logged in as ${identity.user}`));
    expect(result.exitCode, result.all.slice(-2000)).toBe(0);
  });

  it('decompresses a .gz image once and gives the card its own COS_OEM too', async () => {
    const gz = join(work, 'disk.raw.gz');
    await execa('bash', ['-c', `gzip -1 -c "$0" > "$1"`, efiRaw, gz]);
    const size = (await stat(efiRaw)).size;
    const device = await loops.create(Math.ceil(size / MIB) + 16);
    const cards = join(work, 'cards.yaml');
    await writeFile(cards, '1:\n  timezone: Europe/Rome\n');
    const result = await cli(['flash', gz, device, '--hostname', 'gateway', '--card-config', cards, '--yes']);
    expect(result.all).toMatch(new RegExp(`written to ${device} and verified.*\\(gateway\\)`));
    expect(result.exitCode, result.all.slice(-2000)).toBe(0);
    const oem = await cosOem(device, work);
    const config = await debugfsCat(oem.copy, '/90_custom.yaml');
    expect(config).toMatch(/^hostname: gateway$/m);
    expect(config).toMatch(/^timezone: Europe\/Rome$/m);
    expect(await debugfsCat(oem.copy, '/kairos-factory/user-data')).toMatch(/^timezone: Europe\/Rome$/m);
  });

  it('refuses per-card values for an image without COS_OEM (the ISO) before touching the drive', async () => {
    const device = await loops.create(Math.ceil((await stat(env.iso!)).size / MIB) + 16);
    await markHead(device);
    const result = await cli(['flash', env.iso!, device, '--hostname', 'node-{n}', '--yes']);
    expect(result.all).toMatch(/error: The image has no COS_OEM partition/);
    expect(result.exitCode).toBe(1);
    expect(await headIsMarked(device)).toBe(true);
  });

  it('refuses a hostname pattern a hostname cannot hold, naming --hostname, before touching the drives', async () => {
    const device = await loops.create(64);
    await markHead(device);
    const result = await cli(['flash', efiRaw, device, '--hostname', 'node_{n}', '--yes']);
    expect(result.all).toMatch(/error: --hostname "node_\{n\}": "_" cannot be in a hostname/);
    expect(result.exitCode).toBe(2);
    expect(await headIsMarked(device)).toBe(true);
  });
});
