// The texts the raw disks carry. Pure.
import type { Arch } from '../../../src-shared/recipe/catalog.js';
import { boardCmdline } from '../board-cmdline.js';

/**
 * The GRUB config in the ESP (and embedded in the BIOS core): find the recovery partition and hand
 * over to its grub.cfg (AuroraBoot's GrubEfiRecovery).
 */
export function recoveryEfiStubCfg(): string {
  return [
    'search --no-floppy --label --set=root COS_RECOVERY',
    'set prefix=($root)/grub2',
    'configfile ($root)/etc/cos/grub.cfg',
    '',
  ].join('\n');
}

/**
 * /etc/cos/grub.cfg for an image without the Kairos framework: nothing in it can loop-mount an
 * ext2 recovery image, so it boots the recovery squashfs with dracut's live module, from the
 * kernel and initrd stored beside it, with an overlay in RAM.
 */
export function recoveryGrubCfg(options: { readonly squashfs: string; readonly extraCmdline?: string; readonly arch?: Arch; readonly model?: string }): string {
  const dir = options.squashfs.includes('/') ? `/${options.squashfs.slice(0, options.squashfs.lastIndexOf('/'))}` : '/';
  const file = options.squashfs.split('/').pop() ?? options.squashfs;
  const cmdline = [
    'root=live:LABEL=COS_RECOVERY',
    `rd.live.dir=${dir}`,
    `rd.live.squashimg=${file}`,
    'rd.live.overlay.overlayfs=1',
    'net.ifnames=1',
    ...boardCmdline(options.arch, options.model),
    'panic=5',
    'selinux=0',
    ...(options.extraCmdline?.trim() ? [options.extraCmdline.trim()] : []),
  ].join(' ');
  return [
    'set timeout=3',
    'set default=recovery',
    'if serial --unit=0 --speed=115200; then',
    '    terminal_input --append serial',
    '    terminal_output --append serial',
    'fi',
    'search --no-floppy --label --set=root COS_RECOVERY',
    'menuentry "Kairos recovery" --id recovery {',
    `    linux ($root)${dir}/vmlinuz ${cmdline}`,
    `    initrd ($root)${dir}/initrd`,
    '}',
    '',
  ].join('\n');
}

/**
 * The first-boot stage in COS_OEM (upstream's 01_reset.yaml): add COS_STATE and COS_PERSISTENT after
 * the recovery partition, reset into them from recovery, then remove itself.
 */
export function resetStage(stateMiB?: number): string {
  return [
    'name: Expand disk layout and autoreset',
    'stages:',
    '  rootfs.before:',
    '    - name: Expand disk layout',
    '      layout:',
    '        device:',
    '          label: COS_RECOVERY',
    '        add_partitions:',
    '          - fsLabel: COS_STATE',
    ...(stateMiB ? [`            size: ${stateMiB}`] : []),
    '            pLabel: state',
    '            filesystem: ext2',
    '          - fsLabel: COS_PERSISTENT',
    '            pLabel: persistent',
    '            filesystem: ext2',
    '  network:',
    '    - name: Reset from recovery',
    '      if: \'[ -f "/run/cos/recovery_mode" ] && [ ! -f "/oem/.autoreset.skip" ]\'',
    '      commands:',
    '        - udevadm trigger',
    '        - kairos-agent --debug reset --unattended --reboot',
    '  after-reset:',
    '    - name: Remove the reset stage',
    '      commands:',
    '        - rm -f /oem/01_reset.yaml',
    '',
  ].join('\n');
}
