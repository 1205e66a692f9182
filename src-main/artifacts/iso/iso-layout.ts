// The hybrid ISO, as AuroraBoot lays it out (pkg/constants, pkg/ops): volume COS_LIVE,
// /rootfs.squashfs, /boot/kernel, /boot/initrd, /config.yaml, GRUB for BIOS (El Torito + hybrid
// MBR) and for UEFI (a FAT image appended as GPT partition 2); arm64 ISOs have UEFI only. Pure:
// texts and argument lists.
import type { Arch } from '../../../src-shared/recipe/catalog.js';
import { boardCmdline } from '../board-cmdline.js';

export const ISO_VOLUME_ID = 'COS_LIVE';
export const EFI_IMAGE_LABEL = 'EFI_LIVE';
export const ISO_KERNEL = '/boot/kernel';
export const ISO_INITRD = '/boot/initrd';
export const ISO_SQUASHFS = '/rootfs.squashfs';
export const ISO_CLOUD_CONFIG = '/config.yaml';
export const GRUB_PREFIX = '/boot/grub2';

/**
 * The live kernel command line: dracut dmsquash-live finds the squashfs on the CD by label.
 * rd.live.overlay.overlayfs gives a writable overlay in RAM (dracut 059 needs it said). The serial
 * console comes last so it is /dev/console: boot messages reach a headless VM's log.
 */
export function liveCmdline(extra = '', arch: Arch = 'amd64'): string {
  const parts = [
    'cdroot',
    `root=live:CDLABEL=${ISO_VOLUME_ID}`,
    'rd.live.dir=/',
    `rd.live.squashimg=${ISO_SQUASHFS.slice(1)}`,
    'rd.live.overlay.overlayfs=1',
    'net.ifnames=1',
    ...boardCmdline(arch),
    'rd.cos.disable',
    // A VESA mode is a PC BIOS thing.
    ...(arch === 'amd64' ? ['vga=795'] : []),
    'nomodeset',
    'selinux=0',
  ];
  const tail = extra.trim();
  return tail ? `${parts.join(' ')} ${tail}` : parts.join(' ');
}

export interface GrubMenuOptions {
  readonly extraCmdline?: string;
  readonly arch?: Arch;
  /** Seconds the menu waits; 0 boots at once. */
  readonly timeout?: number;
}

/** /boot/grub2/grub.cfg on the ISO, shared by BIOS and UEFI boots. */
export function grubLiveConfig(options: GrubMenuOptions = {}): string {
  const cmdline = liveCmdline(options.extraCmdline, options.arch);
  const entry = (title: string, mode: string): string =>
    [
      `menuentry "${title}" --class os --unrestricted {`,
      '    echo Loading kernel...',
      `    linux ($root)${ISO_KERNEL} ${cmdline}${mode ? ` ${mode}` : ''}`,
      '    echo Loading initrd...',
      `    initrd ($root)${ISO_INITRD}`,
      '}',
    ].join('\n');
  return [
    `search --no-floppy --file --set=root ${ISO_KERNEL}`,
    'set default=0',
    `set timeout=${options.timeout ?? 5}`,
    'set timeout_style=menu',
    '',
    '# The menu on the serial line too, for headless machines and VMs.',
    'if serial --unit=0 --speed=115200; then',
    '    terminal_input --append serial',
    '    terminal_output --append serial',
    'fi',
    '',
    entry('Kairos', 'install-mode'),
    '',
    entry('Kairos (manual install)', ''),
    '',
    entry('Kairos (interactive install)', 'install-mode-interactive'),
    '',
    entry('Kairos (boot local node from livecd)', 'kairos.boot_live_mode'),
    '',
  ].join('\n');
}

/** EFI/BOOT/grub.cfg in the ESP: find the ISO and hand over to its grub.cfg (AuroraBoot's stub). */
export function grubEfiStubConfig(): string {
  return [
    `search --no-floppy --file --set=root ${ISO_KERNEL}`,
    `set prefix=($root)${GRUB_PREFIX}`,
    'configfile $prefix/grub.cfg',
    '',
  ].join('\n');
}

/** The /EFI/<vendor> folders distribution-signed GRUBs take their prefix from. */
export const GRUB_VENDOR_DIRS = ['debian', 'ubuntu', 'fedora', 'centos', 'redhat', 'rocky', 'almalinux', 'opensuse'];

/** Where in the ISO stage the hand-over stub goes for distribution GRUBs (see stageTar). */
export function distroGrubStubPaths(): string[] {
  return ['iso-stage/boot/grub/grub.cfg', 'iso-stage/EFI/BOOT/grub.cfg', ...GRUB_VENDOR_DIRS.map((v) => `iso-stage/EFI/${v}/grub.cfg`)];
}

const GRUB_COMMON_MODULES = [
  'iso9660', 'part_gpt', 'part_msdos', 'fat', 'ext2', 'normal', 'configfile', 'linux', 'echo', 'test', 'true',
  'search', 'search_fs_file', 'search_fs_uuid', 'search_label', 'ls', 'cat', 'gzio', 'serial', 'terminal',
  'loadenv', 'sleep', 'reboot', 'halt', 'gfxterm', 'font', 'all_video', 'smbios',
];

/** Modules built into the BIOS El Torito core image (no module folder exists on the ISO). */
export const GRUB_BIOS_MODULES = [...GRUB_COMMON_MODULES, 'biosdisk', 'vbe', 'vga'];
/** Modules built into the UEFI grub. */
export const GRUB_EFI_MODULES = [...GRUB_COMMON_MODULES, 'efi_gop', 'efi_uga'];

export interface XorrisoInputs {
  readonly output: string;
  /** Folder with boot/grub2/grub.cfg, boot/eltorito.img, boot/boot_hybrid.img, config.yaml. */
  readonly stageDir: string;
  readonly squashfs: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly efiImage: string;
  /** A folder whose files are added to the ISO's root, over the others (overlay-iso). */
  readonly overlayIso?: string;
  /** BIOS boot (El Torito GRUB and the hybrid MBR) besides UEFI; false for arm64. Default true. */
  readonly bios?: boolean;
}

/**
 * One xorriso run: the stage folder plus the big files mapped in place (no copies), GRUB's El
 * Torito image and hybrid MBR for BIOS, the ESP appended as GPT partition 2 for UEFI.
 */
export function xorrisoArgs(i: XorrisoInputs): string[] {
  return [
    '-report_about', 'UPDATE',
    '-outdev', i.output,
    '-volid', ISO_VOLUME_ID,
    '-joliet', 'on',
    '-padding', '0',
    '-map', i.stageDir, '/',
    '-map', i.squashfs, ISO_SQUASHFS,
    '-map', i.kernel, ISO_KERNEL,
    '-map', i.initrd, ISO_INITRD,
    ...(i.overlayIso ? ['-map', i.overlayIso, '/'] : []),
    ...(i.bios === false
      ? ['-boot_image', 'any', 'partition_offset=16', '-boot_image', 'any', 'cat_path=/boot/boot.catalog', '-boot_image', 'any', 'cat_hidden=on']
      : [
          '-boot_image', 'grub', 'bin_path=/boot/eltorito.img',
          '-boot_image', 'grub', `grub2_mbr=${i.stageDir}/boot/boot_hybrid.img`,
          '-boot_image', 'grub', 'grub2_boot_info=on',
          '-boot_image', 'any', 'partition_offset=16',
          '-boot_image', 'any', 'cat_path=/boot/boot.catalog',
          '-boot_image', 'any', 'cat_hidden=on',
          '-boot_image', 'any', 'boot_info_table=on',
          '-boot_image', 'any', 'platform_id=0x00',
          '-boot_image', 'any', 'emul_type=no_emulation',
          '-boot_image', 'any', 'load_size=2048',
        ]),
    '-append_partition', '2', '0xef', i.efiImage,
    '-boot_image', 'any', 'appended_part_as=gpt',
    ...(i.bios === false ? [] : ['-boot_image', 'any', 'next']),
    '-boot_image', 'any', 'efi_path=--interval:appended_partition_2:all::',
    '-boot_image', 'any', 'platform_id=0xef',
    '-boot_image', 'any', 'emul_type=no_emulation',
  ];
}
