import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hostKeyAlgorithms, hostKeyVerdict, knownHostName, knownKeys } from '../../../src-main/docker/known-hosts.js';

const KEY_A = Buffer.from('key-a-blob').toString('base64');
const KEY_B = Buffer.from('key-b-blob').toString('base64');

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  it('names hosts as OpenSSH does: [host]:port unless the port is 22', () => {
    expect(knownHostName('build.example.com', 22)).toBe('build.example.com');
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('finds plain, listed, wildcard and hashed entries, and not other hosts or ports', () => {
    const text = [
      '# comment',
      `[127.0.0.1]:2222 ssh-ed25519 ${KEY_A}`,
      `build,build.example.com ecdsa-sha2-nistp256 ${KEY_B} comment`,
      `*.lab.example.com,!secret.lab.example.com ssh-rsa ${KEY_A}`,
      `${hashed('[10.0.0.9]:2200')} ssh-ed25519 ${KEY_B}`,
    ].join('\n');
    expect(knownKeys(text, '[127.0.0.1]:2222').map((k) => k.type)).toEqual(['ssh-ed25519']);
    expect(knownKeys(text, '127.0.0.1')).toEqual([]);
    expect(knownKeys(text, 'build.example.com').map((k) => k.type)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeys(text, 'node1.lab.example.com')).toHaveLength(1);
    expect(knownKeys(text, 'secret.lab.example.com')).toEqual([]);
    expect(knownKeys(text, '[10.0.0.9]:2200')[0]?.key.toString()).toBe('key-b-blob');
    expect(knownKeys(text, '[10.0.0.9]:22')).toEqual([]);
  });

  it('says known, unknown, changed or revoked for the key a server shows', () => {
    const text = `host ssh-ed25519 ${KEY_A}\n@revoked host ssh-rsa ${KEY_B}\n@cert-authority *.example.com ssh-rsa ${KEY_B}`;
    const known = knownKeys(text, 'host');
    expect(hostKeyVerdict(known, Buffer.from('key-a-blob'))).toBe('known');
    expect(hostKeyVerdict(known, Buffer.from('key-b-blob'))).toBe('revoked');
    expect(hostKeyVerdict(known, Buffer.from('other'))).toBe('changed');
    expect(hostKeyVerdict(knownKeys(text, 'elsewhere'), Buffer.from('key-a-blob'))).toBe('unknown');
    expect(knownKeys(text, 'a.example.com')).toEqual([]);
  });

  it('asks the server for the key types it is known by (RSA with SHA-2 first)', () => {
    const known = knownKeys(`h ssh-rsa ${KEY_A}\nh ssh-ed25519 ${KEY_B}`, 'h');
    expect(hostKeyAlgorithms(known)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });
});
