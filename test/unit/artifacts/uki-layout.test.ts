import { describe, expect, it } from 'vitest';
import {
  espFiles,
  espFolders,
  espImageMiB,
  KEY_FOLDER_FILES,
  loaderConf,
  loaderEntry,
  missingKeyFiles,
  objcopyArgs,
  parseObjdumpSections,
  placeUkiSections,
  ukiCmdline,
  ukiIsoArgs,
} from '../../../src-main/artifacts/uki/uki-layout.js';

// `objdump -h /usr/lib/systemd/boot/efi/linuxx64.efi.stub` in the builder (systemd-boot-efi
// 252.39-1~deb12u2, binutils 2.40).
const STUB_OBJDUMP = `/usr/lib/systemd/boot/efi/linuxx64.efi.stub:     file format pei-x86-64

Sections:
Idx Name          Size      VMA               LMA               File off  Algn
  0 .text         0000bff0  0000000000004000  0000000000004000  00000400  2**4
                  CONTENTS, ALLOC, LOAD, READONLY, CODE
  1 .reloc        0000000c  0000000000010000  0000000000010000  0000c400  2**2
                  CONTENTS, ALLOC, LOAD, READONLY, DATA
  2 .data         000034b8  0000000000011000  0000000000011000  0000c600  2**4
                  CONTENTS, ALLOC, LOAD, DATA
  3 .dynamic      00000100  0000000000015000  0000000000015000  0000fc00  2**2
                  CONTENTS, ALLOC, LOAD, DATA
  4 .rela         00000f30  0000000000016000  0000000000016000  0000fe00  2**2
                  CONTENTS, ALLOC, LOAD, READONLY, DATA
  5 .dynsym       00000018  0000000000017000  0000000000017000  00010e00  2**2
                  CONTENTS, ALLOC, LOAD, READONLY, DATA
  6 .sbat         000000e2  0000000000019000  0000000000019000  00011000  2**2
                  CONTENTS, ALLOC, LOAD, READONLY, DATA
  7 .sdmagic      00000034  0000000000019100  0000000000019100  00011200  2**2
                  CONTENTS, ALLOC, LOAD, READONLY, DATA`;

describe('UKI layout', () => {
  it('reads the stub section table from objdump -h', () => {
    const sections = parseObjdumpSections(STUB_OBJDUMP);
    expect(sections.map((s) => s.name)).toEqual(['.text', '.reloc', '.data', '.dynamic', '.rela', '.dynsym', '.sbat', '.sdmagic']);
    expect(sections[0]).toEqual({ name: '.text', size: 0xbff0, vma: 0x4000 });
    expect(sections[7]).toEqual({ name: '.sdmagic', size: 0x34, vma: 0x19100 });
    expect(parseObjdumpSections('not objdump output\n')).toEqual([]);
  });

  it('places the sections page-aligned after the stub, in order, without overlap', () => {
    const stub = parseObjdumpSections(STUB_OBJDUMP);
    const placed = placeUkiSections(stub, [
      { name: '.osrel', path: '/w/osrel', size: 400 },
      { name: '.cmdline', path: '/w/cmdline', size: 0x1000 },
      { name: '.uname', path: '/w/uname', size: 14 },
      { name: '.initrd', path: '/w/initrd', size: 180_000_123 },
      { name: '.linux', path: '/w/linux', size: 8_222_656 },
    ]);
    // The stub ends at 0x19134: the first new section starts on the next page.
    expect(placed.map((s) => s.vma)).toEqual([0x1a000, 0x1b000, 0x1c000, 0x1d000, 0x1d000 + Math.ceil(180_000_123 / 0x1000) * 0x1000]);
    for (let i = 1; i < placed.length; i++) {
      expect(placed[i]!.vma).toBeGreaterThanOrEqual(placed[i - 1]!.vma + placed[i - 1]!.size);
      expect(placed[i]!.vma % 0x1000).toBe(0);
    }
    expect(() => placeUkiSections([...stub, { name: '.linux', size: 1, vma: 0x20000 }], [{ name: '.linux', path: '/x', size: 1 }])).toThrow(/already has/);
    expect(() => placeUkiSections([], [])).toThrow(/no sections/);
  });

  it('builds the objcopy call with hex VMAs and the kernel marked as code', () => {
    const args = objcopyArgs('/stub.efi', [
      { name: '.osrel', path: '/w/osrel', size: 1, vma: 0x1a000 },
      { name: '.linux', path: '/w/linux', size: 1, vma: 0x1b000 },
    ], '/w/out.efi');
    expect(args).toEqual([
      'objcopy',
      '--add-section', '.osrel=/w/osrel', '--change-section-vma', '.osrel=0x1a000',
      '--add-section', '.linux=/w/linux', '--change-section-vma', '.linux=0x1b000',
      '--set-section-flags', '.linux=code,readonly',
      '/stub.efi', '/w/out.efi',
    ]);
  });

  it("has AuroraBoot's cmdline with the serial console last, then the extra arguments", () => {
    const cmdline = ukiCmdline();
    expect(cmdline).toBe(
      'console=tty1 net.ifnames=1 rd.immucore.oemlabel=COS_OEM rd.immucore.oemtimeout=2 rd.immucore.uki selinux=0 panic=5 rd.shell=0 systemd.crash_reboot=yes install-mode console=ttyS0,115200',
    );
    expect(cmdline.match(/console=ttyS0/g)).toHaveLength(1);
    expect(ukiCmdline('  quiet foo=bar ')).toMatch(/console=ttyS0,115200 quiet foo=bar$/);
  });

  it('writes the systemd-boot 252 configuration', () => {
    expect(loaderConf()).toBe('timeout 5\nconsole-mode max\neditor no\nsecure-boot-enroll manual\n');
    expect(loaderConf({ timeoutSeconds: 1, secureBootEnroll: 'force' })).toBe('timeout 1\nconsole-mode max\neditor no\nsecure-boot-enroll force\n');
    expect(loaderConf()).not.toContain('if-safe');
    expect(loaderEntry()).toBe('title Kairos\nsort-key norole-0\nefi /EFI/kairos/norole.efi\n');
    expect(loaderEntry()).not.toMatch(/^(uki|profile) /m);
  });

  it('lays out the ESP with systemd-boot, the UKI, the loader files and the keys to enrol', () => {
    expect(espFiles().map((f) => f.path)).toEqual([
      'EFI/BOOT/BOOTX64.EFI',
      'EFI/kairos/norole.efi',
      'loader/loader.conf',
      'loader/entries/norole.conf',
      'loader/keys/auto/PK.auth',
      'loader/keys/auto/KEK.auth',
      'loader/keys/auto/db.auth',
    ]);
    const folders = espFolders();
    expect(folders).toEqual(['EFI', 'EFI/BOOT', 'EFI/kairos', 'loader', 'loader/entries', 'loader/keys', 'loader/keys/auto']);
  });

  it('sizes the ESP for its files with room for the FAT', () => {
    expect(espImageMiB([])).toBe(4);
    // 180 MiB and a few small files: each file takes whole 64 KiB clusters, plus 2 %.
    const mib = espImageMiB([180 * 1024 * 1024, 140_000, 100, 2000, 2000, 2000]);
    expect(mib).toBeGreaterThanOrEqual(Math.ceil((180 * 1024 * 1024 + 6 * 65536) / 1048576));
    expect(mib).toBeLessThan(200);
  });

  it('checks a keys folder for what signing and enrolling need', () => {
    expect(missingKeyFiles(KEY_FOLDER_FILES)).toEqual([]);
    expect(missingKeyFiles(['db.key', 'db.crt', 'PK.auth', 'KEK.auth', 'db.auth', 'tpm2-pcr-private.pem'])).toEqual([]);
    expect(missingKeyFiles(['PK.crt', 'KEK.crt', 'db.crt', 'PK.auth', 'KEK.auth'])).toEqual(['db.auth', 'db.key', 'tpm2-pcr-private.pem']);
    expect(missingKeyFiles([])).toEqual(['PK.auth', 'KEK.auth', 'db.pem (or db.crt)', 'db.auth', 'db.key', 'tpm2-pcr-private.pem']);
    expect(KEY_FOLDER_FILES).toContain('db.pem');
    expect(KEY_FOLDER_FILES).toContain('db.crt');
  });

  it('makes the ISO boot from /efiboot.img by El Torito and as GPT partition, stored once', () => {
    const args = ukiIsoArgs({ output: '/out/x.uki.iso.partial', stageDir: '/w/iso-stage' });
    const text = args.join(' ');
    expect(args[0]).toBe('xorriso');
    expect(text).toContain('-V UKI_ISO_INSTALL');
    expect(text).toContain('-e efiboot.img -no-emul-boot');
    expect(text).toContain('-efi-boot-part --efi-boot-image');
    expect(text).not.toContain('-append_partition');
    expect(args.slice(-3)).toEqual(['-o', '/out/x.uki.iso.partial', '/w/iso-stage']);
  });
});
