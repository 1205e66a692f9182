// The Cloud-config form's device settings in a real plain image: the example recipe with Wi-Fi,
// a time zone, a keyboard layout and SSH by key only set through the form's own writer, built
// (the scratch recipe adds wpasupplicant, wireless-regdb, iw and console-setup; the image check
// finds them), its ISO booted in qemu and logged into over the serial console, where the files
// the steps write are looked at. Wi-Fi cannot connect in qemu (no radio): its files and unit only.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readCloudConfigForm, writeCloudConfigForm } from '../../src-shared/cloud-config/cloud-config.js';
import { wpaSupplicantConf } from '../../src-shared/cloud-config/device-settings.js';
import { DEVICE_FIELDS, TEST_PSK } from '../fixtures/device-form.js';
import { exampleIdentity } from './boot-expect.js';
import { REPO, cli, skipReason } from './support.js';
import { bootInTerminal } from './terminal-boot.js';

const env = inject('integration');
const PSK = TEST_PSK;

describe.skipIf(skipReason(env, 'docker', 'qemu') !== undefined)('a plain image applies the Cloud-config form\'s device settings', () => {
  it('builds with the tools the settings need, boots, and has each setting in place', { timeout: 45 * 60_000 }, async () => {
    const work = join(env.outputDir, 'device-settings');
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    const example = parse(await readFile(join(REPO, 'examples', 'debian-bookworm.yaml'), 'utf8')) as Record<string, unknown> & { cloudConfig: string };
    const cloudConfig = writeCloudConfigForm(example.cloudConfig, {
      ...readCloudConfigForm(example.cloudConfig),
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMsPlaceholderKeyForTheTestOnly test@kf'],
      ...DEVICE_FIELDS,
    });
    const recipeFile = join(work, 'device-settings.yaml');
    await writeFile(recipeFile, stringify({ ...example, name: 'device-settings', cloudConfig, artifacts: ['iso'] }, { lineWidth: 0 }));

    const build = await cli(['build', recipeFile, '--output', join(work, 'out')]);
    expect(build.exitCode, build.all.slice(-3000)).toBe(0);
    expect(build.all).toMatch(/pass\s+Wi-Fi and keyboard tools: wpa_supplicant iw regulatory\.db setupcon/);

    const identity = await exampleIdentity();
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    const command = /<!-- independent-boot -->\s*```sh\n([\s\S]*?)```/.exec(readme)![1]!.replace(/\\\n\s*/g, ' ').trim();
    const log = join(work, 'boot.log');
    const look = [
      // runcmd runs in cloud-init's last stage, which may end after the login prompt.
      'cloud-init status --wait >/dev/null',
      'cat /etc/timezone',
      'readlink /etc/localtime',
      'date +%Z',
      'cat /etc/default/keyboard /etc/vconsole.conf /etc/systemd/network/25-wlan0.network /etc/ssh/sshd_config.d/10-kairos-factory.conf',
      "stat -c 'wpa %a %U %s' /etc/wpa_supplicant/wpa_supplicant-wlan0.conf",
      'systemctl is-enabled wpa_supplicant@wlan0.service',
      // The user's PATH has no sbin: look in the folders themselves.
      'for b in wpa_supplicant iw setupcon; do for d in /usr/sbin /usr/bin /sbin /bin; do if [ -x $d/$b ]; then echo found $b; break; fi; done; done',
    ].join('; ');
    const boot = await bootInTerminal(command, { ISO: join(work, 'out', 'device-settings.iso') }, log, { timeoutMs: 600_000, identity, afterLogin: look });
    console.log(`[boot] device settings ISO: ${boot.seconds.toFixed(0)} s`);
    expect(boot.verdict, `serial log ${log}`).toMatchObject({ status: 'passed' });
    expect(boot.login, `serial log ${log}`).toMatchObject({ status: 'passed' });
    const seen = (boot.afterLogin ?? '').replace(/\r/g, '');
    expect(seen, `serial log ${log}`).not.toBe('');
    const lines = seen.split('\n').map((l) => l.trim());
    expect(lines).toContain('Europe/Berlin');
    expect(lines).toContain('/usr/share/zoneinfo/Europe/Berlin');
    expect(lines.some((l) => l === 'CET' || l === 'CEST')).toBe(true);
    expect(lines).toContain('XKBLAYOUT="de"');
    expect(lines).toContain('KEYMAP=de');
    expect(lines).toContain('Name=wlan0');
    expect(lines).toContain('PasswordAuthentication no');
    // The PSK file is root's alone (0600): its size says the whole file is there.
    const size = Buffer.byteLength(wpaSupplicantConf({ ssid: 'IEEE', psk: PSK, country: 'DE', hidden: true }));
    expect(lines).toContain(`wpa 600 root ${size}`);
    expect(lines).toContain('enabled');
    expect(lines.filter((l) => /^found (wpa_supplicant|iw|setupcon)$/.test(l)).sort()).toEqual(['found iw', 'found setupcon', 'found wpa_supplicant']);
  });
});
