// Base distributions and Kairos release images the wizard offers. Image names are the ones their
// projects publish; any other image can be typed in as well.

export interface DistroRelease {
  readonly id: string;
  readonly label: string;
  readonly image: string;
}

export interface Distro {
  readonly id: string;
  readonly label: string;
  readonly releases: ReadonlyArray<DistroRelease>;
  /**
   * What the scratch method needs beyond the distribution (kairos-init builds all of these):
   * "framework" when only the Kairos framework makes the image bootable (Alpine: its
   * initramfs init comes with the framework).
   */
  readonly scratchNeeds?: 'framework';
}

export const DISTROS: ReadonlyArray<Distro> = [
  {
    id: 'ubuntu',
    label: 'Ubuntu',
    releases: [
      { id: '24.04', label: '24.04 LTS (Noble)', image: 'ubuntu:24.04' },
      { id: '22.04', label: '22.04 LTS (Jammy)', image: 'ubuntu:22.04' },
    ],
  },
  {
    id: 'debian',
    label: 'Debian',
    releases: [
      { id: '12', label: '12 (Bookworm)', image: 'debian:bookworm' },
      { id: '13', label: '13 (Trixie)', image: 'debian:trixie' },
    ],
  },
  {
    id: 'fedora',
    label: 'Fedora',
    releases: [
      { id: '41', label: '41', image: 'fedora:41' },
      { id: '40', label: '40', image: 'fedora:40' },
    ],
  },
  {
    id: 'rocky',
    label: 'Rocky Linux',
    releases: [{ id: '9', label: '9', image: 'rockylinux/rockylinux:9' }],
  },
  {
    id: 'almalinux',
    label: 'AlmaLinux',
    releases: [{ id: '9', label: '9', image: 'almalinux:9' }],
  },
  {
    id: 'opensuse',
    label: 'openSUSE Leap',
    releases: [{ id: '15.6', label: '15.6', image: 'opensuse/leap:15.6' }],
  },
  {
    id: 'alpine',
    label: 'Alpine',
    scratchNeeds: 'framework',
    releases: [
      { id: '3.21', label: '3.21', image: 'alpine:3.21' },
      { id: '3.20', label: '3.20', image: 'alpine:3.20' },
    ],
  },
];

/** Pre-built Kairos releases (already kairosified: method none). */
export const KAIROS_RELEASES: ReadonlyArray<DistroRelease> = [
  { id: 'ubuntu-24.04-core', label: 'Kairos Ubuntu 24.04 core', image: 'quay.io/kairos/ubuntu:24.04-core-amd64-generic-v3.5.3' },
  { id: 'ubuntu-24.04-k3s', label: 'Kairos Ubuntu 24.04 standard (k3s)', image: 'quay.io/kairos/ubuntu:24.04-standard-amd64-generic-v3.5.3-k3sv1.33.4-k3s1' },
  { id: 'debian-12-core', label: 'Kairos Debian 12 core', image: 'quay.io/kairos/debian:bookworm-core-amd64-generic-v3.5.3' },
  { id: 'alpine-3.21-core', label: 'Kairos Alpine 3.21 core', image: 'quay.io/kairos/alpine:3.21-core-amd64-generic-v3.5.3' },
];

export function findRelease(image: string): { distro?: Distro; release: DistroRelease } | undefined {
  for (const distro of DISTROS) {
    const release = distro.releases.find((r) => r.image === image);
    if (release) return { distro, release };
  }
  const kairos = KAIROS_RELEASES.find((r) => r.image === image);
  return kairos ? { release: kairos } : undefined;
}
