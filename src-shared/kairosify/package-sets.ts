// What the scratch method installs per OS family: the kairos-init package maps
// (pkg/values/packagemaps.go), abridged to what booting, the Kairos framework and its
// immucore/agent need. Grouped so the Dockerfile reads as a list of reasons. Every family gets
// the same kinds of things (init, network, time, SSH, disk tools, kernel, grub, initramfs
// tools) under its own package names.
import type { DeviceNeeds } from '../cloud-config/device-settings.js';
import type { Arch } from '../recipe/catalog.js';
import { cloudInitPackages } from './cloud-init-seed.js';
import type { OsFamily, OsRelease } from './os-release.js';

export interface PackageSelection {
  readonly base: ReadonlyArray<string>;
  readonly kernel: ReadonlyArray<string>;
  /** Bootloader and initramfs tooling; empty with Trusted Boot (systemd-boot + UKI instead). */
  readonly boot: ReadonlyArray<string>;
}

export interface PackageContext {
  readonly family: OsFamily;
  readonly release: OsRelease;
  readonly arch: Arch;
  /** The recipe's model: Raspberry Pi models take a board kernel on some families. */
  readonly model: string;
  readonly trustedBoot: boolean;
  /** No Kairos framework: cloud-init applies the cloud-config (cloud-init-seed.ts). */
  readonly plain?: boolean;
  /** What the cloud-config's device settings (Wi-Fi, keyboard) need in the image. */
  readonly needs?: DeviceNeeds;
}

/** In every family (kairos-init "common"). */
const COMMON = ['file', 'gawk', 'iptables', 'less', 'nano', 'sudo', 'tar', 'zstd', 'rsync', 'lvm2', 'jq', 'dosfstools', 'e2fsprogs', 'logrotate'];

const DEBIAN_BASE = [
  // init: minimal Debian/Ubuntu images have no init at all
  'systemd', 'systemd-sysv', 'udev', 'dbus', 'kmod',
  'systemd-timesyncd', 'systemd-resolved', 'iproute2', 'isc-dhcp-client', 'ca-certificates', 'curl',
  'openssh-server', 'cryptsetup', 'open-iscsi', 'nfs-common', 'mdadm',
  'squashfs-tools', 'parted', 'gdisk', 'fdisk', 'efibootmgr',
];

function debianBoot(ctx: PackageContext): string[] {
  if (ctx.trustedBoot) return ['systemd-boot'];
  const initramfs = ['dracut', 'dracut-network', 'dracut-live'];
  const grub = ctx.arch === 'amd64'
    ? ['grub2-common', 'grub-efi-amd64-bin', 'grub-efi-amd64-signed', 'grub-pc-bin', 'shim-signed']
    : ['grub2-common', 'grub-efi-arm64-bin', 'grub-efi-arm64-signed', 'shim-signed'];
  return [...grub, ...initramfs];
}

function debianKernel(ctx: PackageContext): string[] {
  if (ctx.family === 'ubuntu') {
    // Ubuntu's HWE kernel for LTS releases (kairos-init's choice), plus its firmware.
    const hwe = /^\d\d\.04$/.test(ctx.release.versionId) ? `linux-image-generic-hwe-${ctx.release.versionId}` : 'linux-image-generic';
    return [hwe, 'linux-firmware'];
  }
  // Raspberry Pi: Debian's U-Boot for the Pi (the firmware starts it, it starts shim and GRUB);
  // the kernel's broadcom DTBs come with linux-image. The VideoCore firmware is fetched beside
  // the install (raspberryPiFirmware), from the non-free-firmware component.
  return [`linux-image-${ctx.arch}`, 'firmware-linux-free', ...(isRaspberryPi(ctx.model) ? ['u-boot-rpi'] : [])];
}

/**
 * Debian's Raspberry Pi firmware (bootcode.bin, start*.elf, fixup*.dat), for the rpi artifact's
 * boot partition. Only its files are unpacked into /usr/lib/raspi-firmware: its package scripts
 * copy a kernel into a mounted /boot/firmware for the firmware to start directly, which a
 * container has not, and which Kairos does not use (U-Boot and GRUB start the kernel).
 * Commands for before the package list update, and after the install.
 */
export function raspberryPiFirmware(family: OsFamily, model: string): { readonly before: string[]; readonly after: string[] } {
  if (family !== 'debian' || !isRaspberryPi(model)) return { before: [], after: [] };
  return {
    before: ['. /etc/os-release && echo "deb http://deb.debian.org/debian $VERSION_CODENAME non-free-firmware" > /etc/apt/sources.list.d/raspi-firmware.list'],
    after: [
      'cd /tmp && apt-get download raspi-firmware',
      'dpkg-deb --fsys-tarfile /tmp/raspi-firmware_*.deb | tar -x -C / ./usr/lib/raspi-firmware',
      'rm -f /tmp/raspi-firmware_*.deb && cd /',
    ],
  };
}

// Fedora and the RHEL rebuilds (kairos-init "RedHatFamily"). NetworkManager and chrony are what
// these distributions run; curl is left out because the EL images ship curl-minimal, which
// conflicts with it and already gives the curl command dracut's livenet needs.
const REDHAT_BASE = [
  'systemd', 'dbus', 'kmod', 'NetworkManager', 'systemd-resolved', 'chrony', 'iproute', 'ca-certificates',
  'openssh-server', 'openssh-clients', 'cryptsetup', 'device-mapper', 'iscsi-initiator-utils', 'nfs-utils', 'mdadm',
  'squashfs-tools', 'parted', 'gdisk', 'efibootmgr',
];

function redhatBoot(ctx: PackageContext): string[] {
  // dracut-live carries dmsquash-live and livenet here; dracut-squash the squashfs support.
  const initramfs = ['dracut', 'dracut-live', 'dracut-network', 'dracut-squash'];
  // ISC dhclient (dracut's network-legacy) is gone from EL 10 and Fedora; NetworkManager's
  // own DHCP client serves the initrd there.
  if (ctx.family === 'rhel' && majorVersion(ctx.release) < 10) initramfs.push('dhcp-client');
  const grub = ctx.arch === 'amd64'
    ? ['grub2', 'grub2-efi-x64', 'grub2-efi-x64-modules', 'grub2-pc', 'shim-x64']
    : ['grub2', 'grub2-efi-aa64', 'grub2-efi-aa64-modules', 'shim-aa64'];
  return [...grub, ...initramfs];
}

const SUSE_BASE = [
  'systemd', 'udev', 'dbus-1', 'kmod', 'systemd-networkd', 'systemd-resolved', 'iproute2', 'ca-certificates', 'curl',
  'openssh', 'cryptsetup', 'device-mapper', 'open-iscsi', 'nfs-client', 'mdadm',
  'squashfs', 'parted', 'gptfdisk', 'efibootmgr',
];

function suseBoot(ctx: PackageContext): string[] {
  // openSUSE's dracut package itself carries dmsquash-live and livenet (no split package).
  const initramfs = ['dracut', 'dhcp-client'];
  const grub = ctx.arch === 'amd64' ? ['shim', 'grub2-x86_64-efi', 'grub2-i386-pc'] : ['shim', 'grub2-arm64-efi'];
  return [...grub, ...initramfs];
}

function suseKernel(ctx: PackageContext): string[] {
  if (isRaspberryPi(ctx.model)) return ['kernel-default', 'raspberrypi-firmware', 'raspberrypi-firmware-dt', 'raspberrypi-eeprom'];
  return ['kernel-default', 'kernel-firmware-all'];
}

// Alpine: OpenRC instead of systemd (its init scripts come with the *-openrc packages apk pulls
// in beside openrc), eudev for udev, connman for the network, and mkinitfs instead of dracut.
const ALPINE_BASE = [
  'openrc', 'busybox-openrc', 'eudev', 'eudev-hwids', 'dbus', 'kmod', 'connman', 'iproute2', 'ca-certificates', 'curl',
  'bash', 'coreutils', 'util-linux', 'blkid', 'findmnt', 'e2fsprogs-extra', 'device-mapper-udev', 'gcompat', 'tzdata', 'xz',
  'openssh-server', 'openssh-client', 'cryptsetup', 'open-iscsi', 'nfs-utils', 'mdadm',
  'squashfs-tools', 'parted', 'sgdisk', 'efibootmgr',
];

function alpineBoot(ctx: PackageContext): string[] {
  // grub-bios exists only where BIOS does (x86).
  const grub = ctx.arch === 'amd64' ? ['grub', 'grub-efi', 'grub-bios'] : ['grub', 'grub-efi'];
  return [...grub, 'mkinitfs'];
}

/** The Alpine kernel flavour: it names both the package (linux-<flavour>) and /boot/vmlinuz-<flavour>. */
export function alpineKernelFlavor(model: string): 'lts' | 'rpi' {
  return isRaspberryPi(model) ? 'rpi' : 'lts';
}

function isRaspberryPi(model: string): boolean {
  return model === 'rpi3' || model === 'rpi4';
}

/** The major of VERSION_ID ("9.4" -> 9); 0 when it has none (rolling releases). */
export function majorVersion(release: OsRelease): number {
  const major = Number.parseInt(release.versionId, 10);
  return Number.isNaN(major) ? 0 : major;
}

/** Families the scratch method knows how to build. */
export const SCRATCH_FAMILIES: ReadonlyArray<OsFamily> = ['debian', 'ubuntu', 'fedora', 'rhel', 'opensuse', 'alpine'];

/** Families whose scratch images can be Trusted Boot (their systemd-boot packages are known). */
export const TRUSTED_BOOT_FAMILIES: ReadonlyArray<OsFamily> = ['debian', 'ubuntu'];

export function packageSelection(ctx: PackageContext): PackageSelection {
  const selection = familySelection(ctx);
  const extra = [...(ctx.plain ? cloudInitPackages(ctx.family) : []), ...devicePackages(ctx.family, ctx.needs)];
  return extra.length > 0 ? { ...selection, base: [...selection.base, ...extra] } : selection;
}

/**
 * The cloud-config form's Wi-Fi (wpa_supplicant, the regulatory database its country= loads, iw
 * to look at the link) and keyboard layout (Debian/Ubuntu: console-setup applies
 * /etc/default/keyboard to the console; elsewhere kbd loads vconsole.conf's KEYMAP).
 */
export function devicePackages(family: OsFamily, needs: DeviceNeeds | undefined): string[] {
  const debian = family === 'debian' || family === 'ubuntu';
  return [
    ...(needs?.wifi ? [debian ? 'wpasupplicant' : 'wpa_supplicant', 'wireless-regdb', 'iw'] : []),
    ...(needs?.keyboard ? [debian ? 'console-setup' : 'kbd'] : []),
  ];
}

function familySelection(ctx: PackageContext): PackageSelection {
  switch (ctx.family) {
    case 'debian':
    case 'ubuntu':
      return { base: [...COMMON, ...DEBIAN_BASE], kernel: debianKernel(ctx), boot: debianBoot(ctx) };
    case 'fedora':
    case 'rhel':
      return { base: [...COMMON, ...REDHAT_BASE], kernel: ['kernel', 'kernel-modules', 'kernel-modules-extra'], boot: redhatBoot(ctx) };
    case 'opensuse':
      return { base: [...COMMON, ...SUSE_BASE], kernel: suseKernel(ctx), boot: suseBoot(ctx) };
    case 'alpine':
      return { base: [...COMMON, ...ALPINE_BASE], kernel: [`linux-${alpineKernelFlavor(ctx.model)}`], boot: alpineBoot(ctx) };
  }
}
