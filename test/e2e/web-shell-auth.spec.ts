// The web shell answers its API only to its own page holding the token (a Bearer header, never a
// cookie), serves the page itself to anyone on its own host name, and survives malformed requests.
import { connect } from 'node:net';
import { expect, request, test } from '@playwright/test';
import WebSocket from 'ws';
import { engine, openApp } from './support.js';

const origin = (): string => process.env.KF_E2E_ORIGIN!;
const token = (): string => process.env.KF_E2E_TOKEN!;
const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${token()}` });

/** Status of an event-socket handshake: 101 when it opened, else the refusal's status. */
const socketStatus = (query: string, headers: Record<string, string>): Promise<number> =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(`${origin().replace('http', 'ws')}/api/events${query}`, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('error', () => undefined);
  });

test('an API request without the token gets 401; the page and its assets need none', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, { data: {} });
  expect(res.status()).toBe(401);
  expect(await res.text()).toContain('Unauthorized');
  expect((await ctx.post(`${origin()}/api/request/engine.status?token=${token()}`, { data: {} })).status()).toBe(401);
  expect((await ctx.post(`${origin()}/api/ticket`)).status()).toBe(401);
  const page = await ctx.get(`${origin()}/`);
  expect(page.status()).toBe(200);
  const html = await page.text();
  expect(html).toContain('<div id="root">');
  const script = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const asset = await ctx.get(`${origin()}${script}`);
  expect(asset.status()).toBe(200);
  expect(asset.headers()['content-type']).toContain('javascript');
  await ctx.dispose();
});

test('a request from another origin gets 403, even with the token, the page too', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, { data: {}, headers: { ...bearer(), Origin: 'http://evil.example' } });
  expect(res.status()).toBe(403);
  expect((await ctx.get(`${origin()}/`, { headers: { Origin: 'http://evil.example' } })).status()).toBe(403);
  await ctx.dispose();
});

test('a rebinding host name gets 403, for the API and the page', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, { data: {}, headers: { ...bearer(), Host: 'attacker.example:80' } });
  expect(res.status()).toBe(403);
  expect((await ctx.get(`${origin()}/`, { headers: { Host: 'attacker.example:80' } })).status()).toBe(403);
  await ctx.dispose();
});

test('the token as a Bearer header works, and bad payloads are refused by name', async () => {
  const ctx = await request.newContext();
  const ok = await ctx.post(`${origin()}/api/request/engine.status`, { data: {}, headers: bearer() });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).ok).toBe(true);
  const bad = await ctx.post(`${origin()}/api/request/job.cancel`, { data: { jobId: 42 }, headers: bearer() });
  expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('jobId') } });
  const unknown = await ctx.post(`${origin()}/api/request/rm.rf`, { data: {}, headers: bearer() });
  expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  await ctx.dispose();
});

test('the event socket opens with a ticket once, never without one or from another origin', async () => {
  const ctx = await request.newContext();
  const ticket = async (): Promise<string> => {
    const res = await ctx.post(`${origin()}/api/ticket`, { headers: bearer() });
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { ticket: string; expiresInSeconds: number };
    expect(body.expiresInSeconds).toBe(30);
    return body.ticket;
  };
  expect(await socketStatus('', { Origin: origin() })).toBe(401);
  expect(await socketStatus(`?token=${token()}`, { Origin: origin() })).toBe(401);
  expect(await socketStatus(`?ticket=${await ticket()}`, { Origin: 'http://evil.example' })).toBe(403);
  const once = await ticket();
  expect(await socketStatus(`?ticket=${once}`, { Origin: origin() })).toBe(101);
  expect(await socketStatus(`?ticket=${once}`, { Origin: origin() })).toBe(401);
  await ctx.dispose();
});

test('the login flow sets no cookie and leaves the token in no address: Bearer on every request, a ticket on the socket', async ({ page, context }) => {
  const responses: string[] = [];
  const cookies: string[] = [];
  const apiCalls: Array<{ url: string; authorization: string | undefined }> = [];
  const addresses: string[] = [];
  page.on('request', (req) => {
    addresses.push(req.url());
    if (req.url().includes('/api/')) apiCalls.push({ url: req.url(), authorization: req.headers().authorization });
  });
  page.on('response', async (res) => {
    responses.push(res.url());
    for (const h of await res.headersArray()) if (h.name.toLowerCase() === 'set-cookie') cookies.push(`${res.url()}: ${h.value}`);
  });
  const sockets: string[] = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));

  await openApp(page);
  expect(page.url()).toBe(`${origin()}/`);
  expect(await page.evaluate(() => sessionStorage.getItem('kf_token'))).toBe(token());
  await expect.poll(() => sockets.length).toBeGreaterThan(0);
  // A reload keeps working from this tab's sessionStorage.
  await page.reload();
  await expect(page.getByLabel('What this machine offers')).toBeVisible();
  await expect(page.getByText('Checking…')).toHaveCount(0);

  expect(responses.length).toBeGreaterThan(4);
  expect(cookies).toEqual([]);
  expect(await context.cookies()).toEqual([]);
  const requests = apiCalls.filter((c) => c.url.includes('/api/request/') || c.url.endsWith('/api/ticket'));
  expect(requests.length).toBeGreaterThan(3);
  for (const call of requests) expect(call.authorization, call.url).toBe(`Bearer ${token()}`);
  for (const address of [...addresses, ...sockets]) expect(address).not.toContain(token());
  for (const socket of sockets) expect(socket).toMatch(/\/api\/events\?ticket=[\w-]+$/);
});

test('a malformed request gets 400 and the shell lives on', async () => {
  const port = Number(new URL(origin()).port);
  const raw = (text: string): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => (answer += chunk.toString()));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => resolve(answer));
      socket.write(text);
    });
  const host = new URL(origin()).host;
  expect(await raw(`GET //[ HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
  expect(await raw(`GET //[ HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
  const ctx = await request.newContext();
  expect((await engine<{ version: string }>(ctx, 'engine.status')).version).toMatch(/\d/);
  await ctx.dispose();
});

test('the page is served with a strict Content-Security-Policy', async ({ page }) => {
  const res = await page.goto(process.env.KF_E2E_LOGIN!);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole('heading', { name: 'What would you like to do?', level: 2 })).toBeVisible();
  expect(page.url()).not.toContain('token');
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe');
});
