// The Secure Boot keys a Trusted Boot build signs with: the user's keys folder, copied into the
// builder, or keys generated once per recipe into <output>/<name>-keys/ the way AuroraBoot's
// genkey makes them, and reused by later builds. Key material never reaches the logs.
import { randomUUID } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import { AppError } from '../../../src-shared/errors/app-error.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { withOutputFiles } from '../output-files.js';
import { ownedBy, shellQuote } from '../shell-snippets.js';
import { KEY_FOLDER_FILES, KEY_NAMES, missingKeyFiles } from './uki-layout.js';

export interface KeysOptions {
  /** Host folder with the user's keys; without it, keys are generated (once) into the output. */
  readonly keysFolder?: string;
  /** Host folder of the output, mounted at /out in the builder. */
  readonly outputDir: string;
  /** The recipe name: names the generated folder and the certificates' subjects. */
  readonly name: string;
}

export interface TrustedBootKeys {
  /** The keys folder inside the builder. */
  readonly dir: string;
}

export async function ensureKeys(session: BuilderSession, options: KeysOptions, ctx: JobContext): Promise<TrustedBootKeys> {
  return options.keysFolder !== undefined ? copyUserKeys(session, options.keysFolder, ctx) : ensureGeneratedKeys(session, options, ctx);
}

function missingError(folder: string, missing: ReadonlyArray<string>): AppError {
  return new AppError('recipe-invalid', `The Trusted Boot keys folder ${folder} has no ${missing.join(', ')}`, {
    hint: 'Point trustedBoot.keysFolder at a folder made by `auroraboot genkey` (PK, KEK and db keys with their .auth files, and tpm2-pcr-private.pem), or leave it out to have keys generated',
  });
}

async function copyUserKeys(session: BuilderSession, keysFolder: string, ctx: JobContext): Promise<TrustedBootKeys> {
  const folder = resolve(keysFolder);
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AppError('recipe-invalid', `The Trusted Boot keys folder ${folder} does not exist`, { hint: 'Check trustedBoot.keysFolder' });
  }
  const names = new Set(await readdir(folder));
  const missing = missingKeyFiles(names);
  if (missing.length > 0) throw missingError(folder, missing);
  const entries = KEY_FOLDER_FILES.filter((n) => names.has(n));
  const dir = `/work/keys-${Date.now().toString(36)}`;
  await session.run(['install', '-d', '-m', '0700', dir], { what: 'prepare the keys folder' });
  // Only the key files travel, through the engine's API: no mount of the user's folder.
  await session.putArchive(pack(folder, { entries, dereference: true }) as unknown as Readable, dir);
  await session.run(['sh', '-c', 'chown -R 0:0 "$1" && chmod 0600 "$1"/*.key "$1"/tpm2-pcr-private.pem', 'sh', dir], { what: 'protect the keys' });
  ctx.log('artifacts', `Signing with the Trusted Boot keys in ${folder}`);
  return { dir };
}

async function listFolder(session: BuilderSession, dir: string): Promise<string[] | undefined> {
  const names: string[] = [];
  const { exitCode } = await session.exec(['ls', '-1', dir], { what: 'list the keys folder', onLine: (line) => names.push(line) });
  return exitCode === 0 ? names : undefined;
}

async function ensureGeneratedKeys(session: BuilderSession, options: KeysOptions, ctx: JobContext): Promise<TrustedBootKeys> {
  const dir = `/out/${options.name}-keys`;
  const hostDir = join(options.outputDir, `${options.name}-keys`);
  // A remote builder gets the keys of earlier builds from the output folder, and gives new ones back.
  await session.pushOut(`${options.name}-keys`);
  const existing = await listFolder(session, dir);
  if (existing) {
    const missing = missingKeyFiles(existing);
    // Never overwrite keys a machine may already trust: a damaged folder is the user's to fix.
    if (missing.length > 0) throw missingError(hostDir, missing);
    ctx.phase('artifacts', 'trusted boot keys', 'cached');
    ctx.log('artifacts', `Signing with the Trusted Boot keys generated earlier in ${hostDir}`);
    return { dir };
  }
  await ctx.runPhase('artifacts', 'trusted boot keys', () =>
    // Made under <name>-keys.partial, which a failed or cancelled run leaves nowhere.
    withOutputFiles(session, options.outputDir, ctx.signal, async (files) => {
      files.partial(`${options.name}-keys`);
      await session.script(genkeyScript(dir, options.name, randomUUID()), { what: 'generate the Trusted Boot keys', onLine: (line) => ctx.detail('artifacts', line) });
      files.forget(`${options.name}-keys`);
      await session.pullOut(`${options.name}-keys`);
    }),
  );
  ctx.log('artifacts', `Generated Trusted Boot keys in ${hostDir}: keep them, machines that enrol them will trust only what they sign`);
  return { dir };
}

/**
 * AuroraBoot's genkey: PK, KEK and db as RSA 2048 self-signed certificates (.pem, and .crt with
 * the same content), .der, EFI signature lists (.esl, one owner GUID per run) and signed
 * enrolment files (.auth: PK signs PK and KEK, KEK signs db), plus the TPM PCR policy key.
 * Written under a ".partial" name, so an interrupted run leaves nothing that looks complete.
 */
export function genkeyScript(dir: string, name: string, guid: string): string {
  const q = shellQuote;
  const tmp = `${dir}.partial`;
  const lines = [
    'umask 077',
    `rm -rf ${q(tmp)}`,
    `mkdir -m 0700 ${q(tmp)}`,
    `cd ${q(tmp)}`,
    // openssl's progress dots and the tools' chatter stay out of the log unless a step fails.
    'quiet() { "$@" >.log 2>&1 || { cat .log >&2; rm -f .log; return 1; }; rm -f .log; }',
  ];
  for (const k of KEY_NAMES) {
    lines.push(
      `quiet openssl req -new -x509 -nodes -newkey rsa:2048 -sha256 -subj ${q(`/CN=${name}-${k}/`)} -keyout ${k}.key -out ${k}.pem -days 3650`,
      `quiet openssl x509 -in ${k}.pem -outform DER -out ${k}.der`,
      `cp ${k}.pem ${k}.crt`,
      `quiet cert-to-efi-sig-list -g ${guid} ${k}.pem ${k}.esl`,
    );
  }
  lines.push(
    `quiet sign-efi-sig-list -g ${guid} -k PK.key -c PK.pem PK PK.esl PK.auth`,
    `quiet sign-efi-sig-list -g ${guid} -k PK.key -c PK.pem KEK KEK.esl KEK.auth`,
    `quiet sign-efi-sig-list -g ${guid} -k KEK.key -c KEK.pem db db.esl db.auth`,
    'quiet openssl genrsa -out tpm2-pcr-private.pem 2048',
    'chmod 0644 PK.pem KEK.pem db.pem *.crt *.der *.esl *.auth',
    'chmod 0600 *.key tpm2-pcr-private.pem',
    'cd /',
    ownedBy(`-R ${q(tmp)}`),
    `mv ${q(tmp)} ${q(dir)}`,
  );
  return lines.join('\n');
}
