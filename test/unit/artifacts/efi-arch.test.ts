import { describe, expect, it } from 'vitest';
import { efiArch, efiBootFilesScript, efiLoaderCommands, grubMkimageEfi } from '../../../src-main/artifacts/efi-arch.js';

describe('EFI loader per architecture', () => {
  it("arm64: BOOTAA64.EFI, Debian's signed shimaa64 and grubaa64, GRUB modules unpacked in the builder", () => {
    const efi = efiArch('arm64');
    expect([efi.removable, efi.grubName, efi.grubFormat]).toEqual(['bootaa64.efi', 'grubaa64.efi', 'arm64-efi']);
    const script = efiBootFilesScript(efi);
    expect(script).toContain('/usr/lib/shim/shimaa64.efi.signed');
    expect(script).toContain('/usr/lib/grub/arm64-efi-signed/grubaa64.efi.signed');
    expect(script).not.toContain('x64');
  });

  it('builds our own GRUB for the architecture, leaving out x86-only modules', () => {
    expect(grubMkimageEfi(efiArch('arm64'), { prefix: '/EFI/BOOT', config: 'g.cfg', output: 'o.efi', modules: ['fat', 'efi_uga', 'linux'] })).toBe(
      'grub-mkimage -d /opt/arm64/usr/lib/grub/arm64-efi -O arm64-efi -p /EFI/BOOT -c g.cfg -o o.efi fat linux',
    );
    expect(grubMkimageEfi(efiArch('amd64'), { prefix: '/EFI/BOOT', config: 'g.cfg', output: 'o.efi', modules: ['fat', 'efi_uga'] })).toBe(
      'grub-mkimage -d /usr/lib/grub/x86_64-efi -O x86_64-efi -p /EFI/BOOT -c g.cfg -o o.efi fat efi_uga',
    );
  });

  it("puts the image's shim as the removable-media loader and its GRUB beside it, else our GRUB", () => {
    const [withShim, without] = efiLoaderCommands(efiArch('arm64'), 'esp/EFI/BOOT', 'g.cfg', ['fat']);
    expect(withShim).toContain('cp "$shim" esp/EFI/BOOT/bootaa64.efi; cp "$grub" esp/EFI/BOOT/grubaa64.efi');
    expect(without).toContain('-o esp/EFI/BOOT/bootaa64.efi');
  });
});

describe('the arm64 ISO script', () => {
  it('makes no BIOS boot image and puts BOOTAA64.EFI in the ESP', async () => {
    const { isoScript } = await import('../../../src-main/artifacts/iso/build-iso.js');
    const rootfs = { rootfsDir: '/cache/rootfs/k', squashfs: '/cache/squashfs/k.squashfs', imageKey: 'k' };
    const arm = isoScript({ rootfs, cloudConfig: '#cloud-config\n', outputDir: '/o', fileName: 'x.iso', arch: 'arm64' }, '/work/iso');
    expect(arm).not.toMatch(/i386-pc|eltorito|boot_hybrid/);
    expect(arm).toContain('esp/EFI/BOOT/bootaa64.efi');
    expect(arm).toContain('/usr/lib/shim/shimaa64.efi.signed');
    const pc = isoScript({ rootfs, cloudConfig: '#cloud-config\n', outputDir: '/o', fileName: 'x.iso' }, '/work/iso');
    expect(pc).toContain('cdboot.img');
    expect(pc).toContain('esp/EFI/BOOT/bootx64.efi');
  });
});
