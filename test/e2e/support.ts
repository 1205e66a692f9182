// Shared steps of the browser tests.
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

export const SHOTS = 'test-results/screenshots';

const violations = new WeakMap<Page, string[]>();

/** Opens the app on its start screen, as a new user finds it (the suite's web shell, or another one's address). */
export async function openStart(page: Page, loginUrl = process.env.KF_E2E_LOGIN!): Promise<void> {
  const seen: string[] = [];
  violations.set(page, seen);
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) seen.push(m.text());
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  await page.goto(loginUrl);
  await expect(page.getByRole('heading', { name: 'What would you like to do?', level: 2 })).toBeVisible();
  // The status chips are filled once the engine answered.
  await expect(page.getByLabel('What this machine offers')).toBeVisible();
}

/** Opens the app and goes through the start screen's "Build an OS image" door to the wizard. */
export async function openApp(page: Page): Promise<void> {
  await openStart(page);
  await page.getByRole('button', { name: /^Build an OS image/ }).click();
  await expect(page.getByRole('heading', { name: 'Source', level: 2 })).toBeVisible();
}

/** The page broke no Content-Security-Policy rule and threw no error since openApp. */
export function expectCleanConsole(page: Page): void {
  expect(violations.get(page) ?? []).toEqual([]);
}

/** Axe on the current page: no serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  expect(report, `accessibility of ${where}`).toEqual([]);
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

export async function next(page: Page): Promise<void> {
  await page.getByTestId('next').click();
}

/**
 * On the Cloud-config step: types the user's password (the wizard has no default one and asks
 * for it) and leaves the field, which stores it hashed.
 */
export async function choosePassword(page: Page, password = 'e2e-password'): Promise<void> {
  const field = page.getByLabel('Password', { exact: true });
  await field.pressSequentially(password);
  await field.blur();
  await expect(page.getByText('A password is set, stored as a SHA-512 crypt hash')).toBeVisible();
}

/** From the Source step to Review, with a password on the Cloud-config step. */
export async function toReview(page: Page): Promise<void> {
  for (const title of ['System', 'Trusted Boot', 'Cloud-config']) {
    await next(page);
    await expect(page.getByRole('heading', { name: title, level: 2 })).toBeVisible();
  }
  await choosePassword(page);
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
}

/**
 * One request to the engine as a program sends it (Bearer token); the answer's value, or it throws.
 * The suite's web shell, or another one (`at`).
 */
export async function engine<T>(request: APIRequestContext, name: string, payload: unknown = {}, at?: { readonly origin: string; readonly token: string }): Promise<T> {
  const res = await request.post(`${at?.origin ?? process.env.KF_E2E_ORIGIN}/api/request/${name}`, {
    data: payload,
    headers: { Authorization: `Bearer ${at?.token ?? process.env.KF_E2E_TOKEN}` },
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!body.ok) throw new Error(`${name}: ${res.status()} ${body.error?.code ?? ''} ${body.error?.message ?? ''}`);
  return body.value as T;
}

/** Why a test needing Docker cannot run here, or undefined. In CI (KF_REQUIRE_INTEGRATION=1) it must. */
export async function dockerMissing(page: Page): Promise<string | undefined> {
  const status = await engine<{ docker: { ok: boolean; message: string } }>(page.request, 'engine.status').catch(() => undefined);
  if (status?.docker.ok) return undefined;
  const reason = `Docker unavailable: ${status?.docker.message ?? 'no answer'}`;
  if (process.env.KF_REQUIRE_INTEGRATION === '1') throw new Error(reason);
  console.warn(`[e2e] skipped: ${reason}`);
  return reason;
}

export function containerIds(): string[] {
  try {
    return execSync('docker ps -aq --no-trunc', { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  } catch {
    return [];
  }
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export type { TestInfo };
