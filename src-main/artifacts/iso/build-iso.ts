// Builds the hybrid BIOS/UEFI ISO in the builder container from the cached rootfs and squashfs.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { writeChecksum } from '../checksum.js';
import type { CachedRootfs } from '../rootfs-cache.js';
import { xorrisoPercent } from '../tool-progress.js';
import {
  GRUB_BIOS_MODULES,
  GRUB_EFI_MODULES,
  GRUB_PREFIX,
  EFI_IMAGE_LABEL,
  grubEfiStubConfig,
  grubLiveConfig,
  xorrisoArgs,
} from './iso-layout.js';

export interface IsoRequest {
  readonly rootfs: CachedRootfs;
  readonly cloudConfig: string;
  /** Host folder of the output, mounted at /out in the builder. */
  readonly outputDir: string;
  readonly fileName: string;
  readonly extraCmdline?: string;
  readonly grubTimeout?: number;
}

function stageTar(request: IsoRequest): Readable {
  const tar = pack();
  const file = (name: string, content: string): void => {
    tar.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  };
  file(`iso-stage${GRUB_PREFIX}/grub.cfg`, grubLiveConfig({
    ...(request.extraCmdline !== undefined ? { extraCmdline: request.extraCmdline } : {}),
    ...(request.grubTimeout !== undefined ? { timeout: request.grubTimeout } : {}),
  }));
  file('iso-stage/config.yaml', request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`);
  file('efi/grub.cfg', grubEfiStubConfig());
  tar.finalize();
  return tar as unknown as Readable;
}

/** Prints the real file behind a path of the image, following links inside the rootfs only. */
const RESOLVE_IN_ROOTFS = `
resolve() {
  local p="$1" i=0 t
  while [ -L "$root$p" ] && [ "$i" -lt 8 ]; do
    t=$(readlink "$root$p")
    case "$t" in /*) p="$t" ;; *) p="$(dirname "$p")/$t" ;; esac
    i=$((i + 1))
  done
  if [ ! -f "$root$p" ]; then
    echo "the image has no $1 (the kernel link and initrd are made by the kairosify step)" >&2
    exit 3
  fi
  printf '%s\\n' "$root$p"
}`;

export function isoScript(request: IsoRequest, work: string): string {
  const q = shellQuote;
  const partial = `/out/${request.fileName}.partial`;
  return [
    `root=${q(request.rootfs.rootfsDir)}`,
    RESOLVE_IN_ROOTFS,
    'kernel=$(resolve /boot/vmlinuz)',
    'initrd=$(resolve /boot/initrd)',
    `cd ${q(work)}`,
    'mkdir -p iso-stage/boot',
    '# BIOS: GRUB core image behind the CD boot sector (El Torito), and the hybrid MBR for USB sticks',
    `grub-mkimage -O i386-pc -p ${GRUB_PREFIX} -o core.img ${GRUB_BIOS_MODULES.join(' ')}`,
    'cat /usr/lib/grub/i386-pc/cdboot.img core.img > iso-stage/boot/eltorito.img',
    'cp /usr/lib/grub/i386-pc/boot_hybrid.img iso-stage/boot/boot_hybrid.img',
    '# UEFI: GRUB in a FAT image (the ESP), whose grub.cfg hands over to the ISO one',
    '# the same hand-over is built in: firmware may start GRUB from a device it cannot read files from',
    `grub-mkimage -O x86_64-efi -p /EFI/BOOT -c efi/grub.cfg -o bootx64.efi ${GRUB_EFI_MODULES.join(' ')}`,
    'kib=$(( ($(stat -c %s bootx64.efi) + $(stat -c %s efi/grub.cfg)) / 1024 + 1024 ))',
    'kib=$(( (kib + 1023) / 1024 * 1024 ))',
    'rm -f uefi.img',
    `mkfs.fat -C -n ${EFI_IMAGE_LABEL} uefi.img "$kib" >/dev/null`,
    'mmd -i uefi.img ::/EFI ::/EFI/BOOT',
    'mcopy -i uefi.img bootx64.efi ::/EFI/BOOT/BOOTX64.EFI',
    'mcopy -i uefi.img efi/grub.cfg ::/EFI/BOOT/grub.cfg',
    `rm -f ${q(partial)}`,
    `xorriso ${xorrisoArgs({
      output: partial,
      stageDir: `${work}/iso-stage`,
      squashfs: request.rootfs.squashfs,
      kernel: '"$kernel"',
      initrd: '"$initrd"',
      efiImage: `${work}/uefi.img`,
    })
      .map((a) => (a.startsWith('"$') ? a : q(a)))
      .join(' ')}`,
    chownCommand(partial),
  ].join('\n');
}

/** Gives the file to the user running the app (the builder writes as root). */
function chownCommand(path: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const gid = typeof process.getgid === 'function' ? process.getgid() : 0;
  return uid === 0 ? ':' : `chown ${uid}:${gid} ${shellQuote(path)}`;
}

export async function buildIso(session: BuilderSession, request: IsoRequest, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'iso', async () => {
    const work = `/work/iso-${Date.now().toString(36)}`;
    await session.run(['mkdir', '-p', work], { what: 'prepare ISO folder' });
    await session.putArchive(stageTar(request), work);
    const meter = ctx.meter('artifacts', 'iso', 'percent', 100);
    const hostPartial = join(request.outputDir, `${request.fileName}.partial`);
    const hostFinal = join(request.outputDir, request.fileName);
    try {
      await session.script(isoScript(request, work), {
        what: 'ISO build',
        onLine: (line) => {
          const percent = xorrisoPercent(line);
          if (percent !== undefined) meter.update(percent);
          else if (!line.startsWith('xorriso : UPDATE')) ctx.detail('artifacts', line);
        },
      });
      await rename(hostPartial, hostFinal);
    } catch (error) {
      await rm(hostPartial, { force: true });
      throw error;
    }
    meter.finish();
    return writeChecksum('iso', hostFinal, ctx.signal);
  });
}
