// What differs per OS family in the scratch method's steps: the package manager, the services
// and how they are enabled, where the kernel file is, which initrds the distribution left behind,
// and which caches to drop. The steps themselves (their order and the rest of their content)
// are in dockerfile-scratch.ts. Facts from the kairos-init install and init stages.
import { hasFramework } from '../recipe/has-framework.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { shellQuote } from '../util/shell-quote.js';
import { writeFileCommand } from './dockerfile-writer.js';
import type { OsFamily, OsRelease } from './os-release.js';
import { alpineKernelFlavor, majorVersion } from './package-sets.js';

/** One Dockerfile step: why (comment lines) and what (shell commands of one RUN). */
export interface FamilyStep {
  readonly comment: ReadonlyArray<string>;
  readonly commands: ReadonlyArray<string>;
}

/** Units the Kairos framework ships that must be enabled (seed recipe). */
const FRAMEWORK_UNITS = ['cos-setup-reconcile.timer', 'cos-setup-fs.service', 'cos-setup-boot.service', 'cos-setup-network.service'];

const q = shellQuote;
const list = (packages: ReadonlyArray<string>): string => packages.join(' \\\n      ');

// ---------------------------------------------------------------------------------------------
// 1. packages

/** Build arguments the family's package manager wants before the first RUN. */
export function preamble(family: OsFamily): string[] {
  return family === 'debian' || family === 'ubuntu' ? ['ARG DEBIAN_FRONTEND=noninteractive'] : [];
}

export function packageInstall(family: OsFamily, release: OsRelease, packages: ReadonlyArray<string>, extra: { readonly before: ReadonlyArray<string>; readonly after: ReadonlyArray<string> } = { before: [], after: [] }): FamilyStep {
  const title = '1. packages: init, kernel, bootloader, initramfs tools and what the Kairos agent uses.';
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return {
        comment: [
          title,
          '   INITRD=No stops the kernel hook from building an initrd that step 5 replaces anyway.',
          ...(extra.after.length > 0 ? ['   Raspberry Pi: the VideoCore firmware\'s files (raspi-firmware, non-free-firmware) without its', '   package scripts, which want a mounted /boot/firmware; U-Boot and GRUB start the kernel instead.'] : []),
        ],
        commands: [
          ...extra.before,
          'apt-get update',
          `INITRD=No apt-get install -y --no-install-recommends \\\n      ${list(packages)}`,
          ...extra.after,
          'apt-get clean',
          'rm -rf /var/lib/apt/lists/*',
        ],
      };
    case 'fedora':
    case 'rhel':
      return {
        comment: [
          title,
          '   Weak dependencies stay out: they would pull in half a desktop.',
          ...(family === 'rhel' ? ['   EPEL first: the EL repositories lack some of what Kairos uses.'] : []),
        ],
        commands: [
          ...(family === 'rhel' ? [epelInstall(release)] : []),
          `dnf install -y --setopt=install_weak_deps=False \\\n      ${list(packages)}`,
          'dnf clean all',
        ],
      };
    case 'opensuse':
      return {
        comment: [title],
        commands: [
          'zypper --non-interactive refresh',
          `zypper --non-interactive install --no-recommends \\\n      ${list(packages)}`,
          'zypper clean -a',
        ],
      };
    case 'alpine':
      return {
        comment: [
          title,
          '   The grub and mkinitfs triggers are switched off for the install: grub probes the (container)',
          '   disk and fails, and step 5 builds the only initrd the image needs.',
        ],
        commands: [
          'mkdir -p /etc/mkinitfs',
          "echo 'disable_trigger=1' > /etc/update-grub.conf",
          "echo 'disable_trigger=yes' > /etc/mkinitfs/mkinitfs.conf",
          `apk add --no-cache \\\n      ${list(packages)}`,
        ],
      };
  }
}

/** EPEL's release package: in the repositories of the rebuilds, a URL for RHEL itself. */
function epelInstall(release: OsRelease): string {
  const major = majorVersion(release);
  if (release.id === 'rhel') return `dnf install -y https://dl.fedoraproject.org/pub/epel/epel-release-latest-${major}.noarch.rpm`;
  if (release.id === 'ol') return `dnf install -y oracle-epel-release-el${major}`;
  return 'dnf install -y epel-release';
}

// ---------------------------------------------------------------------------------------------
// 4. services

const DHCP_NETWORK = `[Match]
Name=en* eth*

[Network]
DHCP=yes
`;

// Host keys are removed from the image (every machine must get its own); this makes them at
// first boot, before sshd wants them. Only Debian needs it: Fedora/RHEL (sshd-keygen), openSUSE
// (sshd-gen-keys-start) and Alpine (the sshd init script) make missing keys themselves.
const SSH_HOSTKEYS_UNIT = `[Unit]
Description=Generate SSH host keys on first boot
ConditionPathExistsGlob=!/etc/ssh/ssh_host_*_key
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
`;

// Boot must not hang on the network: wait for any one link, briefly (networkd's default waits
// two minutes for every link, which NFS's units pull in at every boot, cable or not).
function waitOnlineDropin(systemdDir: string): string {
  return `[Service]
ExecStart=
ExecStart=${systemdDir}/systemd-networkd-wait-online --any --timeout=20
`;
}

/** systemd-networkd with DHCP on every wired link. */
function networkdCommands(): string[] {
  return [
    'mkdir -p /etc/systemd/network',
    writeFileCommand('/etc/systemd/network/20-dhcp.network', DHCP_NETWORK, q),
  ];
}

function waitOnlineCommands(systemdDir: string): string[] {
  return [
    'mkdir -p /etc/systemd/system/systemd-networkd-wait-online.service.d',
    writeFileCommand('/etc/systemd/system/systemd-networkd-wait-online.service.d/10-any.conf', waitOnlineDropin(systemdDir), q),
  ];
}

function frameworkUnitCommands(recipe: Recipe): string[] {
  if (!hasFramework(recipe)) return [];
  return [`for unit in ${FRAMEWORK_UNITS.join(' ')}; do if systemctl cat "$unit" >/dev/null 2>&1; then systemctl enable "$unit"; fi; done`];
}

export function serviceSetup(family: OsFamily, recipe: Recipe): FamilyStep {
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return {
        comment: ['4. services: network (DHCP), time, SSH with per-machine host keys; no first-boot wizard.'],
        commands: [
          ...networkdCommands(),
          writeFileCommand('/etc/systemd/system/ssh-hostkeys.service', SSH_HOSTKEYS_UNIT, q),
          ...waitOnlineCommands('/lib/systemd'),
          'systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service ssh.service ssh-hostkeys.service',
          'systemctl mask systemd-firstboot.service',
          ...frameworkUnitCommands(recipe),
        ],
      };
    case 'fedora':
    case 'rhel':
      return {
        comment: [
          '4. services: NetworkManager (DHCP on every wired link by default), chronyd, sshd (which makes',
          '   its own host keys); no first-boot wizard. Container images ship getty, udevd and logind masked,',
          '   and a boot must not spend time refreshing dnf metadata nobody uses.',
        ],
        commands: [
          'systemctl unmask getty.target systemd-udevd.service systemd-logind.service',
          'systemctl enable NetworkManager.service systemd-resolved.service chronyd.service sshd.service',
          'systemctl mask systemd-firstboot.service dnf-makecache.service dnf-makecache.timer',
          ...frameworkUnitCommands(recipe),
        ],
      };
    case 'opensuse':
      return {
        comment: [
          '4. services: systemd-networkd (DHCP) in place of wicked, resolved, timesyncd, sshd (which makes',
          '   its own host keys); no first-boot wizard.',
        ],
        commands: [
          ...networkdCommands(),
          // openSUSE keeps systemd under /usr/lib (Leap has no merged /usr, so not /lib).
          ...waitOnlineCommands('/usr/lib/systemd'),
          'systemctl enable systemd-networkd.service systemd-resolved.service systemd-timesyncd.service sshd.service',
          // wicked would fight networkd for the links; mask works whether it is installed or not.
          'systemctl mask wicked.service systemd-firstboot.service',
          ...frameworkUnitCommands(recipe),
        ],
      };
    case 'alpine':
      return {
        comment: [
          '4. services (OpenRC runlevels): udev at sysinit, network (connman, DHCP), time (busybox ntpd),',
          '   sshd (its init script makes missing host keys), logging and cron.',
        ],
        commands: [
          ...['udev', 'udev-trigger', 'cgroups'].map((s) => `rc-update add ${s} sysinit`),
          ...['hwclock', 'syslog', 'acpid', 'connman', 'ntpd', 'sshd'].map((s) => `rc-update add ${s} boot`),
          'rc-update add crond default',
        ],
      };
  }
}

// ---------------------------------------------------------------------------------------------
// 5. kernel link

/**
 * Commands that leave the kernel at /boot/<name>, and that name, for `ln -sf <name> /boot/vmlinuz`.
 * $kver is the newest kernel under /lib/modules.
 */
export function kernelFile(family: OsFamily, recipe: Recipe): { readonly prepare: ReadonlyArray<string>; readonly name: string } {
  switch (family) {
    case 'fedora':
    case 'rhel':
      // The kernel package ships the image in /lib/modules; only kernel-install (which a container
      // build may skip) copies it to /boot.
      return { prepare: ['[ -e "/boot/vmlinuz-$kver" ] || cp "/lib/modules/$kver/vmlinuz" "/boot/vmlinuz-$kver"'], name: '"vmlinuz-$kver"' };
    case 'opensuse':
      // openSUSE's arm64 kernel is an uncompressed Image.
      return { prepare: [], name: recipe.arch === 'arm64' ? '"Image-$kver"' : '"vmlinuz-$kver"' };
    case 'alpine':
      return { prepare: [], name: `vmlinuz-${alpineKernelFlavor(recipe.model)}` };
    default:
      return { prepare: [], name: '"vmlinuz-$kver"' };
  }
}

/** Initrds the distribution's own kernel hooks made, which /boot/initrd replaces. */
export function oldInitrds(family: OsFamily): string {
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return '/boot/initrd /boot/initrd.img-* /boot/initramfs-*';
    case 'opensuse':
      return '/boot/initrd /boot/initrd-*';
    default:
      return '/boot/initrd /boot/initramfs-*';
  }
}

// ---------------------------------------------------------------------------------------------
// 6. cleanup

export function cacheCleanup(family: OsFamily): string {
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return 'rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /tmp/* /var/tmp/*';
    case 'fedora':
    case 'rhel':
      return 'rm -rf /var/cache/dnf/* /var/log/dnf* /tmp/* /var/tmp/*';
    case 'opensuse':
      return 'rm -rf /var/cache/zypp/* /var/log/zypp* /tmp/* /var/tmp/*';
    case 'alpine':
      return 'rm -rf /var/cache/apk/* /tmp/* /var/tmp/*';
  }
}
