// What a UEFI medium holds per CPU architecture: the removable-media file names the firmware looks
// for, where the distributions keep their signed shim and GRUB, and GRUB's module folder in the
// builder. The builder is amd64; arm64 GRUB modules are unpacked under /opt/arm64 (its
// Dockerfile), and grub-mkimage builds an arm64-efi GRUB from them without emulation. Pure.
import type { Arch } from '../../src-shared/recipe/catalog.js';
import { RESOLVE_IN_ROOTFS } from './shell-snippets.js';

/** Where the builder image unpacks arm64 packages (resources/builder/Dockerfile). */
export const ARM64_ROOT = '/opt/arm64';

export interface EfiArch {
  readonly arch: Arch;
  /** grub-mkimage's -O. */
  readonly grubFormat: 'x86_64-efi' | 'arm64-efi';
  /** GRUB's modules for that format, in the builder. */
  readonly grubModules: string;
  /** The file UEFI starts from removable media (EFI/BOOT/...). */
  readonly removable: 'bootx64.efi' | 'bootaa64.efi';
  /** The name shim starts next to itself. */
  readonly grubName: 'grubx64.efi' | 'grubaa64.efi';
  readonly shimPaths: ReadonlyArray<string>;
  readonly grubPaths: ReadonlyArray<string>;
}

// kairos-sdk's search lists: Debian/Ubuntu, Fedora and the EL rebuilds, openSUSE.
const VENDORS = ['fedora', 'rocky', 'almalinux', 'redhat'];

export function efiArch(arch: Arch): EfiArch {
  if (arch === 'arm64') {
    return {
      arch,
      grubFormat: 'arm64-efi',
      grubModules: `${ARM64_ROOT}/usr/lib/grub/arm64-efi`,
      removable: 'bootaa64.efi',
      grubName: 'grubaa64.efi',
      shimPaths: ['/usr/lib/shim/shimaa64.efi.signed', '/usr/lib/shim/shimaa64.efi', ...VENDORS.map((v) => `/boot/efi/EFI/${v}/shimaa64.efi`), '/usr/share/efi/aarch64/shim.efi'],
      grubPaths: ['/usr/lib/grub/arm64-efi-signed/grubaa64.efi.signed', ...VENDORS.map((v) => `/boot/efi/EFI/${v}/grubaa64.efi`), '/usr/share/efi/aarch64/grub.efi'],
    };
  }
  return {
    arch,
    grubFormat: 'x86_64-efi',
    grubModules: '/usr/lib/grub/x86_64-efi',
    removable: 'bootx64.efi',
    grubName: 'grubx64.efi',
    shimPaths: ['/usr/lib/shim/shimx64.efi.signed', '/usr/lib/shim/shimx64.efi.dualsigned', '/usr/lib/shim/shimx64.efi', ...VENDORS.map((v) => `/boot/efi/EFI/${v}/shimx64.efi`), '/usr/share/efi/x86_64/shim.efi'],
    grubPaths: ['/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed', ...VENDORS.map((v) => `/boot/efi/EFI/${v}/grubx64.efi`), '/usr/share/efi/x86_64/grub.efi'],
  };
}

/**
 * The distribution's signed shim and GRUB, when the image ($root) has both: with them the media
 * boot with Secure Boot on. Sets $shim and $grub, empty when absent.
 */
export function efiBootFilesScript(efi: EfiArch): string {
  return `${RESOLVE_IN_ROOTFS}
shim=$(find_in_root ${efi.shimPaths.join(' ')})
grub=$(find_in_root ${efi.grubPaths.join(' ')})
if [ -z "$shim" ] || [ -z "$grub" ]; then shim=; grub=; fi`;
}

/** Modules GRUB has on one platform only. */
const X86_ONLY_MODULES = new Set(['efi_uga']);

/** grub-mkimage for the architecture: a standalone EFI GRUB with `modules` built in. */
export function grubMkimageEfi(efi: EfiArch, o: { readonly prefix: string; readonly config: string; readonly output: string; readonly modules: ReadonlyArray<string> }): string {
  const modules = efi.arch === 'amd64' ? o.modules : o.modules.filter((m) => !X86_ONLY_MODULES.has(m));
  return `grub-mkimage -d ${efi.grubModules} -O ${efi.grubFormat} -p ${o.prefix} -c ${o.config} -o ${o.output} ${modules.join(' ')}`;
}

/** The shell lines that put shim + GRUB ($shim, $grub from efiBootFilesScript) or our own GRUB into `dir` (an EFI/BOOT folder). */
export function efiLoaderCommands(efi: EfiArch, dir: string, config: string, modules: ReadonlyArray<string>): string[] {
  return [
    `if [ -n "$shim" ]; then cp "$shim" ${dir}/${efi.removable}; cp "$grub" ${dir}/${efi.grubName}; echo "UEFI boot: $(basename "$shim") and $(basename "$grub") from the image"; else`,
    `  ${grubMkimageEfi(efi, { prefix: '/EFI/BOOT', config, output: `${dir}/${efi.removable}`, modules })}; fi`,
  ];
}
