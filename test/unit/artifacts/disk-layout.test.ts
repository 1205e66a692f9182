import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { DISK_GUID, diskPlan, grubenv, recoveryPartitionMiB, sgdiskArgs, uuidV5 } from '../../../src-main/artifacts/disk/disk-layout.js';
import { biosBootCommands, biosBootPatches } from '../../../src-main/artifacts/disk/bios-boot.js';
import { recoveryEfiStubCfg, recoveryGrubCfg, resetStage } from '../../../src-main/artifacts/disk/recovery-config.js';
import { buildOrder } from '../../../src-main/pipeline/build-pipeline.js';

describe('disk layout', () => {
  it('derives the partition GUIDs from the labels as upstream does (UUIDv5, URL namespace)', () => {
    // Values from kairos-agent's constants.
    expect(DISK_GUID).toBe('2ceff841-4c1d-5a14-8e46-ed3aeb621093');
    expect(uuidV5('COS_GRUB')).toBe('81444e82-66b3-5ed2-961b-497665f12be2');
    expect(uuidV5('COS_OEM')).toBe('8bfa06f9-ca4f-56dc-90c9-49cf20f4f45e');
    expect(uuidV5('COS_RECOVERY')).toBe('768fbd69-b2a9-5eab-902c-db8745b4767c');
  });

  it('lays out EFI and BIOS disks: 1 MiB lead, p1, OEM 64 MiB, recovery 2R+150, 1 MiB tail', () => {
    expect(recoveryPartitionMiB(300.2)).toBe(752);
    const efi = diskPlan({ firmware: 'efi', recoveryMiB: 300 });
    expect(efi.partitions.map((p) => [p.index, p.label, p.typeCode, p.startMiB, p.sizeMiB])).toEqual([
      [1, 'COS_GRUB', 'EF00', 1, 64],
      [2, 'COS_OEM', '8300', 65, 64],
      [3, 'COS_RECOVERY', '8300', 129, 750],
    ]);
    expect(efi.imageMiB).toBe(1 + 64 + 64 + 750 + 1);
    const bios = diskPlan({ firmware: 'bios', recoveryMiB: 300 });
    expect(bios.partitions[0]).toMatchObject({ typeCode: 'EF02', sizeMiB: 1, fs: 'none' });
    expect(bios.imageMiB).toBe(1 + 1 + 64 + 750 + 1);
  });

  it('grows to a requested size, and refuses one too small naming the minimum', () => {
    expect(diskPlan({ firmware: 'efi', recoveryMiB: 300, sizeMiB: 8192 }).imageMiB).toBe(8192);
    let error: unknown;
    try {
      diskPlan({ firmware: 'efi', recoveryMiB: 300, sizeMiB: 500 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toBe('disk.sizeMiB 500 is too small: this system needs at least 880 MiB');
  });

  it('writes exact sectors, types, names and GUIDs with sgdisk', () => {
    const args = sgdiskArgs(diskPlan({ firmware: 'bios', recoveryMiB: 100 }), 'd.raw');
    expect(args).toContain('--new=1:2048:4095');
    expect(args).toContain('--typecode=1:EF02');
    expect(args).toContain('--attributes=1:set:2');
    expect(args).toContain('--new=2:4096:135167');
    expect(args).toContain('--change-name=3:recovery');
    expect(args).toContain(`--disk-guid=${DISK_GUID}`);
    expect(args.at(-1)).toBe('d.raw');
  });

  it('pads a grubenv to 1024 bytes', () => {
    const env = grubenv({ next_entry: 'recovery' });
    expect(env).toHaveLength(1024);
    expect(env.startsWith('# GRUB Environment Block\nnext_entry=recovery\n#')).toBe(true);
  });
});

describe('BIOS boot patches', () => {
  it('points boot.img at core.img and core.img at its second sector, little endian', () => {
    const [kernel, drive, blocklist] = biosBootPatches(2048);
    expect(kernel).toEqual({ offset: 0x5c, bytes: Buffer.from([0x00, 0x08, 0, 0, 0, 0, 0, 0]) });
    expect(drive).toEqual({ offset: 0x66, bytes: Buffer.from([0x90, 0x90]) });
    expect(blocklist).toEqual({ offset: 2048 * 512 + 0x1f4, bytes: Buffer.from([0x01, 0x08, 0, 0, 0, 0, 0, 0]) });
  });

  it('copies only the boot code (the partition table stays) and writes the fields with printf', () => {
    const cmds = biosBootCommands('/out/d.raw', '/b.img', '/c.img', 2048);
    expect(cmds[0]).toBe('dd if=/b.img of=/out/d.raw bs=440 count=1 conv=notrunc status=none');
    expect(cmds[1]).toBe('dd if=/c.img of=/out/d.raw bs=512 seek=2048 conv=notrunc status=none');
    expect(cmds[3]).toBe("printf '\\220\\220' | dd of=/out/d.raw bs=1 seek=102 conv=notrunc status=none");
  });
});

describe('recovery configs', () => {
  it('hands over from the ESP to the recovery partition', () => {
    expect(recoveryEfiStubCfg()).toBe('search --no-floppy --label --set=root COS_RECOVERY\nset prefix=($root)/grub2\nconfigfile ($root)/etc/cos/grub.cfg\n');
  });

  it('boots a squashfs recovery with dracut live, serial console last', () => {
    const cfg = recoveryGrubCfg({ squashfs: 'cOS/recovery.squashfs', extraCmdline: 'quiet' });
    expect(cfg).toContain('linux ($root)/cOS/vmlinuz root=live:LABEL=COS_RECOVERY rd.live.dir=/cOS rd.live.squashimg=recovery.squashfs');
    expect(cfg).toMatch(/console=tty1 console=ttyS0,115200 panic=5 selinux=0 quiet\n/);
    expect(cfg).toContain('initrd ($root)/cOS/initrd');
  });

  it('adds state and persistent partitions on first boot, then resets', () => {
    const stage = resetStage(2356);
    expect(stage).toContain('label: COS_RECOVERY');
    expect(stage).toContain('fsLabel: COS_STATE\n            size: 2356');
    expect(stage).toContain('kairos-agent --debug reset --unattended --reboot');
  });
});

describe('build order', () => {
  it('makes the EFI disk before the cloud images built from it', () => {
    expect(buildOrder(['gce', 'iso'])).toEqual(['iso', 'raw-efi', 'gce']);
    expect(buildOrder(['rootfs-tar', 'vhd', 'raw-bios'])).toEqual(['raw-efi', 'raw-bios', 'vhd', 'rootfs-tar']);
    expect(buildOrder(['rpi', 'iso', 'raw-efi'])).toEqual(['iso', 'raw-efi', 'rpi']);
  });

  it("the recovery kernel's consoles follow the board: PC UART, arm64 PL011, and a Pi's mini UART with its arguments", () => {
    const line = (options: Parameters<typeof recoveryGrubCfg>[0]) => recoveryGrubCfg(options).split('\n').find((l) => l.includes('linux '))!;
    expect(line({ squashfs: 'cOS/recovery.squashfs' })).toContain('console=tty1 console=ttyS0,115200 panic=5');
    expect(line({ squashfs: 'cOS/recovery.squashfs', arch: 'arm64' })).toContain('console=tty1 console=ttyAMA0,115200 panic=5');
    expect(line({ squashfs: 'cOS/recovery.squashfs', arch: 'arm64', model: 'rpi3' })).toContain(
      'console=tty1 console=ttyAMA0,115200 console=ttyS0,115200 8250.nr_uarts=1 modprobe.blacklist=vc4 cgroup_enable=memory panic=5',
    );
  });
});
