// The example recipe, built by the CLI in global-setup: the ISO's layout inspected without
// mounting anything (xorriso, mtools, unsquashfs), its checksum, and a cached rebuild.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseRecipeYaml } from '../../src-shared/recipe/parse-recipe.js';
import { cli, dockerfileSteps, skipReason } from './support.js';

const env = inject('integration');
const skip = skipReason(env, 'docker');

describe.skipIf(skip !== undefined)('kairos-factory build examples/debian-bookworm.yaml', () => {
  const iso = env.iso ?? '';
  let scratch = '';
  let report = '';

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kf-iso-'));
    report = (await execa('xorriso', ['-indev', iso, '-report_el_torito', 'plain', '-report_system_area', 'plain', '-pvd_info'], { all: true })).all;
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('printed the phases and the artifact with its checksum', () => {
    expect(env.buildLog).toMatch(/✓ build image/);
    expect(env.buildLog).toMatch(/✓ iso/);
    expect(env.buildLog).toMatch(/iso\s+\S+debian-bookworm\.iso\s+\d+(\.\d+)? MiB\s+sha256 [0-9a-f]{64}/);
  });

  it('wrote a .sha256 that matches the ISO', async () => {
    const line = await readFile(`${iso}.sha256`, 'utf8');
    const hash = createHash('sha256').update(await readFile(iso)).digest('hex');
    expect(line).toBe(`${hash}  debian-bookworm.iso\n`);
  });

  it('has the AuroraBoot layout: COS_LIVE, squashfs, kernel, initrd, config.yaml', async () => {
    expect(report).toMatch(/Volume Id\s*:\s*COS_LIVE/);
    const listing = (await execa('xorriso', ['-indev', iso, '-find', '/', '-type', 'f'], { all: true })).all;
    for (const path of ['/rootfs.squashfs', '/boot/kernel', '/boot/initrd', '/config.yaml', '/boot/grub2/grub.cfg', '/boot/eltorito.img']) {
      expect(listing).toContain(`'${path}'`);
    }
  });

  it('carries the recipe cloud-config as /config.yaml', async () => {
    await execa('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/config.yaml', join(scratch, 'config.yaml')]);
    const recipe = parseRecipeYaml(await readFile('examples/debian-bookworm.yaml', 'utf8'));
    if (!recipe.ok) throw new Error('example invalid');
    expect(await readFile(join(scratch, 'config.yaml'), 'utf8')).toBe(recipe.recipe.cloudConfig);
  });

  it('boots BIOS through El Torito with a hybrid MBR', () => {
    expect(report).toMatch(/El Torito boot img :\s+1\s+BIOS/);
    expect(report).toMatch(/System area summary: .*grub2-mbr.*GPT/);
  });

  it('appends the ESP as GPT partition 2 of type EFI System, with GRUB inside', async () => {
    // GUID C12A7328-F81F-11D2-BA4B-00A0C93EC93B as xorriso prints it (mixed endian).
    expect(report).toMatch(/GPT type GUID\s*:\s*2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
    const start = /GPT start and size :\s+2\s+(\d+)\s+(\d+)/.exec(report);
    expect(start).not.toBeNull();
    const offset = Number(start![1]) * 512;
    const esp = `${iso}@@${offset}`;
    const label = (await execa('mlabel', ['-s', '-i', esp, '::'], { all: true })).all;
    expect(label).toContain('EFI_LIVE');
    const dir = (await execa('mdir', ['-b', '-i', esp, '::/EFI/BOOT'], { all: true })).all;
    expect(dir).toMatch(/BOOTX64\.EFI/i);
    expect(dir).toMatch(/grub\.cfg/i);
  });

  it('holds a root filesystem with the Kairos release file and no machine identity', async () => {
    const squash = join(scratch, 'rootfs.squashfs');
    await execa('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/rootfs.squashfs', squash]);
    const release = (await execa('unsquashfs', ['-cat', squash, 'etc/kairos-release'])).stdout;
    expect(release).toContain('KAIROS_FLAVOR="debian"');
    expect(release).toContain('KAIROS_VERSION="v0.1.0"');
    const ls = (await execa('unsquashfs', ['-l', '-d', '', squash, 'etc/ssh', 'boot'])).stdout;
    expect(ls).not.toMatch(/ssh_host_/);
    expect(ls).toMatch(/boot\/vmlinuz/);
    expect((await execa('unsquashfs', ['-cat', squash, 'etc/machine-id'])).stdout).toBe('');
  });

  it('swaps only the cloud-config of the ISO in seconds, keeping BIOS and UEFI boot', async () => {
    const config = join(scratch, 'new.yaml');
    const copy = join(scratch, 'swapped.iso');
    await writeFile(config, '#cloud-config\nhostname: swapped-in\n');
    const started = Date.now();
    const result = await cli(['iso-config', iso, config, '--output', copy]);
    expect(result.exitCode).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    await execa('xorriso', ['-osirrox', 'on', '-indev', copy, '-extract', '/config.yaml', join(scratch, 'swapped.yaml')]);
    expect(await readFile(join(scratch, 'swapped.yaml'), 'utf8')).toBe('#cloud-config\nhostname: swapped-in\n');
    const swapped = (await execa('xorriso', ['-indev', copy, '-report_el_torito', 'plain', '-report_system_area', 'plain', '-pvd_info'], { all: true })).all;
    expect(swapped).toMatch(/El Torito boot img :\s+1\s+BIOS/);
    expect(swapped).toMatch(/El Torito boot img :\s+2\s+UEFI/);
    expect(swapped).toMatch(/GPT type GUID\s*:\s*2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
    expect(swapped).toMatch(/Volume Id\s*:\s*COS_LIVE/);
    const bad = await cli(['iso-config', iso, 'examples/debian-bookworm.yaml', '--output', join(scratch, 'bad.iso')]);
    expect(bad.exitCode).toBe(2);
    expect(bad.all).toContain('error: The cloud-config is not valid');
  });

  it('rebuilds an unchanged recipe from the cache in seconds', async () => {
    const { total } = await dockerfileSteps('examples/debian-bookworm.yaml');
    const started = Date.now();
    const result = await cli(['build', 'examples/debian-bookworm.yaml', '--output', env.outputDir]);
    expect(result.exitCode).toBe(0);
    // Every step that runs is cached (FROM names the base, there is nothing to cache).
    expect(result.all).toContain(`(${total} steps, ${total - 1} cached)`);
    expect(result.all).toContain('export rootfs (cached)');
    expect(result.all).toContain('squashfs (cached)');
    for (const kind of ['iso', 'raw-efi', 'raw-bios', 'vhd', 'gce', 'netboot', 'rootfs-tar']) expect(result.all).toContain(`✓ ${kind} (cached)`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
