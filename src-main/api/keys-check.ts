// Checks a Trusted Boot keys folder as AuroraBoot's genkey writes it: PK, KEK and db each with a
// certificate (.crt) and an enrolment file (.auth); db.key to sign the UKI, matching db.crt; and
// the TPM PCR signing key. Private keys must be readable by their owner only.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeysCheck } from '../../src-shared/api/contract.js';

type FileCheck = KeysCheck['files'][number];

/** Key files are small; anything bigger is not one. */
const MAX_KEY_FILE = 1 << 20;

type Read = { readonly data: Buffer } | { readonly problem: string } | undefined;

/**
 * A key file's content, or why it is not one. Opened without blocking and checked to be a regular
 * file before a byte is read: a FIFO (or a device) named like a key must not hang the API, whose
 * file reads share a handful of threads.
 */
async function readKeyFile(path: string): Promise<Read> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { problem: 'not a regular file' };
    if (info.size > MAX_KEY_FILE) return { problem: 'too large for a key or certificate' };
    return { data: await handle.readFile() };
  } catch {
    return { problem: 'cannot be read' };
  } finally {
    await handle.close();
  }
}

async function readOrUndefined(path: string): Promise<Buffer | undefined> {
  const read = await readKeyFile(path);
  return read && 'data' in read ? read.data : undefined;
}

async function problemOf(path: string): Promise<string> {
  const read = await readKeyFile(path);
  return read && 'problem' in read ? read.problem : 'missing';
}

async function certificate(folder: string, name: string): Promise<{ check: FileCheck; cert?: X509Certificate }> {
  const data = await readOrUndefined(join(folder, name));
  if (!data) return { check: { name, present: false, problem: await problemOf(join(folder, name)) } };
  try {
    const cert = new X509Certificate(data);
    return { check: { name, present: true }, cert };
  } catch {
    return { check: { name, present: true, problem: 'not an X.509 certificate (PEM or DER)' } };
  }
}

async function privateKey(folder: string, name: string, matches?: X509Certificate): Promise<FileCheck> {
  const path = join(folder, name);
  const data = await readOrUndefined(path);
  if (!data) return { name, present: false, problem: await problemOf(path) };
  let key;
  try {
    key = createPrivateKey(data);
  } catch {
    return { name, present: true, problem: 'not a private key' };
  }
  if (matches) {
    const fromKey = createPublicKey(key).export({ format: 'der', type: 'spki' });
    const fromCert = matches.publicKey.export({ format: 'der', type: 'spki' });
    if (!fromKey.equals(fromCert)) return { name, present: true, problem: 'does not match the certificate' };
  }
  const mode = (await stat(path)).mode & 0o077;
  if (process.platform !== 'win32' && mode !== 0) return { name, present: true, problem: 'readable by others: chmod 600 it' };
  return { name, present: true };
}

async function present(folder: string, name: string): Promise<FileCheck> {
  return (await readOrUndefined(join(folder, name))) ? { name, present: true } : { name, present: false, problem: await problemOf(join(folder, name)) };
}

export async function checkKeysFolder(folder: string): Promise<KeysCheck> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) return { folder, ok: false, files: [{ name: folder, present: false, problem: 'not a folder' }] };
  const files: FileCheck[] = [];
  let dbCert: X509Certificate | undefined;
  for (const base of ['PK', 'KEK', 'db']) {
    const { check, cert } = await certificate(folder, `${base}.crt`);
    files.push(check);
    if (base === 'db') dbCert = cert;
    files.push(await present(folder, `${base}.auth`));
  }
  files.push(await privateKey(folder, 'db.key', dbCert));
  files.push(await privateKey(folder, 'tpm2-pcr-private.pem'));
  return { folder, ok: files.every((f) => f.present && !f.problem), files };
}
