// Trusted Boot with the real Docker engine: keys generated (and reused) the way AuroraBoot's
// genkey makes them, a user's keys folder checked and copied, the example image's signed UKI and
// UKI ISO inspected without mounting anything, and a UKI ISO that enrols its keys booted in
// qemu from Setup Mode: the second boot has Secure Boot enforced and reaches userspace.
import { X509Certificate } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ArtifactInfo, JobEvent } from '../../src-shared/jobs/job-events.js';
import { sha256File } from '../../src-main/artifacts/checksum.js';
import { ensureRootfs, type CachedRootfs } from '../../src-main/artifacts/rootfs-cache.js';
import { buildUki, ukiInitrdPath } from '../../src-main/artifacts/uki/build-uki.js';
import { ensureKeys } from '../../src-main/artifacts/uki/trusted-boot-keys.js';
import { runBootTest } from '../../src-main/boot-test/run-boot-test.js';
import { ukiCmdline } from '../../src-main/artifacts/uki/uki-layout.js';
import { ensureBuilderImage } from '../../src-main/builder/builder-image.js';
import { BuilderSession } from '../../src-main/builder/builder-session.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { parse } from 'yaml';
import { plainImageSeed } from '../../src-shared/cloud-config/plain-image.js';
import { exampleIdentity } from './boot-expect.js';
import { REPO, skipReason } from './support.js';

const env = inject('integration');
const EXAMPLE_IMAGE = 'kairos-factory/debian-bookworm:v0.1.0-core-generic-amd64';
const NAME = 'uki-test';

describe.skipIf(skipReason(env, 'docker') !== undefined)('Trusted Boot: keys, signed UKI and UKI ISO', () => {
  const events: JobEvent[] = [];
  const abort = new AbortController();
  const ctx = new JobContext('uki-test', abort.signal, (e) => events.push(e));
  let docker: Docker;
  let session: BuilderSession;
  let out = '';
  let keysHost = '';
  let keysDir = '';
  let rootfs: CachedRootfs;
  let artifacts: ArtifactInfo[] = [];
  let userData: string | undefined;

  /** Runs a command in the builder; returns its output (stdout and stderr) and exit code. */
  async function inBuilder(argv: ReadonlyArray<string>): Promise<{ exitCode: number; text: string }> {
    const lines: string[] = [];
    const { exitCode } = await session.exec(argv, { what: argv[0]!, onLine: (l) => lines.push(l) });
    return { exitCode, text: lines.join('\n') };
  }

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kf-uki-'));
    keysHost = join(out, `${NAME}-keys`);
    docker = await dockerEngine();
    const builder = await ensureBuilderImage(docker, ctx, out);
    session = await BuilderSession.start(docker, builder, { outputDir: out, jobId: 'uki-test', signal: abort.signal });
    const image = await docker.getImage(EXAMPLE_IMAGE).inspect();
    rootfs = await ensureRootfs(docker, session, image.Id, ctx);
    keysDir = (await ensureKeys(session, { outputDir: out, name: NAME }, ctx)).dir;
    // The example is a plain image: its cloud-config reaches cloud-init from inside the UKI.
    userData = plainImageSeed((parse(await readFile(join(REPO, 'examples', 'debian-bookworm.yaml'), 'utf8')) as { cloudConfig: string }).cloudConfig).userData;
    artifacts = await buildUki(session, { rootfs, keysDir, outputDir: out, name: NAME, ...(userData !== undefined ? { userData } : {}) }, ctx);
  });

  afterAll(async () => {
    await session?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('generates genkey-style keys: private files 0600 in a 0700 folder', async () => {
    expect(keysDir).toBe(`/out/${NAME}-keys`);
    expect((await stat(keysHost)).mode & 0o777).toBe(0o700);
    const names = (await readdir(keysHost)).sort();
    const expected = ['PK', 'KEK', 'db'].flatMap((k) => ['key', 'pem', 'crt', 'der', 'esl', 'auth'].map((e) => `${k}.${e}`));
    expect(names).toEqual([...expected, 'tpm2-pcr-private.pem'].sort());
    for (const file of ['PK.key', 'KEK.key', 'db.key', 'tpm2-pcr-private.pem']) {
      expect((await stat(join(keysHost, file))).mode & 0o777, file).toBe(0o600);
    }
    expect((await stat(join(keysHost, 'db.auth'))).mode & 0o777).toBe(0o644);
    for (const k of ['PK', 'KEK', 'db']) {
      const pem = await readFile(join(keysHost, `${k}.pem`));
      expect(await readFile(join(keysHost, `${k}.crt`))).toEqual(pem);
      const cert = new X509Certificate(pem);
      expect(cert.subject).toBe(`CN=${NAME}-${k}`);
      expect(new X509Certificate(await readFile(join(keysHost, `${k}.der`))).fingerprint256).toBe(cert.fingerprint256);
    }
    expect(await readFile(join(keysHost, 'tpm2-pcr-private.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('keeps key material out of the log', () => {
    const text = JSON.stringify(events);
    expect(text).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
    expect(text).toContain(`Generated Trusted Boot keys in ${keysHost}`);
  });

  it('signs the enrolment files in the PK > KEK > db chain', async () => {
    // sig-list-to-certs would print the certificates; the owner GUID and the signer are enough here.
    const { exitCode, text } = await inBuilder(['sh', '-c', `cd ${keysDir} && for k in PK KEK db; do sig-list-to-certs $k.esl /tmp/$k; done && ls /tmp/PK-0.der /tmp/KEK-0.der /tmp/db-0.der`]);
    expect(exitCode, text).toBe(0);
    const verify = await inBuilder(['sh', '-c', `cd ${keysDir} && openssl verify -CAfile PK.pem PK.pem && openssl verify -CAfile db.pem db.pem`]);
    expect(verify.exitCode, verify.text).toBe(0);
  });

  it('reuses the generated keys on a later build', async () => {
    const before = await readFile(join(keysHost, 'db.key'));
    events.length = 0;
    expect((await ensureKeys(session, { outputDir: out, name: NAME }, ctx)).dir).toBe(keysDir);
    expect(await readFile(join(keysHost, 'db.key'))).toEqual(before);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'phase', phase: 'trusted boot keys', state: 'cached' }));
  });

  it("copies a user's keys folder into the builder, and names what is missing", async () => {
    const user = join(out, 'user-keys');
    await mkdir(user);
    // AuroraBoot's older layout: .crt only, no .pem.
    for (const f of ['db.key', 'db.crt', 'PK.auth', 'KEK.auth', 'tpm2-pcr-private.pem', 'PK.crt', 'KEK.crt']) {
      await copyFile(join(keysHost, f), join(user, f));
    }
    const missing = await ensureKeys(session, { keysFolder: user, outputDir: out, name: NAME }, ctx).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(AppError);
    expect((missing as AppError).code).toBe('recipe-invalid');
    expect((missing as AppError).message).toBe(`The Trusted Boot keys folder ${user} has no db.auth`);
    await copyFile(join(keysHost, 'db.auth'), join(user, 'db.auth'));
    const copied = await ensureKeys(session, { keysFolder: user, outputDir: out, name: NAME }, ctx);
    expect(copied.dir).toMatch(/^\/work\/keys-/);
    const listing = await inBuilder(['stat', '-c', '%a %n', `${copied.dir}/db.key`, `${copied.dir}/tpm2-pcr-private.pem`, `${copied.dir}/db.crt`]);
    expect(listing.text.split('\n')).toEqual([`600 ${copied.dir}/db.key`, `600 ${copied.dir}/tpm2-pcr-private.pem`, `644 ${copied.dir}/db.crt`]);
    const absent = await ensureKeys(session, { keysFolder: join(out, 'nope'), outputDir: out, name: NAME }, ctx).catch((e: unknown) => e);
    expect((absent as AppError).message).toMatch(/does not exist/);
  });

  it('writes the UKI and the UKI ISO with their checksums', async () => {
    expect(artifacts.map((a) => [a.kind, a.path])).toEqual([
      ['uki', join(out, `${NAME}.uki.efi`)],
      ['uki-iso', join(out, `${NAME}.uki.iso`)],
    ]);
    for (const a of artifacts) {
      expect(await readFile(`${a.path}.sha256`, 'utf8')).toBe(`${a.sha256}  ${a.path.split('/').pop()}\n`);
      expect((await stat(a.path)).size).toBe(a.size);
    }
    expect((await readdir(out)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('assembles the UKI from the stub with .osrel .cmdline .uname .initrd .linux, in that order', async () => {
    const { text } = await inBuilder(['objdump', '-h', `/out/${NAME}.uki.efi`]);
    const names = [...text.matchAll(/^\s*\d+\s+(\.\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)/gm)].map((m) => ({ name: m[1]!, size: parseInt(m[2]!, 16), vma: parseInt(m[3]!, 16) }));
    const added = names.filter((s) => ['.osrel', '.cmdline', '.uname', '.initrd', '.linux'].includes(s.name));
    expect(added.map((s) => s.name)).toEqual(['.osrel', '.cmdline', '.uname', '.initrd', '.linux']);
    for (let i = 1; i < added.length; i++) expect(added[i]!.vma).toBeGreaterThanOrEqual(added[i - 1]!.vma + added[i - 1]!.size);
    expect(text).toMatch(/\.linux[^\n]*\n[^\n]*CODE/);
    expect(names.find((s) => s.name === '.sbat')).toBeDefined();
    const section = async (name: string): Promise<string> =>
      (await inBuilder(['sh', '-c', `objcopy -O binary --only-section=${name} /out/${NAME}.uki.efi /tmp/s && cat /tmp/s`])).text;
    expect(await section('.cmdline')).toBe(ukiCmdline());
    expect(await section('.uname')).toMatch(/^6\.1\.0-\d+-amd64$/);
    expect(await section('.osrel')).toContain('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"');
  });

  it('signs the UKI with the db key (sbverify)', async () => {
    const ok = await inBuilder(['sbverify', '--cert', `${keysDir}/db.pem`, `/out/${NAME}.uki.efi`]);
    expect(ok.exitCode, ok.text).toBe(0);
    expect(ok.text).toContain('Signature verification OK');
    const wrong = await inBuilder(['sbverify', '--cert', `${keysDir}/KEK.pem`, `/out/${NAME}.uki.efi`]);
    expect(wrong.exitCode).not.toBe(0);
  });

  it('caches the initrd: the whole root filesystem, started at /init', async () => {
    const initrd = ukiInitrdPath(rootfs);
    // Two archives in one zstd stream (the kernel reads both, GNU cpio only the first): the root
    // filesystem, then the /init link, which is the last 512-byte block (cpio pads each archive).
    const { exitCode, text } = await inBuilder(['sh', '-c', `zstd -dc ${initrd} | cpio -itv --quiet etc/os-release boot dev 2>&1`]);
    expect(exitCode, text).toBe(0);
    expect(text).toMatch(/^d\S+ .* boot$/m);
    expect(text).toMatch(/^d\S+ .* dev$/m);
    expect(text).toMatch(/etc\/os-release/);
    const init = await inBuilder(['sh', '-c', `zstd -dc ${initrd} | tail -c 512 | cpio -itv --quiet 2>&1`]);
    expect(init.text).toMatch(/^l\S+ .* init -> \/lib\/systemd\/systemd$/);
    const boot = await inBuilder(['sh', '-c', `zstd -dc ${initrd} | cpio -it --quiet 'boot/*' 'proc/*' 'sys/*' 2>&1 | wc -l`]);
    expect(boot.text.trim()).toBe('0');
  });

  describe('the UKI ISO', () => {
    const iso = (): string => join(out, `${NAME}.uki.iso`);
    let report = '';
    let esp = '';
    beforeAll(async () => {
      report = (await execa('xorriso', ['-indev', iso(), '-report_el_torito', 'plain', '-report_system_area', 'plain', '-pvd_info'], { all: true })).all;
      const start = /GPT start and size :\s+2\s+(\d+)\s+(\d+)/.exec(report);
      esp = `${iso()}@@${Number(start?.[1] ?? 0) * 512}`;
    });

    it('is volume UKI_ISO_INSTALL with /efiboot.img as its El Torito UEFI image', async () => {
      expect(report).toMatch(/Volume Id\s*:\s*UKI_ISO_INSTALL/);
      expect(report).toMatch(/El Torito boot img :\s+1\s+UEFI\s+y\s+none/);
      expect(report).toMatch(/El Torito img path :\s+1\s+\/efiboot\.img/);
      const listing = (await execa('xorriso', ['-indev', iso(), '-find', '/', '-type', 'f'], { all: true })).all;
      expect(listing).toContain("'/efiboot.img'");
    });

    it('names the same image as GPT partition 2 of type EFI System, for USB sticks', () => {
      // GUID C12A7328-F81F-11D2-BA4B-00A0C93EC93B as xorriso prints it (mixed endian).
      expect(report).toMatch(/GPT type GUID\s*:\s*2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
      expect(report).toMatch(/GPT partition path :\s+2\s+\/efiboot\.img/);
      // Stored once: the ISO is not much larger than its ESP.
      const espBlocks = Number(/GPT start and size :\s+2\s+\d+\s+(\d+)/.exec(report)![1]);
      const isoBytes = artifacts[1]!.size;
      expect(isoBytes).toBeLessThan(espBlocks * 512 + 8 * 1024 * 1024);
    });

    it('holds systemd-boot, the UKI, the loader files and the keys to enrol', async () => {
      const dir = (await execa('mdir', ['-/', '-b', '-i', esp, '::/'], { all: true })).all;
      for (const path of [
        '::/EFI/BOOT/BOOTX64.EFI',
        '::/EFI/kairos/norole.efi',
        '::/loader/loader.conf',
        '::/loader/entries/norole.conf',
        '::/loader/keys/auto/PK.auth',
        '::/loader/keys/auto/KEK.auth',
        '::/loader/keys/auto/db.auth',
      ]) {
        expect(dir).toContain(path);
      }
      expect((await execa('mtype', ['-i', esp, '::/loader/loader.conf'])).stdout).toBe('timeout 5\nconsole-mode max\neditor no\nsecure-boot-enroll manual');
      expect((await execa('mtype', ['-i', esp, '::/loader/entries/norole.conf'])).stdout).toBe('title Kairos\nsort-key norole-0\nefi /EFI/kairos/norole.efi');
      const auth = await readFile(join(keysHost, 'db.auth'));
      await execa('mcopy', ['-n', '-i', esp, '::/loader/keys/auto/db.auth', join(out, 'esp-db.auth')]);
      expect(await readFile(join(out, 'esp-db.auth'))).toEqual(auth);
    });

    it('carries a signed systemd-boot and the same signed UKI', async () => {
      await execa('mcopy', ['-n', '-i', esp, '::/EFI/BOOT/BOOTX64.EFI', join(out, 'esp-bootx64.efi')]);
      await execa('mcopy', ['-n', '-i', esp, '::/EFI/kairos/norole.efi', join(out, 'esp-norole.efi')]);
      const boot = await inBuilder(['sbverify', '--cert', `${keysDir}/db.pem`, '/out/esp-bootx64.efi']);
      expect(boot.exitCode, boot.text).toBe(0);
      expect(await sha256File(join(out, 'esp-norole.efi'))).toBe(artifacts[0]!.sha256);
    });
  });

  describe.skipIf(skipReason(env, 'qemu') !== undefined)('booted with Secure Boot enforced', () => {
    it('enrols its keys from Setup Mode, then boots signed to userspace with the kernel locked down', { timeout: 900_000 }, async () => {
      // The same UKI, in an ISO whose systemd-boot enrols the keys by itself (recipe trustedBoot.enroll: force).
      // Same output folder (the one the builder mounts), another name.
      const [, iso] = await buildUki(session, { rootfs, keysDir, outputDir: out, name: `${NAME}-force`, secureBootEnroll: 'force', ...(userData !== undefined ? { userData } : {}) }, ctx);
      const log = join(out, 'sb.boot.log');
      const id = await exampleIdentity();
      const result = await runBootTest(
        { artifact: iso!.path, firmware: 'uefi', secureBoot: true, timeoutSeconds: 600, logFile: log, expect: { hostname: id.hostname, login: { user: id.user, password: id.password } } },
        ctx,
      );
      expect(result.message).toMatch(new RegExp(`^booted \\(secureboot\\): ${id.hostname} login:; logged in as ${id.user} `));
      const enrol = await readFile(join(out, 'sb.boot.enrol.log'), 'latin1');
      expect(enrol).toMatch(/Enrolling secure boot keys/);
      const boot = await readFile(log, 'latin1');
      expect(boot).toContain('secureboot: Secure boot enabled');
      expect(boot).toMatch(/Kernel is locked down from EFI Secure Boot/);
    });
  });
});
