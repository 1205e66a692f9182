// The Trusted Boot media, as AuroraBoot's build-uki lays them out (pkg/uki): a signed Unified Kernel
// Image (systemd-stub + os-release, cmdline, uname, initrd, kernel) started by a signed
// systemd-boot from an ESP that also carries the Secure Boot keys to enrol; the ISO (volume
// UKI_ISO_INSTALL) holds that ESP as /efiboot.img. Written for the builder's systemd 252.
// Pure: texts, argument lists and the parsing of `objdump -h`.
import type { SecureBootEnroll } from '../../../src-shared/recipe/catalog.js';

/** systemd-boot 252's values for `secure-boot-enroll` (253 added `if-safe`), as the recipe names them. */
export type { SecureBootEnroll };

export const UKI_ISO_VOLUME_ID = 'UKI_ISO_INSTALL';
/** The ESP image at the ISO root (AuroraBoot's name). */
export const UKI_ESP_IMAGE = 'efiboot.img';
export const UKI_ESP_LABEL = 'UKI_ESP';
/** AuroraBoot's name for the default entry: an install medium, no role chosen yet. */
export const UKI_ENTRY_NAME = 'norole';
export const SYSTEMD_STUB = '/usr/lib/systemd/boot/efi/linuxx64.efi.stub';
export const SYSTEMD_BOOT = '/usr/lib/systemd/boot/efi/systemd-bootx64.efi';

/**
 * AuroraBoot's UKI command line (constants.UkiCmdline + UkiCmdlineInstall). Its leading
 * `console=ttyS0` moves to the end as `console=ttyS0,115200`: the last console is /dev/console, so
 * a headless VM's serial log shows the boot. Extra arguments go last, where they win.
 */
export function ukiCmdline(extra = ''): string {
  const parts = [
    'console=tty1',
    'net.ifnames=1',
    'rd.immucore.oemlabel=COS_OEM',
    'rd.immucore.oemtimeout=2',
    'rd.immucore.uki',
    'selinux=0',
    'panic=5',
    'rd.shell=0',
    'systemd.crash_reboot=yes',
    'install-mode',
    'console=ttyS0,115200',
  ];
  const tail = extra.trim();
  return tail ? `${parts.join(' ')} ${tail}` : parts.join(' ');
}


/**
 * loader/loader.conf. AuroraBoot writes `secure-boot-enroll if-safe` (enrol by itself only in a
 * VM), a value systemd-boot knows from 253 on; 252 knows off, manual and force, and would refuse
 * the line. The default here is `manual` (252's own default, written out so it is seen): a machine
 * in Setup Mode offers "Enroll Secure Boot keys: auto" in the menu. `force` enrols at once in a
 * VM and, on hardware, after a 15 s countdown any key aborts: fine for a test VM, risky for a
 * machine whose option ROMs need Microsoft's keys.
 */
export function loaderConf(options: { readonly timeoutSeconds?: number; readonly secureBootEnroll?: SecureBootEnroll } = {}): string {
  return `timeout ${options.timeoutSeconds ?? 5}\nconsole-mode max\neditor no\nsecure-boot-enroll ${options.secureBootEnroll ?? 'manual'}\n`;
}

/** loader/entries/<name>.conf. systemd 252 starts a UKI with `efi` (`uki` and `profile` are 257's). */
export function loaderEntry(name = UKI_ENTRY_NAME, title = 'Kairos'): string {
  return `title ${title}\nsort-key ${name}-0\nefi /EFI/kairos/${name}.efi\n`;
}

/** Where each file goes in the ESP (mtools paths, without the leading "::"). */
export function espFiles(name = UKI_ENTRY_NAME): ReadonlyArray<{ readonly path: string; readonly from: 'systemd-boot' | 'uki' | 'loader.conf' | 'entry' | 'PK.auth' | 'KEK.auth' | 'db.auth' }> {
  return [
    { path: 'EFI/BOOT/BOOTX64.EFI', from: 'systemd-boot' },
    { path: `EFI/kairos/${name}.efi`, from: 'uki' },
    { path: 'loader/loader.conf', from: 'loader.conf' },
    { path: `loader/entries/${name}.conf`, from: 'entry' },
    { path: 'loader/keys/auto/PK.auth', from: 'PK.auth' },
    { path: 'loader/keys/auto/KEK.auth', from: 'KEK.auth' },
    { path: 'loader/keys/auto/db.auth', from: 'db.auth' },
  ];
}

/** The ESP's folders, parents first (for mmd). */
export function espFolders(name = UKI_ENTRY_NAME): string[] {
  const folders = new Set<string>();
  for (const { path } of espFiles(name)) {
    const parts = path.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return [...folders];
}

/**
 * Size of the ESP image for files of these sizes: each rounded up to a 64 KiB cluster (the
 * largest FAT uses), plus 2 % and 4 MiB for the FATs, the directories and the boot sector.
 * mkfs.fat then picks FAT12, 16 or 32 for the size.
 */
export function espImageMiB(fileSizes: ReadonlyArray<number>): number {
  const cluster = 64 * 1024;
  const data = fileSizes.reduce((sum, size) => sum + Math.ceil(size / cluster) * cluster, 0);
  return Math.ceil((data * 1.02) / (1024 * 1024)) + 4;
}

// ---- The keys folder: one definition, in src-shared/kairosify/keys-folder.ts ----------------------

export { KEY_FOLDER_FILES, KEY_NAMES, missingKeyFiles } from '../../../src-shared/kairosify/keys-folder.js';

// ---- The UKI's PE sections -------------------------------------------------------------------

export interface PeSection {
  readonly name: string;
  readonly size: number;
  readonly vma: number;
}

/**
 * The section table printed by `objdump -h` (binutils): lines such as
 * `  0 .text         0000bff0  0000000000004000  0000000000004000  00000400  2**4`.
 */
export function parseObjdumpSections(text: string): PeSection[] {
  const sections: PeSection[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+\s+(\S+)\s+([0-9a-fA-F]+)\s+([0-9a-fA-F]+)\s+[0-9a-fA-F]+\s+[0-9a-fA-F]+\s+2\*\*\d+\s*$/.exec(line);
    if (m) sections.push({ name: m[1]!, size: Number.parseInt(m[2]!, 16), vma: Number.parseInt(m[3]!, 16) });
  }
  return sections;
}

/** The sections a UKI adds to the stub, in AuroraBoot's order: the kernel last, it is the largest. */
export const UKI_SECTIONS = ['.osrel', '.cmdline', '.uname', '.initrd', '.linux'] as const;
export type UkiSectionName = (typeof UKI_SECTIONS)[number];

export interface UkiSectionInput {
  readonly name: UkiSectionName;
  /** The file whose content becomes the section. */
  readonly path: string;
  readonly size: number;
}

export interface PlacedSection extends UkiSectionInput {
  readonly vma: number;
}

const PAGE = 0x1000;

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * Places the new sections one after another, page-aligned, after the stub's last section (what
 * ukify does): fixed addresses, as in the systemd 252 manual's example, would overlap once a
 * kernel or initrd outgrows the gap left for it.
 */
export function placeUkiSections(stub: ReadonlyArray<PeSection>, inputs: ReadonlyArray<UkiSectionInput>): PlacedSection[] {
  if (stub.length === 0) throw new Error('the stub has no sections (is it a PE file?)');
  let next = alignUp(Math.max(...stub.map((s) => s.vma + s.size)), PAGE);
  const placed: PlacedSection[] = [];
  for (const input of inputs) {
    if (stub.some((s) => s.name === input.name)) throw new Error(`the stub already has a ${input.name} section`);
    placed.push({ ...input, vma: next });
    next = alignUp(next + Math.max(input.size, 1), PAGE);
  }
  return placed;
}

/** objcopy adding the sections to the stub; .linux is marked as code, as ukify does. */
export function objcopyArgs(stub: string, sections: ReadonlyArray<PlacedSection>, output: string): string[] {
  const args: string[] = ['objcopy'];
  for (const s of sections) {
    args.push('--add-section', `${s.name}=${s.path}`, '--change-section-vma', `${s.name}=0x${s.vma.toString(16)}`);
  }
  if (sections.some((s) => s.name === '.linux')) args.push('--set-section-flags', '.linux=code,readonly');
  args.push(stub, output);
  return args;
}

// ---- The ISO -----------------------------------------------------------------------------------

export interface UkiIsoInputs {
  readonly output: string;
  /** Folder holding efiboot.img (and nothing else needed). */
  readonly stageDir: string;
}

/**
 * xorriso for the UKI ISO: El Torito UEFI boot from /efiboot.img (AuroraBoot's `-e efiboot.img
 * -no-emul-boot`), and the same blocks named in a GPT as partition 2 of type EFI System, so a USB
 * stick written with the ISO boots too. The partition points into the ISO's file: the ESP is
 * stored once (an appended partition would store the whole UKI twice). xorriso's native
 * `efi_boot_part=--efi-boot-image` fails to lay the GPT out (1.5.4: "GPT partitions 0 and 1
 * overlap"); the mkisofs emulation, which places the boot image first, does it right.
 */
export function ukiIsoArgs(i: UkiIsoInputs): string[] {
  return [
    'xorriso',
    '-as', 'mkisofs',
    '-V', UKI_ISO_VOLUME_ID,
    '-J', '-r',
    '-e', UKI_ESP_IMAGE,
    '-no-emul-boot',
    '-efi-boot-part', '--efi-boot-image',
    '-o', i.output,
    i.stageDir,
  ];
}
