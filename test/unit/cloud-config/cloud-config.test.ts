import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  readCloudConfigForm,
  validateCloudConfig,
  writeCloudConfigForm,
  type CloudConfigForm,
  type CloudConfigIssue,
} from '../../../src-shared/cloud-config/cloud-config.js';

/** SHA-512 crypt of "kairos" (openssl passwd -6 -salt saltsaltsaltsalt kairos). */
const HASH = '$6$saltsaltsaltsalt$3mIoxMEpUdT0IC0/yWah25YvdGFa8a62KPLJ9JD6bS9cIiQNBrUTjtMjaQx2UWpt2ZnCTUk4zpm80RNHmbOIj/';

const FULL = `#cloud-config
# The machine's name
hostname: kairos-{{ trunc 4 .MachineID }}

users:
  - name: kairos # the admin
    passwd: ${HASH}
    groups: [admin]
    ssh_authorized_keys:
      - github:mudler
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK me@laptop
  - name: second
    lock_passwd: true

install:
  auto: true
  device: /dev/vda
  reboot: true

k3s:
  enabled: true # start the server
`;


function only(issues: ReadonlyArray<CloudConfigIssue>, severity: 'error' | 'warning') {
  return issues.filter((i) => i.severity === severity);
}

describe('readCloudConfigForm', () => {
  it('reads the first user, the hostname and the install fields', () => {
    expect(readCloudConfigForm(FULL)).toEqual({
      ...emptyForm(),
      userName: 'kairos',
      password: HASH,
      sshKeys: ['github:mudler', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK me@laptop'],
      hostname: 'kairos-{{ trunc 4 .MachineID }}',
      installAuto: true,
      installDevice: '/dev/vda',
    });
  });

  it('gives the empty form for the bare header and for empty text', () => {
    expect(readCloudConfigForm('#cloud-config\n')).toEqual(emptyForm());
    expect(readCloudConfigForm('')).toEqual(emptyForm());
    expect(emptyForm()).toEqual({
      userName: '', password: '', sshKeys: [], hostname: '', installAuto: false, installDevice: 'auto',
      wifiSsid: '', wifiPsk: '', wifiCountry: '', wifiHidden: false, keyboard: '', timezone: '', sshKeysOnly: false,
    });
  });

  it('gives the empty form for text that does not parse or is not a mapping', () => {
    expect(readCloudConfigForm('#cloud-config\nusers: [\n')).toEqual(emptyForm());
    expect(readCloudConfigForm('#cloud-config\n- a\n- b\n')).toEqual(emptyForm());
  });

  it('turns numbers into text and only takes a real true for install.auto', () => {
    const form = readCloudConfigForm('#cloud-config\nhostname: 42\nusers:\n- name: k\n  passwd: 1234\ninstall:\n  auto: "yes"\n');
    expect(form).toMatchObject({ hostname: '42', password: '1234', installAuto: false, installDevice: 'auto' });
  });

  it('ignores a users value that is not a list', () => {
    expect(readCloudConfigForm('#cloud-config\nusers: kairos\n')).toMatchObject({ userName: '', sshKeys: [] });
  });
});

describe('writeCloudConfigForm', () => {
  it('keeps other keys, comments and the other users', () => {
    const out = writeCloudConfigForm(FULL, { ...readCloudConfigForm(FULL), hostname: 'edge-1', password: '$6$other', sshKeys: ['github:someone'] });
    expect(out.split('\n')[0]).toBe('#cloud-config');
    expect(out).toContain("# The machine's name");
    expect(out).toContain('hostname: edge-1');
    expect(out).toContain('- name: kairos # the admin');
    expect(out).toContain('passwd: $6$other');
    expect(out).toContain('groups: [ admin ]');
    expect(out).toContain('- name: second');
    expect(out).toContain('reboot: true');
    expect(out).toContain('enabled: true # start the server');
    expect(out).not.toContain('github:mudler');
    expect(readCloudConfigForm(out).sshKeys).toEqual(['github:someone']);
    expect(validateCloudConfig(out)).toEqual([]);
  });

  it('inserts the #cloud-config header when the text has none, as the first line', () => {
    const out = writeCloudConfigForm('hostname: old\n', { ...emptyForm(), hostname: 'new' });
    expect(out).toBe('#cloud-config\nhostname: new\n');
  });

  it('keeps a #kairos-config or #node-config header and does not add a second one', () => {
    expect(writeCloudConfigForm('#kairos-config\nhostname: a\n', { ...emptyForm(), hostname: 'b' })).toBe('#kairos-config\nhostname: b\n');
    expect(writeCloudConfigForm('#node-config\n', { ...emptyForm(), hostname: 'b' })).toBe('#node-config\nhostname: b\n');
    const twice = writeCloudConfigForm(writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), hostname: 'x' }), { ...emptyForm(), hostname: 'y' });
    expect(twice.match(/#cloud-config/g)).toHaveLength(1);
  });

  it('keeps a comment right under the header', () => {
    const out = writeCloudConfigForm('#cloud-config\n# my notes\nk3s:\n  enabled: true\n', { ...emptyForm(), hostname: 'h' });
    expect(out.split('\n').slice(0, 2)).toEqual(['#cloud-config', '# my notes']);
    expect(out).toContain('hostname: h');
    expect(out).toContain('k3s:\n  enabled: true');
  });

  it('writes only the header for an empty form', () => {
    expect(writeCloudConfigForm('', emptyForm())).toBe('#cloud-config\n');
    expect(writeCloudConfigForm('#cloud-config\n', emptyForm())).toBe('#cloud-config\n');
  });

  it('removes the hostname when it is emptied', () => {
    const out = writeCloudConfigForm('#cloud-config\nhostname: old\nk3s:\n  enabled: true\n', emptyForm());
    expect(out).toBe('#cloud-config\nk3s:\n  enabled: true\n');
  });

  it('removes the password and the keys when they are emptied, keeping the user', () => {
    const out = writeCloudConfigForm(FULL, { ...readCloudConfigForm(FULL), password: '', sshKeys: [] });
    expect(out).not.toMatch(/^\s+passwd:/m);
    expect(out).not.toContain('ssh_authorized_keys');
    expect(out).toContain('- name: kairos');
    expect(out).toContain('groups: [ admin ]');
  });

  it('creates the users list when there is none', () => {
    const out = writeCloudConfigForm('#cloud-config\nhostname: h\n', { ...emptyForm(), hostname: 'h', userName: 'kairos', password: 'pw', sshKeys: ['github:me'] });
    expect(out).toBe('#cloud-config\nhostname: h\nusers:\n  - name: kairos\n    passwd: pw\n    ssh_authorized_keys:\n      - github:me\n');
  });

  it('replaces a users value that is not a list', () => {
    const out = writeCloudConfigForm('#cloud-config\nusers: 5\n', { ...emptyForm(), userName: 'kairos' });
    expect(out).toBe('#cloud-config\nusers:\n  - name: kairos\n');
  });

  it('writes install.auto and install.device when auto-install is on', () => {
    const out = writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), installAuto: true, installDevice: '/dev/sda' });
    expect(out).toBe('#cloud-config\ninstall:\n  auto: true\n  device: /dev/sda\n');
  });

  it('uses device auto when the device is left empty', () => {
    const out = writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), installAuto: true, installDevice: '' });
    expect(out).toContain('device: auto');
  });

  it('does not add an install block when auto-install is off and there is none', () => {
    expect(writeCloudConfigForm('#cloud-config\n', { ...emptyForm(), installDevice: '/dev/sda' })).toBe('#cloud-config\n');
  });

  it('updates an existing install block, keeping its other keys', () => {
    const out = writeCloudConfigForm('#cloud-config\ninstall:\n  auto: true\n  reboot: true\n', { ...emptyForm(), installAuto: false });
    expect(out).toBe('#cloud-config\ninstall:\n  auto: false\n  reboot: true\n  device: auto\n');
  });

  it('leaves text that does not parse as it is', () => {
    const broken = '#cloud-config\nusers: [\n';
    expect(writeCloudConfigForm(broken, { ...emptyForm(), hostname: 'x' })).toBe(broken);
  });

  describe('round trip: read(write(form)) == form', () => {
    const forms: ReadonlyArray<[string, CloudConfigForm]> = [
      ['empty', emptyForm()],
      ['hostname only', { ...emptyForm(), hostname: 'node-1' }],
      ['a user with everything', { ...emptyForm(), userName: 'kairos', password: '$6$salt$hash', sshKeys: ['github:a', 'ssh-rsa AAAAB3Nza me@host'], hostname: 'h', installAuto: true, installDevice: '/dev/nvme0n1' }],
      [
        'every device setting',
        { ...emptyForm(), wifiSsid: 'Home "5G" ☕', wifiPsk: 'f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e', wifiCountry: 'DE', wifiHidden: true, keyboard: 'de', timezone: 'Europe/Berlin', sshKeysOnly: true },
      ],
      ['an open Wi-Fi network and an odd time zone', { ...emptyForm(), wifiSsid: 'cafe', wifiCountry: 'FR', timezone: "America/Port-au-Prince's" }],
      ['a user with a password only', { ...emptyForm(), userName: 'ops', password: 'p: w # not a comment' }],
      ['auto install on auto', { ...emptyForm(), installAuto: true }],
      ['text that YAML would read as other types', { ...emptyForm(), hostname: 'true', userName: 'u', password: '1234' }],
    ];
    for (const [what, form] of forms) {
      it(`${what}, from an empty config`, () => {
        expect(readCloudConfigForm(writeCloudConfigForm('#cloud-config\n', form))).toEqual(form);
      });
      it(`${what}, over a full config`, () => {
        // A form with no user fields leaves the existing users alone (it never deletes a user).
        const hasUser = form.userName !== '' || form.password !== '' || form.sshKeys.length > 0;
        const fullUser = { userName: 'kairos', password: HASH, sshKeys: readCloudConfigForm(FULL).sshKeys };
        expect(readCloudConfigForm(writeCloudConfigForm(FULL, form))).toEqual(hasUser ? form : { ...form, ...fullUser });
      });
    }

    it('keeps the form stable when written twice', () => {
      const form: CloudConfigForm = { ...emptyForm(), userName: 'kairos', hostname: 'a' };
      const once = writeCloudConfigForm(FULL, form);
      expect(writeCloudConfigForm(once, form)).toBe(once);
    });
  });
});

describe('validateCloudConfig', () => {
  it('accepts a complete, correct config', () => {
    expect(validateCloudConfig(FULL)).toEqual([]);
  });

  it('accepts the bare header', () => {
    expect(validateCloudConfig('#cloud-config\n')).toEqual([]);
    expect(validateCloudConfig('#kairos-config\nhostname: a\n')).toEqual([]);
    expect(validateCloudConfig('#node-config\nhostname: a\n')).toEqual([]);
  });

  it('requires the header on the first line', () => {
    expect(validateCloudConfig('hostname: a\n')).toEqual([
      { severity: 'error', line: 1, message: 'The first line must be #cloud-config (or #kairos-config, #node-config)' },
    ]);
    expect(validateCloudConfig('# cloud-config\nhostname: a\n')[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(validateCloudConfig('hostname: a\n#cloud-config\n')[0]).toMatchObject({ severity: 'error', line: 1 });
  });

  it('reports a YAML syntax error with its line and stops there', () => {
    const issues = validateCloudConfig('#cloud-config\nhostname: a\nusers:\n  - name: [kairos\n');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.severity === 'error' && i.message.startsWith('YAML: '))).toBe(true);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(4);
  });

  it('reports a duplicate key as a YAML error on its line', () => {
    const issues = validateCloudConfig('#cloud-config\nhostname: a\nk3s:\n  enabled: true\nhostname: b\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', line: 5 });
    expect(issues[0]?.message).toMatch(/^YAML: .*unique/i);
  });

  it('refuses a root that is not a mapping', () => {
    expect(validateCloudConfig('#cloud-config\n- a\n- b\n')).toEqual([{ severity: 'error', message: 'The cloud-config must be a mapping (key: value lines)' }]);
    expect(validateCloudConfig('#cloud-config\njust text\n')).toEqual([{ severity: 'error', message: 'The cloud-config must be a mapping (key: value lines)' }]);
  });

  it('flags each line with a non-breaking space', () => {
    const text = '#cloud-config\nusers:\n  - name: kairos\n\u00a0\u00a0\u00a0 passwd: x\nhostname:\u00a0h\n';
    const nbsp = validateCloudConfig(text).filter((i) => i.message.includes('non-breaking space'));
    expect(nbsp.map((i) => [i.severity, i.line])).toEqual([
      ['error', 4],
      ['error', 5],
    ]);
  });

  describe('unknown keys', () => {
    it('suggests the key a misspelled top-level key meant, on its line', () => {
      expect(validateCloudConfig('#cloud-config\nk3s:\n  enabled: true\nhostnme: edge\n')).toEqual([
        { severity: 'warning', path: 'hostnme', line: 4, message: 'unknown key "hostnme": did you mean "hostname"? Kairos ignores unknown keys' },
      ]);
    });

    it('points at the key, not at its block value on the next line', () => {
      const text = '#cloud-config\ninstal:\n  auto: true\n  device: auto\n';
      expect(validateCloudConfig(text)).toEqual([
        { severity: 'warning', path: 'instal', line: 2, message: 'unknown key "instal": did you mean "install"? Kairos ignores unknown keys' },
      ]);
    });

    it('gives no suggestion for a key far from every known one', () => {
      expect(validateCloudConfig('#cloud-config\nzzzzzzzz: 1\n')).toEqual([
        { severity: 'warning', path: 'zzzzzzzz', line: 2, message: 'unknown key "zzzzzzzz": Kairos ignores it' },
      ]);
    });

    it('warns about unknown keys of a user, install and provider blocks', () => {
      const issues = validateCloudConfig('#cloud-config\nusers:\n- name: k\n  lock_passwd: true\n  shel: /bin/bash\ninstall:\n  devise: auto\nk3s:\n  argz: []\n');
      expect(issues.map((i) => [i.severity, i.path, i.message])).toEqual([
        ['warning', 'users.0.shel', 'unknown key "shel": did you mean "shell"? Kairos ignores unknown keys'],
        ['warning', 'install.devise', 'unknown key "devise": did you mean "device"? Kairos ignores unknown keys'],
        ['warning', 'k3s.argz', 'unknown key "argz": did you mean "args"? Kairos ignores unknown keys'],
      ]);
    });

    it('knows the common Kairos top-level keys', () => {
      const text = '#cloud-config\nstrict: true\ndebug: false\nbundles: []\nreset:\n  reboot: true\nupgrade: {}\np2p: {}\nwrite_files: []\nruncmd: []\nbootcmd: []\nkubevip: {}\nk3s-agent: {}\nk0s-worker: {}\n';
      expect(validateCloudConfig(text)).toEqual([]);
    });
  });

  describe('users', () => {
    it('needs users to be a list', () => {
      expect(validateCloudConfig('#cloud-config\nusers:\n  name: kairos\n')).toEqual([{ severity: 'error', path: 'users', line: 2, message: 'users must be a list' }]);
    });

    it('needs each user to be a mapping with a name', () => {
      const issues = validateCloudConfig('#cloud-config\nusers:\n- kairos\n- passwd: $6$x\n- name: ""\n');
      expect(issues).toEqual([
        { severity: 'error', path: 'users.0', line: 3, message: 'each user must be a mapping' },
        { severity: 'error', path: 'users.1', line: 4, message: 'each user needs a name' },
        { severity: 'error', path: 'users.2', line: 5, message: 'each user needs a name' },
      ]);
    });

    it('refuses a name that is not a Linux user name', () => {
      const issues = validateCloudConfig('#cloud-config\nusers:\n- name: Bad User\n- name: 1abc\n- name: ok_user-2\n- name: machine$\n').filter((i) => !i.message.startsWith('nobody can log in'));
      expect(issues).toEqual([
        { severity: 'error', path: 'users.0.name', line: 3, message: '"Bad User" is not a valid Linux user name' },
        { severity: 'error', path: 'users.1.name', line: 4, message: '"1abc" is not a valid Linux user name' },
      ]);
    });

    it('needs passwd to be text', () => {
      expect(validateCloudConfig('#cloud-config\nusers:\n- name: k\n  passwd: 1234\n')).toEqual([
        { severity: 'error', path: 'users.0.passwd', line: 4, message: 'passwd must be text' },
      ]);
    });

    it('needs ssh_authorized_keys to be a list and warns about odd keys', () => {
      expect(validateCloudConfig('#cloud-config\nusers:\n- name: k\n  ssh_authorized_keys: github:me\n')).toEqual([
        { severity: 'error', path: 'users.0.ssh_authorized_keys', line: 4, message: 'ssh_authorized_keys must be a list' },
      ]);
      const text = [
        '#cloud-config',
        'users:',
        '- name: k',
        '  ssh_authorized_keys:',
        '  - ssh-ed25519 AAAAC3Nza me',
        '  - ecdsa-sha2-nistp256 AAAAE2V me',
        '  - sk-ssh-ed25519@openssh.com AAAA me',
        '  - github:me',
        '  - gitlab:me',
        '  - my password',
        '  - 42',
        '',
      ].join('\n');
      expect(validateCloudConfig(text)).toEqual([
        { severity: 'warning', path: 'users.0.ssh_authorized_keys.5', line: 10, message: 'does not look like an SSH public key or github:USER' },
        { severity: 'warning', path: 'users.0.ssh_authorized_keys.6', line: 11, message: 'does not look like an SSH public key or github:USER' },
      ]);
    });
  });

  describe('install', () => {
    it('needs install to be a mapping', () => {
      expect(validateCloudConfig('#cloud-config\ninstall: yes\n')).toEqual([{ severity: 'error', path: 'install', line: 2, message: 'install must be a mapping' }]);
    });

    it('needs install.auto to be a boolean', () => {
      expect(validateCloudConfig('#cloud-config\ninstall:\n  auto: "true"\n')).toEqual([
        { severity: 'error', path: 'install.auto', line: 3, message: 'install.auto must be true or false' },
      ]);
    });

    it('accepts install.device auto or a /dev path and nothing else', () => {
      expect(validateCloudConfig('#cloud-config\ninstall:\n  device: auto\n')).toEqual([]);
      expect(validateCloudConfig('#cloud-config\ninstall:\n  device: /dev/nvme0n1\n')).toEqual([]);
      for (const bad of ['sda', '/dev/', '/mnt/disk', 'AUTO', '/dev/sda extra', '3']) {
        expect(validateCloudConfig(`#cloud-config\ninstall:\n  device: ${bad}\n`), bad).toEqual([
          { severity: 'error', path: 'install.device', line: 3, message: 'install.device must be "auto" or a device path such as /dev/sda' },
        ]);
      }
    });

    it('refuses reboot and poweroff together, but allows either', () => {
      expect(validateCloudConfig('#cloud-config\ninstall:\n  reboot: true\n  poweroff: true\n')).toEqual([
        { severity: 'error', path: 'install', line: 2, message: 'install.reboot and install.poweroff exclude each other' },
      ]);
      expect(validateCloudConfig('#cloud-config\ninstall:\n  reboot: true\n  poweroff: false\n')).toEqual([]);
      expect(validateCloudConfig('#cloud-config\ninstall:\n  poweroff: true\n')).toEqual([]);
    });
  });

  describe('k3s and k0s blocks', () => {
    for (const provider of ['k3s', 'k3s-agent', 'k0s', 'k0s-worker']) {
      it(`checks the types in ${provider}`, () => {
        const text = `#cloud-config\n${provider}:\n  enabled: yes\n  args: [--foo, 1]\n  env: [A=1]\n`;
        expect(only(validateCloudConfig(text), 'error')).toEqual([
          { severity: 'error', path: `${provider}.enabled`, line: 3, message: `${provider}.enabled must be true or false` },
          { severity: 'error', path: `${provider}.args`, line: 4, message: `${provider}.args must be a list of strings` },
          { severity: 'error', path: `${provider}.env`, line: 5, message: `${provider}.env must be a mapping` },
        ]);
      });

      it(`accepts a correct ${provider} block`, () => {
        const text = `#cloud-config\n${provider}:\n  enabled: true\n  args:\n  - --disable=traefik\n  env:\n    K3S_TOKEN: abc\n  replace_args: false\n`;
        expect(validateCloudConfig(text)).toEqual([]);
      });

      it(`needs ${provider} to be a mapping`, () => {
        expect(validateCloudConfig(`#cloud-config\n${provider}: true\n`)).toEqual([{ severity: 'error', path: provider, line: 2, message: `${provider} must be a mapping` }]);
      });
    }
  });

  it('needs hostname to be text', () => {
    expect(validateCloudConfig('#cloud-config\nhostname: 42\n')).toEqual([{ severity: 'error', path: 'hostname', line: 2, message: 'hostname must be text' }]);
  });

  describe('stages', () => {
    it('accepts stages of step lists', () => {
      expect(validateCloudConfig('#cloud-config\nstages:\n  boot:\n    - name: hello\n      commands: [echo hi]\n  initramfs: []\n')).toEqual([]);
    });

    it('needs stages to be a mapping', () => {
      expect(validateCloudConfig('#cloud-config\nstages:\n  - boot\n')).toEqual([
        { severity: 'error', path: 'stages', line: 2, message: 'stages must be a mapping of stage names to lists of steps' },
      ]);
    });

    it('needs each stage to be a list of steps', () => {
      expect(validateCloudConfig('#cloud-config\nstages:\n  boot:\n    name: hello\n  network: []\n')).toEqual([
        { severity: 'error', path: 'stages.boot', line: 3, message: 'stages.boot must be a list of steps' },
      ]);
    });
  });

  it('reports both a missing header and the other problems', () => {
    const issues = validateCloudConfig('hostnme: x\ninstall:\n  device: sda\n');
    expect(issues.map((i) => [i.severity, i.path ?? '', i.line])).toEqual([
      ['error', '', 1],
      ['warning', 'hostnme', 1],
      ['error', 'install.device', 3],
    ]);
  });
});
