// Silent failures a first-time user met in the renderer (issue 12), each replayed as the user did
// it: typing into the controls, not filling them. Each test failed on the code before its fix.
import { execSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { engine, expectAccessible, next, openApp } from './support.js';

async function openStep(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

test('a second line typed in Template values stays a second value', async ({ page }) => {
  await openApp(page);
  await page.getByRole('radio', { name: /^Your Dockerfile/ }).check();
  const values = page.getByLabel('Template values');
  await expect(values).toHaveValue('BaseImage=ubuntu:24.04');
  await values.click();
  await page.keyboard.press('Control+End');
  // Enter and then the next value, key by key, as a user types it.
  await page.keyboard.press('Enter');
  await values.pressSequentially('Greeting=hello world');
  await expect(values).toHaveValue('BaseImage=ubuntu:24.04\nGreeting=hello world');
  // The recipe holds both values apart (not "BaseImage: ubuntu:24.04Greeting=hello world").
  await next(page);
  await next(page);
  await next(page);
  await page.getByLabel('Password', { exact: true }).pressSequentially('e2e-password');
  await page.getByLabel('Password', { exact: true }).blur();
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Review', level: 2 })).toBeVisible();
  const recipe = page.getByLabel('Recipe YAML');
  await expect(recipe).toContainText(/values:\s+BaseImage: ubuntu:24.04\s+Greeting: hello world\s/);
});

test('a second SSH key typed on a new line stays a second key', async ({ page }) => {
  // The same box-eats-line-breaks bug as Template values, in the Cloud-config step's SSH keys.
  await openApp(page);
  for (let i = 0; i < 3; i++) await next(page);
  const keys = page.getByLabel('SSH keys');
  await keys.pressSequentially('github:alice');
  await page.keyboard.press('Enter');
  await keys.pressSequentially('github:bob');
  await expect(keys).toHaveValue('github:alice\ngithub:bob');
  await expect(page.getByTestId('yaml-editor').locator('.cm-content')).toContainText(/ssh_authorized_keys:.*- github:alice.*- github:bob/);
});

test('while the cloud-config YAML has an error the form keeps its values and says why it is locked', async ({ page }) => {
  await openApp(page);
  for (let i = 0; i < 3; i++) await next(page);
  await expect(page.getByRole('heading', { name: 'Cloud-config', level: 2 })).toBeVisible();
  const userName = page.getByLabel('User name');
  await expect(userName).toHaveValue('kairos');
  const editor = page.getByTestId('yaml-editor').locator('.cm-content');
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('hostname: [broken');
  await expect(page.getByLabel('Cloud-config problems')).toContainText('Error');
  // The fields show what the YAML last said, and tell the user they wait for the YAML to be fixed.
  await expect(userName).toHaveValue('kairos');
  await expect(userName).toBeDisabled();
  await expect(page.getByText(/fix the YAML error .* to edit these fields again/i)).toBeVisible();
  await expectAccessible(page, 'Cloud-config locked by a YAML error');
  // Fixed by typing: the form is editable again and what is typed lands in the YAML.
  for (let i = 0; i < 'hostname: [broken'.length; i++) await page.keyboard.press('Backspace');
  await expect(userName).toBeEnabled();
  await page.getByLabel('Hostname').pressSequentially('typed-host');
  await expect(page.getByLabel('Hostname')).toHaveValue('typed-host');
  await expect(editor).toContainText('hostname: typed-host');
  await expect(userName).toHaveValue('kairos');
});

test('a problem inside the collapsed Advanced section is shown, not just counted', async ({ page }) => {
  await openApp(page);
  await next(page);
  await page.getByRole('radio', { name: /^From scratch/ }).check();
  await page.getByText('Advanced', { exact: true }).click();
  const framework = page.getByLabel('Kairos framework');
  await framework.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('none');
  await expect(page.getByTestId('next')).toBeEnabled();
  // Back to the source: a Kairos release, then a distribution again (the method becomes kairos-init).
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('radio', { name: /^A Kairos release/ }).check();
  await page.getByRole('radio', { name: /^A Linux distribution/ }).check();
  await next(page);
  await expect(page.getByRole('status').filter({ hasText: 'problem' })).toHaveText('1 problem to fix on this step');
  await expect(page.getByTestId('next')).toBeDisabled();
  // Advanced opened by itself: the field that holds the problem is on screen with its message
  // (so the list of problems shown nowhere else stays empty).
  await expect(page.getByLabel('Kairos framework')).toBeVisible();
  await expect(page.getByLabel('Kairos framework')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'kairos-init always installs the Kairos framework' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Problems on this step' })).toHaveCount(0);
  // Fixed by typing where it is shown.
  await page.getByLabel('Kairos framework').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('quay.io/kairos/framework:v2.18.3');
  await expect(page.getByTestId('next')).toBeEnabled();
  await expectAccessible(page, 'System with a problem in Advanced');
});

test('a problem in a field the step did not draw (Kairos release) is shown there, to be fixed', async ({ page }) => {
  await openApp(page);
  await next(page);
  await page.getByText('Advanced', { exact: true }).click();
  await page.getByLabel('Kairos framework').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Not An Image!');
  await expect(page.getByTestId('next')).toBeDisabled();
  await page.getByRole('button', { name: 'Back' }).click();
  // A Kairos release hides the kairosify settings: the problem must still be visible on System.
  await page.getByRole('radio', { name: /^A Kairos release/ }).check();
  await next(page);
  await expect(page.getByRole('status').filter({ hasText: 'problem' })).toHaveText('1 problem to fix on this step');
  await expect(page.getByLabel('Kairos framework')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'not an image reference' })).toBeVisible();
  // And it can be fixed where it is shown.
  await page.getByLabel('Kairos framework').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('quay.io/kairos/framework:v2.18.3');
  await expect(page.getByTestId('next')).toBeEnabled();
  await expect(page.getByRole('list', { name: 'Problems on this step' })).toHaveCount(0);
});

test('"Flash now" clicked twice starts one job, and stays disabled while it runs', async ({ page }) => {
  await openApp(page);
  const data = process.env.KF_E2E_DATA!;
  const image = `${data}/ui-bugs-image.img`;
  const target = `${data}/ui-bugs-card.img`;
  execSync(`head -c 8M /dev/urandom > ${image}`);
  const flashJobs = async (): Promise<number> => (await engine<ReadonlyArray<{ kind: string }>>(page.request, 'jobs.list')).filter((j) => j.kind === 'flash').length;
  const before = await flashJobs();
  await openStep(page, 'Flash');
  await page.getByLabel('Image', { exact: true }).pressSequentially(image);
  const virtual = page.getByRole('checkbox', { name: 'Show loop devices and image files' });
  if (!(await virtual.isChecked())) await virtual.check();
  await page.getByLabel('Or write to an image file').pressSequentially(target);
  const flash = page.getByRole('button', { name: 'Flash now' });
  await expect(flash).toBeEnabled();
  await flash.dblclick();
  const panel = page.getByTestId('job-flash');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(panel).not.toContainText('in use');
  expect(await flashJobs()).toBe(before + 1);
  execSync(`cmp ${image} ${target}`);
  // Done: the next card can be flashed.
  await expect(flash).toBeEnabled();
});

test('dark theme: the YAML editor passes axe (colour contrast of keys and values)', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  try {
    for (let i = 0; i < 3; i++) await next(page);
    const editor = page.getByTestId('yaml-editor').locator('.cm-content');
    await expect(editor).toContainText('users:');
    await editor.click();
    await page.keyboard.press('Control+End');
    // Every kind of token the highlighter colours: a comment, a key, a string, a number, a boolean.
    await page.keyboard.type('hostname: "node" # comment\ninstall:\n  auto: true\n  poweroff: false\n');
    await expect(editor).toContainText('poweroff');
    await expectAccessible(page, 'Cloud-config editor in dark mode');
  } finally {
    await page.getByLabel('Theme').selectOption('system');
  }
});

test('below 1000 px the sidebar collapses behind a button', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 800 });
  await openApp(page);
  const steps = page.getByRole('navigation', { name: 'Wizard steps' });
  const toggle = page.getByRole('button', { name: 'Steps and recipes' });
  await expect(steps).toBeHidden();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(steps).toBeVisible();
  await expectAccessible(page, 'narrow window with the sidebar open');
  // Picking a step closes the panel again and shows the step.
  await steps.getByRole('button', { name: /System/ }).click();
  await expect(page.getByRole('heading', { name: 'System', level: 2 })).toBeVisible();
  await expect(steps).toBeHidden();
  // Escape closes it too, back on the button.
  await toggle.click();
  await page.keyboard.press('Escape');
  await expect(steps).toBeHidden();
  await expect(toggle).toBeFocused();
  // Wide again: the sidebar is always there and the button is gone.
  await page.setViewportSize({ width: 1280, height: 860 });
  await expect(steps).toBeVisible();
  await expect(toggle).toBeHidden();
});
