// Raspberry Pi SD cards (the rpi artifact): what each model's boot partition (COS_GRUB) holds
// besides the EFI loader, config.txt, and the partition table. Facts: kairos-io/AuroraBoot
// pkg/ops/rawDiskGeneration.go, kairos-io/packages firmware/rpi, raspberrypi/firmware#1711.
//   Boot ROM (Pi 3) or SPI EEPROM (Pi 4) -> bootcode.bin (Pi 3) -> start*.elf reads config.txt,
//   loads the DTB and u-boot.bin in 64-bit mode -> U-Boot finds EFI/BOOT/bootaa64.efi -> shim ->
//   GRUB -> COS_RECOVERY.
// The Pi 3 boot ROM reads only an MBR whose first entry is FAT (type 0x0b/0x0c); the Pi 4 EEPROM
// also reads GPT with an EFI System partition, which is upstream's layout (first boot then adds
// COS_STATE and COS_PERSISTENT; Kairos' layout step handles GPT only). Pure.
import { ARM64_ROOT } from '../efi-arch.js';
import type { DiskPlan } from '../disk/disk-layout.js';

export type RpiModel = 'rpi3' | 'rpi4';

export interface RpiModelSpec {
  readonly model: RpiModel;
  readonly table: 'mbr' | 'gpt';
  /** VideoCore firmware files the model's boot ROM or EEPROM starts. */
  readonly firmware: ReadonlyArray<string>;
  /** Device trees of the boards the card must boot (upstream kernel names). */
  readonly dtbs: ReadonlyArray<string>;
  /** Device trees of the model's other boards, copied when found. */
  readonly optionalDtbs: ReadonlyArray<string>;
}

export const RPI_MODELS: Readonly<Record<RpiModel, RpiModelSpec>> = {
  rpi3: {
    model: 'rpi3',
    table: 'mbr',
    firmware: ['bootcode.bin', 'start.elf', 'fixup.dat'],
    dtbs: ['bcm2837-rpi-3-b.dtb', 'bcm2837-rpi-3-b-plus.dtb'],
    optionalDtbs: ['bcm2837-rpi-3-a-plus.dtb', 'bcm2837-rpi-cm3-io3.dtb'],
  },
  rpi4: {
    model: 'rpi4',
    table: 'gpt',
    firmware: ['start4.elf', 'fixup4.dat'],
    dtbs: ['bcm2711-rpi-4-b.dtb'],
    optionalDtbs: ['bcm2711-rpi-400.dtb', 'bcm2711-rpi-cm4-io.dtb'],
  },
};

export function rpiModelSpec(model: string): RpiModelSpec {
  const spec = (RPI_MODELS as Readonly<Record<string, RpiModelSpec>>)[model];
  if (!spec) throw new Error(`no Raspberry Pi SD card layout for model ${model}`);
  return spec;
}

/** U-Boot for both models: Debian's rpi_arm64 build serves the Pi 3 and the Pi 4. */
export const UBOOT = 'u-boot.bin';

/**
 * config.txt (Kairos' one, from openSUSE's): U-Boot is the "kernel" the firmware starts, in
 * 64-bit mode; the serial console on the GPIO header; upstream kernel DTB names (Debian's kernel
 * ships those, not the Raspberry Pi kernel's); as little GPU memory as the firmware allows.
 */
export const CONFIG_TXT_LINES: ReadonlyArray<string> = [
  'arm_64bit=1',
  `kernel=${UBOOT}`,
  'enable_uart=1',
  'upstream_kernel=1',
  'gpu_mem=32',
  'avoid_warnings=1',
  'disable_overscan=1',
];

export function configTxt(model: RpiModel): string {
  return [
    `# Raspberry Pi firmware settings (${model === 'rpi3' ? 'Raspberry Pi 3' : 'Raspberry Pi 4'}), written by Kairos Factory.`,
    '# The firmware starts U-Boot, U-Boot the EFI loader (shim, GRUB), GRUB the Kairos system.',
    '# No cmdline.txt: the kernel arguments are in GRUB\'s configuration.',
    ...CONFIG_TXT_LINES,
    '',
  ].join('\n');
}

/** Where the pieces are in an image ($root) of each family, newest kernel's DTBs first; then the builder's Debian packages. */
export const FIRMWARE_DIRS = ['/usr/lib/raspi-firmware', '/usr/lib/linux-firmware-raspi', '/boot/vc', '/boot/efi'];
export const UBOOT_PATHS = ['/usr/lib/u-boot/rpi_arm64/u-boot.bin', '/usr/share/uboot/rpi_arm64/u-boot.bin'];
export const DTB_DIR_GLOBS = ['/usr/lib/linux-image-*/broadcom', '/lib/firmware/*/device-tree/broadcom', '/usr/lib/modules/*/dtb/broadcom', '/boot/dtbs/*/broadcom', '/boot/dtb/broadcom', '/boot/vc'];

/**
 * Shell lines (bash, $root = the image's rootfs) that copy the model's boot files into `dir`,
 * each from the image when it has it, else from the builder's Debian packages, and print where
 * each came from; a missing required file fails the build naming it.
 */
export function rpiBootFilesScript(spec: RpiModelSpec, dir: string): string {
  const inImage = (paths: ReadonlyArray<string>): string => paths.map((p) => `$root${p}`).join(' ');
  return [
    `rpi_dir=${dir}`,
    // The first folder in the list that exists (globs: the newest kernel's), image first.
    'first_with() {',
    '  local name="$1" d; shift',
    '  for d in $(for g in "$@"; do ls -d $g 2>/dev/null | sort -V -r || true; done); do',
    '    if [ -f "$d/$name" ]; then printf \'%s\\n\' "$d/$name"; return 0; fi',
    '  done',
    '  return 0',
    '}',
    'rpi_copy() {',
    '  local name="$1" required="$2" found; shift 2',
    '  found=$(first_with "$name" "$@")',
    '  if [ -z "$found" ]; then',
    '    if [ "$required" = yes ]; then echo "the Raspberry Pi boot file $name is neither in the image nor in the builder (looked in: $(printf \'%s \' "$@" | sed "s|$root||g"))" >&2; exit 3; fi',
    '    return 0',
    '  fi',
    '  cp "$found" "$rpi_dir/$name"',
    '  case "$found" in "$root"/*) echo "RPI boot file $name from the image: ${found#"$root"}" ;; *) echo "RPI boot file $name from the builder: $found" ;; esac',
    '}',
    `fw_dirs="${inImage(FIRMWARE_DIRS)} ${ARM64_ROOT}/usr/lib/raspi-firmware"`,
    `dtb_dirs="${inImage(DTB_DIR_GLOBS)} ${ARM64_ROOT}/usr/lib/linux-image-*/broadcom"`,
    `uboot_dirs="${inImage(UBOOT_PATHS.map((p) => p.slice(0, p.lastIndexOf('/'))))} ${ARM64_ROOT}/usr/lib/u-boot/rpi_arm64"`,
    ...spec.firmware.map((f) => `rpi_copy ${f} yes $fw_dirs`),
    ...spec.dtbs.map((f) => `rpi_copy ${f} yes $dtb_dirs`),
    ...spec.optionalDtbs.map((f) => `rpi_copy ${f} no $dtb_dirs`),
    `rpi_copy ${UBOOT} yes $uboot_dirs`,
  ].join('\n');
}

/** Kairos' MBR disk signature ("KAIR"), like its fixed GPT disk GUID. */
export const MBR_DISK_ID = '0x4b414952';

/**
 * The sfdisk script of an MBR for the plan: the FAT boot partition first as type 0x0c (FAT32
 * LBA, what the Pi 3 boot ROM looks for; it also takes FAT16 in it) and active, Linux partitions
 * after it.
 */
export function sfdiskMbrScript(plan: DiskPlan): string {
  const lines = ['label: dos', `label-id: ${MBR_DISK_ID}`, 'unit: sectors'];
  for (const p of plan.partitions) {
    const start = p.startMiB * 2048;
    const size = p.sizeMiB * 2048;
    lines.push(p.fs === 'vfat' ? `start=${start}, size=${size}, type=c, bootable` : `start=${start}, size=${size}, type=83`);
  }
  return `${lines.join('\n')}\n`;
}
