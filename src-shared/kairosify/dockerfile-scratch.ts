// The scratch method: the seed "Build Kairos from scratch" recipe, written out step by step so
// a reader sees exactly what makes the image bootable. Step order is chosen for Docker's cache:
// the slow package install comes first and only changes when packages do.
import { CLOUD_CFG, DS_IDENTIFY_CFG, SEED_SCRIPT, SEED_SCRIPT_PATH, SEED_UNIT, SEED_UNIT_NAME, SYSTEM_CONF_DROPIN } from './cloud-init-seed.js';
import { cloudConfigNeeds } from '../cloud-config/device-settings.js';
import { hasFramework } from '../recipe/has-framework.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { AppError } from '../errors/app-error.js';
import { shellQuote } from '../util/shell-quote.js';
import { DockerfileWriter, writeFileCommand } from './dockerfile-writer.js';
import { fromLine, labelLines } from './dockerfile-common.js';
import { kairosRelease, kairosReleaseText } from './kairos-release.js';
import { detectFamily, type OsFamily, type OsRelease } from './os-release.js';
import { SCRATCH_FAMILIES, TRUSTED_BOOT_FAMILIES, majorVersion, packageSelection, raspberryPiFirmware } from './package-sets.js';
import { cacheCleanup, kernelFile, oldInitrds, packageInstall, preamble, serviceSetup } from './scratch-family.js';

/** How the families are named to a user, in the order the error hint lists them. */
const FAMILY_NAMES: Readonly<Record<OsFamily, string>> = {
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  fedora: 'Fedora',
  rhel: 'RHEL and its rebuilds (Rocky, AlmaLinux, CentOS Stream, Oracle Linux)',
  opensuse: 'openSUSE (Leap, Tumbleweed)',
  alpine: 'Alpine',
};

/**
 * The initrd's network for netboot: livenet fetches the squashfs from the network scripts' online
 * hook, which dracut's systemd-networkd module (Debian's default pick) never runs: the initrd
 * then waits until its timeout. network-legacy (dhclient, installed in these families) runs it;
 * Fedora and EL 10 have no dhclient and take NetworkManager's module.
 */
export function initrdNetworkModule(family: OsFamily, release: OsRelease): string {
  if (family === 'fedora' || (family === 'rhel' && majorVersion(release) >= 10)) return 'network-manager';
  return 'network-legacy';
}

export function dracutConfig(recipe: Recipe, family: OsFamily, release: OsRelease): string {
  const modules = ['livenet', 'dmsquash-live', 'network', initrdNetworkModule(family, release)];
  if (hasFramework(recipe)) modules.push('immucore');
  // zstd instead of kairos-init's xz: every kernel a supported family ships (>= 5.9) reads it,
  // and it unpacks several times faster, which is most of the early boot on slow machines and VMs.
  // iSCSI and NFS stay out of the initrd (kairos-init drops iscsi too): Kairos never mounts its
  // root from them, and their hooks slow every boot. The tools remain in the system.
  return [
    'hostonly="no"',
    'hostonly_cmdline="no"',
    'compress="zstd"',
    `add_dracutmodules+=" ${modules.join(' ')} "`,
    'omit_dracutmodules+=" iscsi nfs "',
    '',
  ].join('\n');
}

/**
 * Alpine's mkinitfs features for a generic initrd: the disk, CD and USB controllers a machine or VM
 * may boot from, the filesystems of the live media and the installed system, and the network for
 * netboot. "kms" stays out: it packs every GPU driver and its firmware, and nothing needs them
 * before the root filesystem is mounted. "immucore" is the feature below, with the framework.
 */
export function mkinitfsConfig(recipe: Recipe): string {
  const features = ['base', 'keymap', 'ata', 'nvme', 'scsi', 'mmc', 'usb', 'virtio', 'cdrom', 'raid', 'lvm', 'cryptsetup', 'ext2', 'ext4', 'xfs', 'squashfs', 'network', 'dhcp'];
  if (hasFramework(recipe)) features.push('immucore');
  return `features="${features.join(' ')}"\n`;
}

/** The files the "immucore" mkinitfs feature adds: immucore, the agent and the tools they run. */
const IMMUCORE_FILES = [
  '/usr/bin/immucore',
  '/usr/bin/kairos-agent',
  '/sbin/blkid',
  '/bin/lsblk',
  '/bin/findmnt',
  '/sbin/udevd',
  '/bin/udevadm',
  '/etc/udev/*',
  '/lib/udev/*',
  '/sbin/dmsetup',
  '/sbin/lvm',
  '/sbin/e2fsck',
  '/sbin/mkfs.*',
  '/usr/bin/rsync',
];

/** Stops the build when the base image is of no family the scratch method can build. */
function supportedFamily(osRelease: OsRelease): OsFamily {
  const family = detectFamily(osRelease);
  if (family && SCRATCH_FAMILIES.includes(family)) return family;
  const what = osRelease.prettyName || osRelease.id || 'this base image';
  const ids = [osRelease.id ? `ID=${osRelease.id}` : 'no ID', ...(osRelease.idLike.length ? [`ID_LIKE=${osRelease.idLike.join(' ')}`] : [])];
  throw new AppError('unsupported-family', `The scratch method does not support ${what} (os-release ${ids.join(', ')})`, {
    hint: `Supported families: ${SCRATCH_FAMILIES.map((f) => FAMILY_NAMES[f]).join(', ')}. Use method: kairos-init, or a base image of a supported family.`,
  });
}

/** Combinations a family cannot build, found before any Dockerfile text is written. */
function checkFamilyOptions(recipe: Recipe, family: OsFamily, osRelease: OsRelease): void {
  const what = osRelease.prettyName || osRelease.id;
  if (recipe.trustedBoot.enabled && !TRUSTED_BOOT_FAMILIES.includes(family)) {
    throw new AppError('unsupported-family', `The scratch method builds Trusted Boot images only from ${TRUSTED_BOOT_FAMILIES.map((f) => FAMILY_NAMES[f]).join(' or ')}, not ${what}`, {
      hint: 'Turn Trusted Boot off, or use a Debian or Ubuntu base image.',
    });
  }
  if (family === 'alpine' && !hasFramework(recipe)) {
    // Alpine's own initramfs-init knows no live root (dracut's root=live:...): only the Kairos
    // init that comes with the framework boots the live media and the installed system.
    throw new AppError('recipe-invalid', `${what} needs the Kairos framework: Alpine's mkinitfs init cannot boot the live squashfs by itself`, {
      hint: 'Set kairosify.framework to a framework image (the default), or use a Debian, Ubuntu, Fedora, RHEL-like or openSUSE base image for a plain bootable image.',
    });
  }
}

export function scratchDockerfile(recipe: Recipe, osRelease: OsRelease, appVersion: string): string {
  const family = supportedFamily(osRelease);
  checkFamilyOptions(recipe, family, osRelease);
  const q = shellQuote;
  const plain = !hasFramework(recipe);
  const needs = cloudConfigNeeds(recipe.cloudConfig);
  const packages = packageSelection({ family, release: osRelease, arch: recipe.arch, model: recipe.model, trustedBoot: recipe.trustedBoot.enabled, plain, needs });
  const all = [...packages.base, ...packages.kernel, ...packages.boot];
  const framework = recipe.kairosify.framework;
  const release = kairosRelease(recipe, { flavor: osRelease.id, release: osRelease.versionId, family }, `kairos-factory-${appVersion}`);
  const install = packageInstall(family, osRelease, all, raspberryPiFirmware(family, recipe.model));
  const services = serviceSetup(family, recipe);

  const w = new DockerfileWriter()
    .comment(`Generated by Kairos Factory ${appVersion} from recipe "${recipe.name}" (method scratch, family ${family}).`)
    .comment('Edit the recipe, not this file: it is regenerated on every build.')
    .blank()
    .instruction(fromLine(recipe));
  for (const line of preamble(family)) w.instruction(line);
  w.blank();
  for (const line of install.comment) w.comment(line);
  w.run(install.commands).blank();

  if (framework === 'none') {
    w.comment('2. Kairos framework: none (a plain bootable image): cloud-init applies the cloud-config, from a')
      .comment('   NoCloud seed the boot medium carries (the hostname, users, SSH keys, files, time zone).')
      .run([
        `mkdir -p /etc/cloud/cloud.cfg.d /etc/systemd/system.conf.d ${q(SEED_SCRIPT_PATH.replace(/\/[^/]+$/, ''))}`,
        writeFileCommand('/etc/cloud/cloud.cfg.d/90-kairos-factory.cfg', CLOUD_CFG, q),
        writeFileCommand('/etc/cloud/ds-identify.cfg', DS_IDENTIFY_CFG, q),
        writeFileCommand('/etc/systemd/system.conf.d/10-kairos-factory.conf', SYSTEM_CONF_DROPIN, q),
        writeFileCommand(SEED_SCRIPT_PATH, SEED_SCRIPT, q),
        `chmod 755 ${q(SEED_SCRIPT_PATH)}`,
        writeFileCommand(`/etc/systemd/system/${SEED_UNIT_NAME}`, SEED_UNIT, q),
        `systemctl enable ${SEED_UNIT_NAME} cloud-init-local.service cloud-init.service cloud-config.service cloud-final.service`,
      ]);
  } else {
    w.comment(`2. Kairos framework: immucore, kairos-agent and their services and ${family === 'alpine' ? 'initrd init' : 'dracut module'}.`)
      .instruction(`COPY --from=${framework} / /`);
  }
  w.blank()
    .comment('3. /etc/kairos-release')
    .run([writeFileCommand('/etc/kairos-release', kairosReleaseText(release), q)])
    .blank();
  for (const line of services.comment) w.comment(line);
  w.run(services.commands).blank();

  const kernel = kernelFile(family, recipe);
  const link = [
    'kver=$(ls /lib/modules | sort -V | tail -n1)',
    'test -n "$kver"',
    ...kernel.prepare,
    `ln -sf ${kernel.name} /boot/vmlinuz`,
    `rm -f ${oldInitrds(family)}`,
    'depmod -a "$kver"',
  ];
  if (recipe.trustedBoot.enabled) {
    w.comment('5. kernel link (Trusted Boot: the initrd is built into the signed UKI, not here)').run(link);
  } else if (family === 'alpine') {
    w.comment('5. kernel link and a generic mkinitfs initrd whose init (the Kairos one, from the framework)')
      .comment('   boots the live media and the installed system with immucore')
      .run([
        ...link,
        'mkdir -p /etc/mkinitfs/features.d',
        writeFileCommand('/etc/mkinitfs/features.d/immucore.files', IMMUCORE_FILES.join('\n') + '\n', q),
        writeFileCommand('/etc/mkinitfs/mkinitfs.conf', mkinitfsConfig(recipe), q),
        'rm -f /etc/mkinitfs/mkinitfs.conf.apk-new',
        // Stock initramfs-init cannot boot Kairos: fail the build here rather than make media that hang.
        `grep -q immucore /usr/share/mkinitfs/initramfs-init || { echo 'the framework image brought no Kairos initramfs-init for mkinitfs' >&2; exit 1; }`,
        'mkinitfs -o /boot/initrd "$kver"',
      ]);
  } else {
    w.comment('5. kernel link and a generic (not host-only) dracut initrd that can boot the live media')
      .run([
        ...link,
        'mkdir -p /etc/dracut.conf.d',
        writeFileCommand('/etc/dracut.conf.d/10-kairos.conf', dracutConfig(recipe, family, osRelease), q),
        'dracut -f /boot/initrd "$kver"',
      ]);
  }
  w.blank()
    .comment('6. cleanup: nothing that must differ per machine (host keys, machine-id, hostname), no caches.')
    .run([
      'rm -f /etc/ssh/ssh_host_*',
      ': > /etc/machine-id',
      'rm -f /var/lib/dbus/machine-id',
      ': > /etc/hostname',
      cacheCleanup(family),
    ])
    .blank();
  for (const line of labelLines(recipe)) w.instruction(line);
  return w.toString();
}
