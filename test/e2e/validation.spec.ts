// A wrong field blocks Next and says why, at the field; keyboard users get through the wizard.
import { expect, test } from '@playwright/test';
import { choosePassword, expectAccessible, next, openApp, shot } from './support.js';

test('a wrong name and version block Next with their messages', async ({ page }) => {
  await openApp(page);
  const nextButton = page.getByTestId('next');
  await expect(nextButton).toBeEnabled();
  await page.getByLabel('Name', { exact: true }).fill('Bad Name!');
  await expect(page.getByText('use lowercase letters, digits, ".", "_" or "-" (max 63)')).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(nextButton).toBeDisabled();
  await expect(page.getByRole('status').filter({ hasText: 'problem' })).toHaveText('1 problem to fix on this step');
  await page.getByLabel('Version').fill('latest');
  await expect(page.getByText('must be a semantic version such as v1.0.0')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'problem' })).toHaveText('2 problems to fix on this step');
  await expectAccessible(page, 'Source with errors');
  await shot(page, '09-validation');
  await page.getByLabel('Name', { exact: true }).fill('good-name');
  await page.getByLabel('Version').fill('v1.2.3');
  await expect(nextButton).toBeEnabled();
});

test('an arm-only model forces arm64, and a cloud-config error blocks its step', async ({ page }) => {
  await openApp(page);
  await next(page);
  await page.getByLabel('Model').selectOption('rpi4');
  await expect(page.getByLabel('Architecture')).toHaveValue('arm64');
  await expect(page.getByLabel('Architecture')).toBeDisabled();
  await page.getByLabel('Model').selectOption('generic');
  // A Raspberry Pi 5 is listed but cannot be picked, and the reason stands next to the model.
  await expect(page.getByLabel('Model').locator('option[value="rpi5"]')).toBeDisabled();
  await expect(page.getByLabel('Model').locator('option[value="rpi5"]')).toHaveText('Raspberry Pi 5 (not supported)');
  await expect(page.getByLabel('Model')).toHaveAccessibleDescription(/Raspberry Pi 5 is not supported: .*kairos-init rejects -m rpi5.*build for a Raspberry Pi 4/);
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Cloud-config', level: 2 })).toBeVisible();
  const editor = page.getByTestId('yaml-editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\ninstall: everything\n');
  await expect(page.getByLabel('Cloud-config problems')).toContainText('install must be a mapping');
  await expect(page.getByTestId('next')).toBeDisabled();
  await page.keyboard.insertText('hostnme: x\n');
  await expect(page.getByLabel('Cloud-config problems')).toContainText('did you mean "hostname"?');
});

test('the wizard works from the keyboard alone', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Name', { exact: true }).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('keyboard-only');
  // Tab through the step to Next and press it.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    if (await page.getByTestId('next').evaluate((el) => el === document.activeElement)) break;
  }
  await expect(page.getByTestId('next')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'System', level: 2 })).toBeFocused();
  // Arrow keys move within a radio group.
  await page.getByRole('radio', { name: /^kairos-init/ }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: /^From scratch/ })).toBeChecked();
});

test('dark mode is readable (axe colour contrast) and remembered', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectAccessible(page, 'Source in dark mode');
  await shot(page, '10-dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByLabel('Theme').selectOption('system');
});

test('a recipe is saved and reopened', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Name', { exact: true }).fill('saved-one');
  for (let i = 0; i < 3; i++) await next(page);
  await choosePassword(page);
  for (let i = 0; i < 2; i++) await next(page);
  await page.getByRole('button', { name: 'Save recipe' }).click();
  await expect(page.getByText('Saved as saved-one')).toBeVisible();
  await page.getByRole('button', { name: '+ New recipe' }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('my-kairos');
  await page.getByRole('button', { name: 'saved-one', exact: true }).click();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('saved-one');
});

test('distributions, sources and boards have their pictures, following the choice', async ({ page }) => {
  await openApp(page);
  const badge = page.locator('.with-icon .distro-badge');
  await page.getByLabel('Distribution', { exact: true }).selectOption('debian');
  await expect(badge).toHaveAttribute('data-distro', 'De');
  await page.getByLabel('Distribution', { exact: true }).selectOption('fedora');
  await expect(badge).toHaveAttribute('data-distro', 'Fe');
  await page.getByLabel('Distribution', { exact: true }).selectOption('custom');
  await page.getByLabel('Image', { exact: true }).pressSequentially('alpine:edge');
  await expect(badge).toHaveAttribute('data-distro', 'Ap');
  await expect(page.locator('.choice', { hasText: 'A Kairos release' }).locator('svg')).toHaveAttribute('data-icon', 'package');
  await next(page);
  const board = page.locator('.with-icon svg[data-icon]');
  await expect(board).toHaveAttribute('data-icon', 'pc');
  await page.getByLabel('Model').selectOption('rpi4');
  await expect(board).toHaveAttribute('data-icon', 'pi');
  await page.getByLabel('Model').selectOption('nvidia-jetson-orin-nx');
  await expect(board).toHaveAttribute('data-icon', 'module');
  await expectAccessible(page, 'System with a board icon');
});
