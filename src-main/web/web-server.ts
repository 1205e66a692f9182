// The web shell: the renderer and the API over HTTP + WebSocket, for headless build boxes and for
// the browser tests. It listens on loopback only, checks Host and Origin on every request (no
// other site and no DNS-rebinding page can talk to it), and wants a random token on every request:
// as a Bearer header, or the cookie it sets when the printed URL (?token=...) is opened.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ApiServer } from '../api/handlers.js';

export interface WebServerOptions {
  readonly api: ApiServer;
  /** The built renderer (index.html and assets). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** A fixed token (tests); random otherwise. */
  readonly token?: string;
}

export interface WebServer {
  readonly url: string;
  /** The URL to open: it carries the token once, the page then works from the cookie. */
  readonly loginUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

const COOKIE = 'kf_token';
const MAX_BODY = 1 << 20;
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function contentSecurityPolicy(): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return v.join('=');
  }
  return undefined;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new AppError('bad-request', 'Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let origins: ReadonlyArray<string> = [];
  let hosts: ReadonlyArray<string> = [];

  /** 403 for another site or a rebinding host name, 401 without the token; else undefined. */
  const refuse = (req: IncomingMessage, url: URL): [number, string] | undefined => {
    if (!hosts.includes(req.headers.host ?? '')) return [403, 'Forbidden: unknown host'];
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.includes(origin)) return [403, 'Forbidden: cross-origin request'];
    const fromQuery = url.searchParams.get('token') ?? undefined;
    if (sameToken(bearerToken(req), token) || sameToken(cookieToken(req), token) || sameToken(fromQuery, token)) return undefined;
    return [401, 'Unauthorized: open the URL kairos-factory web printed (it carries the token)'];
  };

  const serveStatic = async (res: ServerResponse, pathname: string): Promise<void> => {
    const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    let file = join(options.staticDir, relative);
    if (!file.startsWith(options.staticDir + sep) && file !== options.staticDir) return send(res, 404, 'Not found');
    let info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      // The app is a single page: unknown paths get index.html (assets keep their 404).
      if (relative.startsWith('assets/')) return send(res, 404, 'Not found');
      file = join(options.staticDir, 'index.html');
      info = await stat(file).catch(() => undefined);
      if (!info) return send(res, 500, 'The web UI is not built: run `npm run build`');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    });
    createReadStream(file).pipe(res);
  };

  const server = createServer((req, res) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refused = refuse(req, url);
    if (refused) return send(res, refused[0], refused[1]);
    void (async () => {
      try {
        if (url.searchParams.has('token')) {
          // Trade the token in the URL for a cookie, and drop it from the address bar and history.
          res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
          res.writeHead(303, { Location: url.pathname });
          return res.end();
        }
        const api = /^\/api\/request\/([\w.]+)$/.exec(url.pathname);
        if (api) {
          if (req.method !== 'POST') return send(res, 405, 'Use POST');
          if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, 'Send JSON');
          const body = await readBody(req);
          let payload: unknown;
          try {
            payload = body === '' ? {} : JSON.parse(body);
          } catch {
            return send(res, 400, JSON.stringify({ ok: false, error: { code: 'bad-request', message: 'The body is not JSON' } }), 'application/json');
          }
          const envelope = await options.api.dispatch(api[1] ?? '', payload);
          return send(res, 200, JSON.stringify(envelope), 'application/json');
        }
        if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
        return await serveStatic(res, url.pathname);
      } catch (error) {
        if (!res.headersSent) send(res, 500, (error as Error).message);
        else res.destroy();
      }
    })();
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refused = url.pathname === '/api/events' ? refuse(req, url) : ([404, 'Not found'] as [number, string]);
    if (refused) {
      socket.end(`HTTP/1.1 ${refused[0]} ${refused[0] === 401 ? 'Unauthorized' : refused[0] === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const unsubscribe = options.api.onEvent((event, payload) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }));
      });
      ws.on('close', unsubscribe);
      ws.on('error', unsubscribe);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    loginUrl: `${url}/?token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
