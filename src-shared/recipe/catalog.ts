// The closed sets a Recipe chooses from. Kept as data so the CLI, the wizard and the
// validators agree on one list.

export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

export const VARIANTS = ['core', 'standard'] as const;
export type Variant = (typeof VARIANTS)[number];

export const PROVIDERS = ['none', 'k3s', 'k0s'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** none: the source already is a Kairos image (a Kairos release, or a Dockerfile that made one). */
export const KAIROSIFY_METHODS = ['kairos-init', 'scratch', 'none'] as const;

export const SOURCE_KINDS = ['image', 'dockerfile', 'rootfs'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
export type KairosifyMethod = (typeof KAIROSIFY_METHODS)[number];

/** Artifact kinds the engine builds. */
export const ARTIFACT_KINDS = ['iso', 'raw-efi', 'raw-bios', 'uki', 'vhd', 'gce', 'netboot', 'rootfs-tar', 'rpi'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/**
 * How the UKI ISO's systemd-boot (252) enrols the Secure Boot keys it carries, on a machine in
 * Setup Mode: "manual" offers a menu entry (the default: nothing changes a machine's keys
 * unasked), "force" enrols at once in a VM and after a 15 s countdown on hardware (for test VMs
 * and fleets of machines prepared for it), "off" never.
 */
export const SECURE_BOOT_ENROLL = ['manual', 'force', 'off'] as const;
export type SecureBootEnroll = (typeof SECURE_BOOT_ENROLL)[number];

/** What a Trusted Boot image can be built as: it boots only from a signed UKI (no GRUB, no separate initrd). */
export const TRUSTED_BOOT_ARTIFACTS: ReadonlyArray<ArtifactKind> = ['uki', 'rootfs-tar'];

export interface ArtifactInfoEntry {
  readonly id: ArtifactKind;
  readonly label: string;
  readonly description: string;
  /** Built by this version; the others are shown so users see what is coming. */
  readonly available: boolean;
}

/** Everything AuroraBoot builds, in the order the wizard lists them. */
export const ARTIFACT_CATALOG: ReadonlyArray<ArtifactInfoEntry> = [
  { id: 'iso', label: 'Hybrid ISO', description: 'BIOS and UEFI live/installer media for USB sticks, DVDs and VMs', available: true },
  { id: 'raw-efi', label: 'Raw disk (EFI)', description: 'A disk image that installs itself on first boot (UEFI), for VMs, clouds and SD cards', available: true },
  { id: 'raw-bios', label: 'Raw disk (BIOS)', description: 'The same for legacy BIOS machines', available: true },
  { id: 'uki', label: 'Signed UKI', description: 'Trusted Boot: a signed unified kernel image, and an ISO that installs it', available: true },
  { id: 'vhd', label: 'Azure VHD', description: 'The EFI disk as a fixed VHD for Azure', available: true },
  { id: 'gce', label: 'Google Compute Engine', description: 'The EFI disk as disk.raw in a .tar.gz, for GCE images', available: true },
  { id: 'netboot', label: 'Netboot', description: 'Kernel, initrd, squashfs and an iPXE script', available: true },
  { id: 'rootfs-tar', label: 'Root filesystem tarball', description: 'The system as a .tar.zst, for containers and custom tooling', available: true },
  { id: 'rpi', label: 'Raspberry Pi SD card', description: "An SD card image for the recipe's Raspberry Pi model (firmware, U-Boot, GRUB), with a block map", available: true },
];

/** Models the rpi artifact is made for: the boot files and the partition table differ per model. */
export const RPI_ARTIFACT_MODELS: ReadonlyArray<string> = ['rpi3', 'rpi4'];

export interface ModelInfo {
  readonly id: string;
  readonly label: string;
  /** The only arch the model runs on, or undefined when any arch works. */
  readonly requiredArch?: Arch;
  /** False for models upstream kairos-init does not know. */
  readonly upstream: boolean;
  /**
   * Set when no recipe may build for the model: why, and what to do instead. The model stays in
   * the list (a recipe naming it gets this reason, not "unknown model"), and the wizard shows it
   * disabled with the reason next to it.
   */
  readonly refused?: { readonly reason: string; readonly instead: string };
}

// Every non-generic model needs arm64 (kairos-init's Model.RequiredArch). rpi5 has no boot path
// anyone can prove yet (reference/raspberry-pi.md): upstream Kairos does not support it, "because
// of how we use U-Boot"; kairos-init rejects -m rpi5; U-Boot's Pi 5 SD support is incomplete, and
// Debian 12 ships no Pi 5 firmware or device tree. It is refused until one exists.
export const MODELS: ReadonlyArray<ModelInfo> = [
  { id: 'generic', label: 'Generic PC / VM', upstream: true },
  { id: 'rpi3', label: 'Raspberry Pi 3', requiredArch: 'arm64', upstream: true },
  { id: 'rpi4', label: 'Raspberry Pi 4', requiredArch: 'arm64', upstream: true },
  {
    id: 'rpi5',
    label: 'Raspberry Pi 5',
    requiredArch: 'arm64',
    upstream: false,
    refused: {
      reason:
        'upstream Kairos does not support it (its images boot through U-Boot, whose Pi 5 SD card support is incomplete), kairos-init rejects -m rpi5, and Debian 12 has no Pi 5 firmware or device tree, so no boot path can be proven',
      instead: 'build for a Raspberry Pi 4 (model: rpi4) or 3 (model: rpi3)',
    },
  },
  { id: 'nvidia-jetson-agx-orin', label: 'NVIDIA Jetson AGX Orin', requiredArch: 'arm64', upstream: true },
  { id: 'nvidia-jetson-orin-nx', label: 'NVIDIA Jetson Orin NX', requiredArch: 'arm64', upstream: true },
];
export const MODEL_IDS = MODELS.map((m) => m.id) as [string, ...string[]];

export function findModel(id: string): ModelInfo | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Why a model is refused, as one sentence naming what to do instead; undefined when it can be built. */
export function modelRefusal(id: string): string | undefined {
  const model = findModel(id);
  return model?.refused ? `${model.label} is not supported: ${model.refused.reason}; ${model.refused.instead}` : undefined;
}

/** Newest kairos-init release known to this version of the app; the default for new recipes. */
export const DEFAULT_KAIROS_INIT_VERSION = 'v0.17.3';
export const DEFAULT_KAIROS_INIT_IMAGE = 'quay.io/kairos/kairos-init';
export const DEFAULT_FRAMEWORK_IMAGE = 'quay.io/kairos/framework:v2.18.3';

/**
 * How the boot test can start an artifact; "secureboot" is UEFI with Secure Boot enforced from
 * Setup Mode; "netboot" serves a netboot folder over HTTP and boots it through qemu's iPXE (BIOS).
 * arm64 media: "virt" is qemu's generic arm64 machine with UEFI (AAVMF), which "uefi" also picks
 * for an arm64 artifact; "rpi3" is qemu's Raspberry Pi 3 B, started at the SD image's own U-Boot.
 */
export const BOOT_MODES = ['bios', 'uefi', 'secureboot', 'netboot', 'virt', 'rpi3'] as const;
export type BootMode = (typeof BOOT_MODES)[number];

/**
 * The boot tests that make sense for a built file, by its artifact kind: the live ISO boots both
 * ways, each raw disk only with the firmware it was made for, the UKI ISO with UEFI (with Secure
 * Boot when it enrols its own keys), a netboot folder over the network (offered once, on its iPXE
 * script). VHD, GCE and tarballs are not booted directly.
 */
export function bootModesFor(kind: string, path = ''): ReadonlyArray<BootMode> {
  // A compressed copy (disk.xz) is for downloads; its uncompressed twin is the one to boot.
  if (path.endsWith('.xz')) return [];
  switch (kind) {
    case 'iso':
      return ['bios', 'uefi'];
    case 'raw-efi':
      return ['uefi'];
    case 'raw-bios':
      return ['bios'];
    case 'uki-iso':
      return ['uefi', 'secureboot'];
    case 'netboot':
      return path.endsWith('.ipxe') ? ['netboot'] : [];
    case 'rpi':
      // qemu has a Raspberry Pi 3 (raspi3b) but no Pi 4 before qemu 9: a Pi 4 card boots in virt.
      return /-rpi3\.img$/.test(path) ? ['rpi3', 'virt'] : /\.img$/.test(path) ? ['virt'] : [];
    default:
      return [];
  }
}
