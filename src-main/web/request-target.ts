// The request target of an HTTP request or WebSocket upgrade, read without ever throwing: a
// malformed one ("//[", "%E0", "http://other/") is undefined, and the server answers 400.

/** The base the paths are resolved against; a target that escapes it is refused. */
const BASE = 'http://kairos-factory.invalid';

/** The target as a URL, or undefined when it is not a plain path on this server. Pure. */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  if (!target?.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return undefined;
  }
  // "//host/path" is a path to the URL parser's eye, but names another host: not ours to serve.
  return url.origin === BASE ? url : undefined;
}

/** The path with its %-escapes decoded, or undefined when they are malformed. Pure. */
export function decodedPath(url: URL): string | undefined {
  try {
    const path = decodeURIComponent(url.pathname);
    return path.includes('\0') ? undefined : path;
  } catch {
    return undefined;
  }
}
