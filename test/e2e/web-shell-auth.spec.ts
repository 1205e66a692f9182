// The web shell answers only its own page holding the token.
import { expect, request, test } from '@playwright/test';
import WebSocket from 'ws';

const origin = (): string => process.env.KF_E2E_ORIGIN!;
const token = (): string => process.env.KF_E2E_TOKEN!;

test('a request without the token gets 401', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, { data: {} });
  expect(res.status()).toBe(401);
  expect(await res.text()).toContain('Unauthorized');
  const page = await ctx.get(`${origin()}/`);
  expect(page.status()).toBe(401);
  await ctx.dispose();
});

test('a request from another origin gets 403, even with the token', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, {
    data: {},
    headers: { Authorization: `Bearer ${token()}`, Origin: 'http://evil.example' },
  });
  expect(res.status()).toBe(403);
  await ctx.dispose();
});

test('a rebinding host name gets 403', async () => {
  const ctx = await request.newContext();
  const res = await ctx.post(`${origin()}/api/request/engine.status`, {
    data: {},
    headers: { Authorization: `Bearer ${token()}`, Host: 'attacker.example:80' },
  });
  expect(res.status()).toBe(403);
  await ctx.dispose();
});

test('the token as a Bearer header works, and bad payloads are refused by name', async () => {
  const ctx = await request.newContext();
  const ok = await ctx.post(`${origin()}/api/request/engine.status`, { data: {}, headers: { Authorization: `Bearer ${token()}` } });
  expect(ok.status()).toBe(200);
  expect((await ok.json()).ok).toBe(true);
  const bad = await ctx.post(`${origin()}/api/request/job.cancel`, { data: { jobId: 42 }, headers: { Authorization: `Bearer ${token()}` } });
  expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'bad-request', message: expect.stringContaining('jobId') } });
  const unknown = await ctx.post(`${origin()}/api/request/rm.rf`, { data: {}, headers: { Authorization: `Bearer ${token()}` } });
  expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  await ctx.dispose();
});

test('the event socket refuses a connection without the token and from another origin', async () => {
  const url = origin().replace('http', 'ws') + '/api/events';
  const status = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => undefined);
    });
  expect(await status({})).toBe(401);
  expect(await status({ Authorization: `Bearer ${token()}`, Origin: 'http://evil.example' })).toBe(403);
  expect(await status({ Authorization: `Bearer ${token()}`, Origin: origin() })).toBe(101);
});

test('the page is served with a strict Content-Security-Policy', async ({ page }) => {
  const res = await page.goto(process.env.KF_E2E_LOGIN!);
  expect(res?.status()).toBe(200);
  expect(page.url()).not.toContain('token=');
  const csp = res?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe');
});
