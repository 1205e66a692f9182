import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FRAMEWORK_ONLY, jinjaFor, plainImageSeed } from '../../../src-shared/cloud-config/plain-image.js';

const EXAMPLE = `#cloud-config
hostname: kairos-{{ trunc 4 .MachineID }}
users:
  - name: kairos
    passwd: kairos
    groups: [admin]
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3x me@laptop
      - github:octocat
install:
  auto: true
  device: auto
k3s:
  enabled: true
timezone: Europe/Berlin
`;

/** The user-data as cloud-init reads it once Jinja has rendered it for this machine id. */
function rendered(userData: string, machineId: string): Record<string, unknown> {
  const text = userData
    .replace(/^## template: jinja\n/, '')
    .replace(/\{\{ v1\.instance_id\[:(\d+)\] \}\}/g, (_m, n: string) => machineId.slice(0, Number(n)))
    .replace(/\{\{ v1\.instance_id\[(-\d+):\] \}\}/g, (_m, n: string) => machineId.slice(Number(n)))
    .replace(/\{\{ v1\.instance_id \}\}/g, machineId);
  return parse(text) as Record<string, unknown>;
}

describe('plainImageSeed', () => {
  it('translates what cloud-init applies: hostname, users (password as text, github keys imported), timezone', () => {
    const seed = plainImageSeed(EXAMPLE);
    expect(seed.errors).toEqual([]);
    expect(seed.userData?.split('\n').slice(0, 2)).toEqual(['## template: jinja', '#cloud-config']);
    expect(seed.userData).toContain('hostname: kairos-{{ v1.instance_id[:4] }}');
    expect(rendered(seed.userData!, '0123456789abcdef0123456789abcdef')).toEqual({
      hostname: 'kairos-0123',
      preserve_hostname: false,
      users: [
        {
          name: 'kairos',
          plain_text_passwd: 'kairos',
          groups: ['admin'],
          ssh_authorized_keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIF3x me@laptop'],
          ssh_import_id: ['gh:octocat'],
          lock_passwd: false,
        },
      ],
      timezone: 'Europe/Berlin',
    });
  });

  it('lists the keys only the Kairos framework applies, with their lines', () => {
    const seed = plainImageSeed(EXAMPLE);
    expect(seed.frameworkOnly).toEqual([
      { path: 'install', message: FRAMEWORK_ONLY, line: 10 },
      { path: 'k3s', message: FRAMEWORK_ONLY, line: 13 },
    ]);
  });

  it('passes write_files, runcmd and bootcmd through, and gives no template header without templates', () => {
    const seed = plainImageSeed('#cloud-config\nwrite_files:\n  - path: /etc/motd\n    content: hello\n    permissions: "0644"\nruncmd:\n  - [touch, /run/x]\n');
    expect(seed.userData?.startsWith('#cloud-config\n')).toBe(true);
    expect(parse(seed.userData!)).toEqual({ write_files: [{ path: '/etc/motd', content: 'hello', permissions: '0644' }], runcmd: [['touch', '/run/x']] });
  });

  it('keeps a locked password locked, and names a user key it does not know', () => {
    const seed = plainImageSeed('#cloud-config\nusers:\n  - name: ops\n    lockPasswd: true\n    sudo: ALL\n    ssh_authorized_keys: [gitlab:someone]\n');
    expect((parse(seed.userData!) as { users: unknown[] }).users).toEqual([{ name: 'ops', lock_passwd: true }]);
    expect(seed.frameworkOnly.map((n) => n.path)).toEqual(['users.0.sudo', 'users.0.ssh_authorized_keys.0']);
  });

  it('refuses templates other than the machine id, with the reason and the line', () => {
    const seed = plainImageSeed('#cloud-config\nhostname: node\nstages:\n  boot:\n    - name: x\n      hostname: "{{ .Values.name }}"\n');
    expect(seed.userData).toBeUndefined();
    expect(seed.errors).toEqual([{ path: 'cloudConfig', line: 6, message: expect.stringContaining('{{ .Values.name }} needs the Kairos framework') as string }]);
  });

  it('renders the whole machine id, the first or the last characters', () => {
    expect(jinjaFor('.MachineID')).toBe('{{ v1.instance_id }}');
    expect(jinjaFor('trunc 6 .MachineID')).toBe('{{ v1.instance_id[:6] }}');
    expect(jinjaFor('trunc -5 .MachineID')).toBe('{{ v1.instance_id[-5:] }}');
    expect(jinjaFor('upper .MachineID')).toBeUndefined();
    const seed = plainImageSeed('#cloud-config\nhostname: "{{ .MachineID }}"\n');
    expect(rendered(seed.userData!, 'abc123')).toEqual({ hostname: 'abc123', preserve_hostname: false });
  });

  it('gives nothing to seed for a cloud-config that only the framework applies', () => {
    expect(plainImageSeed('#cloud-config\ninstall:\n  auto: true\n')).toEqual({ frameworkOnly: [{ path: 'install', message: FRAMEWORK_ONLY, line: 2 }], errors: [] });
    expect(plainImageSeed('#cloud-config\n').userData).toBeUndefined();
  });
});
