// The whole wizard for the Debian test recipe, in Chromium against the web shell: every step
// shown, checked with axe and photographed, a real build, its ISO, a boot test and a flash.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dockerMissing, expectAccessible, expectCleanConsole, isRoot, next, openApp, shot } from './support.js';

test.describe.configure({ mode: 'serial' });

test('walk the wizard, build the Debian recipe, test it in a VM and flash it', async ({ page }) => {
  test.setTimeout(25 * 60_000);
  await openApp(page);
  const out = `${process.env.KF_E2E_DATA}/out/e2e-debian`;

  // 1 Source
  await page.getByLabel('Name', { exact: true }).fill('e2e-debian');
  await page.getByLabel('Distribution', { exact: true }).selectOption('debian');
  await page.getByLabel('Release', { exact: true }).selectOption('debian:bookworm');
  await expectAccessible(page, 'Source');
  await shot(page, '01-source');
  await next(page);

  // 2 System: the scratch method, no framework (a plain bootable image)
  await expect(page.getByRole('heading', { name: 'System', level: 2 })).toBeFocused();
  await page.getByRole('radio', { name: /^From scratch/ }).check();
  await page.getByText('Advanced').click();
  await page.getByLabel('Kairos framework').fill('none');
  await expectAccessible(page, 'System');
  await shot(page, '02-system');
  await next(page);

  // 3 Trusted Boot: off
  await expect(page.getByRole('radio', { name: /^Off/ })).toBeChecked();
  await expectAccessible(page, 'Trusted Boot');
  await shot(page, '03-trusted-boot');
  await next(page);

  // 4 Cloud-config: the form writes into the YAML
  await page.getByLabel('Hostname').fill('factory-test');
  await page.getByLabel('SSH keys').fill('github:kairos-io');
  const yaml = page.getByTestId('yaml-editor').locator('.cm-content');
  await expect(yaml).toContainText('hostname: factory-test');
  await expect(yaml).toContainText('github:kairos-io');
  // The editor is styled (its own style sheets pass the CSP): the gutter sits beside the text.
  const gutter = await page.getByTestId('yaml-editor').locator('.cm-gutters').boundingBox();
  const content = await yaml.boundingBox();
  expect(gutter!.x + gutter!.width).toBeLessThanOrEqual(content!.x + 1);
  await expectAccessible(page, 'Cloud-config');
  await shot(page, '04-cloud-config');
  await next(page);

  // 5 Artifacts
  await expect(page.getByRole('checkbox', { name: /^Hybrid ISO/ })).toBeChecked();
  await page.getByLabel('Output folder').fill(out);
  await expectAccessible(page, 'Artifacts');
  await shot(page, '05-artifacts');
  await next(page);

  // 6 Review: the recipe, the Dockerfile (read from the local base image), the cloud-config
  await expect(page.getByLabel('Recipe YAML')).toContainText('name: e2e-debian');
  await expect(page.getByTestId('dockerfile')).toContainText('FROM debian:bookworm', { timeout: 30_000 });
  await expect(page.getByLabel('Cloud-config', { exact: true })).toContainText('hostname: factory-test');
  await expectAccessible(page, 'Review');
  await shot(page, '06-review');
  expectCleanConsole(page);

  if (await dockerMissing(page)) return;

  // 7 Build: progress events arrive, then the ISO in the result
  await page.getByRole('button', { name: 'Start build' }).click();
  const panel = page.getByTestId('job-build');
  await expect(panel).toBeVisible();
  await expect(panel.getByLabel('Build phases')).toContainText('build image', { timeout: 120_000 });
  await expect(panel.getByTestId('progress-numbers')).not.toBeEmpty({ timeout: 120_000 });
  await shot(page, '07-build-running');
  await expect(panel).toHaveAttribute('data-state', 'done', { timeout: 20 * 60_000 });
  const iso = page.getByTestId('artifact-path');
  await expect(iso).toHaveText(`${out}/e2e-debian.iso`);
  await expectAccessible(page, 'Build result');
  await shot(page, '07-build-done');

  // Test in VM (BIOS): the boot test job reaches userspace
  await page.getByRole('button', { name: 'Test in VM (BIOS)' }).click();
  const vm = page.getByTestId('job-test-in-vm');
  // The app allows emulated boots 600 s; on failure the panel's text (the reason, the log's name)
  // and the console's last lines say why.
  await expect(vm).toHaveAttribute('data-state', /^(done|failed)$/, { timeout: 11 * 60_000 });
  if ((await vm.getAttribute('data-state')) !== 'done') {
    const log = `${out}/e2e-debian.iso.bios.boot.log`;
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-40).join('\n') : '(no console log)';
    throw new Error(`Test in VM failed: ${await vm.innerText()}\n--- console, last lines ---\n${tail}`);
  }
  await expect(vm).toContainText(/booted \(bios\)/);
  await shot(page, '07-test-in-vm');

  // 8 Flash to a loop device that appears while the step is open (hot-plug refresh)
  await page.getByRole('button', { name: 'Flash…' }).click();
  await expect(page.getByLabel('Image', { exact: true })).toHaveValue(`${out}/e2e-debian.iso`);
  if (!isRoot()) {
    if (process.env.KF_REQUIRE_INTEGRATION === '1') throw new Error('flashing needs root for loop devices');
    console.warn('[e2e] skipped the flash part: not root, no loop devices');
    return;
  }
  const file = `${process.env.KF_E2E_DATA}/stick.img`;
  execSync(`truncate -s 512M ${file}`);
  const device = execSync(`losetup -f --show ${file}`, { encoding: 'utf8' }).trim();
  try {
    const option = page.getByRole('checkbox', { name: new RegExp(device.replace('/dev/', '')) });
    await expect(option).toBeVisible({ timeout: 15_000 });
    await option.check();
    await expectAccessible(page, 'Flash');
    await shot(page, '08-flash');
    await page.getByRole('button', { name: 'Flash now' }).click();
    const flash = page.getByTestId('job-flash');
    await expect(flash).toHaveAttribute('data-state', 'done', { timeout: 5 * 60_000 });
    await expect(flash).toContainText(/written to .* and verified/);
    await shot(page, '08-flash-done');
    execSync(`cmp -n $(stat -c %s ${out}/e2e-debian.iso) ${out}/e2e-debian.iso ${device}`);
  } finally {
    execSync(`losetup -d ${device}`);
  }
});
