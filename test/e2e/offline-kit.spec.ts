// The Review step's offline part: the "build offline" switch is the engine's setting, a kit that
// does not match its manifest is refused naming the member (nothing is loaded), and exporting a
// recipe that was never built on this engine says to build it once first.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dockerMissing, engine, expectAccessible, openApp, toReview } from './support.js';

/** A kit whose images.tar is not what its manifest says. */
function corruptKit(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kf-e2e-kit-'));
  mkdirSync(join(dir, 'recipes'));
  writeFileSync(join(dir, 'recipes', 'a.yaml'), 'name: a\n');
  writeFileSync(join(dir, 'images.tar'), 'not the images the manifest hashed');
  const manifest = {
    kitVersion: 1,
    created: '2026-12-03T00:00:00.000Z',
    appVersion: 'e2e',
    recipes: ['a'],
    images: [],
    members: { 'recipes/a.yaml': '0f0ffb39f1c7fba5a4c1bc20a8f3ab4cd6de0ee13a8575bd2ffd3fd0b5d8a4a5', 'images.tar': '0'.repeat(64) },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  const kit = join(dir, 'corrupt.kit.tar');
  execFileSync('tar', ['cf', kit, '-C', dir, 'recipes/a.yaml', 'images.tar', 'manifest.json']);
  return kit;
}

test('Review: the offline switch is the setting, a corrupt kit is refused naming its member', async ({ page }) => {
  await openApp(page);
  await toReview(page);
  const offline = page.getByTestId('offline-kit');
  await offline.getByText('Offline builds and kits').click();
  const box = offline.getByRole('checkbox', { name: /^Build offline/ });
  // The box shows the engine's setting: it turns on once the engine has stored it.
  await box.click();
  try {
    await expect(box).toBeChecked();
    expect((await engine<{ offline: boolean }>(page.request, 'settings.get')).offline).toBe(true);
    await expect(offline.getByText('Offline builds and kits (builds are offline)')).toBeVisible();
    await expectAccessible(page, 'Review with the offline part open');
  } finally {
    await box.click();
    await expect(box).not.toBeChecked();
  }
  expect((await engine<{ offline: boolean }>(page.request, 'settings.get')).offline).toBe(false);

  await offline.getByRole('textbox', { name: 'Kit to import' }).fill(corruptKit());
  await offline.getByRole('button', { name: 'Import kit' }).click();
  const job = page.getByTestId('job-kit-import');
  await expect(job).toHaveAttribute('data-state', 'failed');
  // The recipe member matches or not, the first mismatch in the file's order is named.
  await expect(job).toContainText(/corrupt\.kit\.tar is refused: member (recipes\/a\.yaml|images\.tar) is corrupt/);
  await expect(job).toContainText('nothing was loaded');
});

test('Review: exporting a kit of a recipe never built here says to build it once first', async ({ page }) => {
  await openApp(page);
  test.skip((await dockerMissing(page)) !== undefined, 'needs Docker');
  await toReview(page);
  const offline = page.getByTestId('offline-kit');
  await offline.getByText('Offline builds and kits').click();
  await expect(offline.getByRole('textbox', { name: 'Kit file to write' })).toHaveValue(/\.kit\.tar$/);
  await offline.getByRole('textbox', { name: 'Kit file to write' }).fill(join(mkdtempSync(join(tmpdir(), 'kf-e2e-kit-')), 'never.kit.tar'));
  await offline.getByRole('button', { name: 'Export offline kit' }).click();
  const job = page.getByTestId('job-kit-export');
  await expect(job).toHaveAttribute('data-state', 'failed');
  await expect(job).toContainText(/Cannot export the kit: .* not on this engine/);
  await expect(job).toContainText('Build the recipe once first');
});
