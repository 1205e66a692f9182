// The scratch method across OS families: each family's Dockerfile pinned as a file snapshot under
// __snapshots__, and the differences that matter (package manager, init system, initrd tool)
// asserted outright so a snapshot update cannot quietly lose them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateDockerfile } from '../../../src-shared/kairosify/dockerfile.js';
import { parseOsRelease } from '../../../src-shared/kairosify/os-release.js';
import { RecipeSchema, type RecipeInput } from '../../../src-shared/recipe/recipe-schema.js';
import { AppError } from '../../../src-shared/errors/app-error.js';

const osRelease = (name: string) => parseOsRelease(readFileSync(new URL(`../../fixtures/os-release/${name}`, import.meta.url), 'utf8'));

const FRAMEWORK = 'quay.io/kairos/framework:v2.18.3';

function scratch(os: string, baseImage: string, extra: Partial<RecipeInput> = {}, framework = 'none'): string {
  const recipe = RecipeSchema.parse({ name: 'demo', version: 'v1.0.0', source: { baseImage }, kairosify: { method: 'scratch', framework }, ...extra });
  return generateDockerfile({ recipe, osRelease: osRelease(os), appVersion: '0.1.0' }) ?? '';
}

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const snapshot = (name: string) => `./__snapshots__/${name}.Dockerfile`;
const runLines = (text: string) => text.split('\n').filter((l) => /^\s+\S/.test(l) || l.startsWith('RUN '));

describe('scratch method: Fedora and the RHEL family', () => {
  it('Fedora 40, framework none: dnf without weak deps, NetworkManager, dracut with dmsquash-live', async () => {
    const text = scratch('fedora-40', 'fedora:40');
    expect(text).toContain('dnf install -y --setopt=install_weak_deps=False');
    expect(text).toContain('dnf clean all');
    expect(text).toMatch(/\bkernel \\\n\s+kernel-modules \\\n\s+kernel-modules-extra\b/);
    expect(text).toContain('dracut-live');
    expect(text).toContain('add_dracutmodules+=" livenet dmsquash-live network network-manager "');
    expect(text).toContain('dracut -f /boot/initrd "$kver"');
    expect(text).toContain('systemctl enable NetworkManager.service systemd-resolved.service chronyd.service sshd.service');
    expect(text).toContain('cp "/lib/modules/$kver/vmlinuz" "/boot/vmlinuz-$kver"');
    expect(text).toContain('KAIROS_FAMILY="redhat"');
    expect(text).not.toMatch(/apt-get|zypper|apk |rc-update|mkinitfs|epel|systemd-timesyncd|ssh-hostkeys/);
    expect(text).not.toContain('dhcp-client');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-fedora-40-none'));
  });

  it('Fedora 41 with the Kairos framework', async () => {
    const text = scratch('fedora-41', 'fedora:41', {}, FRAMEWORK);
    expect(text).toContain(`COPY --from=${FRAMEWORK} / /`);
    expect(text).toContain('add_dracutmodules+=" livenet dmsquash-live network network-manager immucore "');
    expect(text).toContain('cos-setup-reconcile.timer');
    expect(text).toContain('KAIROS_FLAVOR_RELEASE="41"');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-fedora-41-framework'));
  });

  it('Rocky 9 (detected through ID rocky): EPEL first, dhcp-client for dracut, family rhel', async () => {
    const text = scratch('rocky-9', 'rockylinux:9', {}, FRAMEWORK);
    expect(text).toContain('(method scratch, family rhel)');
    const runs = runLines(text);
    const epel = runs.findIndex((l) => l.includes('dnf install -y epel-release'));
    const main = runs.findIndex((l) => l.includes('dnf install -y --setopt=install_weak_deps=False'));
    expect(epel).toBeGreaterThanOrEqual(0);
    expect(epel).toBeLessThan(main);
    expect(text).toContain('dhcp-client');
    expect(text).toContain('systemctl unmask getty.target');
    expect(text).toContain('KAIROS_FLAVOR="rocky"');
    expect(text).toContain('KAIROS_FAMILY="redhat"');
    // curl-minimal is in the image and conflicts with curl.
    expect(text).not.toMatch(/^\s+curl \\$/m);
    await expect(text).toMatchFileSnapshot(snapshot('scratch-rocky-9-framework'));
  });

  it('arm64 takes the aa64 grub and shim', () => {
    const text = scratch('fedora-40', 'fedora:40', { arch: 'arm64' });
    expect(text).toContain('grub2-efi-aa64');
    expect(text).toContain('shim-aa64');
    expect(text).not.toContain('grub2-pc');
  });
});

describe('scratch method: openSUSE', () => {
  it('Leap 15.6: zypper, kernel-default, dracut, networkd instead of wicked', async () => {
    const text = scratch('opensuse-leap-15.6', 'opensuse/leap:15.6');
    expect(text).toContain('zypper --non-interactive install --no-recommends');
    expect(text).toContain('zypper clean -a');
    expect(text).toContain('kernel-default');
    expect(text).toContain('grub2-x86_64-efi');
    expect(text).toContain('add_dracutmodules+=" livenet dmsquash-live network network-legacy "');
    expect(text).toContain('systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service sshd.service');
    expect(text).toContain('systemctl mask wicked.service');
    expect(text).toContain('ExecStart=/usr/lib/systemd/systemd-networkd-wait-online');
    expect(text).toContain('rm -f /boot/initrd /boot/initrd-*');
    expect(text).toContain('KAIROS_FLAVOR="opensuse"');
    expect(text).toContain('KAIROS_FLAVOR_RELEASE="leap-15.6"');
    expect(text).toContain('KAIROS_FAMILY="suse"');
    expect(text).not.toMatch(/apt-get|dnf |apk |rc-update|mkinitfs/);
    await expect(text).toMatchFileSnapshot(snapshot('scratch-opensuse-leap-15.6-none'));
  });
});

describe('scratch method: Alpine', () => {
  it('Alpine 3.20: apk, OpenRC, mkinitfs; no dracut and no systemd', async () => {
    const text = scratch('alpine-3.20', 'alpine:3.20', {}, FRAMEWORK);
    expect(text).toContain('apk add --no-cache');
    expect(text).toContain('linux-lts');
    expect(text).toContain('grub-bios');
    expect(text).toContain('rc-update add sshd boot');
    expect(text).toContain('rc-update add udev sysinit');
    expect(text).toContain('rc-update add connman boot');
    expect(text).toContain('ln -sf vmlinuz-lts /boot/vmlinuz');
    expect(text).toContain('mkinitfs -o /boot/initrd "$kver"');
    expect(text).toMatch(/features=".*\bsquashfs\b.*\bimmucore"/);
    expect(text).toContain('/etc/mkinitfs/features.d/immucore.files');
    expect(text).toContain('KAIROS_FAMILY="alpine"');
    expect(text).not.toMatch(/dracut|systemctl|systemd|apt-get|dnf |zypper/);
    await expect(text).toMatchFileSnapshot(snapshot('scratch-alpine-3.20-framework'));
  });

  it('Alpine 3.21 on a Raspberry Pi 4 (arm64): linux-rpi, no BIOS grub', async () => {
    const text = scratch('alpine-3.21', 'alpine:3.21', { model: 'rpi4', arch: 'arm64' }, FRAMEWORK);
    expect(text).toContain('FROM --platform=linux/arm64 alpine:3.21');
    expect(text).toContain('linux-rpi');
    expect(text).not.toContain('linux-lts');
    expect(text).not.toContain('grub-bios');
    expect(text).toContain('ln -sf vmlinuz-rpi /boot/vmlinuz');
    expect(text).toContain('KAIROS_MODEL="rpi4"');
    await expect(text).toMatchFileSnapshot(snapshot('scratch-alpine-3.21-rpi4-framework'));
  });

  it('refuses a plain (framework none) Alpine image: its own init cannot boot the live media', () => {
    const error = thrown(() => scratch('alpine-3.20', 'alpine:3.20'));
    expect(error.code).toBe('recipe-invalid');
    expect(error.message).toContain('Alpine Linux v3.20');
    expect(error.hint).toContain('framework');
  });
});

describe('scratch method: Debian family', () => {
  it('Ubuntu 22.04: the 22.04 HWE kernel, apt, systemd-networkd', async () => {
    const text = scratch('ubuntu-22.04', 'ubuntu:22.04');
    expect(text).toContain('linux-image-generic-hwe-22.04');
    expect(text).toContain('ARG DEBIAN_FRONTEND=noninteractive');
    expect(text).toContain('KAIROS_FLAVOR_RELEASE="22.04"');
    expect(text).not.toMatch(/dnf |zypper|apk |rc-update|mkinitfs/);
    await expect(text).toMatchFileSnapshot(snapshot('scratch-ubuntu-22.04-none'));
  });

  it('Debian 12 on a Raspberry Pi: U-Boot installed, the VideoCore firmware unpacked from non-free-firmware', async () => {
    const text = scratch('debian-12', 'debian:bookworm', { model: 'rpi4', arch: 'arm64' });
    const lines = runLines(text).map((l) => l.trim());
    expect(lines).toContain('u-boot-rpi \\');
    const sources = lines.findIndex((l) => l.includes('non-free-firmware" > /etc/apt/sources.list.d/raspi-firmware.list'));
    const update = lines.indexOf('apt-get update; \\');
    const unpack = lines.findIndex((l) => l.startsWith('dpkg-deb --fsys-tarfile /tmp/raspi-firmware_*.deb | tar -x -C / ./usr/lib/raspi-firmware'));
    const clean = lines.indexOf('apt-get clean; \\');
    // The component is there before the lists are fetched, the files before the caches go.
    expect(sources).toBeGreaterThanOrEqual(0);
    expect(sources).toBeLessThan(update);
    expect(unpack).toBeGreaterThan(update);
    expect(unpack).toBeLessThan(clean);
    // Not installed as a package: its scripts fail without a mounted /boot/firmware.
    expect(text).not.toMatch(/apt-get install[^;]*raspi-firmware/);
    await expect(text).toMatchFileSnapshot(snapshot('scratch-debian-12-rpi4-none'));
    // The same package step for the Pi 3 (one cached layer for both), none of it for a generic board.
    const pi3 = scratch('debian-12', 'debian:bookworm', { model: 'rpi3', arch: 'arm64' });
    expect(pi3.slice(0, pi3.indexOf('# 2.'))).toBe(text.slice(0, text.indexOf('# 2.')));
    const generic = scratch('debian-12', 'debian:bookworm', { arch: 'arm64' });
    expect(generic).not.toContain('u-boot-rpi');
    expect(generic).not.toContain('raspi-firmware');
  });

  it('a derivative is built by what its os-release says it is like, not by its image name', () => {
    const text = scratch('linuxmint-21', 'example.org/some/image:latest');
    expect(text).toContain('(method scratch, family ubuntu)');
  });
});

describe('scratch method: what it refuses', () => {
  it.each([
    ['arch', 'archlinux', 'Arch Linux', 'ID=arch'],
    ['gentoo', 'gentoo/stage3', 'Gentoo Linux', 'ID=gentoo'],
    ['void', 'voidlinux/voidlinux', 'Void Linux', 'ID=void'],
  ])('%s: a clear error naming the distribution and the supported families', (os, image, pretty, id) => {
    const error = thrown(() => scratch(os, image));
    expect(error.code).toBe('unsupported-family');
    expect(error.message).toContain(pretty);
    expect(error.message).toContain(id);
    for (const family of ['Debian', 'Ubuntu', 'Fedora', 'Rocky', 'openSUSE', 'Alpine']) expect(error.hint).toContain(family);
  });

  it('an image named like a supported distribution is still judged by its os-release', () => {
    const error = thrown(() => scratch('arch', 'ubuntu:24.04'));
    expect(error.code).toBe('unsupported-family');
  });

  it('Trusted Boot only where systemd-boot packages are known', () => {
    const recipe = RecipeSchema.parse({ name: 'demo', version: 'v1.0.0', source: { baseImage: 'fedora:40' }, kairosify: { method: 'scratch', framework: 'none' } });
    const trusted = { ...recipe, trustedBoot: { enabled: true, enroll: 'manual' as const } };
    const error = thrown(() => generateDockerfile({ recipe: trusted, osRelease: osRelease('fedora-40'), appVersion: '0.1.0' }));
    expect(error.code).toBe('unsupported-family');
    expect(error.message).toContain('Fedora Linux 40');
  });
});
