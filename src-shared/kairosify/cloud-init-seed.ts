// What a plain image (scratch method, framework: none) carries to apply its cloud-config: cloud-init
// with a NoCloud seed that a oneshot unit writes at boot from the user-data the boot medium carries
// (plain-image.ts makes it from the recipe's cloud-config, beside the file Kairos would read):
//   - netboot: the URL in the kernel argument kf.userdata= (fetched with curl);
//   - the live ISO: kairos-factory/user-data on the medium (/run/initramfs/live, dracut's mount);
//   - raw, VHD and GCE disks: kairos-factory/user-data on the COS_OEM partition (mounted read-only);
//   - a UKI: /etc/kairos-factory/user-data inside it (its initrd is the whole system).
// The machine-id becomes cloud-init's instance id, which is what {{ .MachineID }} renders to.
// Pure texts, written into the image by the scratch Dockerfile.
import type { OsFamily } from './os-release.js';

export const SEED_SCRIPT_PATH = '/usr/libexec/kairos-factory/nocloud-seed';
export const SEED_UNIT_NAME = 'kairos-factory-nocloud-seed.service';
/** Where each medium carries the user-data, relative to its root (ISO, COS_OEM) or in the image. */
export const MEDIUM_USER_DATA = 'kairos-factory/user-data';
export const IMAGE_USER_DATA = '/etc/kairos-factory/user-data';
export const USER_DATA_ARG = 'kf.userdata';

export const SEED_SCRIPT = `#!/bin/sh
# Kairos Factory, plain image: hands cloud-init the user-data the boot medium carries (made from the
# recipe's cloud-config), as a NoCloud seed whose instance id is this machine's machine-id.
seed=/var/lib/cloud/seed/nocloud
work=/run/kairos-factory
mkdir -p "$seed" "$work"
rm -f "$seed/user-data" "$seed/meta-data"
from=""
url=$(tr ' ' '\\n' < /proc/cmdline | sed -n 's/^${USER_DATA_ARG}=//p' | tail -n1)
if [ -n "$url" ] && curl -fsSL --retry 3 --connect-timeout 5 -o "$work/user-data" "$url"; then
  from="$url"
fi
if [ -z "$from" ] && [ -f /run/initramfs/live/${MEDIUM_USER_DATA} ]; then
  cp /run/initramfs/live/${MEDIUM_USER_DATA} "$work/user-data" && from="the live medium"
fi
if [ -z "$from" ] && oem=$(blkid -L COS_OEM 2>/dev/null); then
  mkdir -p "$work/oem"
  if mount -o ro "$oem" "$work/oem"; then
    [ -f "$work/oem/${MEDIUM_USER_DATA}" ] && cp "$work/oem/${MEDIUM_USER_DATA}" "$work/user-data" && from="COS_OEM ($oem)"
    umount "$work/oem"
  fi
fi
if [ -z "$from" ] && [ -f ${IMAGE_USER_DATA} ]; then
  cp ${IMAGE_USER_DATA} "$work/user-data" && from="the image"
fi
if [ -z "$from" ]; then
  echo "kairos-factory: no cloud-config on this boot medium"
  exit 0
fi
mv "$work/user-data" "$seed/user-data"
printf 'instance-id: %s\\n' "$(cat /etc/machine-id)" > "$seed/meta-data"
echo "kairos-factory: the cloud-config from $from is handed to cloud-init"
`;

export const SEED_UNIT = `[Unit]
Description=Hand the boot medium's cloud-config to cloud-init (Kairos Factory)
DefaultDependencies=no
After=systemd-remount-fs.service
Before=cloud-init-local.service sysinit.target
RequiresMountsFor=/var/lib/cloud

[Service]
Type=oneshot
ExecStart=${SEED_SCRIPT_PATH}
StandardOutput=journal+console

[Install]
WantedBy=cloud-init-local.service
`;

/**
 * cloud-init's settings: only NoCloud (the seed above), no network configuration of its own (the
 * image's network setup stays), no default user (`users: ""`, which names nobody: an empty list
 * fails cloud-init's schema and every boot's console then says "Invalid cloud-config provided", and
 * an empty mapping wins cloud-init's merge over the user-data's list of users), and an Ed25519 SSH host key
 * made by cloud-init: a fraction of a second, where ssh-keygen -A's RSA-3072 key took minutes under
 * emulation (the image's ssh-hostkeys unit then finds a key and does nothing).
 */
export const CLOUD_CFG = `#cloud-config
# Kairos Factory, plain image: the cloud-config comes from the boot medium (${SEED_UNIT_NAME}).
datasource_list: [ NoCloud, None ]
network:
  config: disabled
users: ""
ssh_deletekeys: false
ssh_genkeytypes: [ ed25519 ]
# Only the modules the translated cloud-config uses (plain-image.ts): every other one costs a boot
# time under emulation and touches nothing the recipe asked for (apt, locale, growpart, ...).
cloud_init_modules: [ bootcmd, write_files, set_hostname, update_hostname, update_etc_hosts, users_groups, ssh ]
cloud_config_modules: [ ssh_import_id, timezone, runcmd ]
cloud_final_modules: [ scripts_user, final_message ]
`;

/**
 * systemd's device timeout, raised from 90 s: under emulation on busy cores udev's coldplug took
 * longer, /dev/ttyS0's device unit timed out, and the serial console never got its login prompt.
 */
export const SYSTEM_CONF_DROPIN = '[Manager]\nDefaultDeviceTimeoutSec=300\n';

/** ds-identify would look for a seed before the unit above wrote it, and turn cloud-init off. */
export const DS_IDENTIFY_CFG = 'policy: enabled\n';

/** cloud-init and what the translated user-data may use, per family (github: keys need ssh-import-id). */
export function cloudInitPackages(family: OsFamily): string[] {
  switch (family) {
    case 'debian':
    case 'ubuntu':
      return ['cloud-init', 'ssh-import-id'];
    case 'fedora':
    case 'rhel':
    case 'opensuse':
      return ['cloud-init'];
    case 'alpine':
      return ['cloud-init'];
  }
}
