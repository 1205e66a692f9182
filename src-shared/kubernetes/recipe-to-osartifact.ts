// Recipe -> OSArtifact (kairos-operator, build.kairos.io/v1alpha2) and the Secrets it names. Pure:
// the same recipe always gives the same objects, which the snapshot test pins. What the operator
// cannot do is never dropped quietly: every such field becomes a note, which the CLI prints and
// the YAML carries as a comment block (osartifact-yaml.ts).
import { AppError } from '../errors/app-error.js';
import { imageTagFor } from '../kairosify/dockerfile-common.js';
import { DEFAULT_FRAMEWORK_IMAGE, type ArtifactKind } from '../recipe/catalog.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { DOCKER_HUB, parseImageRef } from '../util/image-ref.js';
import {
  CLOUD_CONFIG_KEY,
  DOCKERFILE_KEY,
  OSARTIFACT_API_VERSION,
  OSARTIFACT_KIND,
  RECIPE_ANNOTATION,
  UKI_KEYS_VOLUME,
  UKI_KEY_FILES,
  type ExportNote,
  type OsArtifact,
  type OsArtifactArtifacts,
  type OsArtifactExport,
  type OsArtifactImage,
  type Secret,
} from './osartifact-types.js';

/** What each artifact the operator makes is called in spec.artifacts. */
export const OPERATOR_ARTIFACTS: Partial<Record<ArtifactKind, 'iso' | 'cloudImage' | 'azureImage' | 'gceImage' | 'netboot' | 'uki'>> = {
  iso: 'iso',
  'raw-efi': 'cloudImage',
  vhd: 'azureImage',
  gce: 'gceImage',
  netboot: 'netboot',
  uki: 'uki',
};

/** Why the operator does not make the others. */
const NOT_MADE: Partial<Record<ArtifactKind, string>> = {
  'raw-bios': 'the operator makes raw disks for EFI only (cloudImage); build the BIOS disk locally',
  'rootfs-tar': 'the operator makes no root filesystem tarball; the built image (spec.image.buildImage with push) holds the same files',
  rpi: 'the operator makes no Raspberry Pi SD card layout (firmware, U-Boot, MBR); build the rpi artifact locally',
};

/** The notes every export carries: what stays on the user's machine whatever the recipe says. */
const ALWAYS: ReadonlyArray<ExportNote> = [
  { path: 'output', message: 'artifacts land in the PersistentVolumeClaim <name>-artifacts (or spec.artifacts.volume), not in a local folder; add spec.exporters to copy them out' },
  { path: '', message: 'boot tests and flashing are not done by the operator: download the artifacts, then run kairos-factory boot-test / flash' },
];

/** A Kubernetes object name from a recipe name: DNS-1123 (no "_"), at most 63 with the suffixes added. */
export function objectBaseName(recipeName: string): string {
  return recipeName.replace(/[_.]/g, '-').replace(/-+$/, '').slice(0, 40) || 'recipe';
}

export function recipeToOsArtifact(recipe: Recipe): OsArtifactExport {
  if (recipe.source.kind === 'rootfs') {
    throw new AppError('recipe-invalid', 'source.kind: a root filesystem folder or tarball cannot be given to the kairos-operator: it builds from images', {
      hint: 'Build the image locally and push it (push: true), then export a recipe whose source is that image',
    });
  }
  const base = objectBaseName(recipe.name);
  const notes: ExportNote[] = [];
  const note = (path: string, message: string): void => {
    notes.push({ path, message });
  };
  const secrets: Secret[] = [];
  const labels = { 'app.kubernetes.io/managed-by': 'kairos-factory' };
  const secret = (suffix: string, key: string, value: string): { name: string; key: string } => {
    const name = `${base}-${suffix}`;
    secrets.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, type: 'Opaque', stringData: { [key]: value } });
    return { name, key };
  };

  const image = imageOf(recipe, base, secret, note);
  const artifacts = artifactsOf(recipe, secret, note);
  const artifact: OsArtifact = {
    apiVersion: OSARTIFACT_API_VERSION,
    kind: OSARTIFACT_KIND,
    metadata: { generateName: `${base}-`, labels, annotations: { [RECIPE_ANNOTATION]: recipe.name } },
    spec: { image, artifacts },
  };
  if (artifacts.uki) {
    // The keys are never written into a manifest: the volume names a Secret the user makes from them.
    const secretName = `${base}-uki-keys`;
    artifact.spec.volumes = [{ name: UKI_KEYS_VOLUME, secret: { secretName } }];
    const from = recipe.trustedBoot.keysFolder ?? 'your keys folder';
    note(
      'trustedBoot.keysFolder',
      `the UKI keys come from volume ${UKI_KEYS_VOLUME}, Secret ${secretName}, which is not written here: kubectl create secret generic ${secretName} ${UKI_KEY_FILES.map((f) => `--from-file=${f}=${from}/${f}`).join(' ')}`,
    );
    if (recipe.trustedBoot.keysFolder === undefined) note('trustedBoot.keysFolder', 'the operator does not generate Secure Boot keys as a local build does: create them first (kairos-factory build generates a set)');
    if (recipe.trustedBoot.enroll !== 'manual') note('trustedBoot.enroll', `the operator's UKI ISO has no enrolment setting; "${recipe.trustedBoot.enroll}" applies to local builds only`);
  }
  for (const n of ALWAYS) notes.push(n);
  return { artifact, secrets, notes };
}

type MakeSecret = (suffix: string, key: string, value: string) => { name: string; key: string };
type Note = (path: string, message: string) => void;

/** spec.image: exactly one mode, by the recipe's source and kairosify method. */
function imageOf(recipe: Recipe, base: string, secret: MakeSecret, note: Note): OsArtifactImage {
  const { source, kairosify } = recipe;
  const image: OsArtifactImage = {};
  if (source.kind === 'dockerfile') {
    image.ociSpec = {
      ref: secret('dockerfile', DOCKERFILE_KEY, source.dockerfile),
      ...(Object.keys(source.values).length > 0 ? { templateValues: { ...source.values } } : {}),
    };
    if (source.valuesFile !== undefined) {
      note('source.valuesFile', `the values file is on this machine: make a Secret of it and set spec.image.ociSpec.templateValuesFrom (values above win over it, as here)`);
    }
  }
  if (kairosify.method === 'none') {
    // The source is a Kairos image already (a release, or a Dockerfile that makes one).
    if (source.kind === 'image') image.ref = source.baseImage;
    if (recipe.model !== 'generic') note('model', `model ${recipe.model} is whatever the image was built for: the operator only reads it with buildOptions`);
  } else {
    if (kairosify.method === 'scratch') {
      note('kairosify.method', 'the operator kairosifies with kairos-init only: this manifest builds with kairos-init (the Kairos framework installed), not the scratch method, so its image differs from a local build');
    }
    if (kairosify.framework !== DEFAULT_FRAMEWORK_IMAGE && kairosify.method !== 'scratch') {
      note('kairosify.framework', `kairos-init installs the framework of its own release; ${kairosify.framework} is used by local builds only`);
    }
    image.buildOptions = {
      version: recipe.version,
      ...(source.kind === 'image' ? { baseImage: source.baseImage } : {}),
      model: recipe.model,
      ...(recipe.trustedBoot.enabled ? { trustedBoot: true } : {}),
      ...(recipe.provider.name !== 'none' ? { kubernetesDistro: recipe.provider.name } : {}),
      ...(recipe.provider.version !== '' ? { kubernetesVersion: recipe.provider.version } : {}),
      ...(recipe.fips ? { fips: true } : {}),
      kairosInitImage: `${kairosify.kairosInitImage}:${kairosify.kairosInitVersion}`,
    };
    if (source.kind === 'dockerfile') {
      note('source.dockerfile', 'with a Dockerfile and kairos-init, the operator builds your Dockerfile and runs kairos-init on top of it: its last FROM must be a distribution base');
    }
  }
  if (recipe.push) {
    const ref = parseImageRef(imageTagFor(recipe));
    image.push = true;
    image.buildImage = { registry: ref?.registry ?? DOCKER_HUB, repository: ref?.repository ?? recipe.name, tag: ref?.tag ?? recipe.version };
    // Credentials only by reference: the Secret is the user's (kubectl create secret docker-registry).
    image.imageCredentialsSecretRef = { name: `${base}-registry`, key: '.dockerconfigjson' };
    note('push', `pushing needs the registry's credentials in Secret ${base}-registry (not written here): kubectl create secret docker-registry ${base}-registry --docker-server=${image.buildImage.registry} --docker-username=… --docker-password=…`);
  } else if (recipe.registry !== 'kairos-factory') {
    note('registry', 'without push the operator keeps the image in its build only; set push: true to publish it to this registry');
  }
  return image;
}

/** spec.artifacts: the artifacts the operator makes, arch, and the cloud-config Secret. */
function artifactsOf(recipe: Recipe, secret: MakeSecret, note: Note): OsArtifactArtifacts {
  const artifacts: OsArtifactArtifacts = { arch: recipe.arch };
  for (const kind of recipe.artifacts) {
    const field = OPERATOR_ARTIFACTS[kind];
    if (field === undefined) {
      note(`artifacts.${kind}`, NOT_MADE[kind] ?? 'not made by the operator');
      continue;
    }
    if (field === 'uki') artifacts.uki = { iso: true, efi: true, keysVolume: UKI_KEYS_VOLUME };
    else artifacts[field] = true;
  }
  if (recipe.disk.sizeMiB > 0) {
    if (artifacts.cloudImage || artifacts.azureImage || artifacts.gceImage) artifacts.diskSize = String(recipe.disk.sizeMiB);
    else note('disk.sizeMiB', 'no disk the operator makes is listed: the size is not used');
  }
  if (recipe.disk.recovery !== 'auto') note('disk.recovery', `the operator's disks use AuroraBoot's recovery layout; "${recipe.disk.recovery}" applies to local builds only`);
  if (recipe.disk.xz) note('disk.xz', 'the operator does not compress disks; compress them after downloading');
  if (recipe.netboot.url !== undefined) {
    if (artifacts.netboot) artifacts.netbootURL = recipe.netboot.url;
    else note('netboot.url', 'netboot is not listed in artifacts: the URL is not used');
  }
  if (recipe.iso.overlayIso !== undefined) note('iso.overlayIso', 'a local folder: put its files in a volume and name it in spec.artifacts.overlayISOVolume');
  if (recipe.iso.overlayRootfs !== undefined) note('iso.overlayRootfs', 'a local folder: put its files in a volume and name it in spec.artifacts.overlayRootfsVolume');
  if (recipe.iso.cmdline !== '') note('iso.cmdline', 'the operator has no field for extra kernel arguments; add them to the cloud-config (install.grub_options) instead');
  artifacts.cloudConfigRef = secret('cloud-config', CLOUD_CONFIG_KEY, recipe.cloudConfig);
  return artifacts;
}
