// Real keys made with openssl, as AuroraBoot's genkey makes them, then spoiled one way per test.
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkKeysFolder } from '../../../src-main/api/keys-check.js';
import { missingKeyFiles } from '../../../src-shared/kairosify/keys-folder.js';

let root: string;
/** A complete, correct keys folder; never changed. */
let pristine: string;
/** A key that matches no certificate of the folder. */
let strangerKey: string;
/** The copy each test may spoil. */
let folder: string;

const ALL = ['PK.crt', 'PK.auth', 'KEK.crt', 'KEK.auth', 'db.crt', 'db.auth', 'db.key', 'tpm2-pcr-private.pem'];

async function certificateAndKey(dir: string, name: string): Promise<void> {
  await execa('openssl', ['req', '-new', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${name}`], { cwd: dir });
  await chmod(join(dir, `${name}.key`), 0o600);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kf-keys-'));
  pristine = join(root, 'pristine');
  await mkdir(pristine);
  await Promise.all(['PK', 'KEK', 'db'].map((name) => certificateAndKey(pristine, name)));
  // Only db.key stays: genkey keeps PK and KEK private keys elsewhere.
  await Promise.all([unlink(join(pristine, 'PK.key')), unlink(join(pristine, 'KEK.key'))]);
  for (const name of ['PK', 'KEK', 'db']) await writeFile(join(pristine, `${name}.auth`), Buffer.from([0x30, 0x82, 0x01, 0x00, 0xff, 0x00]));
  await execa('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'tpm2-pcr-private.pem'], { cwd: pristine });
  await chmod(join(pristine, 'tpm2-pcr-private.pem'), 0o600);
  await execa('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'stranger.key'], { cwd: root });
  strangerKey = join(root, 'stranger.key');
}, 60_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let copies = 0;
beforeEach(async () => {
  folder = join(root, `case-${copies++}`);
  await cp(pristine, folder, { recursive: true });
});

function problemsOf(result: Awaited<ReturnType<typeof checkKeysFolder>>): Record<string, string> {
  return Object.fromEntries(result.files.filter((f) => f.problem).map((f) => [f.name, f.problem!]));
}

describe('checkKeysFolder', () => {
  it('accepts a complete folder and lists every file it checked', async () => {
    const result = await checkKeysFolder(folder);
    expect(result).toEqual({ folder, ok: true, files: ALL.map((name) => ({ name, present: true })) });
  });

  it('accepts certificates in DER form', async () => {
    await execa('openssl', ['x509', '-in', 'PK.crt', '-outform', 'DER', '-out', 'PK.crt'], { cwd: folder });
    expect((await readFile(join(folder, 'PK.crt'))).subarray(0, 5).toString()).not.toBe('-----');
    expect((await checkKeysFolder(folder)).ok).toBe(true);
  });

  it('names each missing file, as the build names it', async () => {
    await Promise.all(['KEK.auth', 'db.crt', 'tpm2-pcr-private.pem'].map((f) => unlink(join(folder, f))));
    const result = await checkKeysFolder(folder);
    expect(result.ok).toBe(false);
    expect(result.files.filter((f) => !f.present)).toEqual([
      { name: 'KEK.auth', present: false, problem: 'missing' },
      { name: 'db.pem (or db.crt)', present: false, problem: 'missing' },
      { name: 'tpm2-pcr-private.pem', present: false, problem: 'missing' },
    ]);
    // Without db's certificate there is nothing to match db.key against: the key itself is fine.
    expect(result.files.find((f) => f.name === 'db.key')).toEqual({ name: 'db.key', present: true });
    // The same words as the build's check of a folder it is given.
    expect(result.files.filter((f) => !f.present).map((f) => f.name)).toEqual(missingKeyFiles(await readdir(folder)));
  });

  it('reports every file the build needs of an empty folder as missing', async () => {
    const empty = await mkdtemp(join(root, 'empty-'));
    const result = await checkKeysFolder(empty);
    expect(result.ok).toBe(false);
    expect(result.files).toEqual(missingKeyFiles([]).map((name) => ({ name, present: false, problem: 'missing' })));
  });

  it("accepts genkey's own names: certificates as .pem", async () => {
    for (const k of ['PK', 'KEK', 'db']) await rename(join(folder, `${k}.crt`), join(folder, `${k}.pem`));
    const result = await checkKeysFolder(folder);
    expect(result.ok).toBe(true);
    expect(result.files.map((f) => f.name)).toContain('db.pem');
  });

  it('accepts a folder without the PK and KEK certificates (only their .auth files are enrolled)', async () => {
    await Promise.all(['PK.crt', 'KEK.crt'].map((f) => unlink(join(folder, f))));
    expect((await checkKeysFolder(folder)).ok).toBe(true);
  });

  it('only checks that the .auth files are there, not what they hold', async () => {
    await writeFile(join(folder, 'db.auth'), 'anything');
    await writeFile(join(folder, 'PK.auth'), '');
    expect(await checkKeysFolder(folder)).toMatchObject({ ok: true });
  });

  it('reports an .auth name that is a folder as not a regular file', async () => {
    await unlink(join(folder, 'KEK.auth'));
    await mkdir(join(folder, 'KEK.auth'));
    expect(problemsOf(await checkKeysFolder(folder))).toEqual({ 'KEK.auth': 'not a regular file' });
  });

  it('refuses a db.key that does not match db.crt', async () => {
    await cp(strangerKey, join(folder, 'db.key'));
    await chmod(join(folder, 'db.key'), 0o600);
    const result = await checkKeysFolder(folder);
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual({ 'db.key': 'does not match the certificate' });
  });

  it('refuses the PK key put in place of db.key', async () => {
    const other = await mkdtemp(join(root, 'other-'));
    await certificateAndKey(other, 'PK');
    await cp(join(other, 'PK.key'), join(folder, 'db.key'));
    await chmod(join(folder, 'db.key'), 0o600);
    expect(problemsOf(await checkKeysFolder(folder))).toEqual({ 'db.key': 'does not match the certificate' });
  });

  it.skipIf(process.platform === 'win32')('flags a private key readable by others', async () => {
    await chmod(join(folder, 'db.key'), 0o644);
    await chmod(join(folder, 'tpm2-pcr-private.pem'), 0o640);
    const result = await checkKeysFolder(folder);
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual({
      'db.key': 'readable by others: chmod 600 it',
      'tpm2-pcr-private.pem': 'readable by others: chmod 600 it',
    });
  });

  it.skipIf(process.platform === 'win32')('accepts a key readable by its owner only (0400)', async () => {
    await chmod(join(folder, 'db.key'), 0o400);
    expect((await checkKeysFolder(folder)).ok).toBe(true);
  });

  it('refuses a .crt that is not a certificate', async () => {
    await writeFile(join(folder, 'KEK.crt'), 'this is not a certificate\n');
    const result = await checkKeysFolder(folder);
    expect(result.ok).toBe(false);
    expect(problemsOf(result)).toEqual({ 'KEK.crt': 'not an X.509 certificate (PEM or DER)' });
    expect(result.files.find((f) => f.name === 'KEK.crt')?.present).toBe(true);
  });

  it('refuses a private key put where a certificate belongs', async () => {
    await cp(join(folder, 'db.key'), join(folder, 'PK.crt'));
    expect(problemsOf(await checkKeysFolder(folder))).toEqual({ 'PK.crt': 'not an X.509 certificate (PEM or DER)' });
  });

  it('refuses a certificate put where a private key belongs', async () => {
    await cp(join(folder, 'db.crt'), join(folder, 'tpm2-pcr-private.pem'));
    await chmod(join(folder, 'tpm2-pcr-private.pem'), 0o600);
    expect(problemsOf(await checkKeysFolder(folder))).toEqual({ 'tpm2-pcr-private.pem': 'not a private key' });
  });

  it('says a file path is not a folder', async () => {
    const file = join(folder, 'db.crt');
    expect(await checkKeysFolder(file)).toEqual({ folder: file, ok: false, files: [{ name: file, present: false, problem: 'not a folder' }] });
  });

  it('says a path that does not exist is not a folder', async () => {
    const nowhere = join(root, 'does', 'not', 'exist');
    expect(await checkKeysFolder(nowhere)).toEqual({ folder: nowhere, ok: false, files: [{ name: nowhere, present: false, problem: 'not a folder' }] });
  });
});

describe('files that are not key files', () => {
  it('names a FIFO as not a regular file, without blocking on it: many checks at once still answer', { timeout: 10_000 }, async () => {
    await unlink(join(folder, 'db.key'));
    await execa('mkfifo', [join(folder, 'db.key')]);
    // More than the thread pool's four: a blocking open of the FIFO would hang them all.
    const results = await Promise.all(Array.from({ length: 8 }, () => checkKeysFolder(folder)));
    for (const result of results) {
      expect(result.ok).toBe(false);
      expect(problemsOf(result)).toEqual({ 'db.key': 'not a regular file' });
    }
  });

  it('refuses a huge file named like a certificate', async () => {
    await writeFile(join(folder, 'PK.crt'), Buffer.alloc(2 << 20));
    expect(problemsOf(await checkKeysFolder(folder))).toEqual({ 'PK.crt': 'too large for a key or certificate' });
  });
});
