import { describe, expect, it } from 'vitest';
import { formatRpiCheck, parseRpiFacts, rpiChecks, describeRpiFailures } from '../../../../src-main/artifacts/rpi/rpi-checks.js';
import { rpiModelSpec } from '../../../../src-main/artifacts/rpi/rpi-layout.js';

// What RPI_FACTS_SCRIPT prints for a good Pi 3 card (sfdisk 2.38, mtools 4.0.33).
const PI3 = [
  'TABLE label: dos',
  'TABLE label-id: 0x4b414952',
  'TABLE device: /out/x.img',
  'TABLE unit: sectors',
  'TABLE sector-size: 512',
  'TABLE ',
  'TABLE /out/x.img1 : start=        2048, size=      131072, type=c, bootable',
  'TABLE /out/x.img2 : start=      133120, size=      131072, type=83',
  'TABLE /out/x.img3 : start=      264192, size=     2355200, type=83',
  'FAT16 FAT16',
  'FAT32 ',
  'FILE ::/EFI/',
  'FILE ::/EFI/BOOT/',
  'FILE ::/EFI/BOOT/bootaa64.efi',
  'FILE ::/EFI/BOOT/grubaa64.efi',
  'FILE ::/EFI/BOOT/grub.cfg',
  'FILE ::/bootcode.bin',
  'FILE ::/start.elf',
  'FILE ::/fixup.dat',
  'FILE ::/bcm2837-rpi-3-b.dtb',
  'FILE ::/bcm2837-rpi-3-b-plus.dtb',
  'FILE ::/u-boot.bin',
  'FILE ::/config.txt',
  'CONFIG # Raspberry Pi firmware settings',
  'CONFIG arm_64bit=1',
  'CONFIG kernel=u-boot.bin',
  'CONFIG enable_uart=1',
  'CONFIG upstream_kernel=1',
  'CONFIG gpu_mem=32',
  'CONFIG avoid_warnings=1',
  'CONFIG disable_overscan=1',
  'LABEL 2048 COS_GRUB',
  'LABEL 133120 COS_OEM',
  'LABEL 264192 COS_RECOVERY',
];

describe('Raspberry Pi card checks', () => {
  it('reads the facts: table, partition types and labels, FAT type, files, config.txt', () => {
    const facts = parseRpiFacts(PI3);
    expect(facts.table).toBe('dos');
    expect(facts.fat).toBe('FAT16');
    expect(facts.partitions).toEqual([
      { start: 2048, type: 'C', bootable: true, label: 'COS_GRUB' },
      { start: 133120, type: '83', bootable: false, label: 'COS_OEM' },
      { start: 264192, type: '83', bootable: false, label: 'COS_RECOVERY' },
    ]);
    expect(facts.files).toContain('EFI/BOOT/bootaa64.efi');
    expect(facts.configTxt).toContain('kernel=u-boot.bin');
  });

  it('a good Pi 3 card passes every check, one line each', () => {
    const results = rpiChecks(rpiModelSpec('rpi3'), parseRpiFacts(PI3));
    expect(results.map((r) => r.status)).toEqual(results.map(() => 'pass'));
    expect(results.map(formatRpiCheck)).toContain('pass  boot partition: first entry type 0x0c (FAT), active');
    expect(results.map((r) => r.title)).toEqual(['partition table', 'boot partition', 'boot file system', 'partitions', 'firmware', 'device trees', 'U-Boot', 'EFI loader', 'config.txt']);
  });

  it('a GPT card fails the Pi 3 rule; missing firmware, DTBs and config lines are named', () => {
    const gpt = PI3.map((l) => l.replace('label: dos', 'label: gpt').replace('type=c, bootable', 'type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B'))
      .filter((l) => l !== 'FILE ::/bootcode.bin' && l !== 'FILE ::/bcm2837-rpi-3-b.dtb' && l !== 'CONFIG upstream_kernel=1');
    const results = rpiChecks(rpiModelSpec('rpi3'), parseRpiFacts(gpt));
    const failed = describeRpiFailures(results);
    expect(failed).toContain('partition table (gpt, but the Pi 3 boot ROM reads only an MBR)');
    expect(failed).toContain('boot partition (first entry type 0xc12a7328-f81f-11d2-ba4b-00a0c93ec93b, the Pi 3 needs FAT (0x0b or 0x0c) first)');
    expect(failed).toContain('firmware (missing bootcode.bin)');
    expect(failed).toContain('device trees (missing bcm2837-rpi-3-b.dtb');
    expect(failed).toContain('config.txt (lacks upstream_kernel=1)');
  });

  it('the Pi 4 card wants GPT with the EFI System partition first, and its own firmware', () => {
    const pi4 = PI3.map((l) => l.replace('label: dos', 'label: gpt').replace('type=c, bootable', 'type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B').replace('type=83', 'type=0FC63DAF-8483-4772-8E79-3D69D8477DE4'));
    const results = rpiChecks(rpiModelSpec('rpi4'), parseRpiFacts(pi4));
    expect(results.find((r) => r.title === 'partition table')?.status).toBe('pass');
    expect(results.find((r) => r.title === 'boot partition')?.status).toBe('pass');
    expect(describeRpiFailures(results)).toBe('firmware (missing start4.elf, fixup4.dat), device trees (missing bcm2711-rpi-4-b.dtb (upstream names, which config.txt\'s upstream_kernel=1 makes the firmware load))');
  });

  it('a card without a FAT file system or a recovery partition fails', () => {
    const broken = PI3.filter((l) => !l.startsWith('FAT16') && l !== 'LABEL 264192 COS_RECOVERY');
    const failed = describeRpiFailures(rpiChecks(rpiModelSpec('rpi3'), parseRpiFacts(broken)));
    expect(failed).toContain('boot file system (partition 1 holds no FAT file system)');
    expect(failed).toContain('partitions (missing COS_RECOVERY)');
  });
});
