// OSArtifact (v1alpha2, and the Secrets it names when given) -> a recipe this app builds locally.
// Pure. Every spec field is either carried into the recipe or named in notCarried: the manifest's
// fields are taken one by one from a copy, and whatever is left over is listed.
import { AppError } from '../errors/app-error.js';
import { ARTIFACT_KINDS, type ArtifactKind } from '../recipe/catalog.js';
import { validateRecipe } from '../recipe/parse-recipe.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { parseImageRef } from '../util/image-ref.js';
import { parse } from 'yaml';
import { formatManifestIssues, osArtifactIssues } from './osartifact-validate.js';
import { CLOUD_CONFIG_KEY, DOCKERFILE_KEY, OSARTIFACT_KIND, RECIPE_ANNOTATION, type ExportNote } from './osartifact-types.js';
import { OPERATOR_ARTIFACTS } from './recipe-to-osartifact.js';

export interface RecipeFromManifest {
  readonly recipe: Recipe;
  /** Every manifest field the recipe does not carry, by its path in the manifest. */
  readonly notCarried: ReadonlyArray<ExportNote>;
}

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

// Base64 and UTF-8 decoding exist in Node and browsers alike; src-shared's lib does not type them.
const runtime = globalThis as unknown as { atob(text: string): string; TextDecoder: new () => { decode(bytes: Uint8Array): string } };
function fromBase64(text: string): string {
  const binary = runtime.atob(text.replace(/\s+/g, ''));
  return new runtime.TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

/** The Secrets among some documents: name -> key -> text (stringData wins over data, as the API server does). */
function secretsOf(documents: ReadonlyArray<unknown>): Map<string, Record<string, string>> {
  const secrets = new Map<string, Record<string, string>>();
  for (const doc of documents) {
    if (!isObject(doc) || doc.kind !== 'Secret' || !isObject(doc.metadata) || typeof doc.metadata.name !== 'string') continue;
    const values: Record<string, string> = {};
    if (isObject(doc.data)) for (const [k, v] of Object.entries(doc.data)) if (typeof v === 'string') values[k] = fromBase64(v);
    if (isObject(doc.stringData)) for (const [k, v] of Object.entries(doc.stringData)) if (typeof v === 'string') values[k] = v;
    secrets.set(doc.metadata.name, values);
  }
  return secrets;
}

/** Takes fields out of a copy of the spec; what is left at the end was not carried. */
class FieldTaker {
  readonly rest: JsonObject;
  constructor(spec: JsonObject) {
    this.rest = JSON.parse(JSON.stringify(spec)) as JsonObject;
  }
  take(path: string): unknown {
    const parts = path.split('.');
    let node: unknown = this.rest;
    for (const part of parts.slice(0, -1)) node = isObject(node) ? node[part] : undefined;
    if (!isObject(node)) return undefined;
    const last = parts[parts.length - 1]!;
    const value = node[last];
    delete node[last];
    return value;
  }
  /** The leaves left, as "spec.a.b" (arrays and their items as a whole). */
  leftover(): string[] {
    const out: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (isObject(value) && Object.keys(value).length > 0) for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
      else if (Array.isArray(value)) value.forEach((item, i) => { if (item !== undefined) out.push(`${path}[${i}]`); });
      else if (!isObject(value) && value !== undefined) out.push(path);
    };
    walk(this.rest, 'spec');
    return out;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** "quay.io/kairos/kairos-init:v0.17.3" -> image and version; undefined when it names no tag. */
function splitTag(ref: string): { image: string; tag: string } | undefined {
  const parsed = parseImageRef(ref);
  if (!parsed?.tag) return undefined;
  return { image: `${parsed.registry !== undefined ? `${parsed.registry}/` : ''}${parsed.repository}`, tag: parsed.tag };
}

function recipeName(metadata: JsonObject, repository: string | undefined): string {
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const candidate = str(annotations[RECIPE_ANNOTATION]) ?? str(metadata.name) ?? str(metadata.generateName)?.replace(/-+$/, '') ?? repository?.split('/').pop() ?? 'osartifact';
  return candidate.toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 63) || 'osartifact';
}

/**
 * The recipe an OSArtifact describes. `documents` are the manifest file's documents (the
 * OSArtifact and any Secrets) followed by the Secrets given apart. Refuses a manifest the
 * operator would refuse, and one whose Dockerfile Secret is missing (nothing to build from).
 */
export function osArtifactToRecipe(documents: ReadonlyArray<unknown>): RecipeFromManifest {
  const found = documents.filter((d) => isObject(d) && d.kind === OSARTIFACT_KIND);
  if (found.length !== 1) {
    throw new AppError('recipe-invalid', found.length === 0 ? 'No OSArtifact in the file (kind: OSArtifact)' : `${found.length} OSArtifacts in the file; a recipe is made from one`, {
      hint: 'Give a file with exactly one OSArtifact (build.kairos.io/v1alpha2)',
    });
  }
  const manifest = found[0] as JsonObject;
  const issues = osArtifactIssues(manifest);
  if (issues.length > 0) {
    throw new AppError('recipe-invalid', `The OSArtifact is not valid:\n${formatManifestIssues(issues)}`, { hint: 'Fix the fields named above' });
  }
  const secrets = secretsOf(documents);
  const notCarried: ExportNote[] = [];
  const skip = (path: string, message: string): void => {
    notCarried.push({ path, message });
  };
  const f = new FieldTaker(manifest.spec as JsonObject);
  /** A value from a named Secret, or undefined (noted) when that Secret was not given. */
  const secretValue = (refPath: string, fallbackKey: string, what: string): string | undefined => {
    const ref = f.take(refPath) as { name: string; key?: string } | undefined;
    if (!ref) return undefined;
    const key = ref.key ?? fallbackKey;
    const value = secrets.get(ref.name)?.[key];
    if (value === undefined) skip(`spec.${refPath}`, `${what} is in Secret ${ref.name} (key ${key}), which was not given: pass its YAML after the manifest`);
    return value;
  };

  const input: JsonObject = {};
  const kairosify: JsonObject = {};
  // The image: a Kairos image as it is, a distribution through kairos-init, or a Dockerfile.
  const ref = str(f.take('image.ref'));
  const options = f.take('image.buildOptions') as JsonObject | undefined;
  const ociSpec = isObject((f.rest.image as JsonObject | undefined)?.ociSpec);
  if (ociSpec) {
    const dockerfile = secretValue('image.ociSpec.ref', DOCKERFILE_KEY, 'the Dockerfile');
    if (dockerfile === undefined) {
      throw new AppError('recipe-invalid', `spec.image.ociSpec.ref: ${notCarried[notCarried.length - 1]?.message ?? 'the Dockerfile Secret is missing'}`, { hint: 'e.g. kairos-factory recipe-from osartifact.yaml dockerfile-secret.yaml' });
    }
    const values: Record<string, string> = {};
    const fromSecret = secretValue('image.ociSpec.templateValuesFrom', 'values', 'more template values');
    if (fromSecret !== undefined) {
      const parsed: unknown = parse(fromSecret);
      if (isObject(parsed)) for (const [k, v] of Object.entries(parsed)) values[k] = String(v);
    }
    Object.assign(values, f.take('image.ociSpec.templateValues') ?? {});
    input.source = { kind: 'dockerfile', dockerfile, values };
  } else if (ref !== undefined) {
    input.source = { baseImage: ref };
  } else if (str(options?.baseImage) !== undefined) {
    input.source = { baseImage: options!.baseImage };
  } else {
    throw new AppError('recipe-invalid', 'spec.image.buildOptions.baseImage: a local build needs the distribution image to start from', { hint: 'Set spec.image.buildOptions.baseImage, e.g. debian:bookworm' });
  }
  if (options) {
    kairosify.method = 'kairos-init';
    if (options.version !== undefined) input.version = options.version;
    if (options.model !== undefined) input.model = options.model;
    if (options.trustedBoot === true) input.trustedBoot = { enabled: true };
    if (options.fips === true) input.fips = true;
    if (typeof options.kubernetesDistro === 'string' && options.kubernetesDistro !== '') {
      input.variant = 'standard';
      input.provider = { name: options.kubernetesDistro, ...(typeof options.kubernetesVersion === 'string' ? { version: options.kubernetesVersion } : {}) };
    } else if (options.kubernetesVersion !== undefined) {
      skip('spec.image.buildOptions.kubernetesVersion', 'no kubernetesDistro: a version alone installs nothing');
    }
    const initImage = str(options.kairosInitImage);
    const split = initImage !== undefined ? splitTag(initImage) : undefined;
    if (split && /^v?\d+\.\d+\.\d+/.test(split.tag)) Object.assign(kairosify, { kairosInitImage: split.image, kairosInitVersion: split.tag });
    else if (initImage !== undefined) skip('spec.image.buildOptions.kairosInitImage', `"${initImage}" names no kairos-init release tag (vX.Y.Z): the app's default kairos-init is used`);
  } else {
    kairosify.method = 'none';
  }
  input.kairosify = kairosify;

  // Pushing: the image's name in its registry.
  const push = f.take('image.push') === true;
  const buildImage = f.take('image.buildImage') as { registry: string; repository: string; tag: string } | undefined;
  const repository = buildImage?.repository;
  if (push && buildImage) {
    const folder = repository!.includes('/') ? repository!.slice(0, repository!.lastIndexOf('/')) : '';
    input.registry = folder ? `${buildImage.registry}/${folder}` : buildImage.registry;
    input.push = true;
    if (f.take('image.imageCredentialsSecretRef') !== undefined) skip('spec.image.imageCredentialsSecretRef', 'a local push uses the Docker engine\'s login (docker login) instead of this Secret');
  } else if (buildImage) {
    skip('spec.image.buildImage', 'not pushed (push is not true): a local build names its image from the recipe');
  }

  // The artifacts.
  const artifacts = new Set<ArtifactKind>();
  for (const [kind, field] of Object.entries(OPERATOR_ARTIFACTS) as Array<[ArtifactKind, string]>) {
    if (field === 'uki') continue;
    if (f.take(`artifacts.${field}`) === true) artifacts.add(kind);
  }
  const uki = f.take('artifacts.uki') as { iso?: boolean; efi?: boolean; container?: boolean; keysVolume?: string } | undefined;
  if (uki && (uki.iso === true || uki.efi === true || uki.container === true)) {
    artifacts.add('uki');
    input.trustedBoot = { enabled: true };
    if (uki.container === true) skip('spec.artifacts.uki.container', 'a local build makes the UKI ISO and EFI files, not a UKI container image');
    if (uki.keysVolume !== undefined) {
      const volumes = (f.rest.volumes as unknown[] | undefined) ?? [];
      const i = volumes.findIndex((v) => isObject(v) && v.name === uki.keysVolume);
      if (i >= 0) delete volumes[i];
      skip('spec.artifacts.uki.keysVolume', `the Secure Boot keys are in volume "${uki.keysVolume}": copy its files to a folder and set trustedBoot.keysFolder (or let the build generate keys)`);
    }
  }
  input.artifacts = ARTIFACT_KINDS.filter((k) => artifacts.has(k));
  const arch = f.take('artifacts.arch');
  if (arch !== undefined) input.arch = arch;
  const diskSize = f.take('artifacts.diskSize');
  if (typeof diskSize === 'string' && /^\d+$/.test(diskSize)) input.disk = { sizeMiB: Number(diskSize) };
  else if (diskSize !== undefined) skip('spec.artifacts.diskSize', `"${String(diskSize)}" is not a size in MiB: the disk is made as small as the system allows`);
  const netbootUrl = f.take('artifacts.netbootURL');
  if (typeof netbootUrl === 'string' && netbootUrl !== '') input.netboot = { url: netbootUrl };
  const cloudConfig = secretValue('artifacts.cloudConfigRef', CLOUD_CONFIG_KEY, 'the cloud-config');
  if (cloudConfig !== undefined) input.cloudConfig = cloudConfig;

  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  input.name = recipeName(metadata, repository);
  if (push && buildImage && input.name !== repository!.split('/').pop()) {
    skip('spec.image.buildImage.repository', `a local build names the image after the recipe (${String(input.name)}), not ${repository!.split('/').pop()}`);
  }

  const result = validateRecipe(input);
  if (!result.ok) {
    throw new AppError('recipe-invalid', `The OSArtifact gives a recipe this app cannot build:\n${result.issues.map((i) => `${i.base.path}: ${i.base.message}`).join('\n')}`, {
      hint: 'The fields are the recipe\'s; see the mapping in the README section "Kubernetes (kairos-operator)"',
    });
  }
  const recipe = result.recipe;
  if (push && buildImage && `${recipe.version}-${recipe.variant}-${recipe.model}-${recipe.arch}` !== buildImage.tag) {
    skip('spec.image.buildImage.tag', `a local build tags the image ${recipe.version}-${recipe.variant}-${recipe.model}-${recipe.arch}, not ${buildImage.tag}`);
  }
  for (const path of f.leftover()) skip(path, 'no recipe field for it; set it in the cluster');
  return { recipe, notCarried };
}
