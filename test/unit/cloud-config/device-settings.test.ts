// The form's device settings all the way: form -> Kairos cloud-config (named stage steps) ->
// cloud-init user-data for a plain image, and what the image then needs installed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emptyForm, readCloudConfigForm, validateCloudConfig, writeCloudConfigForm, type CloudConfigForm } from '../../../src-shared/cloud-config/cloud-config.js';
import {
  KEYBOARD_STEP,
  TIMEZONE_STEP,
  WIFI_STEP,
  cloudConfigNeeds,
  deviceSettingsProblems,
  formStages,
  readWpaSupplicantConf,
  wpaSupplicantConf,
} from '../../../src-shared/cloud-config/device-settings.js';
import { plainImageSeed } from '../../../src-shared/cloud-config/plain-image.js';
import { hashPassword, passwordMatches, wpaPsk } from '../../../src-shared/cloud-config/secrets.js';
import { generateDockerfile } from '../../../src-shared/kairosify/dockerfile.js';
import { parseOsRelease } from '../../../src-shared/kairosify/os-release.js';
import { devicePackages } from '../../../src-shared/kairosify/package-sets.js';
import { RecipeSchema } from '../../../src-shared/recipe/recipe-schema.js';
import { DEVICE_FIELDS, TEST_PSK } from '../../fixtures/device-form.js';

const PSK = wpaPsk('IEEE', 'password');

const FORM: CloudConfigForm = {
  ...emptyForm(),
  userName: 'pi',
  password: hashPassword('raspberry-is-not-it'),
  sshKeys: ['github:octocat'],
  hostname: 'node-1',
  ...DEVICE_FIELDS,
};

interface UserData {
  hostname?: string;
  users?: Array<Record<string, unknown>>;
  ssh_import_id?: unknown;
  write_files?: Array<{ path: string; content: string; permissions?: string; owner?: string }>;
  runcmd?: string[];
}

describe('the Wi-Fi file', () => {
  it('holds the PSK, the country and the hidden flag, never the passphrase', () => {
    expect(PSK).toBe(TEST_PSK);
    expect(wpaSupplicantConf({ ssid: 'IEEE', psk: PSK, country: 'DE', hidden: true })).toBe(
      [
        '# Written by the Kairos Factory Cloud-config form: the PSK, never the passphrase.',
        'ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev',
        'update_config=0',
        'country=DE',
        'network={',
        '  ssid="IEEE"',
        '  scan_ssid=1',
        '  key_mgmt=WPA-PSK',
        `  psk=${PSK}`,
        '}',
        '',
      ].join('\n'),
    );
  });

  it('an open network has no key; an SSID with quotes or non-ASCII is written in hex, and read back', () => {
    const open = wpaSupplicantConf({ ssid: 'cafe', psk: '', country: 'FR', hidden: false });
    expect(open).toContain('key_mgmt=NONE');
    expect(open).not.toContain('psk=');
    expect(open).not.toContain('scan_ssid');
    const odd = wpaSupplicantConf({ ssid: 'Home "5G" ☕', psk: PSK, country: 'GB', hidden: false });
    expect(odd).toContain('ssid=486f6d65202235472220e29895\n');
    expect(readWpaSupplicantConf(odd)).toEqual({ ssid: 'Home "5G" ☕', psk: PSK, country: 'GB', hidden: false });
  });
});

describe('form -> Kairos cloud-config', () => {
  const text = writeCloudConfigForm('#cloud-config\n', FORM);
  const data = parse(text) as { stages: Record<string, Array<{ name: string; files?: Array<Record<string, unknown>>; commands?: string[] }>>; users: Array<Record<string, unknown>> };

  it('writes files in the initramfs stage and commands in the boot stage, as upstream\'s Wi-Fi example', () => {
    expect(data.stages.initramfs!.map((s) => s.name)).toEqual([WIFI_STEP, KEYBOARD_STEP, 'kairos-factory: SSH keys only']);
    expect(data.stages.boot!.map((s) => s.name)).toEqual([WIFI_STEP, TIMEZONE_STEP]);
    const wifi = data.stages.initramfs![0]!.files!;
    expect(wifi.map((f) => [f.path, f.permissions])).toEqual([
      ['/etc/wpa_supplicant/wpa_supplicant-wlan0.conf', 0o600],
      ['/etc/systemd/network/25-wlan0.network', 0o644],
    ]);
    expect(text).toContain('permissions: 384 # 0600');
    expect(data.stages.boot![0]!.commands).toEqual(['systemctl enable --now --no-block wpa_supplicant@wlan0.service']);
    expect(data.stages.boot![1]!.commands).toEqual(['ln -sf /usr/share/zoneinfo/Europe/Berlin /etc/localtime', 'echo Europe/Berlin > /etc/timezone']);
    expect(data.stages.initramfs![1]!.files!.map((f) => f.content)).toEqual([
      'XKBMODEL="pc105"\nXKBLAYOUT="de"\nXKBVARIANT=""\nXKBOPTIONS=""\nBACKSPACE="guess"\n',
      'KEYMAP=de\nXKBLAYOUT=de\nXKBMODEL=pc105\n',
    ]);
  });

  it('holds the password only as its hash and the passphrase nowhere', () => {
    expect(data.users[0]!.passwd).toBe(FORM.password);
    expect(passwordMatches('raspberry-is-not-it', String(data.users[0]!.passwd))).toBe(true);
    expect(text).not.toContain('raspberry-is-not-it');
    expect(text).not.toContain('password');
  });

  it('is valid, and reads back as the same form', () => {
    expect(validateCloudConfig(text)).toEqual([]);
    expect(readCloudConfigForm(text)).toEqual(FORM);
  });

  it('replaces its own steps and keeps the user\'s, and drops a stage it emptied', () => {
    const mine = '#cloud-config\nstages:\n  boot:\n    - name: mine\n      commands: [echo hi]\n';
    const once = writeCloudConfigForm(mine, FORM);
    const changed = writeCloudConfigForm(once, { ...FORM, timezone: 'UTC', wifiSsid: '' });
    const after = parse(changed) as { stages: Record<string, Array<{ name: string; commands?: string[] }>> };
    expect(after.stages.boot!.map((s) => s.name)).toEqual(['mine', TIMEZONE_STEP]);
    expect(after.stages.boot![1]!.commands![0]).toBe('ln -sf /usr/share/zoneinfo/UTC /etc/localtime');
    expect(changed).not.toContain('wpa_supplicant');
    expect(writeCloudConfigForm(changed, { ...emptyForm(), userName: 'pi', password: FORM.password, sshKeys: FORM.sshKeys, hostname: 'node-1' })).toBe(
      `#cloud-config\nstages:\n  boot:\n    - name: mine\n      commands: [ echo hi ]\nhostname: node-1\nusers:\n  - name: pi\n    passwd: ${FORM.password}\n    ssh_authorized_keys:\n      - github:octocat\n`,
    );
  });

  it('takes over cloud-init\'s top-level timezone: read into the form, then written as the step Kairos runs', () => {
    const text2 = '#cloud-config\ntimezone: Asia/Tokyo\n';
    expect(readCloudConfigForm(text2).timezone).toBe('Asia/Tokyo');
    const out = writeCloudConfigForm(text2, readCloudConfigForm(text2));
    expect(out).not.toMatch(/^timezone:/m);
    expect(out).toContain('ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime');
  });

  it('quotes a time zone for the shell, whatever was typed', () => {
    const stages = formStages({ timezone: "x'; reboot; '", keyboard: '', sshKeysOnly: false });
    expect(stages.boot[0]!.commands).toEqual([`ln -sf '/usr/share/zoneinfo/x'\\''; reboot; '\\''' /etc/localtime`, `echo 'x'\\''; reboot; '\\''' > /etc/timezone`]);
  });
});

describe('Kairos cloud-config -> cloud-init user-data (a plain image)', () => {
  const seed = plainImageSeed(writeCloudConfigForm('#cloud-config\n', FORM));
  const userData = parse(seed.userData ?? '') as UserData;

  it('runs every step of the form: files as write_files (modes in octal), commands as runcmd', () => {
    expect(seed.errors).toEqual([]);
    expect(seed.frameworkOnly).toEqual([]);
    expect(userData.write_files!.map((f) => [f.path, f.permissions])).toEqual([
      ['/etc/wpa_supplicant/wpa_supplicant-wlan0.conf', '0600'],
      ['/etc/systemd/network/25-wlan0.network', '0644'],
      ['/etc/default/keyboard', '0644'],
      ['/etc/vconsole.conf', '0644'],
      ['/etc/ssh/sshd_config.d/10-kairos-factory.conf', '0644'],
    ]);
    expect(userData.write_files![0]!.content).toBe(wpaSupplicantConf({ ssid: 'IEEE', psk: PSK, country: 'DE', hidden: true }));
    expect(userData.write_files!.every((f) => f.owner === undefined)).toBe(true);
    expect(userData.runcmd).toEqual([
      'systemctl enable --now --no-block wpa_supplicant@wlan0.service',
      'ln -sf /usr/share/zoneinfo/Europe/Berlin /etc/localtime',
      'echo Europe/Berlin > /etc/timezone',
    ]);
  });

  it('gives cloud-init the hash as passwd (never plain_text_passwd), and github: keys to ssh-import-id', () => {
    expect(userData.users).toEqual([{ name: 'pi', passwd: FORM.password, ssh_import_id: ['gh:octocat'], lock_passwd: false }]);
    expect(seed.userData).not.toContain('plain_text_passwd');
  });

  it('keeps a clear-text passwd as plain_text_passwd (what Kairos does with it: hash it)', () => {
    const clear = parse(plainImageSeed('#cloud-config\nusers:\n  - name: a\n    passwd: secret\n').userData ?? '') as UserData;
    expect(clear.users![0]).toMatchObject({ plain_text_passwd: 'secret' });
  });

  it('reads a file mode as yip does: 0600 and 0o600 in octal, a plain number in decimal', () => {
    const text = [
      '#cloud-config',
      'stages:',
      '  initramfs:',
      '    - files:',
      '        - { path: /a, content: a, permissions: 0600 }',
      '        - { path: /b, content: b, permissions: 0o640 }',
      '        - { path: /c, content: c, permissions: 420 }',
      '        - { path: /d, content: d }',
      '',
    ].join('\n');
    const files = (parse(plainImageSeed(text).userData ?? '') as UserData).write_files!;
    expect(files.map((f) => f.permissions)).toEqual(['0600', '0640', '0644', undefined]);
  });

  it('notes what cloud-init cannot run: other step kinds, other stages, files owned by others', () => {
    const text = [
      '#cloud-config',
      'stages:',
      '  boot:',
      '    - name: a step with more than files and commands',
      '      systemctl:',
      '        enable: [foo]',
      '      commands: [echo should-not-run-alone]',
      '    - files: [{ path: /x, content: x, owner: 1000 }]',
      '    - commands: [echo ok]',
      '  after-install:',
      '    - commands: [echo later]',
      '',
    ].join('\n');
    const plain = plainImageSeed(text);
    expect(plain.frameworkOnly.map((n) => [n.path, n.message])).toEqual([
      ['stages.after-install', 'applied only with the Kairos framework'],
      ['stages.boot.0', 'systemctl: applied only with the Kairos framework (cloud-init runs a step\'s files and commands only)'],
      ['stages.boot.1', 'files.0: owner and group other than root are applied only with the Kairos framework (cloud-init takes names, not ids)'],
    ]);
    expect((parse(plain.userData ?? '') as UserData).runcmd).toEqual(['echo ok']);
  });

  it('runs the stages\' steps before the top-level write_files and runcmd', () => {
    const text = writeCloudConfigForm('#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: hi\nruncmd:\n  - echo last\n', { ...emptyForm(), timezone: 'UTC' });
    const data = parse(plainImageSeed(text).userData ?? '') as UserData;
    expect(data.runcmd).toEqual(['ln -sf /usr/share/zoneinfo/UTC /etc/localtime', 'echo UTC > /etc/timezone', 'echo last']);
    expect(data.write_files!.map((f) => f.path)).toEqual(['/etc/motd']);
  });
});

describe('checks of the device settings', () => {
  it('names each bad field', () => {
    expect(deviceSettingsProblems({ wifi: { ssid: 'x'.repeat(33), psk: 'nothex', country: 'Germany', hidden: false }, keyboard: 'German', timezone: 'Europe/', sshKeysOnly: false }).map((p) => p.field)).toEqual([
      'wifi.ssid',
      'wifi.psk',
      'wifi.country',
      'keyboard',
      'timezone',
    ]);
    expect(deviceSettingsProblems({ wifi: { ssid: 'IEEE', psk: PSK, country: 'DE', hidden: false }, keyboard: 'gb', timezone: 'America/Argentina/Buenos_Aires', sshKeysOnly: true })).toEqual([]);
  });

  it('blocks the step until a country is given for the Wi-Fi', () => {
    const issues = validateCloudConfig(writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), wifiSsid: 'IEEE', wifiPsk: PSK }));
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'error', path: 'stages', message: expect.stringContaining('two-letter ISO 3166 code') as unknown }),
    ]);
  });
});

describe('what the image needs for the settings', () => {
  const recipe = (cloudConfig: string) =>
    RecipeSchema.parse({ name: 'pi', version: 'v1.0.0', source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' }, cloudConfig });
  const debian = parseOsRelease(readFileSync(new URL('../../fixtures/os-release/debian-12', import.meta.url), 'utf8'));

  it('Wi-Fi needs wpa_supplicant, the regulatory database and iw; a keyboard layout the console tools', () => {
    expect(cloudConfigNeeds(writeCloudConfigForm('#cloud-config\n', FORM))).toEqual({ wifi: true, keyboard: true });
    expect(cloudConfigNeeds('#cloud-config\nhostname: a\n')).toEqual({ wifi: false, keyboard: false });
    expect(cloudConfigNeeds('#cloud-config\nusers: [\n')).toEqual({ wifi: false, keyboard: false });
    expect(devicePackages('debian', { wifi: true, keyboard: true })).toEqual(['wpasupplicant', 'wireless-regdb', 'iw', 'console-setup']);
    expect(devicePackages('opensuse', { wifi: true, keyboard: true })).toEqual(['wpa_supplicant', 'wireless-regdb', 'iw', 'kbd']);
  });

  it('the scratch recipe installs them only when the cloud-config sets them', () => {
    const withWifi = generateDockerfile({ recipe: recipe(writeCloudConfigForm('#cloud-config\n', FORM)), osRelease: debian, appVersion: '0.1.0' }) ?? '';
    const without = generateDockerfile({ recipe: recipe('#cloud-config\nhostname: a\n'), osRelease: debian, appVersion: '0.1.0' }) ?? '';
    for (const pkg of ['wpasupplicant', 'wireless-regdb', 'iw', 'console-setup']) {
      expect(withWifi).toMatch(new RegExp(`\\s${pkg} \\\\\\n`));
      expect(without).not.toMatch(new RegExp(`\\s${pkg} \\\\\\n`));
    }
  });
});
