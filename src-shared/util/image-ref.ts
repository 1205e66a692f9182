// Docker/OCI image references ("registry/org/name:tag@digest"), parsed with the grammar of
// distribution/reference, simplified: enough to validate what a user types and to read the tag.

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(
  `^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`,
);

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
  if (registry !== undefined && !registry.includes('.') && !registry.includes(':') && registry !== 'localhost') {
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

/** The tag of a reference, "latest" when it has none (Docker's rule). */
export function imageTag(text: string): string {
  return parseImageRef(text)?.tag ?? 'latest';
}
