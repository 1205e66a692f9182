import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cryptSalt, hashPassword, isCryptHash, isPsk, passphraseProblem, passwordMatches, wpaPsk } from '../../../src-shared/cloud-config/secrets.js';

/** The second implementation: OpenSSL's SHA-512 crypt (`openssl passwd -6`), the password on stdin. */
function opensslCrypt(password: string, salt: string): string {
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: password, encoding: 'utf8' }).trim();
}

describe('wpaPsk (IEEE 802.11i-2004 H.4 test vectors)', () => {
  it('passphrase "password" on SSID "IEEE"', () => {
    expect(wpaPsk('IEEE', 'password')).toBe('f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e');
  });

  it('passphrase "ThisIsAPassword" on SSID "ThisIsASSID"', () => {
    expect(wpaPsk('ThisIsASSID', 'ThisIsAPassword')).toBe('0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af');
  });

  it('a 63-character passphrase on a 32-byte UTF-8 SSID, as Python\'s hashlib computes it', () => {
    const ssid = 'Café ☕ ZZZZZZZZZZZZZZZZZZZZZZ';
    const passphrase = 'a~'.repeat(31) + '!';
    const python = execFileSync('python3', ['-c', 'import hashlib,sys; print(hashlib.pbkdf2_hmac("sha1", sys.argv[1].encode(), sys.argv[2].encode(), 4096, 32).hex())', passphrase, ssid], {
      encoding: 'utf8',
    }).trim();
    expect(new TextEncoder().encode(ssid)).toHaveLength(32);
    expect(wpaPsk(ssid, passphrase)).toBe(python);
  });

  it('refuses a passphrase WPA2 does not allow, naming the rule', () => {
    expect(() => wpaPsk('IEEE', 'short')).toThrow('8 to 63 characters, not 5');
    expect(() => wpaPsk('IEEE', 'a'.repeat(64))).toThrow('8 to 63 characters, not 64');
    expect(() => wpaPsk('IEEE', 'pässwörd1')).toThrow('printable ASCII');
    expect(passphraseProblem('12345678')).toBeUndefined();
  });

  it('isPsk takes 64 hex digits only', () => {
    expect(isPsk(wpaPsk('IEEE', 'password'))).toBe(true);
    expect(isPsk('password')).toBe(false);
    expect(isPsk('f'.repeat(63))).toBe(false);
  });
});

describe('hashPassword (SHA-512 crypt), checked against OpenSSL', () => {
  for (const password of ['kairos', 'kf-boot-test', 'pässwörd ☕', 'a much longer password with spaces, $dollars$ and "quotes"', 'x']) {
    it(`"${password}"`, () => {
      const salt = cryptSalt();
      const hash = hashPassword(password, salt);
      expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
      expect(hash).toBe(opensslCrypt(password, salt));
      expect(passwordMatches(password, hash)).toBe(true);
      expect(passwordMatches(`${password}!`, hash)).toBe(false);
    });
  }

  it('takes a fresh salt each time: the same password hashes differently', () => {
    const a = hashPassword('same');
    const b = hashPassword('same');
    expect(a).not.toBe(b);
    expect(passwordMatches('same', a) && passwordMatches('same', b)).toBe(true);
  });

  it('refuses a salt crypt cannot carry', () => {
    expect(() => hashPassword('x', 'short')).toThrow('8 to 16 characters');
    expect(() => hashPassword('x', 'has$dollar$sign')).toThrow('8 to 16 characters');
  });

  it('knows a crypt hash from clear text', () => {
    expect(isCryptHash(hashPassword('x'))).toBe(true);
    expect(isCryptHash('$y$j9T$abc$def')).toBe(true);
    expect(isCryptHash('$5$rounds=5000$salt$hash')).toBe(true);
    expect(isCryptHash('kairos')).toBe(false);
    expect(isCryptHash('$6$')).toBe(false);
    expect(isCryptHash('$password')).toBe(false);
  });
});
