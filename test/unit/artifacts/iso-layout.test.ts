import { describe, expect, it } from 'vitest';
import { grubEfiStubConfig, grubLiveConfig, liveCmdline, xorrisoArgs } from '../../../src-main/artifacts/iso/iso-layout.js';

describe('ISO layout', () => {
  it('boots the squashfs by the CD label, serial console last', () => {
    const cmdline = liveCmdline();
    expect(cmdline).toContain('root=live:CDLABEL=COS_LIVE rd.live.dir=/ rd.live.squashimg=rootfs.squashfs');
    expect(cmdline).toContain('rd.live.overlay.overlayfs=1');
    expect(cmdline.indexOf('console=ttyS0')).toBeGreaterThan(cmdline.indexOf('console=tty1'));
    expect(liveCmdline(' quiet ')).toMatch(/ quiet$/);
  });

  it('has the Kairos menu entries and the serial terminal', () => {
    const cfg = grubLiveConfig({ timeout: 2, extraCmdline: 'foo=bar' });
    expect(cfg).toContain('search --no-floppy --file --set=root /boot/kernel');
    expect(cfg).toContain('set timeout=2');
    expect(cfg).toContain('terminal_output --append serial');
    expect(cfg.match(/^menuentry /gm)).toHaveLength(4);
    expect(cfg).toMatch(/linux \(\$root\)\/boot\/kernel .* foo=bar install-mode\n/);
    expect(cfg).toContain('initrd ($root)/boot/initrd');
  });

  it('hands over from the ESP to the ISO config', () => {
    expect(grubEfiStubConfig()).toBe('search --no-floppy --file --set=root /boot/kernel\nset prefix=($root)/boot/grub2\nconfigfile $prefix/grub.cfg\n');
  });

  it('maps big files in place and appends the ESP as GPT partition 2', () => {
    const args = xorrisoArgs({ output: '/out/x.iso', stageDir: '/w/s', squashfs: '/c/s.sqfs', kernel: '/r/vmlinuz', initrd: '/r/initrd', efiImage: '/w/uefi.img' });
    const text = args.join(' ');
    expect(text).toContain('-volid COS_LIVE');
    expect(text).toContain('-map /c/s.sqfs /rootfs.squashfs -map /r/vmlinuz /boot/kernel -map /r/initrd /boot/initrd');
    expect(text).toContain('-append_partition 2 0xef /w/uefi.img');
    expect(text).toContain('appended_part_as=gpt');
    expect(text).toContain('efi_path=--interval:appended_partition_2:all::');
    expect(text).toContain('grub2_mbr=/w/s/boot/boot_hybrid.img');
    // BIOS entry first, then "next", then the EFI entry.
    expect(args.indexOf('next')).toBeGreaterThan(args.indexOf('bin_path=/boot/eltorito.img'));
    expect(args.indexOf('platform_id=0xef')).toBeGreaterThan(args.indexOf('next'));
  });
});

describe('arm64 ISO layout', () => {
  it('boots UEFI only: no El Torito BIOS image or hybrid MBR, the ESP as the one boot image', () => {
    const args = xorrisoArgs({ output: '/o.iso', stageDir: '/s', squashfs: '/q', kernel: '/k', initrd: '/i', efiImage: '/e.img', bios: false });
    expect(args.join(' ')).not.toMatch(/eltorito|grub2_mbr|platform_id=0x00|\bnext\b/);
    expect(args.join(' ')).toContain('-append_partition 2 0xef /e.img -boot_image any appended_part_as=gpt -boot_image any efi_path=--interval:appended_partition_2:all::');
    expect(xorrisoArgs({ output: '/o.iso', stageDir: '/s', squashfs: '/q', kernel: '/k', initrd: '/i', efiImage: '/e.img' }).join(' ')).toContain('bin_path=/boot/eltorito.img');
  });

  it('the arm64 live kernel prints on the PL011 and sets no VESA mode', () => {
    expect(liveCmdline('', 'arm64')).toContain('console=tty1 console=ttyAMA0,115200');
    expect(liveCmdline('', 'arm64')).not.toContain('vga=');
    expect(liveCmdline('')).toContain('vga=795');
    expect(grubLiveConfig({ arch: 'arm64' })).toContain('console=ttyAMA0,115200');
  });
});
