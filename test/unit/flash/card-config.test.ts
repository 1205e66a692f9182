import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cardCloudConfig, cardConfigProblem } from '../../../src-shared/flash/card-config.js';
import { plainImageSeed } from '../../../src-shared/cloud-config/plain-image.js';

const IMAGE = `#cloud-config
# the recipe's users
hostname: kairos-{{ trunc 4 .MachineID }}
users:
  - name: kairos
    passwd: kairos
    groups: [admin]
`;

describe('cardCloudConfig', () => {
  it("sets the card's hostname and keeps the rest, comments included", () => {
    const out = cardCloudConfig(IMAGE, { hostname: 'node-1' });
    expect(out.startsWith('#cloud-config\n# the recipe\'s users\n')).toBe(true);
    expect(parse(out)).toEqual({ hostname: 'node-1', users: [{ name: 'kairos', passwd: 'kairos', groups: ['admin'] }] });
  });

  it("merges the card's extra cloud-config: maps by key, lists appended, values replaced", () => {
    const out = cardCloudConfig(`${IMAGE}k3s:\n  enabled: false\n  args: [--a]\n`, {
      hostname: 'node-2',
      cloudConfig: 'users:\n  - name: ops\nk3s:\n  enabled: true\n  args: [--b]\ntimezone: Europe/Rome\n',
    });
    expect(parse(out)).toEqual({
      hostname: 'node-2',
      users: [{ name: 'kairos', passwd: 'kairos', groups: ['admin'] }, { name: 'ops' }],
      k3s: { enabled: true, args: ['--a', '--b'] },
      timezone: 'Europe/Rome',
    });
  });

  it('replaces the hostname a stage sets too', () => {
    const out = cardCloudConfig('#cloud-config\nstages:\n  initramfs:\n    - name: name it\n      hostname: old\n', { hostname: 'node-3' });
    expect(parse(out)).toEqual({ hostname: 'node-3', stages: { initramfs: [{ name: 'name it', hostname: 'node-3' }] } });
  });

  it("keeps the image's and the card's Go templates as they were written, quotes included", () => {
    const out = cardCloudConfig('#cloud-config\nwrite_files:\n  - path: /etc/id\n    content: {{ .MachineID }}\n', { cloudConfig: 'users:\n  - name: bob\n    passwd: "{{ trunc 8 .MachineID }}"\n' });
    expect(out).toContain('content: {{ .MachineID }}');
    expect(out).toContain('passwd: "{{ trunc 8 .MachineID }}"');
  });

  it('writes a cloud-config for an image that had none', () => {
    expect(cardCloudConfig('', { hostname: 'node-4' })).toBe('#cloud-config\nhostname: node-4\n');
  });

  it('gives a plain image cloud-init user-data with the card\'s hostname, not the template', () => {
    const seed = plainImageSeed(cardCloudConfig(IMAGE, { hostname: 'node-5' }));
    expect(seed.userData).toBeDefined();
    expect(parse(seed.userData!)).toMatchObject({ hostname: 'node-5', preserve_hostname: false, users: [{ name: 'kairos', plain_text_passwd: 'kairos' }] });
    expect(seed.userData).not.toContain('template: jinja');
  });
});

describe('cardConfigProblem', () => {
  it('accepts an extra cloud-config with or without its #cloud-config line, and an empty one', () => {
    expect(cardConfigProblem('k3s:\n  enabled: true\n', 'card 1')).toBeUndefined();
    expect(cardConfigProblem('#cloud-config\nk3s:\n  enabled: true\n', 'card 1')).toBeUndefined();
    expect(cardConfigProblem('', 'card 1')).toBeUndefined();
  });

  it('names the card and the line of what is wrong', () => {
    expect(cardConfigProblem('k3s:\n  enabled: true\nusers: root\n', "Card 2's cloud-config")).toBe("Card 2's cloud-config (line 3): users must be a list");
    expect(cardConfigProblem('- a\n- b\n', "Card 1's cloud-config")).toBe("Card 1's cloud-config: The cloud-config must be a mapping (key: value lines)");
  });
});
