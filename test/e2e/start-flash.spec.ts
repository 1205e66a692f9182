// The front door as a new user meets it: the start screen (axe in both themes, the README's
// picture), then "I just want to flash this image": an image that already exists, chosen with the
// web shell's file browser, written to a loop device, and the completion screen at the end. While
// the flash runs the window's title shows it and leaving the page is guarded.
import { execSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectCleanConsole, isRoot, openStart, shot } from './support.js';

test('the start screen offers three doors and passes axe in both themes', async ({ page }) => {
  await openStart(page);
  await expect(page.getByRole('button', { name: /^Build an OS image/ })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Flash an image/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Open a recipe', level: 3 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Open a YAML file…' })).toBeVisible();
  await expect(page).toHaveTitle('Kairos Factory');
  const theme = page.getByLabel('Theme');
  await theme.selectOption('light');
  await expectAccessible(page, 'the start screen (light)');
  await shot(page, '00-start');
  await theme.selectOption('dark');
  await expectAccessible(page, 'the start screen (dark)');
  await shot(page, '00-start-dark');
  await theme.selectOption('system');
  expectCleanConsole(page);
});

test('a new user flashes an existing image from the start screen, chosen with the file browser, onto a loop device', async ({ page }) => {
  test.setTimeout(5 * 60_000);
  const folder = mkdtempSync(join(tmpdir(), 'kf-front-door-'));
  mkdirSync(join(folder, 'images'));
  const image = join(folder, 'images', 'front-door.img');
  // An image someone downloaded: 32 MiB that cannot be mistaken for zeros.
  execSync(`head -c 32M /dev/urandom > ${image}`);
  // The desktop notifications the page shows, as a user who allowed them would see them.
  await page.addInitScript(() => {
    const shown: Array<{ title: string; body: string | undefined }> = [];
    (window as unknown as { kfNotices: typeof shown }).kfNotices = shown;
    class Shown {
      static permission = 'granted';
      static requestPermission = () => Promise.resolve('granted');
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(window, 'Notification', { value: Shown });
  });
  try {
    await openStart(page);
    await page.getByRole('button', { name: /^Flash an image/ }).click();
    await expect(page.getByRole('heading', { name: 'Flash an image', level: 2 })).toBeFocused();
    await expectAccessible(page, 'the flash door');

    // The picker: a browser of the engine's machine, opened from Browse…, walked to the image.
    const browse = page.locator('.field', { has: page.getByLabel('Image', { exact: true }) }).getByRole('button', { name: 'Browse…' });
    await browse.click();
    const picker = page.getByRole('dialog', { name: 'Choose the image' });
    await expect(picker).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(picker).toBeHidden();
    await expect(page.getByLabel('Image', { exact: true })).toHaveValue('');
    await browse.click();
    await expect(picker).toBeVisible();
    // Typed into the browser's folder box, as a user does.
    const openFolder = async (path: string): Promise<void> => {
      const where = picker.getByLabel('Folder');
      await where.fill('');
      await where.pressSequentially(path);
      await where.press('Enter');
    };
    // A folder that is not there is said, and the browser stays usable.
    await openFolder(join(folder, 'missing'));
    await expect(picker.getByRole('alert')).toContainText(`The folder ${join(folder, 'missing')} does not exist`);
    await openFolder(folder);
    await picker.getByRole('button', { name: 'images/' }).click();
    await expect(picker.getByRole('list', { name: `Contents of ${join(folder, 'images')}` })).toBeVisible();
    await expectAccessible(page, 'the file browser');
    await shot(page, '00-flash-picker');
    await picker.getByRole('button', { name: 'front-door.img' }).click();
    await expect(picker).toBeHidden();
    await expect(browse).toBeFocused();
    await expect(page.getByLabel('Image', { exact: true })).toHaveValue(image);
    await expect(page.getByRole('group', { name: /the image needs 32\.0 MiB/ })).toBeVisible();

    if (!isRoot()) {
      if (process.env.KF_REQUIRE_INTEGRATION === '1') throw new Error('flashing needs root for loop devices');
      console.warn('[e2e] skipped the flash part: not root, no loop devices');
      return;
    }
    const stick = join(folder, 'stick.img');
    execSync(`truncate -s 64M ${stick}`);
    const device = execSync(`losetup -f --show ${stick}`, { encoding: 'utf8' }).trim();
    try {
      const option = page.getByRole('checkbox', { name: new RegExp(`${device.replace('/dev/', '')}\\b`) });
      await expect(option).toBeVisible({ timeout: 15_000 });
      await option.check();

      // Every title the window shows from now on, and whether leaving was refused at that moment.
      await page.evaluate(() => {
        const w = window as unknown as { kfTitles: Array<{ title: string; guarded: boolean }> };
        w.kfTitles = [];
        new MutationObserver(() => {
          const leave = new Event('beforeunload', { cancelable: true });
          window.dispatchEvent(leave);
          w.kfTitles.push({ title: document.title, guarded: leave.defaultPrevented });
        }).observe(document.querySelector('title')!, { childList: true, characterData: true, subtree: true });
      });
      await page.getByRole('button', { name: 'Flash now' }).click();

      await expect(page.getByRole('heading', { name: 'Flash complete', level: 2 })).toBeVisible({ timeout: 4 * 60_000 });
      await expect(page.getByText('it is safe to remove the drive now')).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: new RegExp(`written to ${device} and verified`) })).toBeVisible();
      await expect(page).toHaveTitle('Kairos Factory');
      const titles = await page.evaluate(() => (window as unknown as { kfTitles: Array<{ title: string; guarded: boolean }> }).kfTitles);
      const running = titles.filter((t) => /Flashing · Kairos Factory$/.test(t.title));
      expect(running.length, JSON.stringify(titles)).toBeGreaterThan(0);
      expect(running.every((t) => t.guarded)).toBe(true);
      expect(titles.at(-1)).toEqual({ title: 'Kairos Factory', guarded: false });
      const notices = await page.evaluate(() => (window as unknown as { kfNotices: unknown[] }).kfNotices);
      expect(notices).toEqual([{ title: 'Flash complete: safe to remove', body: expect.stringMatching(new RegExp(`written to ${device} and verified`)) }]);
      await expectAccessible(page, 'the completion screen');
      await shot(page, '00-flash-done');
      execSync(`cmp -n $(stat -c %s ${image}) ${image} ${device}`);

      // Another card: the same image, the drives to pick again.
      await page.getByRole('button', { name: 'Flash another card' }).click();
      await expect(page.getByRole('heading', { name: 'Flash an image', level: 2 })).toBeVisible();
      await expect(page.getByLabel('Image', { exact: true })).toHaveValue(image);
      await expect(page.getByRole('checkbox', { name: new RegExp(`${device.replace('/dev/', '')}\\b`) })).not.toBeChecked();
    } finally {
      execSync(`losetup -d ${device}`);
    }
    expectCleanConsole(page);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('"Open a recipe" opens a YAML file in the wizard, and says which lines of a bad one to fix', async ({ page }) => {
  await openStart(page);
  const file = page.getByLabel('Recipe file');
  await file.setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from('name: Not A Name\nsource:\n  baseImage: debian:bookworm\nartifacts: [floppy]\n') });
  const problems = page.getByRole('alert').filter({ hasText: 'broken.yaml is not a recipe Kairos Factory can open' });
  await expect(problems).toBeVisible();
  await expect(problems).toContainText(/Line 1, column \d+: name: /);
  await expect(problems).toContainText(/Line 4, column \d+: artifacts/);
  await expect(page.getByRole('heading', { name: 'What would you like to do?', level: 2 })).toBeVisible();

  await file.setInputFiles('examples/debian-bookworm.yaml');
  await expect(page.getByRole('heading', { name: 'Source', level: 2 })).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: 'Opened debian-bookworm.yaml' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('debian-bookworm');
  await expect(page.getByRole('button', { name: 'Source', exact: false }).first()).toHaveAttribute('aria-current', 'step');
  await page.getByRole('button', { name: 'Start screen' }).click();
  await expect(page.getByRole('heading', { name: 'What would you like to do?', level: 2 })).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Wizard steps' }).locator('[aria-current]')).toHaveCount(0);
});

test('a recently built image is one click from the flash door; a file dropped on the web page is explained, not lost', async ({ page }) => {
  const iso = '/srv/out/front-door-e2e.iso';
  // The engine's list with a finished build among the real jobs: only this answer is replaced.
  await page.route('**/api/request/jobs.list', async (route) => {
    const real = (await (await route.fetch()).json()) as { ok: boolean; value: unknown[] };
    const build = {
      jobId: 'front-door-build',
      kind: 'build',
      title: 'Build front-door-e2e',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2099-01-01T00:00:00.000Z',
      state: 'done',
      result: { seconds: 60, artifacts: [{ kind: 'iso', path: iso, size: 734003200, sha256: 'ab' }, { kind: 'netboot', path: '/srv/out/netboot', size: 1, sha256: 'cd' }] },
    };
    await route.fulfill({ json: { ok: true, value: [build, ...real.value] } });
  });
  await openStart(page);
  const recent = page.getByRole('region', { name: 'Recently built' });
  await expect(recent.getByRole('button', { name: /^Flash / })).toHaveCount(1);
  await expect(recent).toContainText('700 MiB · Build front-door-e2e');
  await recent.getByRole('button', { name: 'Flash front-door-e2e.iso' }).click();
  await expect(page.getByRole('heading', { name: 'Flash an image', level: 2 })).toBeFocused();
  await expect(page.getByLabel('Image', { exact: true })).toHaveValue(iso);

  // A browser names no path for a dropped file: the door says what to do instead.
  await page.locator('.flash-door').dispatchEvent('drop', {
    dataTransfer: await page.evaluateHandle(() => {
      const data = new DataTransfer();
      data.items.add(new File(['x'], 'dropped.iso'));
      return data;
    }),
  });
  await expect(page.getByRole('status').filter({ hasText: 'choose dropped.iso with Browse…' })).toBeVisible();
  await expect(page.getByLabel('Image', { exact: true })).toHaveValue(iso);
  await expectAccessible(page, 'the flash door with a recent image');
});
