// The example ISO boots to userspace in qemu as each of its users boots it: as a CD with BIOS
// through the plain qemu command line the README documents (nothing of ours), as a CD with UEFI
// through `kairos-factory boot-test` (from a path with commas, which qemu's option syntax makes
// special), and written to a drive (a loop device, by our flash) and booted from that drive as a
// disk with BIOS (its hybrid MBR). Each boot also checks the recipe's identity when switched on
// (boot-expect.ts).
import { copyFile, link, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { EXPECT_RECIPE_IDENTITY, TEST_LOGIN_PASSWORD, exampleIdentity, expectBooted, identityArgs } from './boot-expect.js';
import { loopsInWorkFolder } from './loop-devices.js';
import { REPO, cli, skipReason } from './support.js';
import { bootInTerminal } from './terminal-boot.js';

const env = inject('integration');
const MIB = 1024 * 1024;

it("reads the identity to expect from the example recipe's cloud-config", async () => {
  expect(await exampleIdentity()).toEqual({ hostname: 'kairos-[0-9a-f]{4}', user: 'kairos', password: TEST_LOGIN_PASSWORD });
});

describe.skipIf(skipReason(env, 'docker', 'qemu') !== undefined)('boot tests of the example ISO', () => {
  const iso = env.iso ?? '';
  const work = join(env.outputDir, 'boot-iso');
  const loops = loopsInWorkFolder(work);

  it("boots as a CD with BIOS through the README's independent qemu command line", async () => {
    const readme = await readFile(`${REPO}/README.md`, 'utf8');
    const block = /<!-- independent-boot -->\s*```sh\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README must hold the independent qemu command').not.toBeNull();
    const command = block![1]!.replace(/\\\n\s*/g, ' ').trim();
    expect(command).toMatch(/^qemu-system-x86_64 .*-serial stdio .*-cdrom "\$ISO"/);
    const log = `${iso}.independent.log`;
    const identity = EXPECT_RECIPE_IDENTITY ? await exampleIdentity() : undefined;
    const boot = await bootInTerminal(command, { ISO: iso }, log, { timeoutMs: 600_000, ...(identity ? { identity } : {}) });
    console.log(`[boot] ISO, BIOS CD, README command: ${boot.seconds.toFixed(0)} s`);
    expect(boot.verdict, `serial log ${log}`).toMatchObject({ status: 'passed' });
    if (identity) expect(boot.login, `serial log ${log}`).toMatchObject({ status: 'passed' });
  });

  it.skipIf(skipReason(env, 'ovmf') !== undefined)('boots as a CD with UEFI (OVMF), from a folder and file named with commas', async () => {
    const dir = join(work, 'boot,with commas');
    await mkdir(dir, { recursive: true });
    const target = join(dir, 'debian,bookworm.iso');
    await link(iso, target).catch(() => copyFile(iso, target));
    const result = await cli(['boot-test', target, '--uefi', '--timeout', '600', ...(await identityArgs())]);
    await expectBooted(result, 'uefi', 'ISO, UEFI CD, path with commas');
    expect(await readFile(`${target}.uefi.boot.log`, 'utf8')).toContain('BdsDxe: starting');
  });

  it.skipIf(skipReason(env, 'loop') !== undefined)('boots from a drive it was flashed to, as a disk with BIOS (hybrid MBR)', async () => {
    const device = await loops.create(Math.ceil((await stat(iso)).size / MIB) + 16);
    const flash = await cli(['flash', iso, device, '--yes']);
    expect(flash.all).toMatch(/written to \/dev\/loop\d+ and verified/);
    // The drive is the VM's only medium, a virtio disk: the BIOS can start it only from its MBR.
    const result = await cli(['boot-test', device, '--timeout', '600', '--log', `${iso}.drive.bios.boot.log`, ...(await identityArgs())]);
    await expectBooted(result, 'bios', 'ISO flashed to a drive, BIOS disk');
  });
});
