// The two secrets the Cloud-config form takes, stored as what their consumers accept instead of
// the clear text: a user's password as a SHA-512 crypt hash (`$6$`, what /etc/shadow holds and
// what Kairos and cloud-init both take as `passwd`), and a Wi-Fi passphrase as its WPA2 PSK
// (PBKDF2-HMAC-SHA1 over the passphrase, the SSID as salt, 4096 rounds, 32 bytes: IEEE 802.11i),
// which wpa_supplicant and NetworkManager accept as 64 hex digits. Pure, and usable in the
// renderer: both libraries are plain JavaScript (no node:crypto).
import { pbkdf2 } from '@noble/hashes/pbkdf2';
import { sha1 } from '@noble/hashes/sha1';
import { bytesToHex, randomBytes, utf8ToBytes } from '@noble/hashes/utils';
import { sha512 } from 'sha512-crypt-ts';

/** crypt(3)'s salt alphabet. */
const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A crypt(3) hash (`$id$...`) as /etc/shadow holds it: MD5, bcrypt, SHA-256/512, yescrypt. */
const CRYPT_HASH = /^\$(1|2[abxy]?|5|6|y|gy|7)\$\S+$/;

export function isCryptHash(value: string): boolean {
  return CRYPT_HASH.test(value);
}

/** A fresh 16-character salt (the most SHA-512 crypt uses). */
export function cryptSalt(): string {
  return Array.from(randomBytes(16), (b) => SALT_CHARS[b & 63]).join('');
}

/**
 * The password as `openssl passwd -6` / `mkpasswd -m sha-512` write it. The library hashes the
 * characters of its string as bytes, so the password goes in as its UTF-8 bytes (what `login`
 * hashes when the user types it).
 */
export function hashPassword(password: string, salt: string = cryptSalt()): string {
  if (!/^[./0-9A-Za-z]{8,16}$/.test(salt)) throw new Error('the salt must be 8 to 16 characters of [./0-9A-Za-z]');
  const bytes = String.fromCharCode(...utf8ToBytes(password));
  return sha512.crypt(bytes, `$6$${salt}`);
}

/** Whether `password` is the one `hash` ($6$ only) was made from. */
export function passwordMatches(password: string, hash: string): boolean {
  const salt = /^\$6\$(?:rounds=\d+\$)?([^$]{1,16})\$/.exec(hash)?.[1];
  return salt !== undefined && salt.length >= 8 && hashPassword(password, salt) === hash;
}

/** What is wrong with a WPA2 passphrase, or undefined: 8 to 63 printable ASCII characters (IEEE 802.11i). */
export function passphraseProblem(passphrase: string): string | undefined {
  if (!/^[\x20-\x7e]*$/.test(passphrase)) return 'the Wi-Fi passphrase must be printable ASCII characters';
  if (passphrase.length < 8 || passphrase.length > 63) return `the Wi-Fi passphrase must be 8 to 63 characters, not ${passphrase.length}`;
  return undefined;
}

/** The WPA2 pre-shared key of a passphrase on an SSID: 64 lower-case hex digits. */
export function wpaPsk(ssid: string, passphrase: string): string {
  const problem = passphraseProblem(passphrase);
  if (problem) throw new Error(problem);
  return bytesToHex(pbkdf2(sha1, utf8ToBytes(passphrase), utf8ToBytes(ssid), { c: 4096, dkLen: 32 }));
}

export function isPsk(value: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(value);
}
