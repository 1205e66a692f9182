// Issue 12's last acceptance line: axe on every screen, in both themes, with no serious or
// critical violation. Each theme walks the start screen, the flash door and its file browser,
// every wizard step in each of its shapes (the four sources, both kairosify methods with Advanced
// open and a Raspberry Pi, Trusted Boot off and on, the cloud-config form, editor and a YAML error,
// Review with its warning and Save As), the Build and Flash steps without building, the history
// and the start screen listing saved recipes. Nothing is built: no Docker build, no qemu.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { choosePassword, expectAccessible, expectCleanConsole, next, openStart } from './support.js';

// One retry: on a loaded machine a step's lazy chunk can outlast an expect's 5 s once (seen once in
// four runs under six agents' load); a real violation fails both tries.
test.describe.configure({ retries: 1 });

const heading = (page: Page, name: string) => page.getByRole('heading', { name, level: 2 });

/** Leaves for the start screen, from anywhere but the start screen. */
async function toStart(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start screen' }).click();
  await expect(heading(page, 'What would you like to do?')).toBeVisible();
}

/** A wizard step from the side panel's step list. */
async function toStep(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: new RegExp(`^\\d?\\s*${title}`) }).click();
  await expect(heading(page, title)).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test(`every screen passes axe in the ${theme} theme`, async ({ page }) => {
    test.setTimeout(3 * 60_000);
    const keysFolder = mkdtempSync(join(tmpdir(), 'kf-axe-keys-'));
    writeFileSync(join(keysFolder, 'PK.crt'), 'not a certificate\n');
    const at = (where: string) => expectAccessible(page, `${where} (${theme})`);
    await openStart(page);
    await page.getByLabel('Theme').selectOption(theme);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    try {
      await at('the start screen');
      // "Open a recipe" with a file that is no recipe: the door lists what to fix.
      await page.getByLabel('Recipe file').setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('name: Not A Name\n') });
      await expect(page.getByRole('alert').filter({ hasText: 'broken.yaml is not a recipe Kairos Factory can open' })).toBeVisible();
      await at('the start screen with a recipe file refused');

      // The flash door, and its file browser open on a folder with entries.
      await page.getByRole('button', { name: /^Flash an image/ }).click();
      await expect(heading(page, 'Flash an image')).toBeFocused();
      await at('the flash door');
      await page.locator('.field', { has: page.getByLabel('Image', { exact: true }) }).getByRole('button', { name: 'Browse…' }).click();
      const picker = page.getByRole('dialog', { name: 'Choose the image' });
      await expect(picker).toBeVisible();
      const folder = picker.getByLabel('Folder');
      await folder.fill('');
      await folder.pressSequentially(process.cwd());
      await folder.press('Enter');
      await expect(picker.getByRole('list', { name: `Contents of ${process.cwd()}` })).toBeVisible();
      await expect(picker.getByRole('button', { name: 'test/' })).toBeVisible();
      await at('the file browser');
      await page.keyboard.press('Escape');
      await expect(picker).toBeHidden();
      await toStart(page);

      // Source, in each of its four shapes.
      await page.getByRole('button', { name: /^Build an OS image/ }).click();
      await expect(heading(page, 'Source')).toBeVisible();
      // A field in error (its message, and the step list marking the step) first.
      await page.getByLabel('Name', { exact: true }).fill('Not A Name');
      await expect(page.getByTestId('next')).toBeDisabled();
      await expect(page.getByRole('navigation', { name: 'Wizard steps' })).toContainText('needs attention');
      await at('Source with a name in error');
      await page.getByLabel('Name', { exact: true }).fill(`axe-${theme}`);
      await page.getByLabel('Distribution', { exact: true }).selectOption('debian');
      await page.getByLabel('Release', { exact: true }).selectOption('debian:bookworm');
      await at('Source: a distribution');
      await page.getByRole('radio', { name: /^A Kairos release/ }).check();
      await expect(page.getByLabel('Kairos image', { exact: true })).toBeVisible();
      await at('Source: a Kairos release');
      await page.getByRole('radio', { name: /^Your Dockerfile/ }).check();
      await page.getByLabel('Dockerfile', { exact: true }).fill('FROM {{ .Base }}\nRUN echo {{ .Greeting }}\n');
      await page.getByLabel('Template values').fill('Base=debian:bookworm\nGreeting=hello');
      await at('Source: a Dockerfile with template values');
      await page.getByRole('radio', { name: /^A root filesystem/ }).check();
      await expect(page.getByLabel('Root filesystem', { exact: true })).toBeVisible();
      await at('Source: a root filesystem');
      await page.getByRole('radio', { name: /^A Linux distribution/ }).check();
      await page.getByLabel('Distribution', { exact: true }).selectOption('debian');
      await page.getByLabel('Release', { exact: true }).selectOption('debian:bookworm');
      await next(page);

      // System: kairos-init, then scratch with Advanced open, then a Raspberry Pi.
      await expect(heading(page, 'System')).toBeFocused();
      await expect(page.getByRole('radio', { name: /^kairos-init/ })).toBeChecked();
      await at('System: kairos-init');
      await page.getByRole('radio', { name: /^From scratch/ }).check();
      await page.getByText('Advanced').click();
      await expect(page.getByLabel('Kairos framework')).toBeVisible();
      await at('System: scratch, Advanced open');
      await page.getByRole('radio', { name: /^kairos-init/ }).check();
      await page.getByRole('radio', { name: /^Standard/ }).check();
      await expect(page.getByLabel('Kubernetes version')).toBeVisible();
      await at('System: Standard, with Kubernetes');
      await page.getByRole('radio', { name: /^Core/ }).check();
      await page.getByLabel('Model').selectOption('rpi4');
      await expect(page.getByLabel('Architecture')).toHaveValue('arm64');
      await at('System: a Raspberry Pi 4');
      await next(page);

      // Trusted Boot: off, then on with its fields.
      await expect(heading(page, 'Trusted Boot')).toBeVisible();
      await expect(page.getByRole('radio', { name: /^Off/ })).toBeChecked();
      await at('Trusted Boot: off');
      await page.getByRole('radio', { name: /^Use my keys/ }).check();
      // A folder with one key of the six: the check lists what is there and what is missing.
      const keys = page.getByLabel('Keys folder', { exact: true });
      await keys.fill(keysFolder);
      await keys.blur();
      await expect(page.getByRole('list', { name: 'Keys found' }).locator('li.bad')).not.toHaveCount(0);
      await at('Trusted Boot: my keys, a folder checked');
      await page.getByRole('radio', { name: /^Generate keys/ }).check();
      await expect(page.getByTestId('trusted-boot-artifacts')).toBeVisible();
      await at('Trusted Boot: generated keys');
      await page.getByRole('radio', { name: /^Off/ }).check();
      await next(page);

      // Cloud-config: the form and the editor, then the editor with an error.
      await expect(heading(page, 'Cloud-config')).toBeVisible();
      await choosePassword(page);
      await page.getByLabel('Hostname').fill(`axe-${theme}`);
      const editor = page.getByTestId('yaml-editor').locator('.cm-content');
      await expect(editor).toContainText(`hostname: axe-${theme}`);
      await at('Cloud-config');
      await editor.click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('install: [broken');
      await expect(page.getByLabel('Cloud-config problems')).toContainText('Error');
      await at('Cloud-config with a YAML error');
      for (let i = 0; i < 'install: [broken'.length; i++) await page.keyboard.press('Backspace');
      await expect(page.getByLabel('Cloud-config problems')).toBeHidden();
      await next(page);

      // Artifacts, then Review with the Raspberry Pi's warning (an ISO chosen for a card).
      await expect(heading(page, 'Artifacts')).toBeVisible();
      await at('Artifacts');
      await next(page);
      await expect(heading(page, 'Review')).toBeVisible();
      await expect(page.getByTestId('preflight-problems')).toContainText('a Raspberry Pi boots from its SD card');
      await expect(page.getByTestId('dockerfile').or(page.getByText(/Generated Dockerfile/))).not.toHaveCount(0);
      await at('Review with a warning');

      // Save, Save As, and Save As onto an existing name (the replace question).
      await page.getByRole('button', { name: 'Save recipe' }).click();
      await expect(page.getByText(`Saved as axe-${theme}`)).toBeVisible();
      await page.getByRole('button', { name: 'Save as…' }).click();
      const saveAs = page.getByLabel('Name to save as');
      await saveAs.fill(`axe-${theme}-copy`);
      await at('Review with Save As');
      await page.getByRole('button', { name: 'Save as this name' }).click();
      await expect(page.getByText(`Saved as axe-${theme}-copy`)).toBeVisible();
      await page.getByRole('button', { name: 'Save as…' }).click();
      await saveAs.fill(`axe-${theme}`);
      await page.getByRole('button', { name: 'Save as this name' }).click();
      const replace = page.getByRole('alertdialog');
      await expect(replace).toContainText(`A saved recipe named axe-${theme} exists already`);
      await at('Review with the replace question');
      await replace.getByRole('button', { name: 'Cancel' }).click();
      await expect(replace).toBeHidden();

      // Build before any build, and Flash, from the step list.
      await toStep(page, 'Build');
      await expect(page.getByText('No build yet')).toBeVisible();
      await at('Build with no build yet');
      await toStep(page, 'Flash');
      await expect(page.getByLabel('Image', { exact: true })).toBeVisible();
      await at('Flash');

      // The history, and the start screen with the saved recipes listed.
      await page.getByRole('button', { name: 'All jobs (history)' }).click();
      await expect(heading(page, 'History')).toBeVisible();
      await at('the history');
      await toStart(page);
      await expect(page.getByRole('list', { name: 'Saved recipes' }).getByRole('button', { name: `axe-${theme}`, exact: true })).toBeVisible();
      await at('the start screen with saved recipes');
      expectCleanConsole(page);
    } finally {
      // Settings persist in the engine: the other specs find the theme they expect.
      await page.getByLabel('Theme').selectOption('system');
      rmSync(keysFolder, { recursive: true, force: true });
    }
  });
}
