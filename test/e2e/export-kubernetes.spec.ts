// The Review step's Export for Kubernetes: the engine's checked OSArtifact YAML is saved as a file,
// and what the kairos-operator does not do is listed next to the button.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { parseAllDocuments } from 'yaml';
import { choosePassword, expectAccessible, next, openApp } from './support.js';

test('Export for Kubernetes saves the OSArtifact with its Secrets and lists what the operator does not do', async ({ page }) => {
  await openApp(page);
  for (let step = 0; step < 3; step++) await next(page);
  await choosePassword(page);
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export for Kubernetes' }).click();
  const download = await saved;
  expect(download.suggestedFilename()).toMatch(/-osartifact\.yaml$/);
  const text = await readFile((await download.path())!, 'utf8');
  const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
  expect(kinds).toEqual(['Secret', 'OSArtifact']);
  expect(text).toContain('apiVersion: build.kairos.io/v1alpha2');
  expect(text).toContain('generateName:');
  await expect(page.getByRole('status').filter({ hasText: /^Saved .*-osartifact\.yaml$/ })).toBeVisible();
  const notes = page.getByRole('list', { name: 'What the kairos-operator does not do' });
  await expect(notes).toContainText('boot tests and flashing are not done by the operator');
  await expectAccessible(page, 'Review with the Kubernetes notes');
});
