import { describe, expect, it } from 'vitest';
import { mediaFor, qemuArgs, qemuOptionValue, sdCardSize } from '../../../src-main/boot-test/qemu-command.js';

describe('qemuArgs', () => {
  it('boots an ISO with BIOS under TCG, headless, the serial console to a file and a socket', () => {
    expect(qemuArgs({ artifact: '/a/x.iso', media: 'cdrom', firmware: 'bios', accel: 'tcg', serialLog: '/a/log', serialSocket: '/t/con' }).join(' ')).toBe(
      '-accel tcg,thread=multi -cpu qemu64 -smp 2 -m 2048 -machine pc -display none -vga none -no-reboot ' +
        '-chardev socket,id=serial0,path=/t/con,server=on,wait=off,logfile=/a/log -serial chardev:serial0 -monitor none ' +
        '-nic user,model=virtio-net-pci -drive file=/a/x.iso,media=cdrom,readonly=on -boot d',
    );
  });

  it('boots a raw disk with UEFI on q35 with a private vars copy, never changing the image', () => {
    const args = qemuArgs({ artifact: '/a/d.raw', media: 'disk', firmware: 'uefi', accel: 'kvm', serialLog: '/l', serialSocket: '/s', ovmfCode: '/c.fd', ovmfVars: '/tmp/v.fd' });
    expect(args).toContain('q35');
    expect(args).toContain('if=pflash,format=raw,unit=0,readonly=on,file=/c.fd');
    expect(args).toContain('if=pflash,format=raw,unit=1,file=/tmp/v.fd');
    expect(args).toContain('file=/a/d.raw,format=raw,if=virtio,snapshot=on');
    expect(args.slice(0, 4)).toEqual(['-accel', 'kvm', '-cpu', 'host']);
  });

  it('refuses UEFI without firmware files', () => {
    expect(() => qemuArgs({ artifact: 'x.iso', media: 'cdrom', firmware: 'uefi', accel: 'tcg', serialLog: 'l', serialSocket: 's' })).toThrow(/OVMF/);
  });

  it('runs Secure Boot firmware with its variables protected in SMM', () => {
    const args = qemuArgs({ artifact: '/a/x.uki.iso', media: 'cdrom', firmware: 'uefi', accel: 'tcg', serialLog: '/l', serialSocket: '/s', ovmfCode: '/sb.fd', ovmfVars: '/v.fd', secureBoot: true, memoryMiB: 4096 });
    expect(args.join(' ')).toContain('-m 4096 -machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on');
    expect(args).toContain('-no-reboot');
    expect(() => qemuArgs({ artifact: 'x.iso', media: 'cdrom', firmware: 'bios', accel: 'tcg', serialLog: 'l', serialSocket: 's', secureBoot: true })).toThrow(/UEFI/);
  });

  it('doubles the commas of paths inside -drive options, so a path with a comma opens that file', () => {
    expect(qemuOptionValue('/a,b/c,,d.iso')).toBe('/a,,b/c,,,,d.iso');
    const iso = qemuArgs({
      artifact: '/home/me/builds,v2/x,y.iso',
      media: 'cdrom',
      firmware: 'bios',
      accel: 'tcg',
      serialLog: '/home/me/builds,v2/x,y.iso.bios.boot.log',
      serialSocket: '/tmp/kf,boot/console',
    });
    expect(iso).toContain('file=/home/me/builds,,v2/x,,y.iso,media=cdrom,readonly=on');
    expect(iso).toContain('socket,id=serial0,path=/tmp/kf,,boot/console,server=on,wait=off,logfile=/home/me/builds,,v2/x,,y.iso.bios.boot.log');
    const disk = qemuArgs({ artifact: '/o,1/d.raw', media: 'disk', firmware: 'uefi', accel: 'tcg', serialLog: '/l', serialSocket: '/s', ovmfCode: '/fw,x/CODE.fd', ovmfVars: '/tmp/kf,boot/VARS.fd' });
    expect(disk).toContain('file=/o,,1/d.raw,format=raw,if=virtio,snapshot=on');
    expect(disk).toContain('if=pflash,format=raw,unit=0,readonly=on,file=/fw,,x/CODE.fd');
    expect(disk).toContain('if=pflash,format=raw,unit=1,file=/tmp/kf,,boot/VARS.fd');
  });

  it('picks the media from the file name', () => {
    expect(mediaFor('a/B.ISO')).toBe('cdrom');
    expect(mediaFor('disk.raw')).toBe('disk');
  });
});

describe('bootModesFor', () => {
  it('offers each artifact only the boots it can do', async () => {
    const { bootModesFor } = await import('../../../src-shared/recipe/catalog.js');
    expect(bootModesFor('iso')).toEqual(['bios', 'uefi']);
    expect(bootModesFor('raw-efi')).toEqual(['uefi']);
    expect(bootModesFor('raw-bios')).toEqual(['bios']);
    expect(bootModesFor('uki-iso')).toEqual(['uefi', 'secureboot']);
    for (const kind of ['vhd', 'gce', 'netboot', 'uki', 'rootfs-tar']) expect(bootModesFor(kind), kind).toEqual([]);
    // A Pi 3 card boots through its own U-Boot in raspi3b and under UEFI in virt; qemu 7 has no Pi 4.
    expect(bootModesFor('rpi', '/b/debian-rpi3.img')).toEqual(['rpi3', 'virt']);
    expect(bootModesFor('rpi', '/b/debian-rpi4.img')).toEqual(['virt']);
    expect(bootModesFor('rpi', '/b/debian-rpi4.img.bmap')).toEqual([]);
    expect(bootModesFor('rpi', '/b/debian-rpi3.img.xz')).toEqual([]);
    expect(bootModesFor('raw-efi', '/b/debian-efi.raw.xz')).toEqual([]);
  });
});

describe('qemuArgs for arm64', () => {
  const base = { media: 'disk' as const, firmware: 'uefi' as const, accel: 'tcg' as const, serialLog: '/l', serialSocket: '/s' };

  it('boots an arm64 disk in virt with AAVMF, the disk on virtio-blk, never changing the image', () => {
    const args = qemuArgs({ ...base, artifact: '/a/p.img', machine: 'virt', ovmfCode: '/AAVMF_CODE.fd', ovmfVars: '/tmp/AAVMF_VARS.fd' });
    expect(args.join(' ')).toContain('-machine virt -accel tcg,thread=multi -cpu cortex-a53 -smp 2 -m 2048');
    expect(args).toContain('if=pflash,format=raw,unit=0,readonly=on,file=/AAVMF_CODE.fd');
    expect(args).toContain('if=pflash,format=raw,unit=1,file=/tmp/AAVMF_VARS.fd');
    expect(args).toContain('file=/a/p.img,format=raw,if=none,id=disk0,snapshot=on');
    expect(args).toContain('virtio-blk-pci,drive=disk0,bootindex=0');
    expect(args).not.toContain('-vga');
    expect(() => qemuArgs({ ...base, artifact: '/a/p.img', machine: 'virt' })).toThrow(/AAVMF/);
  });

  it('boots an arm64 ISO in virt from a SCSI CD drive (virt has no IDE)', () => {
    const args = qemuArgs({ ...base, media: 'cdrom', artifact: '/a/x.iso', machine: 'virt', ovmfCode: '/c', ovmfVars: '/v' });
    expect(args).toContain('file=/a/x.iso,format=raw,if=none,id=cd0,media=cdrom,readonly=on');
    expect(args).toContain('scsi-cd,drive=cd0,bootindex=0');
  });

  it("starts a Pi 3 at the card's U-Boot with its DTB, the console on the second (mini) UART", () => {
    const args = qemuArgs({ ...base, artifact: '/t/card.qcow2', machine: 'raspi3b', uboot: '/t/u-boot.bin', dtb: '/t/bcm2837-rpi-3-b.dtb' });
    expect(args.join(' ')).toContain('-machine raspi3b -accel tcg,thread=multi -kernel /t/u-boot.bin -dtb /t/bcm2837-rpi-3-b.dtb');
    expect(args.join(' ')).toContain('-chardev socket,id=console0,path=/s,server=on,wait=off,logfile=/l -serial null -serial chardev:console0');
    expect(args).toContain('file=/t/card.qcow2,format=qcow2,if=sd');
    // The board's memory and cores are fixed.
    expect(args).not.toContain('-m');
    expect(() => qemuArgs({ ...base, artifact: '/t/card.qcow2', machine: 'raspi3b' })).toThrow(/U-Boot/);
  });

  it('sizes the SD card to the next power of two', () => {
    expect(sdCardSize(1)).toBe(1);
    expect(sdCardSize(1536 * 1024 * 1024)).toBe(2048 * 1024 * 1024);
    expect(sdCardSize(2048 * 1024 * 1024)).toBe(2048 * 1024 * 1024);
    expect(sdCardSize(2048 * 1024 * 1024 + 1)).toBe(4096 * 1024 * 1024);
  });
});
