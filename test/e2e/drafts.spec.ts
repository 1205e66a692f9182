// Drafts are safe: autosaved across a reload, "New recipe" asks before dropping changes, Save As
// warns before replacing a saved recipe, Duplicate makes a second one, Export gives a file that
// `validate` accepts. Names are typed, as a user does.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { choosePassword, engine, expectAccessible, expectCleanConsole, next, openApp, openStart, shot } from './support.js';

const nameField = (page: Page) => page.getByLabel('Name', { exact: true });

async function typeName(page: Page, name: string): Promise<void> {
  await nameField(page).clear();
  await nameField(page).pressSequentially(name);
}

/** From the Source step of a fresh draft to Review, the draft named `name` (and `version`). */
async function toReview(page: Page, name: string, version?: string): Promise<void> {
  await typeName(page, name);
  if (version) {
    await page.getByLabel('Version').clear();
    await page.getByLabel('Version').pressSequentially(version);
  }
  for (let i = 0; i < 3; i++) await next(page);
  await choosePassword(page);
  for (let i = 0; i < 2; i++) await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
}

test('a draft typed survives a reload of the page, with a notice', async ({ page }) => {
  await openApp(page);
  await typeName(page, 'drafts-typed');
  await page.getByLabel('Version').clear();
  await page.getByLabel('Version').pressSequentially('v2.3.4');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('drafts-typed');
  // The autosave writes once typing pauses; then the page goes away as a crash or a reload would.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('kf_draft') ?? '')).toContain('v2.3.4');
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Restored your unsaved draft drafts-typed' })).toBeVisible();
  await page.getByRole('button', { name: /^Build an OS image/ }).click();
  await expect(nameField(page)).toHaveValue('drafts-typed');
  await expect(page.getByLabel('Version')).toHaveValue('v2.3.4');
  expectCleanConsole(page);
});

test('New recipe asks before dropping unsaved changes; Cancel keeps the draft', async ({ page }) => {
  await openApp(page);
  // An untouched draft has nothing to lose: no question.
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('button', { name: '+ New recipe' }).click();
  expect(asked).toBe('');
  page.removeAllListeners('dialog');

  await typeName(page, 'drafts-keep-me');
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('button', { name: '+ New recipe' }).click();
  await expect.poll(() => asked).toContain('drafts-keep-me that are not saved will be lost');
  await expect(nameField(page)).toHaveValue('drafts-keep-me');

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: '+ New recipe' }).click();
  await expect(nameField(page)).toHaveValue('my-kairos');
});

test('Save As onto an existing name warns and replaces only after confirming; Duplicate makes a copy', async ({ page, request }) => {
  await openApp(page);
  await toReview(page, 'drafts-first');
  await page.getByRole('button', { name: 'Save recipe' }).click();
  await expect(page.getByText('Saved as drafts-first')).toBeVisible();

  // Another recipe, saved under the first one's name.
  await page.getByRole('button', { name: '+ New recipe' }).click();
  await toReview(page, 'drafts-second', 'v0.2.0');
  await page.getByRole('button', { name: 'Save as…' }).click();
  await page.getByLabel('Name to save as').clear();
  await page.getByLabel('Name to save as').pressSequentially('Bad Name');
  await page.getByRole('button', { name: 'Save as this name' }).click();
  await expect(page.getByText('The name "Bad Name" cannot be used')).toBeVisible();
  await page.getByLabel('Name to save as').clear();
  await page.getByLabel('Name to save as').pressSequentially('drafts-first');
  await page.getByRole('button', { name: 'Save as this name' }).click();
  const warning = page.getByRole('alertdialog');
  await expect(warning).toContainText('A saved recipe named drafts-first exists already. Replace it with this one?');
  await expectAccessible(page, 'Review with the overwrite warning');
  await shot(page, '13-save-as');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  await expect(warning).toBeHidden();
  const first = async () => (await engine<{ recipe: Recipe }>(request, 'recipe.load', { name: 'drafts-first' })).recipe.version;
  expect(await first()).toBe('v0.1.0');

  await page.getByRole('button', { name: 'Save as this name' }).click();
  await page.getByRole('button', { name: 'Replace drafts-first' }).click();
  await expect(page.getByText('Saved as drafts-first')).toBeVisible();
  expect(await first()).toBe('v0.2.0');
  // The draft is that recipe now: saving it again is no overwrite of someone else's.
  await page.getByRole('button', { name: 'Save recipe' }).click();
  await expect(page.getByRole('alertdialog')).toBeHidden();

  await page.getByRole('button', { name: 'Duplicate drafts-first' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Saved a copy of drafts-first as drafts-first-copy' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'drafts-first-copy', exact: true })).toBeVisible();
  const names = (await engine<ReadonlyArray<{ name: string }>>(request, 'recipe.list')).map((r) => r.name);
  expect(names).toEqual(expect.arrayContaining(['drafts-first', 'drafts-first-copy']));
  expect((await engine<{ recipe: Recipe }>(request, 'recipe.load', { name: 'drafts-first-copy' })).recipe.version).toBe('v0.2.0');

  // Opening a saved recipe over unsaved changes asks too; Cancel keeps them.
  await page.getByRole('button', { name: 'Edit Source' }).click();
  await nameField(page).press('End');
  await nameField(page).pressSequentially('-edited');
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('button', { name: 'drafts-first-copy', exact: true }).click();
  await expect.poll(() => asked).toContain('Open drafts-first-copy?');
  await expect(nameField(page)).toHaveValue('drafts-first-edited');
  expectCleanConsole(page);
});

test('Export YAML downloads a recipe that `validate` accepts', async ({ page }) => {
  await openApp(page);
  await toReview(page, 'drafts-exported', 'v1.0.0');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export YAML' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('drafts-exported.yaml');
  const dir = await mkdtemp(join(tmpdir(), 'kf-drafts-'));
  try {
    const path = join(dir, 'drafts-exported.yaml');
    await file.saveAs(path);
    expect(await readFile(path, 'utf8')).toContain('name: drafts-exported');
    const out = execFileSync('node', [join(process.cwd(), 'bin/kairos-factory.js'), 'validate', path], {
      cwd: dir,
      env: { ...process.env, KF_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
    });
    expect(out).toContain(`${path}: valid`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('what drafts add is accessible in both themes', async ({ page }) => {
  await openStart(page);
  await page.getByRole('button', { name: /^Build an OS image/ }).click();
  await toReview(page, 'drafts-axe');
  await page.getByRole('button', { name: 'Save as…' }).click();
  await expect(page.getByLabel('Name to save as')).toBeVisible();
  for (const theme of ['light', 'dark'] as const) {
    await page.getByLabel('Theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await expectAccessible(page, `Review with Save As, ${theme}`);
  }
  await page.getByLabel('Theme').selectOption('system');
});
