// Cancelling a build from the UI stops it cleanly: the job says cancelled, no container remains.
import { expect, test } from '@playwright/test';
import { choosePassword, containerIds, dockerMissing, next, openApp } from './support.js';

test('cancel a running build', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  await openApp(page);
  if (await dockerMissing(page)) return;
  const before = containerIds();
  await page.getByLabel('Name', { exact: true }).fill('e2e-cancel');
  // A version never built: the Docker cache stops before the slow initrd step.
  await page.getByLabel('Version').fill(`v0.0.${Date.now() % 1_000_000}`);
  await page.getByLabel('Distribution', { exact: true }).selectOption('debian');
  await next(page);
  await page.getByRole('radio', { name: /^From scratch/ }).check();
  await page.getByText('Advanced').click();
  await page.getByLabel('Kairos framework').fill('none');
  for (let i = 0; i < 2; i++) await next(page);
  await choosePassword(page);
  for (let i = 0; i < 2; i++) await next(page);
  await page.getByRole('button', { name: 'Start build' }).click();
  const panel = page.getByTestId('job-build');
  await expect(panel.getByLabel('Build log')).toContainText(/Step 6\/\d+:/, { timeout: 180_000 });
  await panel.getByRole('button', { name: 'Cancel' }).click();
  await expect(panel).toHaveAttribute('data-state', 'cancelled', { timeout: 60_000 });
  await expect(panel).toContainText('Cancelled. Nothing was left half-done.');
  await expect.poll(() => containerIds(), { timeout: 15_000 }).toEqual(before);
});
