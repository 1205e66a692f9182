// A tiny static HTTP server for the netboot boot test: it serves the files of one folder (flat, no
// listing), read-only, on loopback, on a port the system picks, for as long as the test runs. qemu's
// user network lets the guest reach it as 10.0.2.2. GET and HEAD only; one byte range per request
// (dracut's livenet fetches the squashfs whole with curl, but a resumed or partial fetch works too).
// A few names can be served from memory instead of the folder (the boot script with its base pinned),
// so the folder itself is never changed.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

export type ByteRange = { readonly start: number; readonly end: number } | 'unsatisfiable' | undefined;

/**
 * The one range a Range header asks for, inclusive, within a body of `size` bytes: undefined for
 * the whole body (no header, another unit, several ranges or a malformed one: RFC 9110 lets a
 * server ignore those), "unsatisfiable" when it starts past the end.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    // The last N bytes.
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/**
 * The file name a request path names: one segment, percent-decoded, not "." or "..", no slash,
 * backslash or NUL in it. Undefined for anything else (the root, a subfolder, a traversal).
 */
export function fileNameOf(url: string): string | undefined {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  if (!path.startsWith('/') || path.indexOf('/', 1) !== -1) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(path.slice(1));
  } catch {
    return undefined;
  }
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) return undefined;
  return name;
}

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Body bytes sent (0 for HEAD). */
  readonly bytes: number;
}

export interface FolderServerOptions {
  readonly folder: string;
  /** Names served with this content instead of the folder's file of that name. */
  readonly overrides?: ReadonlyMap<string, string>;
  /** Default 127.0.0.1: only this machine (and its qemu guests) can reach it. */
  readonly host?: string;
  /** Default 0: any free port. */
  readonly port?: number;
  readonly onRequest?: (request: ServedRequest) => void;
}

export interface FolderServer {
  readonly port: number;
  /** The folder's URL as seen from `host` (a qemu guest: 10.0.2.2), ending with "/". */
  readonly urlFor: (host: string) => string;
  readonly close: () => Promise<void>;
}

type Body = { readonly kind: 'memory'; readonly data: Buffer } | { readonly kind: 'file'; readonly path: string; readonly size: number };

/** What a name stands for: an override, or a regular file of the folder itself (symlinks only within it). */
async function bodyOf(folder: string, overrides: ReadonlyMap<string, string>, name: string): Promise<Body | undefined> {
  const override = overrides.get(name);
  if (override !== undefined) return { kind: 'memory', data: Buffer.from(override, 'utf8') };
  try {
    const real = await realpath(join(folder, name));
    if (dirname(real) !== folder) return undefined;
    const info = await stat(real);
    return info.isFile() ? { kind: 'file', path: real, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function sizeOf(body: Body): number {
  return body.kind === 'memory' ? body.data.length : body.size;
}

export async function serveFolder(options: FolderServerOptions): Promise<FolderServer> {
  const folder = await realpath(options.folder);
  const overrides = options.overrides ?? new Map<string, string>();
  const host = options.host ?? '127.0.0.1';

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<{ status: number; bytes: number }> => {
    const method = req.method ?? 'GET';
    const end = (status: number, headers: Record<string, string> = {}): { status: number; bytes: number } => {
      res.writeHead(status, { 'Content-Length': '0', ...headers });
      res.end();
      return { status, bytes: 0 };
    };
    if (method !== 'GET' && method !== 'HEAD') return end(405, { Allow: 'GET, HEAD' });
    const name = fileNameOf(req.url ?? '/');
    const body = name !== undefined ? await bodyOf(folder, overrides, name) : undefined;
    if (!body) return end(404);
    const size = sizeOf(body);
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') return end(416, { 'Content-Range': `bytes */${size}` });
    const start = range?.start ?? 0;
    const last = range?.end ?? size - 1;
    const length = Math.max(0, last - start + 1);
    const status = range ? 206 : 200;
    res.writeHead(status, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(length),
      'Accept-Ranges': 'bytes',
      ...(range ? { 'Content-Range': `bytes ${start}-${last}/${size}` } : {}),
    });
    if (method === 'HEAD' || length === 0) {
      res.end();
      return { status, bytes: 0 };
    }
    if (body.kind === 'memory') {
      res.end(body.data.subarray(start, last + 1));
    } else {
      await pipeline(createReadStream(body.path, { start, end: last }), res);
    }
    return { status, bytes: length };
  };

  const server = createServer((req, res) => {
    respond(req, res).then(
      ({ status, bytes }) => options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status, bytes }),
      // A client that went away mid-file (curl retries): nothing to answer any more.
      () => {
        options.onRequest?.({ method: req.method ?? '', path: req.url ?? '', status: res.headersSent ? res.statusCode : 500, bytes: 0 });
        res.destroy();
      },
    );
  });
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    urlFor: (guestHost) => `http://${guestHost}:${port}/`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
