// The example ISO boots to userspace in qemu: BIOS and UEFI through `kairos-factory boot-test`,
// and once more through the plain qemu command line the README documents (nothing of ours).
import { copyFile, link, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, inject, it } from 'vitest';
import { SerialWatcher } from '../../src-main/boot-test/serial-verdict.js';
import { REPO, cli, skipReason } from './support.js';

const env = inject('integration');

describe.skipIf(skipReason(env, 'docker', 'qemu') !== undefined)('boot tests of the example ISO', () => {
  const iso = env.iso ?? '';

  it('boots with BIOS to userspace', async () => {
    const result = await cli(['boot-test', iso, '--timeout', '420']);
    expect(result.all).toMatch(/booted \(bios\): .*(login:|multi-user\.target)/);
    expect(result.exitCode).toBe(0);
    expect(await readFile(`${iso}.bios.boot.log`, 'utf8')).toMatch(/Reached target .*multi-user\.target|login: /);
  });

  it.skipIf(skipReason(env, 'ovmf') !== undefined)('boots with UEFI (OVMF) to userspace', async () => {
    const result = await cli(['boot-test', iso, '--uefi', '--timeout', '420']);
    expect(result.all).toMatch(/booted \(uefi\): .*(login:|multi-user\.target)/);
    expect(result.exitCode).toBe(0);
    expect(await readFile(`${iso}.uefi.boot.log`, 'utf8')).toContain('BdsDxe: starting');
  });

  it('boots an ISO whose folder and name hold commas (qemu option values double them)', async () => {
    const dir = join(env.outputDir, 'boot,with commas');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const target = join(dir, 'debian,bookworm.iso');
    await link(iso, target).catch(() => copyFile(iso, target));
    try {
      const result = await cli(['boot-test', target, '--timeout', '420']);
      expect(result.all).toMatch(/booted \(bios\): .*(login:|multi-user\.target)/);
      expect(result.exitCode).toBe(0);
      expect(await readFile(`${target}.bios.boot.log`, 'utf8')).toMatch(/Reached target .*multi-user\.target|login: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('boots the raw EFI disk (OVMF) to userspace', async () => {
    const raw = iso.replace(/\.iso$/, '-efi.raw');
    const result = await cli(['boot-test', raw, '--uefi', '--timeout', '420']);
    expect(result.all).toMatch(/booted \(uefi\): .*(login:|multi-user\.target)/);
    expect(result.exitCode).toBe(0);
  });

  it('boots the raw BIOS disk to userspace', async () => {
    const raw = iso.replace(/\.iso$/, '-bios.raw');
    const result = await cli(['boot-test', raw, '--timeout', '420']);
    expect(result.all).toMatch(/booted \(bios\): .*(login:|multi-user\.target)/);
    expect(result.exitCode).toBe(0);
    expect(await readFile(`${raw}.bios.boot.log`, 'utf8')).toContain('GNU GRUB');
  });

  it('boots with the independent qemu command line from the README', async () => {
    const readme = await readFile(`${REPO}/README.md`, 'utf8');
    const block = /<!-- independent-boot -->\s*```sh\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README must hold the independent qemu command').not.toBeNull();
    const command = block![1]!.replace(/\\\n\s*/g, ' ').trim();
    expect(command).toMatch(/^qemu-system-x86_64 /);
    const log = `${iso}.independent.log`;
    await rm(log, { force: true });
    const qemu = execa('bash', ['-c', `exec ${command}`], { env: { ISO: iso, LOG: log }, reject: false });
    let ended = false;
    void qemu.then(() => {
      ended = true;
    });
    const watcher = new SerialWatcher();
    const deadline = Date.now() + 420_000;
    let seen = 0;
    try {
      while (!watcher.verdict && Date.now() < deadline && !ended) {
        await new Promise((r) => setTimeout(r, 1000));
        const text = await readFile(log, 'utf8').catch(() => '');
        watcher.feed(text.slice(seen));
        seen = text.length;
      }
    } finally {
      qemu.kill('SIGKILL');
      await qemu;
    }
    expect(watcher.verdict?.status, `serial log ${log}`).toBe('passed');
  });
});
