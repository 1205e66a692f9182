// Making a raw disk boot on BIOS without grub-install or a loop device: GRUB's boot.img goes into
// the MBR's code area (the partition table stays), its core.img into the BIOS boot partition, and
// the two fields grub-bios-setup would fill are written directly. Offsets from GRUB 2.06
// include/grub/i386/pc/boot.h and diskboot.S:
//   boot.img 0x5c  kernel_sector: LBA of core.img's first sector (8 bytes, little endian)
//   boot.img 0x66  the "boot drive check" jump, replaced by two NOPs for hard disks
//   core.img 0x1f4 the first blocklist entry: LBA of core.img's second sector (8 bytes); its
//                  length (sectors - 1) and load segment are already set by grub-mkimage
// Pure: patches and the shell lines that apply them.
import { shellQuote } from '../../../src-shared/util/shell-quote.js';

export const BOOT_CODE_BYTES = 440;
export const KERNEL_SECTOR_OFFSET = 0x5c;
export const DRIVE_CHECK_OFFSET = 0x66;
export const BLOCKLIST_OFFSET = 0x1f4;

export interface BytePatch {
  readonly offset: number;
  readonly bytes: Buffer;
}

function le64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
}

/** The field patches, in disk-file offsets, for core.img placed at `coreLba`. */
export function biosBootPatches(coreLba: number): BytePatch[] {
  return [
    { offset: KERNEL_SECTOR_OFFSET, bytes: le64(coreLba) },
    { offset: DRIVE_CHECK_OFFSET, bytes: Buffer.from([0x90, 0x90]) },
    { offset: coreLba * 512 + BLOCKLIST_OFFSET, bytes: le64(coreLba + 1) },
  ];
}

/** `printf` of the bytes into `dd` at the offset, without touching anything else. */
export function patchCommand(file: string, patch: BytePatch): string {
  const escaped = [...patch.bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  return `printf '${escaped}' | dd of=${shellQuote(file)} bs=1 seek=${patch.offset} conv=notrunc status=none`;
}

/** Shell lines: boot code into the MBR, core.img into the BIOS boot partition, then the fields. */
export function biosBootCommands(file: string, bootImg: string, coreImg: string, coreLba: number): string[] {
  const f = shellQuote(file);
  return [
    `dd if=${shellQuote(bootImg)} of=${f} bs=${BOOT_CODE_BYTES} count=1 conv=notrunc status=none`,
    `dd if=${shellQuote(coreImg)} of=${f} bs=512 seek=${coreLba} conv=notrunc status=none`,
    ...biosBootPatches(coreLba).map((p) => patchCommand(file, p)),
  ];
}
