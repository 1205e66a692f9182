// Docker/OCI image references ("registry/org/name:tag@digest"), parsed with the grammar of
// distribution/reference, simplified: enough to validate what a user types, to read the tag and
// the registry host, and to split a reference for the engine's tag and import calls. The one
// place references are taken apart: callers never split them at ':' or '/' by hand.
import { AppError } from '../errors/app-error.js';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

/** Docker's default tag, for a reference that names none. */
const DEFAULT_TAG = 'latest';

/** The registry of a reference that names none (Docker Hub). */
export const DOCKER_HUB = 'docker.io';

export interface ImageRef {
  /** Registry host, when the reference names one ("quay.io"); undefined for Docker Hub short names. */
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImageRef(text: string): ImageRef | undefined {
  const m = REFERENCE.exec(text);
  if (!m) return undefined;
  let registry = m[1];
  let repository = m[2] ?? '';
  // "localhost/x" and "host.tld/x" name a registry; a bare "org/x" is a Docker Hub path.
  if (registry !== undefined && !isRegistryHost(registry)) {
    if (registry !== registry.toLowerCase()) return undefined;
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  return {
    ...(registry !== undefined ? { registry } : {}),
    repository,
    ...(m[3] !== undefined ? { tag: m[3] } : {}),
    ...(m[4] !== undefined ? { digest: m[4] } : {}),
  };
}

export function isImageRef(text: string): boolean {
  return parseImageRef(text) !== undefined;
}

/** Docker's rule for the first component of a name: a host when it has a '.' or a ':' or is "localhost". */
function isRegistryHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** The tag of a reference, "latest" when it has none (Docker's rule). */
export function imageTag(text: string): string {
  return parseImageRef(text)?.tag ?? DEFAULT_TAG;
}

/** The registry host of a reference ("quay.io", "localhost:5000"); Docker Hub when it names none. */
export function registryHost(text: string): string {
  return parseImageRef(text)?.registry ?? DOCKER_HUB;
}

export interface RepositoryTag {
  /** The name without tag or digest, registry host included ("localhost:5000/os/x"). */
  readonly repository: string;
  /** The tag, "latest" when the reference names none (a digest is not a tag). */
  readonly tag: string;
  readonly digest?: string;
}

/**
 * A reference as the engine's tag and import calls take it: repository and tag apart. A port is
 * not a tag ("localhost:5000/img" is img:latest). Throws AppError('recipe-invalid') when the text
 * is not an image reference.
 */
export function splitRepositoryTag(text: string): RepositoryTag {
  const ref = parseImageRef(text);
  if (!ref) {
    throw new AppError('recipe-invalid', `"${text}" is not an image reference`, {
      hint: 'Image names use lowercase letters, digits, ".", "_" and "-", as in "quay.io/org/name:tag"',
    });
  }
  return {
    repository: ref.registry !== undefined ? `${ref.registry}/${ref.repository}` : ref.repository,
    tag: ref.tag ?? DEFAULT_TAG,
    ...(ref.digest !== undefined ? { digest: ref.digest } : {}),
  };
}
