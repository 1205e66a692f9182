#!/usr/bin/env bash
# Builds a Debian base image with debootstrap and `docker import`, for machines that cannot pull
# from a registry (CI here). Docker's official debian images are built the same way (debuerreotype
# wraps debootstrap), so the recipes in examples/ can name the usual tag and work both online
# (pulled) and offline (this script). Does nothing when the tag already exists.
#
#   scripts/base-image.sh [TAG] [SUITE] [ARCH] [--foreign]   default: debian:bookworm bookworm amd64
#
# Another ARCH (arm64) needs qemu-user-static with binfmt for debootstrap's second stage; with
# --foreign only the first stage runs (packages unpacked, not configured): enough for a probe
# image whose programs start, in a minute and with no emulation.
set -euo pipefail
tag=${1:-debian:bookworm}
suite=${2:-bookworm}
arch=${3:-amd64}
foreign=${4:-}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "base image $tag present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 1; }

dir=$(mktemp -d /var/tmp/kf-rootfs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
echo "debootstrap $suite ($arch) into $dir"
debootstrap --variant=minbase --arch="$arch" $foreign "$suite" "$dir" "$mirror" >"$dir.log" 2>&1 || {
  tail -20 "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
# Same trims as the official slim images: no apt lists, no caches.
rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
# An image imported from a tarball has no CMD; give it the shell like the official image has.
if [ "$arch" = amd64 ]; then
  tar --numeric-owner -C "$dir" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
else
  # docker import records the engine's architecture (its --platform needs an experimental
  # daemon); a FROM scratch build with --platform records the right one.
  ctxdir=$(mktemp -d /var/tmp/kf-context.XXXXXX)
  tar --numeric-owner -C "$dir" -cf "$ctxdir/rootfs.tar" .
  printf 'FROM scratch\nADD rootfs.tar /\nCMD ["bash"]\n' >"$ctxdir/Dockerfile"
  docker build -q --platform "linux/$arch" -t "$tag" "$ctxdir" >/dev/null 2>&1 || { rm -rf "$ctxdir"; echo "docker build of $tag failed" >&2; exit 1; }
  rm -rf "$ctxdir"
fi
echo "base image $tag built from debootstrap"
