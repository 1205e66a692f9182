// The plan before a build: from the recipe, the images it uses (required-images.ts) and what the
// engine has, everything the build needs (images, the packages it installs, the Trusted Boot
// keys), which of it is already here and what needs the network. Pure: the shells gather the
// engine's facts (src-main/api/build-plan.ts) and Review, `plan`, `--offline` and the offline kit
// all read this one answer.
import { cloudConfigNeeds } from '../cloud-config/device-settings.js';
import { cloudInitPackages } from '../kairosify/cloud-init-seed.js';
import { mergeTemplateValues, renderGoTemplate, type TemplateValue } from '../kairosify/go-template.js';
import { missingKeyFiles } from '../kairosify/keys-folder.js';
import { detectFamily, type OsFamily, type OsRelease } from '../kairosify/os-release.js';
import { SCRATCH_FAMILIES, devicePackages, packageSelection, raspberryPiFirmware } from '../kairosify/package-sets.js';
import { hasFramework } from '../recipe/has-framework.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { registryHost } from '../util/image-ref.js';
import { dockerfileFetches, fetchesAnything, type PackageManager } from './dockerfile-installs.js';
import type { ImageRole, RequiredImage } from './required-images.js';

/** What the engine has, as the shell found it. */
export interface EngineState {
  /** The required images' references that the engine has. */
  readonly present: ReadonlySet<string>;
  /** The recipe's kairosified image is here: kairosify's inputs are needed only to make it again. */
  readonly kairosified: boolean;
  /** The base image's /etc/os-release, when it is here (the scratch method picks packages by it). */
  readonly osRelease?: OsRelease;
  /** Why the engine could not be asked (then nothing counts as here). */
  readonly unreachable?: string;
}

/** A Trusted Boot keys folder: the user's, or the one a build generates into the output. */
export interface KeysFolderState {
  readonly folder: string;
  /** The file names in it; undefined when there is no such folder. */
  readonly files?: ReadonlyArray<string>;
}

export interface PlanInput {
  readonly recipe: Recipe;
  readonly images: ReadonlyArray<RequiredImage>;
  readonly engine: EngineState;
  /** The builder's base image (requiredImages lists it once, under the recipe's base, when they are the same). */
  readonly builderBase: string;
  /** resources/builder/Dockerfile: the builder's packages are read from it. */
  readonly builderDockerfile: string;
  /** source.valuesFile's values, when read. */
  readonly fileValues?: Readonly<Record<string, TemplateValue>>;
  /** With Trusted Boot on: the keys folder as found (the user's, or <output>/<name>-keys). */
  readonly keys?: KeysFolderState;
}

/** here: on the engine; pull/build/import: made by the build; not-needed: only to remake an image that is here. */
export type ImageState = 'here' | 'pull' | 'build' | 'import' | 'not-needed';

export interface PlanImage extends RequiredImage {
  readonly state: ImageState;
  /** Getting it needs the network (a pull, or a build that installs packages). */
  readonly network: boolean;
  /** One line: what happens to it. */
  readonly note: string;
}

/** here: inside an image that is here; install: fetched by the build; not-needed: its image is not remade. */
export type PackagesState = 'here' | 'install' | 'not-needed';

export interface PlanPackages {
  /** The build step that installs them: the source Dockerfile, kairosify, the artifact builder. */
  readonly step: 'source' | 'kairosify' | 'builder';
  /** Absent when no package manager can be named (an unsupported distribution). */
  readonly manager?: PackageManager | 'kairos-init';
  readonly what: string;
  /** Undefined: chosen at build time (kairos-init, or a base image not read yet). */
  readonly names?: ReadonlyArray<string>;
  readonly state: PackagesState;
  readonly network: boolean;
}

export interface PlanKeys {
  /** user: trustedBoot.keysFolder; generated: made by the first build into <output>/<name>-keys and reused. */
  readonly kind: 'user' | 'generated';
  readonly folder: string;
  readonly exists: boolean;
  /** What the folder lacks that the build needs (when it exists). */
  readonly missing: ReadonlyArray<string>;
  readonly note: string;
}

export interface BuildPlan {
  readonly recipe: string;
  readonly images: ReadonlyArray<PlanImage>;
  readonly packages: ReadonlyArray<PlanPackages>;
  readonly keys?: PlanKeys;
  /** What the build needs the network for, one short phrase each; empty: it builds offline. */
  readonly network: ReadonlyArray<string>;
  /** "needs the network for: …" or "everything is here: builds offline". */
  readonly summary: string;
  /** Said first when the engine could not be asked. */
  readonly note?: string;
}

/** The images kairosify makes the recipe's image from. */
const KAIROSIFY_INPUTS: ReadonlyArray<ImageRole> = ['base', 'from', 'source', 'kairos-init', 'framework'];

const FAMILY_MANAGER: Readonly<Record<OsFamily, PackageManager>> = {
  debian: 'apt',
  ubuntu: 'apt',
  fedora: 'dnf',
  rhel: 'dnf',
  opensuse: 'zypper',
  alpine: 'apk',
};

/** The source Dockerfile as it will be built, or undefined while its template cannot be filled. */
function renderedSource(recipe: Recipe, fileValues: PlanInput['fileValues']): string | undefined {
  if (recipe.source.kind !== 'dockerfile') return undefined;
  if (recipe.source.valuesFile !== undefined && fileValues === undefined) return undefined;
  try {
    return renderGoTemplate(recipe.source.dockerfile, mergeTemplateValues(fileValues, recipe.source.values));
  } catch {
    return undefined;
  }
}

/** A package group before the engine's facts say whether it is here; `stops`: nothing is installed, the build stops before. */
type PackageGroup = Omit<PlanPackages, 'state' | 'network'> & { readonly stops?: true };

/** The scratch method's package groups, for the distribution the base image says it is. */
function scratchPackages(recipe: Recipe, osRelease: OsRelease | undefined, baseRef: string): PackageGroup[] {
  if (!osRelease) return [{ step: 'kairosify', what: `the distribution's packages, chosen by ${baseRef}'s /etc/os-release once it is here` }];
  const family = detectFamily(osRelease);
  const name = osRelease.prettyName || osRelease.id || baseRef;
  if (!family || !SCRATCH_FAMILIES.includes(family)) return [{ step: 'kairosify', what: `none: the scratch method does not support ${name}, and the build stops there`, stops: true }];
  const plain = !hasFramework(recipe);
  const needs = cloudConfigNeeds(recipe.cloudConfig);
  const selection = packageSelection({ family, release: osRelease, arch: recipe.arch, model: recipe.model, trustedBoot: recipe.trustedBoot.enabled, plain, needs });
  const cloudInit = plain ? cloudInitPackages(family) : [];
  const device = devicePackages(family, needs);
  const extras = new Set([...cloudInit, ...device]);
  const manager = FAMILY_MANAGER[family];
  const group = (what: string, names: ReadonlyArray<string>) => (names.length > 0 ? [{ step: 'kairosify' as const, manager, what, names }] : []);
  return [
    ...group(`${name}: base system`, selection.base.filter((p) => !extras.has(p))),
    ...group('kernel', selection.kernel),
    ...group(recipe.trustedBoot.enabled ? 'boot (systemd-boot: the initrd goes into the signed UKI)' : 'bootloader and initramfs tools', selection.boot),
    ...group('cloud-init (no Kairos framework: it applies the cloud-config)', cloudInit),
    ...group("the cloud-config's device settings (Wi-Fi, keyboard)", device),
    ...group('Raspberry Pi firmware (non-free-firmware, files only)', raspberryPiFirmware(family, recipe.model).before.length > 0 ? ['raspi-firmware'] : []),
  ];
}

function kairosInitPackages(recipe: Recipe): PackageGroup[] {
  const provider = recipe.provider;
  return [
    {
      step: 'kairosify',
      manager: 'kairos-init',
      what: `the distribution's packages, kernel, bootloader and the Kairos framework${recipe.fips ? ' (FIPS)' : ''}: kairos-init picks them by the base image's os-release`,
    },
    ...(provider.name !== 'none'
      ? [{ step: 'kairosify' as const, manager: 'kairos-init' as const, what: `${provider.name} ${provider.version || '(latest)'}, from its online installer`, names: [provider.name] }]
      : []),
  ];
}

export function buildPlan(input: PlanInput): BuildPlan {
  const { recipe, engine } = input;
  const here = (ref: string): boolean => engine.present.has(ref);
  const kairosifiedHere = engine.kairosified;
  const builderRef = input.images.find((i) => i.role === 'builder')?.ref;
  const builderHere = builderRef !== undefined && here(builderRef);
  const source = renderedSource(recipe, input.fileValues);
  const sourceFetches = source !== undefined ? dockerfileFetches(source) : undefined;
  const builderFetches = dockerfileFetches(input.builderDockerfile);
  const method = recipe.kairosify.method;
  const baseRef = input.images.find((i) => i.role === 'base' || i.role === 'source')?.ref ?? '';

  // Why each image that must be made needs the network, in the words of the summary.
  const buildReason = (image: RequiredImage): { network: boolean; note: string; phrase: string } => {
    switch (image.role) {
      case 'kairosified':
        if (method === 'none') return { network: false, note: 'tagged from the base image (method none)', phrase: '' };
        if (method === 'kairos-init') {
          const provider = recipe.provider.name !== 'none' ? ` and ${recipe.provider.name}` : '';
          return { network: true, note: `built: kairos-init's install stage fetches the distribution's packages${provider}`, phrase: `kairos-init's install stage (distribution packages${provider})` };
        }
        return { network: true, note: 'built: the scratch recipe installs the distribution\'s packages', phrase: "the kairosify step's distribution packages" };
      case 'source': {
        if (sourceFetches === undefined) return { network: true, note: 'built from your Dockerfile, which may fetch packages (its template is filled at build time)', phrase: 'your Dockerfile (it may fetch packages)' };
        if (!fetchesAnything(sourceFetches)) return { network: false, note: 'built from your Dockerfile, which fetches nothing', phrase: '' };
        return { network: true, note: 'built from your Dockerfile, which fetches packages or files', phrase: "your Dockerfile's packages and downloads" };
      }
      default: {
        const fetches = fetchesAnything(builderFetches);
        return { network: fetches, note: fetches ? 'built from Debian packages (xorriso, mksquashfs, grub…)' : 'built', phrase: "the builder image's Debian packages" };
      }
    }
  };

  const network: string[] = [];
  const images = input.images.map((image): PlanImage => {
    const inKairosified = image.role === 'kairosified' ? kairosifiedHere : here(image.ref);
    if (inKairosified) return { ...image, state: 'here', network: false, note: 'already on this engine' };
    // The builder's base may also be the recipe's (listed once): then the builder needs it too.
    const builderUses = image.ref === input.builderBase && !builderHere;
    const remade = (KAIROSIFY_INPUTS.includes(image.role) && kairosifiedHere && !builderUses) || (image.role === 'builder-base' && builderHere);
    if (remade) return { ...image, state: 'not-needed', network: false, note: `only to make the ${image.role === 'builder-base' ? 'builder' : 'kairosified'} image again, which is here` };
    if (image.origin === 'pull') {
      network.push(`pulling ${image.ref}`);
      return { ...image, state: 'pull', network: true, note: `pulled from ${registryHost(image.ref)}` };
    }
    if (image.origin === 'import') return { ...image, state: 'import', network: false, note: 'imported from the root filesystem (no network)' };
    const reason = buildReason(image);
    if (reason.network) network.push(reason.phrase);
    return { ...image, state: 'build', network: reason.network, note: reason.note };
  });

  const stateOf = (imageHere: boolean, needed: boolean): Pick<PlanPackages, 'state' | 'network'> =>
    imageHere ? { state: 'here', network: false } : needed ? { state: 'install', network: true } : { state: 'not-needed', network: false };
  const sourceHere = recipe.source.kind === 'dockerfile' && here(baseRef);
  const packages: PlanPackages[] = [
    ...(sourceFetches?.installs ?? []).map((i) => ({ step: 'source' as const, manager: i.manager, what: 'installed by your Dockerfile', names: i.names, ...stateOf(sourceHere, !kairosifiedHere) })),
    ...(method === 'scratch' ? scratchPackages(recipe, engine.osRelease, baseRef) : method === 'kairos-init' ? kairosInitPackages(recipe) : []).map(({ stops, ...p }) => ({
      ...p,
      ...stateOf(kairosifiedHere, stops === undefined),
    })),
    ...builderFetches.installs.map((i) => ({ step: 'builder' as const, manager: i.manager, what: 'the artifact builder\'s tools (Debian)', names: i.names, ...stateOf(builderHere, true) })),
  ];

  const keys = recipe.trustedBoot.enabled ? planKeys(recipe, input.keys) : undefined;
  const needed = network.filter((p) => p !== '');
  return {
    recipe: recipe.name,
    images,
    packages,
    ...(keys ? { keys } : {}),
    network: needed,
    summary: needed.length > 0 ? `needs the network for: ${needed.join('; ')}` : 'everything is here: builds offline',
    ...(engine.unreachable !== undefined ? { note: `The Docker engine could not be asked (${engine.unreachable}): nothing is counted as here.` } : {}),
  };
}

function planKeys(recipe: Recipe, state: KeysFolderState | undefined): PlanKeys {
  const kind = recipe.trustedBoot.keysFolder !== undefined ? 'user' : 'generated';
  const folder = state?.folder ?? recipe.trustedBoot.keysFolder ?? `${recipe.output}/${recipe.name}-keys`;
  const exists = state?.files !== undefined;
  const missing = state?.files !== undefined ? missingKeyFiles(state.files) : [];
  const note =
    kind === 'user'
      ? !exists
        ? 'your keys folder does not exist: the build stops there'
        : missing.length > 0
          ? `your keys folder lacks ${missing.join(', ')}: the build stops there`
          : 'your keys, copied into the builder to sign the UKI'
      : !exists
        ? 'generated by the first build, inside the builder (no network), and reused by later builds'
        : missing.length > 0
          ? `generated earlier but lacking ${missing.join(', ')}: the build stops there rather than replace keys a machine may trust`
          : 'generated by an earlier build: reused';
  return { kind, folder, exists, missing, note };
}
