// The web shell for real: startWebServer on a free port in front of a memory ApiServer, spoken to
// over raw sockets, fetch and ws. It survives malformed requests, wants the Bearer token on the
// API and a single-use ticket on the event socket, never sets a cookie, and keeps its limits.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { EventName } from '../../../src-shared/api/contract.js';
import { createApiServer, type ApiServer, type EventListener } from '../../../src-main/api/handlers.js';
import { startWebServer, type WebLimits, type WebServer } from '../../../src-main/web/web-server.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnop';

let dir: string;
let api: ApiServer;
let server: WebServer;
let logged: string[];
/** Every response seen by `call`, to check their headers. */
let responses: Response[];
/** Events sent to the web clients by the test (the memory engine has no job to run here). */
let emit: EventListener;

async function start(limits: Partial<WebLimits> = {}, wrap: (api: ApiServer) => ApiServer = (a) => a): Promise<void> {
  if (server) await server.close();
  server = await startWebServer({ api: wrap(api), port: 0, staticDir: join(dir, 'static'), token: TOKEN, limits, log: (line) => logged.push(line) });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-web-'));
  await mkdir(join(dir, 'static', 'assets'), { recursive: true });
  await writeFile(join(dir, 'static', 'index.html'), '<!doctype html><title>Kairos Factory</title>');
  await writeFile(join(dir, 'static', 'assets', 'app-1234.js'), 'console.log(1)');
  const real = createApiServer({ dataDir: join(dir, 'data'), shell: 'memory' });
  const extra = new Set<EventListener>();
  emit = (event, payload) => {
    for (const l of extra) l(event, payload);
  };
  api = {
    dispatch: (name, payload) => real.dispatch(name, payload),
    onEvent: (listener) => {
      extra.add(listener);
      const off = real.onEvent(listener);
      return () => {
        extra.delete(listener);
        off();
      };
    },
    close: () => real.close(),
  };
  logged = [];
  responses = [];
  server = undefined as unknown as WebServer;
  await start();
});

afterEach(async () => {
  await server.close();
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

const host = (): string => new URL(server.url).host;

async function call(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
  const { token = TOKEN, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const res = await fetch(`${server.url}${path}`, { ...rest, headers, redirect: 'manual' });
  responses.push(res);
  return res;
}

const request = (name: string, payload: unknown = {}, init: RequestInit & { token?: string | null } = {}): Promise<Response> =>
  call(`/api/request/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload), ...init });

/** Writes raw bytes and reads the whole answer (the server closes the connection). */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no end of answer to ${JSON.stringify(text.slice(0, 40))}: ${answer}`));
    }, 5000);
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.on('error', () => undefined);
    socket.write(text);
  });
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

async function ticket(): Promise<string> {
  const res = await call('/api/ticket', { method: 'POST' });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { ticket: string; expiresInSeconds: number };
  return body.ticket;
}

/** Opens the event socket: 101 and the socket, or the refusal's status. */
function openEvents(query: string, headers: Record<string, string> = {}): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/events${query}`, { headers: { Origin: server.url, ...headers } });
    ws.on('unexpected-response', (_req, res) => {
      for (const name of Object.keys(res.headers)) expect(name.toLowerCase()).not.toBe('set-cookie');
      resolve({ status: res.statusCode ?? 0 });
    });
    ws.on('upgrade', (res) => expect(res.headers['set-cookie']).toBeUndefined());
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => undefined);
  });
}

async function settingsWork(): Promise<void> {
  const res = await request('settings.get');
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ ok: true, value: { theme: 'system' } });
}

describe('malformed requests', () => {
  it('answers GET //[ with 400 and keeps serving', async () => {
    const answer = await raw(`GET //[ HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(400);
    // The same without a Host (as a cross-origin <img> would not send, but a script may).
    expect(statusOf(await raw('GET //[ HTTP/1.1\r\nConnection: close\r\n\r\n'))).toBe(400);
    await settingsWork();
  });

  it('answers a malformed WebSocket upgrade with 400 and keeps its event socket working', async () => {
    const upgrade = (target: string): string =>
      `GET ${target} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: ${server.url}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`;
    expect(statusOf(await raw(upgrade('//[')))).toBe(400);
    expect(statusOf(await raw(upgrade('http://evil.example/api/events')))).toBe(400);
    // A good target with a broken handshake: ws answers it, the server lives on.
    expect(statusOf(await raw(upgrade('/api/events').replace('Sec-WebSocket-Version: 13', 'Sec-WebSocket-Version: 99')))).toBe(400);
    const opened = await openEvents(`?ticket=${await ticket()}`);
    expect(opened.status).toBe(101);
    opened.ws?.close();
    await settingsWork();
  });

  it('answers garbage, bad escapes and foreign targets with 400', async () => {
    expect(statusOf(await raw('\u0001\u0002 nonsense\r\n\r\n'))).toBe(400);
    expect(statusOf(await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(statusOf(await raw(`GET http://${host()}/ HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`))).toBe(400);
    expect(statusOf(await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`))).toBe(431);
    await settingsWork();
  });

  it('logs a failing handler in one line without the token or the payload, answers 500 and keeps serving', async () => {
    await start({}, (inner) => ({
      ...inner,
      dispatch: (name, payload) => (name === 'settings.set' ? Promise.reject(new Error(`disk gone while holding ${TOKEN}`)) : inner.dispatch(name, payload)),
    }));
    const res = await request('settings.set', { outputRoot: '/secret/file/contents' });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'internal', message: expect.any(String), hint: expect.any(String) } });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^kairos-factory web: POST \/api\/request\/settings\.set: Error: disk gone/);
    expect(logged[0]).not.toContain(TOKEN);
    expect(logged[0]).not.toContain('/secret/file/contents');
    expect(logged[0]).not.toContain('\n');
    await settingsWork();
  });

  it('keeps a failing event client away from the engine: the emit returns, the others still get events', async () => {
    const a = await openEvents(`?ticket=${await ticket()}`);
    const received = new Promise<unknown>((resolve) => a.ws?.on('message', (data) => resolve(JSON.parse(String(data)))));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => emit('drives.changed' as EventName, cyclic as never)).not.toThrow();
    expect(logged.some((l) => l.includes('event socket'))).toBe(true);
    emit('drives.changed', {});
    expect(await received).toEqual({ event: 'drives.changed', payload: {} });
    a.ws?.close();
  });
});

describe('process safety', () => {
  it('logs stray exceptions and rejections while it serves instead of ending the process, and stops on close', async () => {
    await server.close();
    const before = process.listeners('uncaughtException');
    server = await startWebServer({ api, port: 0, staticDir: join(dir, 'static'), token: TOKEN, log: (line) => logged.push(line) });
    const added = process.listeners('uncaughtException').filter((l) => !before.includes(l));
    const addedRejection = process.listeners('unhandledRejection').at(-1);
    expect(added).toHaveLength(1);
    // Called as Node would call them (emitting for real would reach the test runner's own listeners).
    added[0]!(new Error(`stray throw holding ${TOKEN}`), 'uncaughtException');
    addedRejection!(new Error('stray rejection'), Promise.resolve());
    expect(logged).toEqual([
      'kairos-factory web: uncaught exception (still serving): Error: stray throw holding [redacted]',
      'kairos-factory web: unhandled rejection (still serving): Error: stray rejection',
    ]);
    await settingsWork();
    await server.close();
    expect(process.listeners('uncaughtException')).toEqual(before);
    await start();
  });
});

describe('access', () => {
  it('prints a login address with the token in the fragment only', () => {
    expect(server.loginUrl).toBe(`${server.url}/#token=${TOKEN}`);
  });

  it('serves the page and its assets without the token, from our own host only', async () => {
    const page = await call('/', { token: null });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Kairos Factory');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await call('/assets/app-1234.js', { token: null })).status).toBe(200);
    expect((await call('/assets/missing.js', { token: null })).status).toBe(404);
    expect(statusOf(await raw(`GET / HTTP/1.1\r\nHost: attacker.example:${new URL(server.url).port}\r\nConnection: close\r\n\r\n`))).toBe(403);
    expect((await call('/', { token: null, headers: { Origin: 'http://evil.example' } })).status).toBe(403);
  });

  it('wants the Bearer token on every API request, and no token in a query does', async () => {
    const none = await request('settings.get', {}, { token: null });
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized', message: expect.stringContaining('Unauthorized'), hint: expect.stringContaining('#token=') } });
    expect((await request('settings.get', {}, { token: 'wrong-token' })).status).toBe(401);
    expect((await call(`/api/request/settings.get?token=${TOKEN}`, { token: null, method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect((await call('/api/ticket', { token: null, method: 'POST' })).status).toBe(401);
    await settingsWork();
  });

  it('refuses a foreign Origin or Host with 403, even with the token', async () => {
    expect((await request('settings.get', {}, { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } })).status).toBe(403);
    expect((await request('settings.get', {}, { headers: { 'Content-Type': 'application/json', Origin: 'null' } })).status).toBe(403);
    const rebinding = await raw(
      `POST /api/request/settings.get HTTP/1.1\r\nHost: attacker.example\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(statusOf(rebinding)).toBe(403);
    expect((await openEvents('', { Authorization: `Bearer ${TOKEN}`, Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('never sets a cookie: not on the login flow, the API, the tickets or any refusal', async () => {
    await call('/', { token: null });
    await call(`/?token=${TOKEN}`, { token: null });
    await call('/assets/app-1234.js', { token: null });
    await ticket();
    await settingsWork();
    await request('settings.set', { theme: 'dark' });
    await request('settings.get', {}, { token: null });
    await request('settings.get', {}, { headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' } });
    await call('/api/nothing-here', { method: 'POST' });
    await call('/api/request/settings.get', { method: 'GET' });
    expect(responses.length).toBe(10);
    for (const res of responses) {
      expect(res.headers.get('set-cookie'), `${res.url} ${res.status}`).toBeNull();
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    // The token in a query is neither traded for a cookie nor redirected: the page is served as is.
    expect(responses[1]?.status).toBe(200);
  });
});

describe('the event socket', () => {
  it('opens with a ticket once; the same ticket again is refused', async () => {
    const t = await ticket();
    const first = await openEvents(`?ticket=${t}`);
    expect(first.status).toBe(101);
    const delivered = new Promise<unknown>((resolve) => first.ws?.on('message', (data) => resolve(JSON.parse(String(data)))));
    emit('drives.changed', {});
    expect(await delivered).toEqual({ event: 'drives.changed', payload: {} });
    first.ws?.close();
    expect((await openEvents(`?ticket=${t}`)).status).toBe(401);
  });

  it('refuses no ticket, a made-up one, the token in the query and an expired ticket', async () => {
    expect((await openEvents('')).status).toBe(401);
    expect((await openEvents('?ticket=made-up')).status).toBe(401);
    expect((await openEvents(`?token=${TOKEN}`)).status).toBe(401);
    await start({ ticketMs: 150 });
    const t = await ticket();
    await new Promise((r) => setTimeout(r, 250));
    expect((await openEvents(`?ticket=${t}`)).status).toBe(401);
    expect((await openEvents(`?ticket=${await ticket()}`)).status).toBe(101);
  });

  it('takes a Bearer header instead of a ticket (programs can send one)', async () => {
    const opened = await openEvents('', { Authorization: `Bearer ${TOKEN}` });
    expect(opened.status).toBe(101);
    opened.ws?.close();
  });

  it('accepts at most the configured number of clients; one more gets 503 until one leaves', async () => {
    await start({ eventClients: 2 });
    const a = await openEvents(`?ticket=${await ticket()}`);
    const b = await openEvents(`?ticket=${await ticket()}`);
    expect([a.status, b.status]).toEqual([101, 101]);
    expect((await openEvents(`?ticket=${await ticket()}`)).status).toBe(503);
    await new Promise<void>((resolve) => {
      a.ws?.on('close', () => resolve());
      a.ws?.close();
    });
    // The server sees the close a moment after the client.
    let status = 0;
    for (let i = 0; i < 50 && status !== 101; i++) {
      status = (await openEvents(`?ticket=${await ticket()}`)).status;
      if (status !== 101) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(101);
    b.ws?.close();
  });
});

describe('artifact downloads', () => {
  /** A recorded build with two artifacts: a file, and a folder (netboot). */
  async function recordBuild(state = 'done'): Promise<string> {
    const file = join(dir, 'out', 'node ü.iso');
    await mkdir(join(dir, 'out', 'netboot'), { recursive: true });
    await writeFile(file, 'iso bytes');
    await mkdir(join(dir, 'data'), { recursive: true });
    const artifacts = [
      { kind: 'iso', path: file, size: 9, sha256: 'x' },
      { kind: 'netboot', path: join(dir, 'out', 'netboot'), size: 0, sha256: 'y' },
    ];
    const job = { jobId: 'build-0123abcd', kind: 'build', title: 'Build node', startedAt: '2026-01-01T00:00:00.000Z', state, result: { seconds: 1, artifacts } };
    await writeFile(join(dir, 'data', 'history.json'), JSON.stringify([job]));
    return job.jobId;
  }

  it("serves a recorded job's artifact with a single-use ticket, as an attachment", async () => {
    const id = await recordBuild();
    const t = await ticket();
    const res = await call(`/api/artifact/${id}/0?ticket=${t}`, { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="node _.iso"; filename*=UTF-8''node%20%C3%BC.iso`);
    expect(res.headers.get('content-length')).toBe('9');
    expect(await res.text()).toBe('iso bytes');
    expect((await call(`/api/artifact/${id}/0?ticket=${t}`, { token: null })).status).toBe(401);
    // Programs send the Bearer header instead.
    expect(await (await call(`/api/artifact/${id}/0`)).text()).toBe('iso bytes');
  });

  it('refuses no ticket or the token in the query, and anything that is not an artifact of a finished job', async () => {
    const id = await recordBuild();
    expect((await call(`/api/artifact/${id}/0`, { token: null })).status).toBe(401);
    expect((await call(`/api/artifact/${id}/0?token=${TOKEN}`, { token: null })).status).toBe(401);
    expect((await call(`/api/artifact/${id}/2`)).status).toBe(404);
    expect((await call('/api/artifact/build-unknown1/0')).status).toBe(404);
    // A folder is not served, nor a path in the address.
    expect((await call(`/api/artifact/${id}/1`)).status).toBe(404);
    expect((await call(`/api/artifact/${id}/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    expect((await call(`/api/artifact/${id}/0`, { method: 'POST' })).status).toBe(405);
    await recordBuild('failed');
    expect((await call(`/api/artifact/${id}/0`)).status).toBe(404);
  });
});

describe('limits', () => {
  it('refuses a body past the limit with 413', async () => {
    await start({ maxBody: 1000 });
    const res = await request('settings.set', { outputRoot: `/${'x'.repeat(2000)}` });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('1000 bytes') } });
    await settingsWork();
  });

  it('answers a request whose headers never end with 408 once the headers timeout passes', async () => {
    await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const started = Date.now();
    const answer = await raw(`GET / HTTP/1.1\r\nHost: ${host()}\r\nX-Slow: 1\r\n`);
    expect(statusOf(answer)).toBe(408);
    expect(Date.now() - started).toBeLessThan(4000);
    await settingsWork();
  });
});
