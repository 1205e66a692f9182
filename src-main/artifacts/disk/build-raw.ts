// Raw disk images (EFI and BIOS) in the builder, without a loop device or a mount: the image file is
// made sparse at its final size, sgdisk writes the partition table, and each file system is
// created in place at its partition's offset (mkfs.fat --offset, mke2fs -E offset, mtools) from a
// staging folder. The recovery system comes from the cache: the squashfs as it is, or an ext2
// image of the rootfs built once per image.
import { MEDIUM_USER_DATA } from '../../../src-shared/kairosify/cloud-init-seed.js';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { withOutputFiles } from '../output-files.js';
import type { CachedRootfs } from '../rootfs-cache.js';
import { biosBootCommands } from './bios-boot.js';
import { diskPlan, grubenv, sgdiskArgs, type DiskFirmware } from './disk-layout.js';
import { EFI_BOOT_FILES_SCRIPT, ownedBy } from '../shell-snippets.js';
import { recoveryGrubCfg, recoveryEfiStubCfg, resetStage } from './recovery-config.js';
import { textTar } from '../text-tar.js';

export type RecoveryFormat = 'img' | 'squashfs';

export interface RawRequest {
  readonly rootfs: CachedRootfs;
  readonly firmware: DiskFirmware;
  readonly recovery: RecoveryFormat;
  /** The image has the Kairos framework (immucore, agent, /etc/cos/grub.cfg). */
  readonly framework: boolean;
  readonly cloudConfig: string;
  /** A plain image's cloud-init user-data (plain-image.ts), carried on COS_OEM as kairos-factory/user-data. */
  readonly userData?: string;
  readonly outputDir: string;
  readonly fileName: string;
  readonly sizeMiB: number;
  readonly extraCmdline?: string;
}

const GRUB_EFI_MODULES = 'part_gpt part_msdos fat ext2 iso9660 squash4 loopback normal configfile linux echo test true search search_fs_file search_fs_uuid search_label ls cat gzio serial terminal loadenv regexp sleep reboot halt all_video gfxterm font efi_gop smbios';
const GRUB_BIOS_MODULES = 'part_gpt part_msdos ext2 squash4 loopback normal configfile linux echo test true search search_fs_file search_fs_uuid search_label ls cat gzio serial terminal loadenv regexp sleep reboot halt biosdisk vbe vga';

/** Runs a script and collects the `KEY=value` lines it prints. */
async function facts(session: BuilderSession, script: string, what: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await session.run(['bash', '-euo', 'pipefail', '-c', script], {
    what,
    onLine: (line) => {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) out[m[1]!] = m[2]!;
    },
  });
  return out;
}

/** The ext2 recovery image (label COS_SYSTEM) of an image's rootfs, built once per image. */
async function ensureRecoveryImg(session: BuilderSession, rootfs: CachedRootfs, ctx: JobContext): Promise<string> {
  const path = `/cache/recovery/${rootfs.imageKey}.img`;
  const { exitCode } = await session.exec(['test', '-e', path], { what: 'check recovery image' });
  if (exitCode === 0) {
    ctx.phase('artifacts', 'recovery image', 'cached');
    return path;
  }
  await ctx.runPhase('artifacts', 'recovery image', () =>
    session.script(
      [
        'mkdir -p /cache/recovery',
        `root=${shellQuote(rootfs.rootfsDir)}`,
        // Upstream's rule: the rootfs' size in MiB + 300.
        'size=$(( $(du -sm --apparent-size "$root" | cut -f1) + 300 ))',
        `mke2fs -q -t ext2 -L COS_SYSTEM -E nodiscard -d "$root" ${shellQuote(`${path}.partial`)} "\${size}M"`,
        `mv ${shellQuote(`${path}.partial`)} ${shellQuote(path)}`,
      ].join('\n'),
      { what: 'recovery image (mke2fs)', onLine: (l) => ctx.detail('artifacts', l) },
    ),
  );
  return path;
}

export async function buildRawDisk(session: BuilderSession, request: RawRequest, ctx: JobContext): Promise<ArtifactInfo[]> {
  const label = request.firmware === 'efi' ? 'raw disk (EFI)' : 'raw disk (BIOS)';
  return ctx.runPhase('artifacts', label, () => withOutputFiles(session, request.outputDir, ctx.signal, async (out) => {
    const q = shellQuote;
    const stage = `/cache/work/${ctx.jobId}-${request.firmware}`;
    const recoveryImg = request.recovery === 'img' ? await ensureRecoveryImg(session, request.rootfs, ctx) : undefined;
    if (request.recovery === 'img' && !request.framework) {
      ctx.log('artifacts', 'Note: an ext2 recovery image boots only with the Kairos framework (immucore); this image has none');
    }

    // 1. Stage the three file systems' contents; big files are hard links into the cache.
    const system = recoveryImg ? `cOS/recovery.img` : `cOS/recovery.squashfs`;
    const staged = await facts(
      session,
      [
        `root=${q(request.rootfs.rootfsDir)}`,
        `stage=${q(stage)}`,
        'rm -rf "$stage" && mkdir -p "$stage/esp/EFI/BOOT" "$stage/oem" "$stage/recovery/cOS" "$stage/recovery/etc/cos" "$stage/recovery/grub2"',
        recoveryImg
          ? `ln ${q(recoveryImg)} "$stage/recovery/${system}"`
          : `ln ${q(request.rootfs.squashfs)} "$stage/recovery/${system}"`,
        EFI_BOOT_FILES_SCRIPT,
        // Without the framework's grub.cfg, ours boots the squashfs with dracut's live module, and
        // needs the kernel and initrd beside it (GRUB cannot read zstd squashfs).
        request.framework
          ? 'if [ ! -f "$root/etc/cos/grub.cfg" ]; then echo "the image has no /etc/cos/grub.cfg (the Kairos framework provides it)" >&2; exit 3; fi; cp "$root/etc/cos/grub.cfg" "$stage/recovery/etc/cos/grub.cfg"'
          : 'cp "$(resolve /boot/vmlinuz)" "$stage/recovery/cOS/vmlinuz"; cp "$(resolve /boot/initrd)" "$stage/recovery/cOS/initrd"',
        'echo "RECOVERY_MIB=$(( ($(du -s --apparent-size -B1 "$stage/recovery" | cut -f1) + 1048575) / 1048576 ))"',
        'echo "SHIM=${shim:-}"',
        'echo "GRUB=${grub:-}"',
      ].join('\n'),
      'stage the disk',
    );
    const plan = diskPlan({ firmware: request.firmware, recoveryMiB: Number(staged.RECOVERY_MIB ?? 0), sizeMiB: request.sizeMiB });

    // Config files, written from here so their texts are the tested ones.
    const files: Array<[string, string]> = [
      ['oem/90_custom.yaml', request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`],
      ...(request.userData !== undefined ? [[`oem/${MEDIUM_USER_DATA}`, request.userData] as [string, string]] : []),
      ['oem/grubenv', grubenv({ next_entry: 'recovery' })],
      ['recovery/grub2/grub.cfg', recoveryEfiStubCfg()],
      ['esp/EFI/BOOT/grub.cfg', recoveryEfiStubCfg()],
    ];
    // Upstream's COS_STATE: three times the recovery partition plus 100 MiB; the rest is persistent.
    const recoveryPart = plan.partitions[2]!.sizeMiB;
    if (request.framework) files.push(['oem/01_reset.yaml', resetStage(3 * recoveryPart + 100)]);
    else files.push(['recovery/etc/cos/grub.cfg', recoveryGrubCfg({ squashfs: system, ...(request.extraCmdline ? { extraCmdline: request.extraCmdline } : {}) })]);
    await session.putArchive(textTar(files), stage);

    // 2. Assemble in place.
    const partial = out.partial(request.fileName).builder;
    const bmap = out.partial(`${request.fileName}.bmap`).builder;
    const bytes = (mib: number): number => mib * 1024 * 1024;
    const p = plan.partitions;
    const assemble = [
      `out=${q(partial)}`,
      `bmap=${q(bmap)}`,
      `stage=${q(stage)}`,
      'rm -f "$out" "$bmap"',
      `truncate -s ${plan.imageMiB}M "$out"`,
      `sgdisk ${sgdiskArgs(plan, '$out').map((a) => (a === '$out' ? '"$out"' : q(a))).join(' ')} >/dev/null`,
    ];
    if (request.firmware === 'efi') {
      const esp = p[0]!;
      assemble.push(
        // Our own GRUB unless the image brought a signed shim and GRUB (then Secure Boot works too).
        'if [ -n "${SHIM}" ]; then cp "$SHIM" "$stage/esp/EFI/BOOT/bootx64.efi"; cp "$GRUB" "$stage/esp/EFI/BOOT/grubx64.efi"; else',
        `  grub-mkimage -O x86_64-efi -p /EFI/BOOT -c "$stage/esp/EFI/BOOT/grub.cfg" -o "$stage/esp/EFI/BOOT/bootx64.efi" ${GRUB_EFI_MODULES}; fi`,
        `mkfs.fat -F 16 -n COS_GRUB --offset ${esp.startMiB * 2048} "$out" ${esp.sizeMiB * 1024} >/dev/null`,
        `mcopy -s -i "$out@@${bytes(esp.startMiB)}" "$stage/esp/EFI" ::/`,
        'cp -r /usr/lib/grub/x86_64-efi "$stage/recovery/grub2/"',
      );
    } else {
      assemble.push(
        'cp -r /usr/lib/grub/i386-pc "$stage/recovery/grub2/"',
        `grub-mkimage -O i386-pc -p '/grub2' -c "$stage/recovery/grub2/grub.cfg" -o "$stage/core.img" ${GRUB_BIOS_MODULES}`,
        ...biosBootCommands(partial, '/usr/lib/grub/i386-pc/boot.img', `${stage}/core.img`, p[0]!.startMiB * 2048),
      );
    }
    const oem = p[1]!;
    const recovery = p[2]!;
    assemble.push(
      `mke2fs -q -t ext2 -L COS_OEM -E offset=${bytes(oem.startMiB)},nodiscard -d "$stage/oem" "$out" ${oem.sizeMiB}M`,
      `mke2fs -q -t ext2 -L COS_RECOVERY -E offset=${bytes(recovery.startMiB)},nodiscard -d "$stage/recovery" "$out" ${recovery.sizeMiB}M`,
      // A block map, so bmaptool and our flash write only the blocks with data.
      'bmaptool -q create -o "$bmap" "$out"',
      ownedBy('"$out" "$bmap"'),
      'rm -rf "$stage"',
    );
    await session.script(
      [`SHIM=${q(staged.SHIM ?? '')}`, `GRUB=${q(staged.GRUB ?? '')}`, ...assemble].join('\n'),
      { what: `${label} assembly`, onLine: (l) => ctx.detail('artifacts', l) },
    );

    ctx.log('artifacts', `${label}: ${plan.imageMiB} MiB, recovery ${staged.RECOVERY_MIB} MiB (${system})${staged.SHIM ? `, ${staged.SHIM.split('/').pop()} from the image` : ''}`);
    return [await out.publish(request.firmware === 'efi' ? 'raw-efi' : 'raw-bios', request.fileName, ['bmap'])];
  }));
}
