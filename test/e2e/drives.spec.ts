// The Flash step's drive list with SD cards: the drives are the lsblk fixtures of real readers
// (a laptop's internal Realtek reader with a card, a USB multi-card reader with a card and empty
// slots), read by the engine's own lsblk reader and judged by its rules; only the answer to
// drives.list is replaced, so no such hardware is needed.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { drivesFromLsblk } from '../../src-main/drives/linux-drives.js';
import { driveStatus } from '../../src-shared/drives/drive-constraints.js';
import { expectAccessible, openApp, shot } from './support.js';

function fixtureDrives() {
  const drives = ['laptop-rtsx-sd-reader', 'usb-multi-card-reader'].flatMap((name) =>
    drivesFromLsblk(readFileSync(`test/fixtures/lsblk/${name}.json`, 'utf8'), { byId: new Map(), loops: new Map() }),
  );
  return { drives: drives.map((d) => driveStatus(d, {})) };
}

test('SD cards are listed as SD cards, and an empty reader slot as "no card" that cannot be picked', async ({ page }) => {
  await page.route('**/api/request/drives.list', (route) => route.fulfill({ json: { ok: true, value: fixtureDrives() } }));
  await openApp(page);
  await page.getByRole('navigation', { name: 'Wizard steps' }).getByRole('button', { name: /Flash/ }).click();
  await expect(page.getByRole('heading', { name: 'Flash', level: 2 })).toBeVisible();

  const card = page.getByRole('checkbox', { name: /mmcblk0/ });
  await expect(card).toBeEnabled();
  const internal = page.locator('label.drive', { has: page.locator('code', { hasText: '/dev/mmcblk0' }) });
  await expect(internal).toContainText('Internal card reader');
  await expect(internal.locator('.drive-kind')).toHaveText('SD card');
  const usbCard = page.locator('label.drive', { has: page.locator('code', { hasText: '/dev/sdb' }) });
  await expect(usbCard).toContainText('Generic- SD/MMC');
  await expect(usbCard.locator('.drive-kind')).toHaveText('Card in a USB reader');
  await expect(page.getByRole('checkbox', { name: /\/dev\/sdb/ })).toBeEnabled();

  const empty = page.locator('label.drive', { has: page.locator('code', { hasText: '/dev/sdc' }) });
  await expect(empty.locator('.drive-kind')).toHaveText('Card reader, no card');
  await expect(empty).toContainText('No card in this slot: insert one to write it');
  await expect(page.getByRole('checkbox', { name: /\/dev\/sdc/ })).toBeDisabled();
  // Each kind has its picture: a card for the cards and the empty slot.
  for (const row of [internal, usbCard, empty]) await expect(row.locator('svg[data-icon]')).toHaveAttribute('data-icon', 'sd');
  await page.getByLabel('Show system drives').check();
  const nvme = page.locator('label.drive', { has: page.locator('code', { hasText: '/dev/nvme0n1' }) });
  await expect(nvme.locator('svg[data-icon]')).toHaveAttribute('data-icon', 'disk');
  await page.getByLabel('Show system drives').uncheck();
  // The NVMe system disk stays hidden until asked for.
  await expect(page.locator('code', { hasText: '/dev/nvme0n1' })).toHaveCount(0);

  await card.check();
  await expect(card).toBeChecked();
  await expectAccessible(page, 'Flash with SD cards');
  await shot(page, '08-flash-sd-cards');
});
