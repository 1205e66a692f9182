// The UI's jobs come from the engine: a finished build opened from Recent after a reload shows
// how it ended and its artifacts (no Cancel), and a build that ends while the event socket is
// down shows as done once the socket is back. Real builds: they need Docker.
import { readFileSync } from 'node:fs';
import { expect, test, type Page, type Route, type WebSocketRoute } from '@playwright/test';
import { parse } from 'yaml';
import type { JobSummary } from '../../src-shared/api/contract.js';
import { dockerMissing, engine, openApp } from './support.js';

test.describe.configure({ mode: 'serial' });

/** The Debian example with only the rootfs tarball: the quickest build that makes an artifact. */
/** Its output goes to this run's fresh data folder: the artifact is made anew, not reused. */
function quickRecipe(name: string): Record<string, unknown> {
  const recipe = parse(readFileSync('examples/debian-bookworm.yaml', 'utf8')) as Record<string, unknown>;
  return { ...recipe, name, artifacts: ['rootfs-tar'], output: `${process.env.KF_E2E_DATA}/out/${name}` };
}

async function startBuild(page: Page, recipe: Record<string, unknown>): Promise<string> {
  return (await engine<{ jobId: string }>(page.request, 'build.start', { recipe })).jobId;
}

/** The engine's word on a job (jobs.list), not the page's. */
async function engineState(page: Page, jobId: string): Promise<string | undefined> {
  return (await engine<JobSummary[]>(page.request, 'jobs.list')).find((j) => j.jobId === jobId)?.state;
}

async function openFromRecent(page: Page, title: string): Promise<void> {
  await page.getByRole('region', { name: 'Recent' }).getByRole('button', { name: title }).first().click();
  await expect(page.getByRole('heading', { name: 'Build', level: 2 })).toBeVisible();
}

test('a finished build opened from Recent after a reload shows its artifacts and no Cancel', async ({ page }) => {
  test.setTimeout(25 * 60_000);
  await openApp(page);
  const missing = await dockerMissing(page);
  test.skip(missing !== undefined, missing);
  const recipe = quickRecipe('e2e-recent');
  const jobId = await startBuild(page, recipe);
  await expect.poll(() => engineState(page, jobId), { timeout: 20 * 60_000, intervals: [2000] }).toBe('done');
  const result = (await engine<{ summary: JobSummary }>(page.request, 'job.get', { jobId })).summary.result;
  expect(result?.artifacts?.map((a) => a.path)).toEqual([`${recipe.output as string}/e2e-recent.rootfs.tar.zst`]);

  // A new page knows nothing of the job but what the engine tells it.
  await page.reload();
  await expect(page.getByLabel('What this machine offers')).toBeVisible();
  await openFromRecent(page, 'Build e2e-recent');
  const panel = page.getByTestId('job-build');
  await expect(panel).toHaveAttribute('data-state', 'done');
  await expect(panel.getByRole('status').first()).toHaveText('done');
  await expect(panel.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByTestId('artifact-path')).toHaveText(`${recipe.output as string}/e2e-recent.rootfs.tar.zst`);
  // The engine still holds its trail: its phases and its log.
  await expect(panel.getByLabel('Build phases').getByRole('listitem').first()).toBeVisible();
  const logLines = async (): Promise<number> => Number(/\((\d+) lines\)/.exec((await panel.locator('.log-details summary').textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(logLines).toBeGreaterThan(0);
});

test('a build that ends while the event socket is down shows as done once it is back', async ({ page }) => {
  test.setTimeout(25 * 60_000);
  // Every event socket of the page goes through here, so the test can cut it.
  const sockets: Array<{ page: WebSocketRoute; server: WebSocketRoute }> = [];
  await page.routeWebSocket('**/api/events*', (ws) => {
    sockets.push({ page: ws, server: ws.connectToServer() });
  });
  await openApp(page);
  const missing = await dockerMissing(page);
  test.skip(missing !== undefined, missing);
  await expect.poll(() => sockets.length).toBe(1);

  // Even with the image cached, exporting the rootfs and packing the tarball take many seconds.
  const jobId = await startBuild(page, quickRecipe('e2e-reconnect'));
  await openFromRecent(page, 'Build e2e-reconnect');
  const panel = page.getByTestId('job-build');
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(panel.getByLabel('Build phases').getByRole('listitem').first()).toBeVisible({ timeout: 120_000 });

  // Cut the socket, and refuse the tickets a reconnect needs until the engine says the build ended.
  const refuse = (route: Route): Promise<void> => route.fulfill({ status: 503, contentType: 'application/json', body: '{"ok":false,"error":{"code":"internal","message":"test: refused"}}' });
  await page.route('**/api/ticket', refuse);
  for (const s of sockets) {
    await s.server.close();
    await s.page.close();
  }
  expect(await engineState(page, jobId), 'the build ended before the socket was cut: nothing left to test').toBe('running');
  await expect.poll(() => engineState(page, jobId), { timeout: 20 * 60_000, intervals: [2000] }).toBe('done');
  // Nothing told the page: it still shows the build running.
  await expect(panel).toHaveAttribute('data-state', 'running');
  expect(sockets).toHaveLength(1);

  // Let it reconnect: it catches up from the engine.
  await page.unroute('**/api/ticket', refuse);
  await expect.poll(() => sockets.length, { timeout: 30_000 }).toBe(2);
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 15_000 });
  await expect(panel.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  await expect(page.getByTestId('artifact-path')).toHaveText(`${process.env.KF_E2E_DATA}/out/e2e-reconnect/e2e-reconnect.rootfs.tar.zst`);
  await expect(page.getByRole('region', { name: 'Recent' }).locator('li', { hasText: 'Build e2e-reconnect' }).locator('.badge')).toHaveText('done');
});
