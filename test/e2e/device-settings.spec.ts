// The Cloud-config form's device settings, typed as a person types them: Wi-Fi, time zone,
// keyboard layout, an SSH key and the user's password. The YAML shows each as the stage step
// Kairos runs, the Wi-Fi passphrase only as its WPA2 key and the password only as its hash.
import { expect, test } from '@playwright/test';
import { pbkdf2Sync } from 'node:crypto';
import { expectAccessible, next, openApp, shot } from './support.js';

test('Wi-Fi, time zone, keyboard, SSH key and password go into the YAML, the secrets only hashed', async ({ page }) => {
  await openApp(page);
  await next(page);
  await next(page);
  await next(page);
  await expect(page.getByRole('heading', { name: 'Cloud-config', level: 2 })).toBeVisible();
  const yaml = page.getByTestId('yaml-editor').locator('.cm-content');
  const problems = page.getByLabel('Cloud-config problems');

  // The default user has no password: the step asks for one (or a key) before it lets you on.
  await expect(problems).toContainText('nobody can log in as kairos');
  await expect(page.getByTestId('next')).toBeDisabled();

  await page.getByLabel('Password', { exact: true }).pressSequentially('correct horse battery');
  await page.getByLabel('Password', { exact: true }).blur();
  await expect(page.getByText('A password is set, stored as a SHA-512 crypt hash')).toBeVisible();
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(yaml).toContainText(/passwd: \$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}/);

  await page.getByLabel('SSH keys').pressSequentially('github:octocat');
  await page.getByLabel('SSH by key only').check();

  await page.getByLabel('Wi-Fi network (SSID)').pressSequentially('IEEE');
  await page.getByLabel('Wi-Fi passphrase').pressSequentially('password');
  // A Wi-Fi network needs its country before the step lets you on.
  await expect(problems).toContainText('two-letter ISO 3166 code');
  await expect(page.getByTestId('next')).toBeDisabled();
  await page.getByLabel('Wi-Fi country').pressSequentially('de');
  await expect(page.getByLabel('Wi-Fi country')).toHaveValue('DE');
  await page.getByLabel('Hidden network').check();

  await page.getByLabel('Time zone').pressSequentially('Europe/Berlin');
  await page.getByLabel('Keyboard layout').pressSequentially('de');

  await expect(page.getByTestId('next')).toBeEnabled();
  await expectAccessible(page, 'Cloud-config with device settings');
  await shot(page, '04-cloud-config-device');

  // The whole YAML, as the Review step shows it (the editor draws only the lines in view).
  await next(page);
  await next(page);
  const review = page.getByLabel('Cloud-config', { exact: true });
  // The IEEE 802.11i test vector: passphrase "password" on SSID "IEEE".
  await expect(review).toContainText('psk=f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
  for (const line of [
    'ssid="IEEE"',
    'country=DE',
    'scan_ssid=1',
    'systemctl enable --now --no-block wpa_supplicant@wlan0.service',
    'ln -sf /usr/share/zoneinfo/Europe/Berlin /etc/localtime',
    'XKBLAYOUT="de"',
    'PasswordAuthentication no',
    '- github:octocat',
  ]) {
    await expect(review).toContainText(line);
  }
  const text = await review.innerText();
  expect(text).toMatch(/passwd: \$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}/);
  expect(text).not.toContain('correct horse battery');
  expect(text).not.toMatch(/psk="?password/);

  // Away and back (the step list): the typed passphrase is gone (it lives only in the field), the settings are
  // read back from the YAML, and a new SSID without the passphrase would make a wrong key: the
  // form drops the key and asks for the passphrase again.
  await page.getByRole('button', { name: 'Cloud-config', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Cloud-config', level: 2 })).toBeVisible();
  await expect(page.getByLabel('Wi-Fi network (SSID)')).toHaveValue('IEEE');
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
  await page.getByLabel('Wi-Fi network (SSID)').press('End');
  await page.getByLabel('Wi-Fi network (SSID)').pressSequentially('2');
  await expect(page.getByText('The SSID changed: type the passphrase again')).toBeVisible();
  await page.getByRole('button', { name: 'Review', exact: true }).click();
  await expect(review).toContainText('ssid="IEEE2"');
  await expect(review).toContainText('key_mgmt=NONE');
  await expect(review).not.toContainText('psk=');
  await page.getByRole('button', { name: 'Cloud-config', exact: true }).click();
  await page.getByLabel('Wi-Fi passphrase').pressSequentially('password');
  await next(page);
  await next(page);
  // The WPA2 rule by Node's own PBKDF2: the SSID is the salt, 4096 rounds, 32 bytes.
  await expect(review).toContainText(`psk=${pbkdf2Sync('password', 'IEEE2', 4096, 32, 'sha1').toString('hex')}`);
});
