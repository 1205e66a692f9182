// Builds the hybrid BIOS/UEFI ISO in the builder container from the cached rootfs and squashfs.
import { MEDIUM_USER_DATA } from '../../../src-shared/kairosify/cloud-init-seed.js';
import type { Readable } from 'node:stream';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { withOutputFiles } from '../output-files.js';
import type { CachedRootfs } from '../rootfs-cache.js';
import { xorrisoPercent } from '../tool-progress.js';
import { ownedBy } from '../shell-snippets.js';
import { efiArch, efiBootFilesScript, efiLoaderCommands } from '../efi-arch.js';
import type { Arch } from '../../../src-shared/recipe/catalog.js';
import { textTar } from '../text-tar.js';
import {
  GRUB_BIOS_MODULES,
  GRUB_EFI_MODULES,
  GRUB_PREFIX,
  GRUB_VENDOR_DIRS,
  distroGrubStubPaths,
  EFI_IMAGE_LABEL,
  grubEfiStubConfig,
  grubLiveConfig,
  xorrisoArgs,
} from './iso-layout.js';

export interface IsoRequest {
  readonly rootfs: CachedRootfs;
  /** The squashfs to boot, when not the image's own (an overlay-rootfs one). */
  readonly squashfs?: string;
  /** A folder in the builder whose files are added to the ISO's root (overlay-iso). */
  readonly overlayIso?: string;
  readonly cloudConfig: string;
  /** A plain image's cloud-init user-data (plain-image.ts), carried as kairos-factory/user-data. */
  readonly userData?: string;
  /** Host folder of the output, mounted at /out in the builder. */
  readonly outputDir: string;
  readonly fileName: string;
  readonly extraCmdline?: string;
  readonly grubTimeout?: number;
  /** The system's architecture: amd64 ISOs boot on BIOS and UEFI, arm64 ones on UEFI only. */
  readonly arch?: Arch;
}

function stageTar(request: IsoRequest): Readable {
  return textTar([
    [`iso-stage${GRUB_PREFIX}/grub.cfg`, grubLiveConfig({
      ...(request.extraCmdline !== undefined ? { extraCmdline: request.extraCmdline } : {}),
      ...(request.arch !== undefined ? { arch: request.arch } : {}),
      ...(request.grubTimeout !== undefined ? { timeout: request.grubTimeout } : {}),
    })],
    ['iso-stage/config.yaml', request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`],
    ...(request.userData !== undefined ? [[`iso-stage/${MEDIUM_USER_DATA}`, request.userData] as [string, string]] : []),
    ['efi/grub.cfg', grubEfiStubConfig()],
    // Distribution-signed GRUBs carry their own early config: Debian's and Ubuntu's look for
    // /.disk/info on the CD and then read /boot/grub/grub.cfg there; others read grub.cfg next to
    // themselves or in /EFI/<vendor>/. Each of those places hands over to the ISO's grub.cfg.
    ...distroGrubStubPaths().map((path): [string, string] => [path, grubEfiStubConfig()]),
    ['iso-stage/.disk/info', 'Kairos live ISO\n'],
  ]);
}

/** The script that makes the ISO at `partial` (a path in the builder). */
export function isoScript(request: IsoRequest, work: string, partial = `/out/${request.fileName}.partial`): string {
  const q = shellQuote;
  const efi = efiArch(request.arch ?? 'amd64');
  const bios = efi.arch === 'amd64';
  return [
    `root=${q(request.rootfs.rootfsDir)}`,
    efiBootFilesScript(efi),
    'kernel=$(resolve /boot/vmlinuz)',
    'initrd=$(resolve /boot/initrd)',
    `cd ${q(work)}`,
    'mkdir -p iso-stage/boot',
    ...(bios
      ? [
          '# BIOS: GRUB core image behind the CD boot sector (El Torito), and the hybrid MBR for USB sticks',
          `grub-mkimage -O i386-pc -p ${GRUB_PREFIX} -o core.img ${GRUB_BIOS_MODULES.join(' ')}`,
          'cat /usr/lib/grub/i386-pc/cdboot.img core.img > iso-stage/boot/eltorito.img',
          'cp /usr/lib/grub/i386-pc/boot_hybrid.img iso-stage/boot/boot_hybrid.img',
        ]
      : []),
    '# UEFI: a FAT image (the ESP) whose grub.cfg hands over to the ISO one. The distribution\'s',
    '# signed shim and GRUB when the image has them (Secure Boot), else GRUB built here with the',
    '# same hand-over built in (firmware may start it from a device it cannot read files from).',
    'mkdir -p esp/EFI/BOOT && cp efi/grub.cfg esp/EFI/BOOT/grub.cfg',
    `for vendor in ${GRUB_VENDOR_DIRS.join(' ')}; do mkdir -p esp/EFI/$vendor && cp efi/grub.cfg esp/EFI/$vendor/grub.cfg; done`,
    ...efiLoaderCommands(efi, 'esp/EFI/BOOT', 'efi/grub.cfg', GRUB_EFI_MODULES),
    'kib=$(( $(du -s --apparent-size -k esp | cut -f1) + 1024 ))',
    'kib=$(( (kib + 1023) / 1024 * 1024 ))',
    'rm -f uefi.img',
    `mkfs.fat -C -n ${EFI_IMAGE_LABEL} uefi.img "$kib" >/dev/null`,
    'mcopy -s -i uefi.img esp/EFI ::/',
    `rm -f ${q(partial)}`,
    `xorriso ${xorrisoArgs({
      output: partial,
      stageDir: `${work}/iso-stage`,
      squashfs: request.squashfs ?? request.rootfs.squashfs,
      ...(request.overlayIso ? { overlayIso: request.overlayIso } : {}),
      kernel: '"$kernel"',
      initrd: '"$initrd"',
      efiImage: `${work}/uefi.img`,
      bios,
    })
      .map((a) => (a.startsWith('"$') ? a : q(a)))
      .join(' ')}`,
    ownedBy(q(partial)),
  ].join('\n');
}

export async function buildIso(session: BuilderSession, request: IsoRequest, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'iso', () =>
    withOutputFiles(session, request.outputDir, ctx.signal, async (files) => {
      const work = `/work/iso-${Date.now().toString(36)}`;
      await session.run(['mkdir', '-p', work], { what: 'prepare ISO folder' });
      await session.putArchive(stageTar(request), work);
      const meter = ctx.meter('artifacts', 'iso', 'percent', 100);
      const partial = files.partial(request.fileName);
      await session.script(isoScript(request, work, partial.builder), {
        what: 'ISO build',
        onLine: (line) => {
          const percent = xorrisoPercent(line);
          if (percent !== undefined) meter.update(percent);
          else if (!line.startsWith('xorriso : UPDATE')) ctx.detail('artifacts', line);
        },
      });
      meter.finish();
      return files.publish('iso', request.fileName);
    }),
  );
}
