// Shell fragments shared by the artifact scripts that run in the builder.
import { shellQuote } from '../../src-shared/util/shell-quote.js';

/**
 * `resolve PATH` prints the real file behind a path of the image ($root), following links inside
 * the rootfs only, and fails with a message when there is none; `find_in_root P...` prints the
 * first of several paths that exists, or nothing.
 */
export const RESOLVE_IN_ROOTFS = `
lookup() {
  local p="$1" i=0 t
  while [ -L "$root$p" ] && [ "$i" -lt 8 ]; do
    t=$(readlink "$root$p")
    case "$t" in /*) p="$t" ;; *) p="$(dirname "$p")/$t" ;; esac
    i=$((i + 1))
  done
  [ -f "$root$p" ] && printf '%s\\n' "$root$p"
}
resolve() {
  lookup "$1" || { echo "the image has no $1 (the kernel link and initrd are made by the kairosify step)" >&2; exit 3; }
}
find_in_root() {
  local p
  for p in "$@"; do lookup "$p" && return 0; done
  return 0
}`;

/**
 * The distribution's signed shim and GRUB, when the image has both (kairos-sdk's search lists):
 * with them the media boot with Secure Boot on. Sets $shim and $grub, empty when absent.
 */
export const EFI_BOOT_FILES_SCRIPT = `${RESOLVE_IN_ROOTFS}
shim=$(find_in_root /usr/lib/shim/shimx64.efi.signed /usr/lib/shim/shimx64.efi.dualsigned /usr/lib/shim/shimx64.efi \\
  /boot/efi/EFI/fedora/shimx64.efi /boot/efi/EFI/rocky/shimx64.efi /boot/efi/EFI/almalinux/shimx64.efi /boot/efi/EFI/redhat/shimx64.efi \\
  /usr/share/efi/x86_64/shim.efi)
grub=$(find_in_root /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed \\
  /boot/efi/EFI/fedora/grubx64.efi /boot/efi/EFI/rocky/grubx64.efi /boot/efi/EFI/almalinux/grubx64.efi /boot/efi/EFI/redhat/grubx64.efi \\
  /usr/share/efi/x86_64/grub.efi)
if [ -z "$shim" ] || [ -z "$grub" ]; then shim=; grub=; fi`;

/** Gives files to the user running the app (the builder writes as root). */
export function ownedBy(paths: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const gid = typeof process.getgid === 'function' ? process.getgid() : 0;
  return uid === 0 ? ':' : `chown ${uid}:${gid} ${paths}`;
}

export { shellQuote };
