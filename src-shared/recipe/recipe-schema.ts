// The Recipe: one plain, serialisable description of a build. Every wizard step edits a part of
// it, the CLI reads it from YAML, and the engine builds exactly what it says.
import { plainImageSeed } from '../cloud-config/plain-image.js';
import { hasFramework } from './has-framework.js';
import { z } from 'zod';
import {
  ARCHES,
  ARTIFACT_CATALOG,
  ARTIFACT_KINDS,
  DEFAULT_FRAMEWORK_IMAGE,
  DEFAULT_KAIROS_INIT_IMAGE,
  DEFAULT_KAIROS_INIT_VERSION,
  KAIROSIFY_METHODS,
  MODEL_IDS,
  SOURCE_KINDS,
  PROVIDERS,
  SECURE_BOOT_ENROLL,
  RPI_ARTIFACT_MODELS,
  TRUSTED_BOOT_ARTIFACTS,
  VARIANTS,
  findModel,
  modelRefusal,
} from './catalog.js';
import { isImageRef } from '../util/image-ref.js';
import { netbootUrlProblem, normalizeNetbootUrl } from './netboot-url.js';

const imageRef = z.string().refine(isImageRef, {
  message: 'not an image reference (expected e.g. "debian:bookworm" or "quay.io/org/name:tag")',
});

// Kairos versions are semver (kairos-init parses --version with go-version); the leading "v" is usual.
/** A registry host (optional port) and path, or only a path: the repository part of an image name, without the last component. */
const REGISTRY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\.[a-z0-9-]+)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const SEMVER = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * Where the system comes from. Each kind yields a base image in the local engine: an image
 * (pulled when missing), a Dockerfile built first (with template values), or a root filesystem
 * folder/tarball imported. `source: { baseImage: ... }` alone means kind image.
 */
const ImageSource = z.strictObject({ kind: z.literal('image'), baseImage: imageRef });
const DockerfileSource = z.strictObject({
  kind: z.literal('dockerfile'),
  /** The Dockerfile text; Go template syntax ({{ .Name }}) is filled from values. */
  dockerfile: z.string().min(1, 'write or load a Dockerfile'),
  values: z.record(z.string(), z.string()).default({}),
  /** A YAML or JSON file of more values; values above win over it. */
  valuesFile: z.string().optional(),
});
const RootfsSource = z.strictObject({
  kind: z.literal('rootfs'),
  /** A folder holding a root filesystem, or a tarball of one (.tar, .tar.gz, .tar.xz, .tar.zst). */
  path: z.string().min(1, 'give the folder or tarball of the root filesystem'),
});
export const SourceSchema = z.preprocess(
  (value) => (value !== null && typeof value === 'object' && !('kind' in value) ? { kind: 'image', ...value } : value),
  z.discriminatedUnion('kind', [ImageSource, DockerfileSource, RootfsSource]),
);
export type Source = z.output<typeof SourceSchema>;
export { SOURCE_KINDS };

export const RecipeSchema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'use lowercase letters, digits, ".", "_" or "-" (max 63)'),
    version: z.string().regex(SEMVER, 'must be a semantic version such as v1.0.0').default('v0.1.0'),
    source: SourceSchema,
    kairosify: z
      .strictObject({
        method: z.enum(KAIROSIFY_METHODS).default('kairos-init'),
        framework: z.union([z.literal('none'), imageRef]).default(DEFAULT_FRAMEWORK_IMAGE),
        kairosInitImage: imageRef.default(DEFAULT_KAIROS_INIT_IMAGE),
        kairosInitVersion: z
          .string()
          .regex(SEMVER, 'must be a kairos-init release such as v0.17.3')
          .default(DEFAULT_KAIROS_INIT_VERSION),
      })
      .prefault({}),
    variant: z.enum(VARIANTS).default('core'),
    model: z.enum(MODEL_IDS).default('generic'),
    arch: z.enum(ARCHES).default('amd64'),
    provider: z
      .strictObject({
        name: z.enum(PROVIDERS).default('none'),
        version: z.string().regex(/^[\w.+-]*$/, 'letters, digits, ".", "+", "_" or "-" only').default(''),
      })
      .prefault({}),
    fips: z.boolean().default(false),
    trustedBoot: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Secure Boot keys (PK, KEK, db, TPM PCR key); without it keys are generated at build time. */
        keysFolder: z.string().min(1, 'choose the folder with your keys (PK, KEK, db and the TPM PCR key), or generate keys when building').optional(),
        /** Key enrolment from the UKI ISO on a machine in Setup Mode (see SECURE_BOOT_ENROLL). */
        enroll: z.enum(SECURE_BOOT_ENROLL).default('manual'),
      })
      .prefault({}),
    cloudConfig: z.string().default('#cloud-config\n'),
    artifacts: z
      .array(z.enum(ARTIFACT_KINDS))
      .min(1, 'list at least one artifact')
      .refine((list) => new Set(list).size === list.length, 'lists an artifact twice')
      .default(['iso']),
    /** The live media (ISO, netboot): files added to the ISO and to its root filesystem, extra kernel arguments. */
    iso: z
      .strictObject({
        overlayIso: z.string().min(1, 'name the folder to add to the ISO, or leave iso.overlayIso out').optional(),
        overlayRootfs: z.string().min(1, 'name the folder to add to the root filesystem, or leave iso.overlayRootfs out').optional(),
        cmdline: z.string().regex(/^[^\n]*$/, 'one line of kernel arguments').default(''),
      })
      .prefault({}),
    /** Raw disks (and VHD, GCE made from them). */
    disk: z
      .strictObject({
        /** Size of the disk image in MiB; 0 makes it as small as the system allows. */
        sizeMiB: z.number().int().min(0).max(16 * 1024 * 1024).default(0),
        /**
         * The recovery system: "img" an ext2 image (COS_SYSTEM) as upstream, which the Kairos framework
         * loop-mounts; "squashfs" the compressed image dracut itself can boot; "auto" img with the
         * framework, squashfs without (a plain image has nothing to loop-mount an ext2 image).
         */
        recovery: z.enum(['auto', 'img', 'squashfs']).default('auto'),
        /** Also a compressed copy of each raw disk and SD card (<file>.xz), for downloads; flash and bmaptool read it. */
        xz: z.boolean().default(false),
      })
      .prefault({}),
    /** Netboot: the URL its folder will be served from, written into the iPXE script (netboot-url.ts). */
    netboot: z
      .strictObject({
        url: z
          .string()
          .superRefine((value, ctx) => {
            const problem = netbootUrlProblem(value);
            if (problem) ctx.addIssue({ code: 'custom', message: problem });
          })
          .transform(normalizeNetbootUrl)
          .optional(),
      })
      .prefault({}),
    output: z.string().min(1, 'name the output folder (e.g. build)').default('build'),
    /**
     * Where the kairosified image is named (and pushed to): a registry host with an org
     * ("quay.io/myorg", "localhost:5000/os") or just a prefix. The tag is derived from the recipe:
     * <registry>/<name>:<version>-<variant>-<model>-<arch>.
     */
    registry: z
      .string()
      .regex(REGISTRY, 'a registry and org such as "quay.io/myorg" or "localhost:5000/os" (lowercase, no tag)')
      .default('kairos-factory'),
    /** Push the image to the registry after a successful build (with the Docker engine's login). */
    push: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    const model = findModel(r.model);
    const refusal = modelRefusal(r.model);
    if (refusal) ctx.addIssue({ code: 'custom', path: ['model'], message: refusal });
    if (model?.requiredArch && r.arch !== model.requiredArch) {
      ctx.addIssue({
        code: 'custom',
        path: ['arch'],
        message: `model ${r.model} runs only on ${model.requiredArch}; set arch: ${model.requiredArch}`,
      });
    }
    if (r.variant === 'standard' && r.provider.name === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['provider', 'name'],
        message: 'variant standard needs a Kubernetes provider: k3s or k0s',
      });
    }
    if (r.variant === 'core' && r.provider.name !== 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['variant'],
        message: `provider ${r.provider.name} makes the image "standard"; set variant: standard`,
      });
    }
    if (r.source.kind === 'rootfs' && r.kairosify.method === 'none') {
      ctx.addIssue({ code: 'custom', path: ['kairosify', 'method'], message: 'a root filesystem must be kairosified: use kairos-init or scratch' });
    }
    if (r.kairosify.method === 'kairos-init' && r.kairosify.framework === 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['kairosify', 'framework'],
        message: 'kairos-init always installs the Kairos framework; use method: scratch for a plain bootable image',
      });
    }
    if (r.kairosify.method === 'kairos-init' && !model?.upstream && !refusal) {
      ctx.addIssue({
        code: 'custom',
        path: ['model'],
        message: `kairos-init has no model ${r.model}; use method: scratch for it`,
      });
    }
    if (r.kairosify.method === 'scratch' && r.provider.name !== 'none') {
      ctx.addIssue({
        code: 'custom',
        path: ['provider', 'name'],
        message: 'the scratch method builds core images; use method: kairos-init for k3s/k0s',
      });
    }
    if (r.trustedBoot.enabled) {
      const others = r.artifacts.filter((a) => !(TRUSTED_BOOT_ARTIFACTS as ReadonlyArray<string>).includes(a));
      if (others.length > 0 || !r.artifacts.includes('uki')) {
        // Said in the wizard's words (the artifact labels) and the file's (the kinds).
        const unselect = others.length ? `, and unselect ${others.map(artifactWords).join(', ')}` : '';
        ctx.addIssue({
          code: 'custom',
          path: ['artifacts'],
          message: `Trusted Boot is on, and such a system boots only from a signed UKI: choose ${artifactWords('uki')}${unselect} (a root filesystem tarball may stay)`,
        });
      }
    } else if (r.artifacts.includes('uki')) {
      ctx.addIssue({ code: 'custom', path: ['artifacts'], message: `${artifactWords('uki')} needs Trusted Boot: turn it on (trustedBoot.enabled: true), or unselect it` });
    }
    if (r.artifacts.includes('rpi') && !RPI_ARTIFACT_MODELS.includes(r.model)) {
      ctx.addIssue({
        code: 'custom',
        path: ['artifacts'],
        message: `the rpi artifact is an SD card for a Raspberry Pi: set model to ${RPI_ARTIFACT_MODELS.join(' or ')} (not ${r.model}), or build raw-efi for other arm64 boards`,
      });
    }
    if (r.artifacts.includes('rpi') && r.model === 'rpi3' && hasFramework(r)) {
      // The Pi 3 boot ROM reads only an MBR, and Kairos' first-boot reset adds its partitions to GPT only.
      ctx.addIssue({
        code: 'custom',
        path: ['kairosify', 'framework'],
        message: 'a Raspberry Pi 3 card (MBR) is made as a plain image for now: set kairosify.framework: none, or use model rpi4',
      });
    }
    if (r.push && !r.registry.includes('/') ) {
      ctx.addIssue({ code: 'custom', path: ['registry'], message: 'name the registry to push to, such as "quay.io/myorg" or "localhost:5000/os"' });
    }
    if (r.trustedBoot.keysFolder !== undefined && !r.trustedBoot.enabled) {
      ctx.addIssue({ code: 'custom', path: ['trustedBoot', 'keysFolder'], message: 'keys are only used with Trusted Boot enabled' });
    }
    if (!hasFramework(r)) {
      // No Kairos agent in the image: cloud-init applies the cloud-config, and renders only the machine id.
      for (const error of plainImageSeed(r.cloudConfig).errors) {
        ctx.addIssue({ code: 'custom', path: ['cloudConfig'], message: `${error.line !== undefined ? `line ${error.line}: ` : ''}${error.message}` });
      }
    }
    const header = r.cloudConfig.trimStart().split('\n', 1)[0]?.trim() ?? '';
    if (!['#cloud-config', '#kairos-config', '#node-config'].includes(header)) {
      ctx.addIssue({
        code: 'custom',
        path: ['cloudConfig'],
        message: 'must start with "#cloud-config" (or #kairos-config / #node-config)',
      });
    }
  });

/** An artifact as the wizard labels it and the recipe names it: "Hybrid ISO (iso)". */
function artifactWords(kind: string): string {
  const label = ARTIFACT_CATALOG.find((a) => a.id === kind)?.label;
  return label ? `"${label}" (${kind})` : kind;
}

/** A validated Recipe with every default filled in. */
export type Recipe = z.output<typeof RecipeSchema>;
/** What a user may write: defaults may be left out. */
export type RecipeInput = z.input<typeof RecipeSchema>;
