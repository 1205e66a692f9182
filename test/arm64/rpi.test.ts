// Raspberry Pi SD cards and arm64 media, built on an amd64 machine and proven in emulation:
// the Debian Pi 4 recipe (kairosified under qemu-user) makes the Pi 4 card, a generic arm64 EFI
// disk and ISO, all assembled by the amd64 builder; the Pi 3 recipe makes the MBR card. Each card
// passes its static checks (what no emulator runs); the Pi 4 card, the EFI disk and the ISO boot
// to userspace in qemu's virt machine with AAVMF, and the Pi 3 card through its own U-Boot in
// qemu's raspi3b, where the kernel must find the SD card. The Pi 4 card is also flashed to two
// drives with a hostname each, and one of them boots under its own name. Measured times are printed.
//   npm run test:arm64
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, cli } from '../integration/support.js';
import { MIB, loopsInWorkFolder } from '../integration/loop-devices.js';
import { cosOem, debugfsCat } from '../integration/cos-oem.js';

const BASE = 'kairos-factory/debian-arm64:bookworm';
/** The examples' cloud-config names the machine. */
const HOSTNAME = 'kairos-pi';

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    console.log(`[arm64] ${what}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}

/** The static check lines a card's build printed. */
function checkLines(output: string): string[] {
  // The image's own checks come first; they are named by what they check (the card's config.txt
  // line mentions the kernel too, so the names are matched, not the whole line).
  const imageCheck = /^(kernel link|kernel modules|initrd|kairos-release|SSH host keys|machine-id|framework binaries|Wi-Fi and keyboard tools):/;
  return output.split('\n').filter((l) => /Check (pass|fail) {2}/.test(l) && !imageCheck.test(l.replace(/^.*Check (pass|fail) {2}/, '')));
}

describe('Raspberry Pi cards and arm64 media on amd64', () => {
  let out = '';
  beforeAll(async () => {
    await execa('bash', ['scripts/base-image.sh', BASE, 'bookworm', 'arm64'], { cwd: REPO });
    out = await mkdtemp(join(tmpdir(), 'kf-rpi-'));
  });
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('builds the Pi 4 card (GPT, firmware, U-Boot, config.txt), an arm64 EFI disk and an arm64 ISO, and checks the card', async () => {
    const result = await timed('Pi 4 recipe: kairosify under emulation + rpi, raw-efi, iso', () => cli(['build', 'examples/debian-bookworm-rpi4.yaml', '--output', join(out, 'rpi4')]));
    expect(result.exitCode, result.all.slice(-4000)).toBe(0);
    const checks = checkLines(result.all);
    expect(checks, result.all.slice(-4000)).toEqual([
      expect.stringContaining('pass  partition table: GPT'),
      expect.stringContaining('pass  boot partition: partition 1 is the EFI System partition'),
      expect.stringMatching(/pass {2}boot file system: FAT(16|32), label COS_GRUB/),
      expect.stringContaining('pass  partitions: COS_GRUB, COS_OEM, COS_RECOVERY'),
      expect.stringContaining('pass  firmware: start4.elf, fixup4.dat'),
      expect.stringContaining('pass  device trees: bcm2711-rpi-4-b.dtb'),
      expect.stringContaining('pass  U-Boot: u-boot.bin'),
      expect.stringContaining('pass  EFI loader'),
      expect.stringContaining('pass  config.txt'),
    ]);
    // The image's own firmware, U-Boot and DTBs (the scratch recipe installs them for rpi models).
    expect(result.all).toMatch(/boot file start4\.elf from the image: \/usr\/lib\/raspi-firmware\/start4\.elf/);
    expect(result.all).toMatch(/boot file u-boot\.bin from the image: \/usr\/lib\/u-boot\/rpi_arm64\/u-boot\.bin/);
    expect(result.all).toMatch(/boot file bcm2711-rpi-4-b\.dtb from the image: \/usr\/lib\/linux-image-[\d.-]+-arm64\/broadcom\//);
    for (const file of ['debian-bookworm-rpi4.img', 'debian-bookworm-rpi4.img.bmap', 'debian-bookworm-efi.raw', 'debian-bookworm-efi.raw.bmap', 'debian-bookworm.iso']) {
      expect((await stat(join(out, 'rpi4', file))).size, file).toBeGreaterThan(0);
    }
    const bmap = await readFile(join(out, 'rpi4', 'debian-bookworm-rpi4.img.bmap'), 'utf8');
    expect(bmap).toContain('<bmap version=');
  });

  it('boots the Pi 4 card in virt with AAVMF to userspace, under its hostname', async () => {
    const result = await timed('Pi 4 card boot (virt)', () => cli(['boot-test', join(out, 'rpi4', 'debian-bookworm-rpi4.img'), '--virt', '--timeout', '900', '--expect-hostname', HOSTNAME]));
    expect(result.exitCode, result.all.slice(-3000)).toBe(0);
    expect(result.all).toContain('arm64 UEFI, virt');
    expect(result.all).toMatch(new RegExp(`booted \\(virt\\): ${HOSTNAME} login:`));
  });

  describe('two cards flashed at once, each with its own hostname', () => {
    const work = join(tmpdir(), 'kf-rpi-cards');
    const loops = loopsInWorkFolder(work);
    const devices: string[] = [];

    it("flash --hostname 'node-{n}' writes the Pi 4 card to two drives: both verify, each COS_OEM holds its own name", async () => {
      const card = join(out, 'rpi4', 'debian-bookworm-rpi4.img');
      const size = (await stat(card)).size;
      devices.push(await loops.create(Math.ceil(size / MIB) + 16), await loops.create(Math.ceil(size / MIB) + 64));
      const result = await timed('Pi 4 card flashed to two drives', () => cli(['flash', card, ...devices, '--hostname', 'node-{n}', '--yes']));
      expect(result.exitCode, result.all.slice(-2000)).toBe(0);
      expect(result.all).toMatch(new RegExp(`written to ${devices[0]}, ${devices[1]} and verified`));
      expect(result.all).toMatch(/each card with its own COS_OEM \(node-1, node-2\)/);
      for (const [i, device] of devices.entries()) {
        const oem = await cosOem(device, work);
        expect(await debugfsCat(oem.copy, '/90_custom.yaml')).toMatch(new RegExp(`^hostname: node-${i + 1}$`, 'm'));
        expect(await debugfsCat(oem.copy, '/kairos-factory/user-data')).toMatch(new RegExp(`^hostname: node-${i + 1}$`, 'm'));
        // The firmware partition is the card's, byte for byte: only COS_OEM differs.
        const head = await execa('cmp', ['-n', String(oem.start), card, device], { reject: false });
        expect(head.exitCode, head.stdout).toBe(0);
      }
    });

    it('the second card boots in virt and its console shows node-2', async () => {
      expect(devices).toHaveLength(2);
      const result = await timed('Pi 4 card node-2 boot (virt)', () => cli(['boot-test', devices[1]!, '--virt', '--timeout', '900', '--log', join(work, 'node-2.boot.log'), '--expect-hostname', 'node-2']));
      expect(result.exitCode, result.all.slice(-3000)).toBe(0);
      expect(result.all).toMatch(/booted \(virt\): node-2 login:/);
    });
  });

  it('boots the arm64 EFI disk in virt, the machine picked from its EFI loader', async () => {
    const result = await timed('arm64 EFI disk boot (virt)', () => cli(['boot-test', join(out, 'rpi4', 'debian-bookworm-efi.raw'), '--uefi', '--timeout', '900', '--expect-hostname', HOSTNAME]));
    expect(result.exitCode, result.all.slice(-3000)).toBe(0);
    expect(result.all).toContain('arm64 UEFI, virt');
  });

  it('boots the arm64 ISO in virt', async () => {
    const result = await timed('arm64 ISO boot (virt)', () => cli(['boot-test', join(out, 'rpi4', 'debian-bookworm.iso'), '--timeout', '900', '--expect-hostname', HOSTNAME]));
    expect(result.exitCode, result.all.slice(-3000)).toBe(0);
    expect(result.all).toContain('arm64 UEFI, virt');
  });

  it('builds the Pi 3 card as an MBR with the FAT partition first (type 0x0c) and checks it', async () => {
    const result = await timed('Pi 3 recipe: kairosify (package layer cached) + rpi', () => cli(['build', 'examples/debian-bookworm-rpi3.yaml', '--output', join(out, 'rpi3')]));
    expect(result.exitCode, result.all.slice(-4000)).toBe(0);
    const checks = checkLines(result.all);
    expect(checks[0]).toContain('pass  partition table: MBR');
    expect(checks[1]).toContain('pass  boot partition: first entry type 0x0c (FAT), active');
    expect(checks.find((l) => l.includes('firmware'))).toContain('pass  firmware: bootcode.bin, start.elf, fixup.dat');
    expect(checks.find((l) => l.includes('device trees'))).toContain('bcm2837-rpi-3-b.dtb, bcm2837-rpi-3-b-plus.dtb');
    expect(checks.every((l) => l.includes('Check pass'))).toBe(true);
    const table = await execa('sfdisk', ['-d', join(out, 'rpi3', 'debian-bookworm-rpi3.img')]);
    expect(table.stdout).toContain('label: dos');
    expect(table.stdout).toMatch(/img1 : start= +2048, size= +\d+, type=c, bootable/);
  });

  it("boots the Pi 3 card through its own U-Boot in raspi3b: the kernel finds the SD card and userspace starts", async () => {
    const card = join(out, 'rpi3', 'debian-bookworm-rpi3.img');
    const result = await timed('Pi 3 card boot (raspi3b, own U-Boot)', () => cli(['boot-test', card, '--rpi3', '--timeout', '1500', '--expect-hostname', HOSTNAME]));
    expect(result.exitCode, result.all.slice(-3000)).toBe(0);
    const log = await readFile(`${card}.rpi3.boot.log`, 'utf8');
    expect(log).toContain('Found EFI removable media binary efi/boot/bootaa64.efi');
    expect(log).toContain('EFI v2.100 by Das U-Boot');
    expect(log).toContain('Machine model: Raspberry Pi 3 Model B');
    expect(log).toMatch(/mmcblk0: p1 p2 p3/);
    expect(result.all).toMatch(new RegExp(`booted \\(rpi3\\): ${HOSTNAME} login:`));
  });
});
