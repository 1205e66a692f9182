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

/** Gives files to the user running the app (the builder writes as root). */
export function ownedBy(paths: string): string {
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const gid = typeof process.getgid === 'function' ? process.getgid() : 0;
  return uid === 0 ? ':' : `chown ${uid}:${gid} ${paths}`;
}

export { shellQuote };
