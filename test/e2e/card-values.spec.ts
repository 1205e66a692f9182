// The Flash step's per-card values: a hostname pattern previews each chosen card's name (the
// engine's own expansion), a pattern no hostname can hold is refused with its message and blocks
// Flash, and so does a card's extra cloud-config that is wrong.
import { execSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { engine, expectAccessible, isRoot, openApp, shot } from './support.js';

test('a hostname pattern is previewed for every card, and a wrong one is refused', async ({ page }) => {
  await openApp(page);
  const data = process.env.KF_E2E_DATA!;
  const image = `${data}/cards-image.img`;
  execSync(`truncate -s 4M ${image}`);
  const before = await engine<{ showVirtualTargets: boolean }>(page.request, 'settings.get');
  const devices: string[] = [];
  try {
    // Two drives, as a fleet is flashed: loop devices, there before the step lists the drives.
    if (isRoot()) {
      for (const n of [1, 2]) {
        execSync(`truncate -s 64M ${data}/card-${n}.img`);
        devices.push(execSync(`losetup -f --show ${data}/card-${n}.img`, { encoding: 'utf8' }).trim());
      }
    }
    await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: /Flash/ }).click();
    await expect(page.getByRole('heading', { name: 'Flash', level: 2 })).toBeVisible();
    await page.getByLabel('Image', { exact: true }).fill(image);
    const virtual = page.getByRole('checkbox', { name: 'Show loop devices and image files' });
    if (!(await virtual.isChecked())) await virtual.check();

    let targets: string[];
    if (isRoot()) {
      for (const device of devices) {
        const option = page.getByRole('checkbox', { name: new RegExp(`${device.replace('/dev/', '')}\\b`) });
        await expect(option).toBeVisible({ timeout: 15_000 });
        await option.check();
      }
      targets = devices;
    } else {
      if (process.env.KF_REQUIRE_INTEGRATION === '1') throw new Error('two drives need root for loop devices');
      console.warn('[e2e] not root: one card (an image file) instead of two loop devices');
      targets = [`${data}/card-1.img`];
      await page.getByLabel('Or write to an image file').fill(targets[0]!);
    }

    const pattern = page.getByLabel('Hostname pattern');
    await pattern.fill('node-{n}');
    for (const [i, target] of targets.entries()) {
      const card = page.getByTestId(`card-${i + 1}`);
      await expect(card).toContainText(`Card ${i + 1} ${target}`);
      await expect(card).toContainText(`hostname node-${i + 1}`);
    }
    const flash = page.getByRole('button', { name: 'Flash now' });
    await expect(flash).toBeEnabled();
    await expectAccessible(page, 'Flash with per-card values');
    await shot(page, '08-flash-cards');

    // Loop devices report no serial: {serial} is a stable tag made from their backing files.
    await pattern.fill('pi-{serial}');
    await expect(page.getByTestId('card-1')).toContainText(/hostname pi-x[0-9a-f]{7}/);

    // A character no hostname can hold: refused at the field, saying which, and Flash is blocked.
    await pattern.fill('node_{n}');
    await expect(page.getByRole('alert').filter({ hasText: 'The hostname pattern "node_{n}": "_" cannot be in a hostname' })).toBeVisible();
    await expect(pattern).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('card-1')).not.toContainText('hostname');
    await expect(flash).toBeDisabled();
    await pattern.fill('node-{n}');
    await expect(flash).toBeEnabled();

    // A card's extra cloud-config that is not valid blocks Flash too, naming the card and line.
    await page.getByText('Extra cloud-config for card 1').click();
    const extra = page.getByLabel('Card 1 extra cloud-config');
    await extra.fill('timezone: UTC\nusers: root\n');
    await expect(page.getByRole('alert').filter({ hasText: "Card 1's cloud-config (line 2): users must be a list" })).toBeVisible();
    await expect(flash).toBeDisabled();
    await extra.fill('timezone: UTC\n');
    await expect(flash).toBeEnabled();
  } finally {
    for (const device of devices) execSync(`losetup -d ${device}`);
    await engine(page.request, 'settings.set', { showVirtualTargets: before.showVirtualTargets });
  }
});
