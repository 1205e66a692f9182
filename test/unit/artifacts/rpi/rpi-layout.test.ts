import { describe, expect, it } from 'vitest';
import { diskPlan } from '../../../../src-main/artifacts/disk/disk-layout.js';
import { CONFIG_TXT_LINES, configTxt, rpiBootFilesScript, rpiModelSpec, sfdiskMbrScript } from '../../../../src-main/artifacts/rpi/rpi-layout.js';

describe('Raspberry Pi SD card layout', () => {
  it('the Pi 3 card is an MBR, the Pi 4 card GPT; each model has its own firmware and DTBs', () => {
    expect(rpiModelSpec('rpi3').table).toBe('mbr');
    expect(rpiModelSpec('rpi3').firmware).toEqual(['bootcode.bin', 'start.elf', 'fixup.dat']);
    expect(rpiModelSpec('rpi3').dtbs).toContain('bcm2837-rpi-3-b.dtb');
    expect(rpiModelSpec('rpi4').table).toBe('gpt');
    expect(rpiModelSpec('rpi4').firmware).toEqual(['start4.elf', 'fixup4.dat']);
    expect(rpiModelSpec('rpi4').dtbs).toEqual(['bcm2711-rpi-4-b.dtb']);
    expect(() => rpiModelSpec('rpi5')).toThrow(/rpi5/);
  });

  it('config.txt starts U-Boot in 64-bit mode with upstream DTB names and the serial console', () => {
    const lines = configTxt('rpi4').split('\n');
    for (const line of ['arm_64bit=1', 'kernel=u-boot.bin', 'enable_uart=1', 'upstream_kernel=1']) expect(lines).toContain(line);
    expect(lines.filter((l) => !l.startsWith('#') && l !== '')).toEqual([...CONFIG_TXT_LINES]);
  });

  it('the MBR has the FAT partition first as type 0x0c (active), then the Linux partitions at the planned sectors', () => {
    const plan = diskPlan({ firmware: 'efi', recoveryMiB: 500, table: 'mbr' });
    expect(plan.table).toBe('mbr');
    expect(sfdiskMbrScript(plan)).toBe(
      ['label: dos', 'label-id: 0x4b414952', 'unit: sectors', 'start=2048, size=131072, type=c, bootable', 'start=133120, size=131072, type=83', 'start=264192, size=2355200, type=83', ''].join('\n'),
    );
    expect(() => diskPlan({ firmware: 'bios', recoveryMiB: 1, table: 'mbr' })).toThrow(/EFI/);
    expect(diskPlan({ firmware: 'efi', recoveryMiB: 1 }).table).toBe('gpt');
  });

  it("copies every boot file of the model, naming a missing required one, the image's before the builder's", () => {
    const script = rpiBootFilesScript(rpiModelSpec('rpi3'), '"$stage/esp"');
    for (const line of ['rpi_copy bootcode.bin yes $fw_dirs', 'rpi_copy bcm2837-rpi-3-b.dtb yes $dtb_dirs', 'rpi_copy bcm2837-rpi-3-a-plus.dtb no $dtb_dirs', 'rpi_copy u-boot.bin yes $uboot_dirs']) {
      expect(script).toContain(line);
    }
    expect(script).toMatch(/fw_dirs="\$root\/usr\/lib\/raspi-firmware .* \/opt\/arm64\/usr\/lib\/raspi-firmware"/);
    expect(script).toContain('the Raspberry Pi boot file $name is neither in the image nor in the builder');
  });
});
