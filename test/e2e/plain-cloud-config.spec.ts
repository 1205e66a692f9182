// A plain image (scratch method, framework none) applies its cloud-config through cloud-init: the
// Cloud-config step names the keys only the Kairos framework applies, and refuses templates
// cloud-init cannot render.
import { expect, test } from '@playwright/test';
import { choosePassword, expectAccessible, next, openApp } from './support.js';

test('the Cloud-config step of a plain image lists the keys applied only with the Kairos framework', async ({ page }) => {
  await openApp(page);
  await next(page);
  await page.getByRole('radio', { name: /^From scratch/ }).check();
  await page.getByText('Advanced').click();
  const framework = page.getByLabel('Kairos framework');
  await framework.fill('none');
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Cloud-config', level: 2 })).toBeVisible();
  await choosePassword(page);
  const editor = page.getByTestId('yaml-editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\nhostname: node-1\ninstall:\n  auto: true\n');
  const notice = page.getByTestId('framework-only');
  await expect(notice).toContainText('applied only with');
  await expect(notice.getByRole('listitem').filter({ hasText: 'install' })).toBeVisible();
  await expect(notice.getByRole('listitem').filter({ hasText: 'hostname' })).toHaveCount(0);
  await expect(page.getByTestId('next')).toBeEnabled();
  await expectAccessible(page, 'Cloud-config of a plain image');
  // A template cloud-init cannot render blocks the step, with the reason.
  await page.keyboard.insertText('k3s:\n  enabled: true\n');
  await expect(notice.getByRole('listitem').filter({ hasText: 'k3s' })).toBeVisible();
  await page.keyboard.insertText('timezone: "{{ .Values.tz }}"\n');
  await expect(page.getByLabel('Cloud-config problems')).toContainText('needs the Kairos framework to render');
  await expect(page.getByTestId('next')).toBeDisabled();
});
