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
import { ownedBy } from '../shell-snippets.js';
import { efiArch, efiBootFilesScript, efiLoaderCommands } from '../efi-arch.js';
import { AppError } from '../../../src-shared/errors/app-error.js';
import type { Arch } from '../../../src-shared/recipe/catalog.js';
import { configTxt, rpiBootFilesScript, rpiModelSpec, sfdiskMbrScript, type RpiModelSpec } from '../rpi/rpi-layout.js';
import { RPI_FACTS_SCRIPT, describeRpiFailures, parseRpiFacts, rpiChecks, formatRpiCheck } from '../rpi/rpi-checks.js';
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
  /** The system's architecture (default amd64): which EFI loader the ESP gets. */
  readonly arch?: Arch;
  /**
   * A Raspberry Pi SD card instead of a generic disk: the model's firmware, DTBs, U-Boot and
   * config.txt in COS_GRUB, its partition table (MBR for the Pi 3), and the static checks.
   */
  readonly rpiModel?: string;
  /** The artifact kind to publish as (default raw-efi / raw-bios). */
  readonly kind?: string;
  /** Also publish <fileName>.xz. */
  readonly xz?: boolean;
}

const GRUB_EFI_MODULES = 'part_gpt part_msdos fat ext2 iso9660 squash4 loopback normal configfile linux echo test true search search_fs_file search_fs_uuid search_label ls cat gzio serial terminal loadenv regexp sleep reboot halt all_video gfxterm font efi_gop smbios'.split(' ');
const GRUB_BIOS_MODULES = 'part_gpt part_msdos ext2 squash4 loopback normal configfile linux echo test true search search_fs_file search_fs_uuid search_label ls cat gzio serial terminal loadenv regexp sleep reboot halt biosdisk vbe vga';

/** Runs a script and collects the `KEY=value` lines it prints. */
async function facts(session: BuilderSession, script: string, what: string, other?: (line: string) => void): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await session.run(['bash', '-euo', 'pipefail', '-c', script], {
    what,
    onLine: (line) => {
      const m = /^([A-Z_]+)=(.*)$/.exec(line);
      if (m) out[m[1]!] = m[2]!;
      else other?.(line);
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
  const rpi: RpiModelSpec | undefined = request.rpiModel !== undefined ? rpiModelSpec(request.rpiModel) : undefined;
  const label = rpi ? `Raspberry Pi SD card (${rpi.model})` : request.firmware === 'efi' ? 'raw disk (EFI)' : 'raw disk (BIOS)';
  if (rpi && request.framework && rpi.table === 'mbr') {
    // Kairos' first boot adds COS_STATE and COS_PERSISTENT with its layout step, which handles
    // GPT only; an MBR card would have to carry the installed system already.
    throw new AppError('recipe-invalid', `A ${rpi.model} SD card with the Kairos framework is not made yet: the Pi 3 needs an MBR, and Kairos' first-boot reset can only add its partitions to GPT`, {
      hint: 'Build the rpi3 card as a plain image (kairosify.framework: none), or use model rpi4',
    });
  }
  const efi = efiArch(request.arch ?? 'amd64');
  return ctx.runPhase('artifacts', label, () => withOutputFiles(session, request.outputDir, ctx.signal, async (out) => {
    const q = shellQuote;
    const stage = `/cache/work/${ctx.jobId}-${rpi ? rpi.model : request.firmware}`;
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
        efiBootFilesScript(efi),
        ...(rpi ? [rpiBootFilesScript(rpi, '"$stage/esp"')] : []),
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
      (line) => {
        if (line.startsWith('RPI boot file ')) ctx.log('artifacts', line.slice(4));
      },
    );
    const plan = diskPlan({ firmware: request.firmware, recoveryMiB: Number(staged.RECOVERY_MIB ?? 0), sizeMiB: request.sizeMiB, ...(rpi ? { table: rpi.table } : {}) });

    // Config files, written from here so their texts are the tested ones.
    const files: Array<[string, string]> = [
      ['oem/90_custom.yaml', request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`],
      ...(request.userData !== undefined ? [[`oem/${MEDIUM_USER_DATA}`, request.userData] as [string, string]] : []),
      ['oem/grubenv', grubenv({ next_entry: 'recovery' })],
      ['recovery/grub2/grub.cfg', recoveryEfiStubCfg()],
      ['esp/EFI/BOOT/grub.cfg', recoveryEfiStubCfg()],
      ...(rpi ? [['esp/config.txt', configTxt(rpi.model)] as [string, string]] : []),
    ];
    // Upstream's COS_STATE: three times the recovery partition plus 100 MiB; the rest is persistent.
    const recoveryPart = plan.partitions[2]!.sizeMiB;
    if (request.framework) files.push(['oem/01_reset.yaml', resetStage(3 * recoveryPart + 100)]);
    else files.push(['recovery/etc/cos/grub.cfg', recoveryGrubCfg({ squashfs: system, arch: efi.arch, ...(rpi ? { model: rpi.model } : {}), ...(request.extraCmdline ? { extraCmdline: request.extraCmdline } : {}) })]);
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
      plan.table === 'mbr'
        ? `printf '%s' ${q(sfdiskMbrScript(plan))} | sfdisk --quiet --no-reread --no-tell-kernel "$out"`
        : `sgdisk ${sgdiskArgs(plan, '$out').map((a) => (a === '$out' ? '"$out"' : q(a))).join(' ')} >/dev/null`,
    ];
    if (request.firmware === 'efi') {
      const esp = p[0]!;
      assemble.push(
        // Our own GRUB unless the image brought a signed shim and GRUB (then Secure Boot works too).
        ...efiLoaderCommands(efi, '"$stage/esp/EFI/BOOT"', '"$stage/esp/EFI/BOOT/grub.cfg"', GRUB_EFI_MODULES),
        `mkfs.fat -F 16 -n COS_GRUB --offset ${esp.startMiB * 2048} "$out" ${esp.sizeMiB * 1024} >/dev/null`,
        // Everything staged for the ESP: EFI/, and on a Raspberry Pi card the firmware at its root.
        `mcopy -s -i "$out@@${bytes(esp.startMiB)}" "$stage"/esp/* ::/`,
        `cp -r ${efi.grubModules} "$stage/recovery/grub2/"`,
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
      [`shim=${q(staged.SHIM ?? '')}`, `grub=${q(staged.GRUB ?? '')}`, ...assemble].join('\n'),
      { what: `${label} assembly`, onLine: (l) => ctx.detail('artifacts', l) },
    );

    ctx.log('artifacts', `${label}: ${plan.imageMiB} MiB, recovery ${staged.RECOVERY_MIB} MiB (${system})${staged.SHIM ? `, ${staged.SHIM.split('/').pop()} from the image` : ''}`);
    if (rpi) await checkRpiCard(session, rpi, partial, ctx);
    const kind = request.kind ?? (request.firmware === 'efi' ? 'raw-efi' : 'raw-bios');
    const compressed = request.xz ? `${request.fileName}.xz` : undefined;
    if (compressed) {
      const xz = out.partial(compressed).builder;
      // The disk is mostly the (already compressed) recovery system: a fast level loses little.
      await session.script(`xz -T0 -3 -c ${q(partial)} > ${q(xz)}\n${ownedBy(q(xz))}`, { what: 'xz of the disk' });
    }
    const made = [await out.publish(kind, request.fileName, ['bmap'])];
    if (compressed) made.push(await out.publish(kind, compressed));
    return made;
  }));
}

/**
 * What no emulator checks (the VideoCore firmware, config.txt, the Pi 3 MBR rule, the Pi 4
 * EEPROM), checked on the finished card: one pass/fail line each; a failure fails the build.
 */
async function checkRpiCard(session: BuilderSession, rpi: RpiModelSpec, image: string, ctx: JobContext): Promise<void> {
  const lines: string[] = [];
  await session.script(`img=${shellQuote(image)}\n${RPI_FACTS_SCRIPT}`, { what: 'Raspberry Pi card checks', onLine: (l) => lines.push(l) });
  const results = rpiChecks(rpi, parseRpiFacts(lines));
  for (const r of results) ctx.log('artifacts', `Check ${formatRpiCheck(r)}`);
  const failed = results.filter((r) => r.status === 'fail');
  if (failed.length > 0) {
    throw new AppError('artifact-failed', `The ${rpi.model} SD card failed its checks: ${describeRpiFailures(results)}`, {
      hint: 'A Raspberry Pi would not boot this card; the lines above say what is missing',
    });
  }
  ctx.log('artifacts', `Raspberry Pi card checks passed (${results.length})`);
}
