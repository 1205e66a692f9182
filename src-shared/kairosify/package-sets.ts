// What the scratch method installs per OS family: the kairos-init package maps
// (pkg/values/packagemaps.go), abridged to what booting, the Kairos framework and its
// immucore/agent need. Grouped so the Dockerfile reads as a list of reasons.
import type { Arch } from '../recipe/catalog.js';
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
  readonly trustedBoot: boolean;
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
  return [`linux-image-${ctx.arch}`, 'firmware-linux-free'];
}

/** Families the scratch method knows how to build. */
export const SCRATCH_FAMILIES: ReadonlyArray<OsFamily> = ['debian', 'ubuntu'];

export function packageSelection(ctx: PackageContext): PackageSelection | undefined {
  switch (ctx.family) {
    case 'debian':
    case 'ubuntu':
      return { base: [...COMMON, ...DEBIAN_BASE], kernel: debianKernel(ctx), boot: debianBoot(ctx) };
    default:
      return undefined;
  }
}
