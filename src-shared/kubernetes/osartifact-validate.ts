// Checks an OSArtifact before it is written or submitted: against the OpenAPI schema of the real
// CRD (osartifact-crd.json, converted from upstream's YAML by scripts/osartifact-crd.mjs) through
// ajv, and against the rules the operator's controller applies that a schema cannot say. Every
// issue names the field, as "spec.image.ref".
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import crd from './osartifact-crd.json' with { type: 'json' };
import { OSARTIFACT_API_VERSION, OSARTIFACT_KIND } from './osartifact-types.js';

export interface ManifestIssue {
  /** Dotted path of the field ("spec.volumes[0].name"), "" for the whole object. */
  readonly path: string;
  readonly message: string;
}

/** Volume names the operator mounts itself; a user volume of the same name would collide. */
export const RESERVED_VOLUMES: ReadonlyArray<string> = ['artifacts', 'rootfs', 'config', 'ocispec', 'cloudconfig'];

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * A Kubernetes structural schema as plain JSON Schema. The API server prunes fields the schema
 * does not name, so a misspelled field would vanish silently there: here it is refused
 * (additionalProperties: false) unless the node keeps unknown fields
 * (x-kubernetes-preserve-unknown-fields) or has no properties (metadata). int-or-string and
 * nullable become the types they allow. The other x-kubernetes-* keys are annotations for the
 * server (list and map merge types); the one CEL rule (x-kubernetes-validations, the UKI keys
 * volume) is checked in operatorRuleIssues, as ajv cannot run CEL.
 */
function structuralToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(structuralToJsonSchema);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'default') continue;
    out[key] = key === 'properties' && isObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuralToJsonSchema(v)])) : structuralToJsonSchema(value);
  }
  if (node['x-kubernetes-int-or-string'] === true && out.anyOf === undefined) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  if (isObject(out.properties) && out.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

function crdSchema(): unknown {
  const version = (crd.spec.versions as ReadonlyArray<{ name: string; schema: { openAPIV3Schema: unknown } }>).find((v) => `build.kairos.io/${v.name}` === OSARTIFACT_API_VERSION);
  if (!version) throw new Error(`the bundled CRD has no ${OSARTIFACT_API_VERSION}`);
  return structuralToJsonSchema(version.schema.openAPIV3Schema);
}

let compiled: ValidateFunction | undefined;
/** Compiled once, when first needed (the schema is large). */
function schemaValidator(): ValidateFunction {
  if (compiled) return compiled;
  // strict: false because OpenAPI schemas mix keywords ajv's strict mode flags (format on
  // integers, properties without type); every keyword that matters is still applied. The CRD
  // embeds whole pod and Job specs: without code optimisation it compiles in half the time
  // (about 0.8 s instead of 1.7 s here), and one manifest validates fast either way.
  const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
  const inRange = (bits: number) => (n: number) => Number.isInteger(n) && n >= -(2 ** (bits - 1)) && n < 2 ** (bits - 1);
  ajv.addFormat('int32', { type: 'number', validate: inRange(32) });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  compiled = ajv.compile(crdSchema() as object);
  return compiled;
}

/** "/spec/volumes/0/name" -> "spec.volumes[0].name". */
function dottedPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function schemaIssue(error: ErrorObject): ManifestIssue {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: dottedPath(error.instancePath, String(params.additionalProperty)), message: 'unknown field: the CRD has no such field (the API server would drop it); check its spelling' };
    case 'required':
      return { path: dottedPath(error.instancePath, String(params.missingProperty)), message: 'is required' };
    case 'enum':
      return { path: dottedPath(error.instancePath), message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { path: dottedPath(error.instancePath), message: error.message ?? 'is not valid' };
  }
}

/** The CRD's schema, as the API server applies it (with unknown fields refused instead of dropped). */
export function schemaIssues(manifest: unknown): ManifestIssue[] {
  const validate = schemaValidator();
  if (validate(manifest)) return [];
  // anyOf reports each branch and then itself; the branches say more.
  return (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf').map(schemaIssue);
}

const ARTIFACT_FLAGS = ['iso', 'cloudImage', 'azureImage', 'gceImage', 'netboot'] as const;

/** The controller's own rules (kairos-operator), which the schema does not carry. */
export function operatorRuleIssues(manifest: unknown): ManifestIssue[] {
  const issues: ManifestIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (!isObject(manifest)) return [{ path: '', message: 'an OSArtifact is a YAML mapping' }];
  if (manifest.apiVersion !== OSARTIFACT_API_VERSION) add('apiVersion', `must be ${OSARTIFACT_API_VERSION}${manifest.apiVersion === 'build.kairos.io/v1alpha1' ? ' (v1alpha1 is gone: imageName became spec.image.ref, outputImage spec.image.buildImage)' : ''}`);
  if (manifest.kind !== OSARTIFACT_KIND) add('kind', `must be ${OSARTIFACT_KIND}`);
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const image = isObject(spec.image) ? spec.image : {};
  const artifacts = isObject(spec.artifacts) ? spec.artifacts : undefined;

  const modes = [image.ref !== undefined && 'ref', (image.buildOptions !== undefined || image.ociSpec !== undefined) && (image.buildOptions !== undefined && image.ociSpec !== undefined ? 'buildOptions + ociSpec' : image.buildOptions !== undefined ? 'buildOptions' : 'ociSpec')].filter((m): m is string => typeof m === 'string');
  if (modes.length === 0) add('spec.image', 'no image: give spec.image.ref (a Kairos image), spec.image.buildOptions (a distribution through kairos-init) or spec.image.ociSpec (a Dockerfile)');
  if (modes.length > 1) add('spec.image', `two image modes (${modes.join(' and ')}): give spec.image.ref alone, or buildOptions and/or ociSpec without ref`);
  if (image.ociSpec !== undefined && !(isObject(image.ociSpec) && isObject(image.ociSpec.ref))) add('spec.image.ociSpec.ref', 'name the Secret holding the Dockerfile');

  const uki = artifacts && isObject(artifacts.uki) ? artifacts.uki : undefined;
  const ukiMakes = uki !== undefined && (uki.iso === true || uki.container === true || uki.efi === true);
  if (!ARTIFACT_FLAGS.some((flag) => artifacts?.[flag] === true) && !ukiMakes) {
    add('spec.artifacts', `no artifact: set at least one of ${[...ARTIFACT_FLAGS, 'uki.iso', 'uki.container', 'uki.efi'].join(', ')} to true`);
  }
  if (artifacts?.arch !== undefined && artifacts.arch !== 'amd64' && artifacts.arch !== 'arm64') add('spec.artifacts.arch', 'must be amd64 or arm64');
  if (ukiMakes && (typeof uki.keysVolume !== 'string' || uki.keysVolume === '')) add('spec.artifacts.uki.keysVolume', 'a UKI needs the volume holding the Secure Boot keys');

  if (image.push === true) {
    const buildImage = isObject(image.buildImage) ? image.buildImage : {};
    for (const field of ['registry', 'repository', 'tag']) {
      if (typeof buildImage[field] !== 'string' || buildImage[field] === '') add(`spec.image.buildImage.${field}`, 'push needs the image to push to: registry, repository and tag');
    }
  }

  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  const names = new Set<string>();
  volumes.forEach((volume, i) => {
    const name = isObject(volume) ? volume.name : undefined;
    if (typeof name !== 'string') return;
    if (RESERVED_VOLUMES.includes(name)) add(`spec.volumes[${i}].name`, `"${name}" is a volume the operator mounts itself (${RESERVED_VOLUMES.join(', ')} are reserved): rename it`);
    if (names.has(name)) add(`spec.volumes[${i}].name`, `volume "${name}" is named twice`);
    names.add(name);
  });
  const references: ReadonlyArray<[string, unknown]> = [
    ['spec.artifacts.uki.keysVolume', ukiMakes ? uki.keysVolume : undefined],
    ['spec.artifacts.overlayISOVolume', artifacts?.overlayISOVolume],
    ['spec.artifacts.overlayRootfsVolume', artifacts?.overlayRootfsVolume],
    ['spec.image.caCertificatesVolume', image.caCertificatesVolume],
    ['spec.image.ociSpec.buildContextVolume', isObject(image.ociSpec) ? image.ociSpec.buildContextVolume : undefined],
  ];
  for (const [path, name] of references) {
    if (typeof name === 'string' && name !== '' && !names.has(name)) add(path, `names volume "${name}", which spec.volumes does not define`);
  }
  return issues;
}

/** Every problem of an OSArtifact: the CRD schema's, then the operator's rules. */
export function osArtifactIssues(manifest: unknown): ManifestIssue[] {
  const issues = [...schemaIssues(manifest), ...operatorRuleIssues(manifest)];
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function formatManifestIssues(issues: ReadonlyArray<ManifestIssue>): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n');
}
