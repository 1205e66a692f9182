// Checks a Trusted Boot keys folder against the one definition of it (keys-folder.ts, which the
// build reads too): PK, KEK and db enrolment files (.auth), db's certificate (genkey's db.pem, or
// db.crt) and db.key to sign the UKI, matching it; the TPM PCR signing key; the PK and KEK
// certificates when present. Private keys must be readable by their owner only.
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeysCheck } from '../../src-shared/api/contract.js';
import { KEY_FOLDER_RULES, presentName } from '../../src-shared/kairosify/keys-folder.js';

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

async function certificate(path: string, name: string): Promise<{ check: FileCheck; cert?: X509Certificate }> {
  const data = await readOrUndefined(path);
  if (!data) return { check: { name, present: false, problem: await problemOf(path) } };
  try {
    const cert = new X509Certificate(data);
    return { check: { name, present: true }, cert };
  } catch {
    return { check: { name, present: true, problem: 'not an X.509 certificate (PEM or DER)' } };
  }
}

async function privateKey(path: string, name: string, matches?: X509Certificate): Promise<FileCheck> {
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

async function present(path: string, name: string): Promise<FileCheck> {
  return (await readOrUndefined(path)) ? { name, present: true } : { name, present: false, problem: await problemOf(path) };
}

/** Checks the folder against the one definition of a keys folder (keys-folder.ts), file by file. */
export async function checkKeysFolder(folder: string): Promise<KeysCheck> {
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) return { folder, ok: false, files: [{ name: folder, present: false, problem: 'not a folder' }] };
  const names = new Set(await readdir(folder).catch(() => [] as string[]));
  const files: FileCheck[] = [];
  const certificates = new Map<string, X509Certificate>();
  for (const rule of KEY_FOLDER_RULES) {
    const found = presentName(rule, names);
    if (found === undefined) {
      if (rule.required) files.push({ name: rule.label, present: false, problem: 'missing' });
      continue;
    }
    const path = join(folder, found);
    switch (rule.kind) {
      case 'certificate': {
        const { check, cert } = await certificate(path, found);
        files.push(check);
        if (cert) certificates.set(found.split('.')[0]!, cert);
        break;
      }
      case 'private-key':
        files.push(await privateKey(path, found, rule.matches ? certificates.get(rule.matches) : undefined));
        break;
      case 'auth':
        files.push(await present(path, found));
        break;
    }
  }
  return { folder, ok: files.every((f) => f.present && !f.problem), files };
}
