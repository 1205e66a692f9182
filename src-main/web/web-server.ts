// The web shell: the renderer and the API over HTTP + WebSocket, for headless build boxes and for
// the browser tests. It listens on loopback only and checks Host and Origin on every request (no
// other site and no DNS-rebinding page can talk to it). The page and its assets are not secret;
// the API wants the random token as a Bearer header. The printed address carries the token in its
// fragment (#token=...), which browsers never send to a server: the page keeps it in
// sessionStorage. No cookie: cookies are not port-scoped, any other local port would receive it.
// The event WebSocket (a browser cannot give it a header) opens with a single-use 30 s ticket the
// page asks for with its token. Artifact downloads (a link, no header either) take such a ticket
// too, and serve only the artifacts of jobs the engine recorded (artifact-download.ts). No
// request, however malformed, ends the process or its jobs.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import type { ApiServer } from '../api/handlers.js';
import { artifactTarget, serveArtifact } from './artifact-download.js';
import { failureLine } from './failure-line.js';
import { decodedPath, parseRequestTarget } from './request-target.js';
import { sendText, serveStatic } from './static-files.js';
import { TicketBook } from './ticket-book.js';

export interface WebLimits {
  /** Event WebSockets open at once; one more gets 503. */
  readonly eventClients: number;
  /** TCP connections at once (server.maxConnections). */
  readonly connections: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** How long a WebSocket ticket is good for. */
  readonly ticketMs: number;
  /** The largest request body. */
  readonly maxBody: number;
}

export const DEFAULT_WEB_LIMITS: WebLimits = {
  eventClients: 16,
  connections: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  ticketMs: 30_000,
  maxBody: 1 << 20,
};

export interface WebServerOptions {
  readonly api: ApiServer;
  /** The built renderer (index.html and assets). */
  readonly staticDir: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** A fixed token (tests); random otherwise. */
  readonly token?: string;
  readonly limits?: Partial<WebLimits>;
  /** Where failures go, one line each; stderr by default. */
  readonly log?: (line: string) => void;
  /** Keep the process alive through stray exceptions while serving (default true). */
  readonly guardProcess?: boolean;
}

export interface WebServer {
  readonly url: string;
  /** The address to open: the token rides in the fragment, never sent to a server. */
  readonly loginUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

/** A client that stopped reading is dropped past this much queued; it reconnects and catches up. */
const MAX_BUFFERED = 8 << 20;
/** Failures of the client's own making, nothing to log (browsers open spare connections and leave them idle). */
const QUIET = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_STREAM_DESTROYED', 'ECONNABORTED', 'ERR_HTTP_REQUEST_TIMEOUT']);
const isQuiet = (error: unknown): boolean => QUIET.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');

const UNAUTHORIZED: AppErrorData = {
  code: 'unauthorized',
  message: 'Unauthorized: this request carries no valid access token',
  hint: 'Open the address `kairos-factory web` printed (it ends with #token=…); a new run prints a new token',
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

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

const sendError = (res: ServerResponse, status: number, error: AppErrorData, headers: Readonly<Record<string, string>> = {}): void =>
  sendJson(res, status, { ok: false, error }, headers);

/** The body as text, or undefined past the limit (the rest is left unread; the answer closes). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (value: string | undefined, error?: Error): void => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else resolve(value);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) settle(undefined);
      else if (!settled) chunks.push(chunk);
    });
    req.on('end', () => settle(Buffer.concat(chunks).toString('utf8')));
    req.on('error', (error) => settle(undefined, error));
    req.on('close', () => settle(undefined, Object.assign(new Error('The client went away'), { code: 'ECONNABORTED' })));
  });
}

/** Answers a refused upgrade on the raw socket and closes it. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) return void socket.destroy();
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Logs stray exceptions and rejections instead of ending the process (and its running jobs). */
function guardProcess(log: (line: string) => void, secrets: ReadonlyArray<string>): () => void {
  const onException = (error: Error): void => log(failureLine('uncaught exception (still serving)', error, secrets));
  const onRejection = (reason: unknown): void => log(failureLine('unhandled rejection (still serving)', reason, secrets));
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const limits: WebLimits = { ...DEFAULT_WEB_LIMITS, ...options.limits };
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const secrets = [token];
  const fail = (where: string, error: unknown): void => {
    if (!isQuiet(error)) log(failureLine(where, error, secrets));
  };
  const tickets = new TicketBook(limits.ticketMs);
  let origins: ReadonlyArray<string> = [];
  let hosts: ReadonlyArray<string> = [];

  /** A 403 reason for another site or a rebinding host name; undefined for our own page. */
  const siteRefusal = (req: IncomingMessage): string | undefined => {
    if (!hosts.includes(req.headers.host ?? '')) return 'Forbidden: unknown host';
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.includes(origin)) return 'Forbidden: cross-origin request';
    return undefined;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const download = artifactTarget(url.pathname);
    if (download) {
      // A download is a plain link (no header): a ticket, or the Bearer header for programs.
      if (!sameToken(bearerToken(req), token) && !tickets.redeem(url.searchParams.get('ticket'))) {
        return sendError(res, 401, { ...UNAUTHORIZED, message: `${UNAUTHORIZED.message}: ask /api/ticket for a ticket first` });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, { code: 'bad-request', message: 'Use GET' }, { Allow: 'GET, HEAD' });
      return serveArtifact(res, options.api, download.jobId, download.index, req.method === 'HEAD');
    }
    if (!sameToken(bearerToken(req), token)) return sendError(res, 401, UNAUTHORIZED, { 'WWW-Authenticate': 'Bearer' });
    if (url.pathname === '/api/ticket') {
      if (req.method !== 'POST') return sendError(res, 405, { code: 'bad-request', message: 'Use POST' }, { Allow: 'POST' });
      return sendJson(res, 200, { ticket: tickets.issue(), expiresInSeconds: limits.ticketMs / 1000 });
    }
    const request = /^\/api\/request\/([\w.]+)$/.exec(url.pathname);
    if (!request) return sendError(res, 404, { code: 'bad-request', message: `No API at ${url.pathname}` });
    if (req.method !== 'POST') return sendError(res, 405, { code: 'bad-request', message: 'Use POST' }, { Allow: 'POST' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendError(res, 415, { code: 'bad-request', message: 'Send the payload as JSON (Content-Type: application/json)' });
    }
    const body = await readBody(req, limits.maxBody);
    if (body === undefined) {
      return sendError(res, 413, { code: 'bad-request', message: `The request is larger than ${limits.maxBody} bytes` }, { Connection: 'close' });
    }
    let payload: unknown;
    try {
      payload = body === '' ? {} : JSON.parse(body);
    } catch {
      return sendError(res, 400, { code: 'bad-request', message: 'The body is not JSON' });
    }
    return sendJson(res, 200, await options.api.dispatch(request[1] ?? '', payload));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy());
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    const url = parseRequestTarget(req.url);
    if (!url) return sendText(res, 400, 'Bad Request: malformed address');
    const refused = siteRefusal(req);
    if (refused) return sendText(res, 403, refused);
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return handleApi(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const path = decodedPath(url);
    if (path === undefined) return sendText(res, 400, 'Bad Request: malformed address');
    return serveStatic(res, options.staticDir, path);
  };

  const server = createServer(
    { headersTimeout: limits.headersTimeoutMs, requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        fail(`${req.method ?? '?'} ${parseRequestTarget(req.url)?.pathname ?? '(malformed address)'}`, error);
        if (!res.headersSent && res.writable) sendError(res, 500, { code: 'internal', message: 'The web shell failed to answer', hint: 'See its output for the cause' });
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.connections;
  // Unparseable requests, header floods, timeouts: answered (when the socket still can be) and
  // logged, never thrown. Without this listener Node answers 400 itself; with it, it is ours to do.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    fail('client', error);
    const response = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || response?.headersSent) return void socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    refuseUpgrade(socket, status, STATUS_CODES[status] ?? 'Bad Request');
  });

  const events = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const clients = new Set<WebSocket>();

  /** [status, message] to refuse an upgrade with; undefined to accept it. */
  const upgradeRefusal = (req: IncomingMessage): [number, string] | undefined => {
    const url = parseRequestTarget(req.url);
    if (!url) return [400, 'Bad Request: malformed address'];
    if (url.pathname !== '/api/events') return [404, 'Not found'];
    const refused = siteRefusal(req);
    if (refused) return [403, refused];
    // A ticket from /api/ticket (browsers), or the Bearer header (programs).
    if (!sameToken(bearerToken(req), token) && !tickets.redeem(url.searchParams.get('ticket'))) {
      return [401, `${UNAUTHORIZED.message}: ask /api/ticket for a ticket first`];
    }
    if (clients.size >= limits.eventClients) return [503, `Too many event connections (${limits.eventClients}): close other Kairos Factory tabs`];
    return undefined;
  };

  const follow = (ws: WebSocket): void => {
    clients.add(ws);
    const unsubscribe = options.api.onEvent((event, payload) => {
      try {
        if (ws.readyState !== ws.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
        ws.send(JSON.stringify({ event, payload }));
      } catch (error) {
        // Never into the engine's event loop: a job must not fail because a window did.
        fail('event socket', error);
      }
    });
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      clients.delete(ws);
      unsubscribe();
    };
    ws.on('close', end);
    ws.on('error', (error) => {
      fail('event socket', error);
      end();
    });
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => fail('upgrade', error));
    try {
      const refused = upgradeRefusal(req);
      if (refused) return refuseUpgrade(socket, refused[0], refused[1]);
      events.handleUpgrade(req, socket, head, follow);
    } catch (error) {
      fail('upgrade', error);
      refuseUpgrade(socket, 500, 'Internal Server Error');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  server.on('error', (error) => fail('server', error));
  const unguard = options.guardProcess === false ? () => undefined : guardProcess(log, secrets);
  const port = (server.address() as AddressInfo).port;
  origins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  hosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    loginUrl: `${url}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.terminate();
        events.close();
        server.close(() => {
          unguard();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
