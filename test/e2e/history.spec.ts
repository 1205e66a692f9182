// Job history that lasts: a build's entry survives a restart of the web shell and still shows its
// phases, its log (whole, for download) and its artifacts, which download from the web shell. A
// real build (the quickest: the rootfs tarball), on a web shell of the test's own that it stops
// and starts again on the same data folder. It needs Docker.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';
import type { JobSummary } from '../../src-shared/api/contract.js';
import { dockerMissing, engine, expectAccessible, expectCleanConsole, openApp, shot } from './support.js';
import { startWebShell, stopWebShell, type WebShell } from './web-shell.js';

let dataDir: string;
let shell: WebShell | undefined;

test.beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kf-e2e-history-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ outputRoot: join(dataDir, 'out') }));
});

test.afterEach(async () => {
  if (shell?.child.pid) await stopWebShell(shell.child.pid);
  shell = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

test("a build's history entry survives a restart of the web shell and shows its log and artifacts", async ({ page }) => {
  test.setTimeout(25 * 60_000);
  await openApp(page);
  const missing = await dockerMissing(page);
  test.skip(missing !== undefined, missing);

  shell = await startWebShell(dataDir);
  // The Debian example with only the rootfs tarball; the name (and so the image tag) is this test's own.
  const recipe = { ...(parse(await readFile('examples/debian-bookworm.yaml', 'utf8')) as Record<string, unknown>), name: 'history-e2e', artifacts: ['rootfs-tar'], output: join(dataDir, 'out', 'history-e2e') };
  const { jobId } = await engine<{ jobId: string }>(page.request, 'build.start', { recipe }, shell);
  const stateOf = async (at: WebShell): Promise<string | undefined> => (await engine<JobSummary[]>(page.request, 'jobs.list', {}, at)).find((j) => j.jobId === jobId)?.state;
  await expect.poll(() => stateOf(shell!), { timeout: 20 * 60_000, intervals: [2000] }).toBe('done');
  const before = (await engine<{ summary: JobSummary }>(page.request, 'job.get', { jobId }, shell)).summary;
  const artifact = before.result?.artifacts?.[0];
  expect(artifact?.path).toBe(join(dataDir, 'out', 'history-e2e', 'history-e2e.rootfs.tar.zst'));
  const logBefore = (await engine<{ text: string }>(page.request, 'job.log', { jobId }, shell)).text;
  expect(logBefore.split('\n').length).toBeGreaterThan(5);

  // A new web shell on the same data folder: nothing of the job in memory, all from the history.
  await stopWebShell(shell.child.pid!);
  shell = await startWebShell(dataDir);
  // The page as a new tab of the second shell finds it (its console is still watched since openApp).
  await page.goto(shell.loginUrl);
  await expect(page.getByLabel('What this machine offers')).toBeVisible();
  await page.getByRole('button', { name: 'All jobs (history)' }).click();
  await expect(page.getByRole('heading', { name: 'History', level: 2 })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Build history-e2e' });
  await expect(row.locator('.badge')).toHaveText('done');
  await expectAccessible(page, 'the history list');
  await row.getByRole('button', { name: 'Build history-e2e' }).click();

  const panel = page.getByTestId('job-build-history-e2e');
  await expect(panel).toHaveAttribute('data-state', 'done');
  await expect(panel.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
  // Its phases and its log, as the first shell recorded them.
  const phases = panel.getByLabel('Build history-e2e phases').getByRole('listitem');
  await expect(phases).toHaveCount(before.phases?.length ?? -1);
  await expect(phases.first()).toBeVisible();
  const log = panel.getByLabel('Build history-e2e log', { exact: true });
  await expect(log).toBeVisible();
  const lastLine = logBefore.trimEnd().split('\n').at(-1)!;
  await expect(log).toContainText(lastLine);
  await expect(page.getByText('The engine no longer keeps')).toHaveCount(0);
  // Rebuild and Edit recipe: the recipe snapshot came through the restart.
  await expect(page.getByRole('button', { name: 'Rebuild' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Edit recipe' })).toBeVisible();

  // Wrap is the user's to turn off; Copy and Download take the whole log as the engine kept it.
  await panel.getByLabel('Wrap lines').uncheck();
  await expect(log).toHaveCSS('white-space', 'pre');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await panel.getByRole('button', { name: 'Copy', exact: true }).click();
  await expect(panel.getByText('Copied the log')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(logBefore);
  const [logDownload] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download', exact: true }).click()]);
  expect(logDownload.suggestedFilename()).toBe(`${jobId}.log`);
  expect(await readFile(await logDownload.path(), 'utf8')).toBe(logBefore);

  // The artifact: listed, and downloaded through the web shell byte for byte.
  const artifacts = page.getByRole('list', { name: 'Artifacts' });
  await expect(artifacts.getByTestId('artifact-path')).toHaveText(artifact!.path);
  await expectAccessible(page, "a build's history entry");
  await shot(page, '11-history');
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectAccessible(page, "a build's history entry, dark theme");
  await page.getByLabel('Theme').selectOption('light');
  const [download] = await Promise.all([page.waitForEvent('download'), artifacts.getByRole('button', { name: /^Download/ }).click()]);
  expect(download.suggestedFilename()).toBe('history-e2e.rootfs.tar.zst');
  const bytes = await readFile(await download.path());
  expect(bytes.length).toBe(artifact!.size);
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact!.sha256);
  // An artifact deleted since is said on the page, not left to a failed download.
  await rm(artifact!.path);
  await artifacts.getByRole('button', { name: /^Download/ }).click();
  await expect(page.getByText("This artifact is no longer on the engine's machine, or is not a file")).toBeVisible();

  // Edit recipe opens the snapshot in the wizard.
  await page.getByRole('button', { name: 'Edit recipe' }).click();
  await expect(page.getByRole('heading', { name: 'Source', level: 2 })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('history-e2e');

  // Rebuild starts the same recipe again and follows it in the Build step (cancelled here: the
  // build itself is the test above).
  await page.getByRole('button', { name: 'All jobs (history)' }).click();
  await page.getByRole('row').filter({ hasText: 'Build history-e2e' }).getByRole('button', { name: 'Build history-e2e' }).click();
  await page.getByRole('button', { name: 'Rebuild' }).click();
  await expect(page.getByRole('heading', { name: 'Build', level: 2 })).toBeVisible();
  const builds = async (): Promise<JobSummary[]> => (await engine<JobSummary[]>(page.request, 'jobs.list', {}, shell)).filter((j) => j.title === 'Build history-e2e');
  await expect.poll(async () => (await builds()).length).toBe(2);
  const again = (await builds()).find((j) => j.jobId !== jobId)!;
  expect(again.recipe).toEqual(before.recipe);
  await expect(page.getByTestId('job-build')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('job-build').getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('job-build')).toHaveAttribute('data-state', 'cancelled', { timeout: 120_000 });
  expectCleanConsole(page);
});
