// Builds the Trusted Boot artifacts in the builder container: a signed UKI (<name>.uki.efi) and an
// ISO whose ESP starts it through a signed systemd-boot (<name>.uki.iso). Trusted Boot images have
// no /boot/initrd: the initrd is the whole root filesystem (AuroraBoot's way), cached per image.
import { IMAGE_USER_DATA } from '../../../src-shared/kairosify/cloud-init-seed.js';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { withOutputFiles, type OutputFiles } from '../output-files.js';
import type { CachedRootfs } from '../rootfs-cache.js';
import { RESOLVE_IN_ROOTFS, ownedBy, shellQuote } from '../shell-snippets.js';
import { textTar } from '../text-tar.js';
import { xorrisoPercent } from '../tool-progress.js';
import {
  SYSTEMD_BOOT,
  SYSTEMD_STUB,
  UKI_ENTRY_NAME,
  UKI_ESP_IMAGE,
  UKI_ESP_LABEL,
  UKI_SECTIONS,
  espFiles,
  espFolders,
  espImageMiB,
  loaderConf,
  loaderEntry,
  objcopyArgs,
  parseObjdumpSections,
  placeUkiSections,
  ukiCmdline,
  ukiIsoArgs,
  type SecureBootEnroll,
  type UkiSectionName,
} from './uki-layout.js';

export interface UkiRequest {
  readonly rootfs: CachedRootfs;
  /** The keys folder inside the builder (see ensureKeys). */
  readonly keysDir: string;
  /** Host folder of the output, mounted at /out in the builder. */
  readonly outputDir: string;
  /** Names the files: <name>.uki.efi and <name>.uki.iso. */
  readonly name: string;
  readonly extraCmdline?: string;
  /** systemd-boot's key enrolment from the ESP (default manual: a menu entry in Setup Mode). */
  readonly secureBootEnroll?: SecureBootEnroll;
  /**
   * A plain image's cloud-init user-data (plain-image.ts): the UKI's initrd is the whole system, so
   * it goes in as /etc/kairos-factory/user-data, one more cpio archive after the cached ones.
   */
  readonly userData?: string;
}

/** The cached initrd of an image (zstd-compressed newc cpio of its whole root filesystem). */
export function ukiInitrdPath(rootfs: CachedRootfs): string {
  return `/cache/uki/${rootfs.imageKey}.initrd.zst`;
}

/** Top-level folders kept empty in the initrd: the kernel and systemd mount them. /boot goes too. */
const EMPTY_DIRS = ['boot', 'dev', 'proc', 'sys', 'run', 'tmp'];

/**
 * The initrd: the root filesystem in RAM, started at /init. Kairos images start immucore there
 * (AuroraBoot links /init to /usr/bin/immucore); an image without the framework boots straight
 * into its own init. A second cpio archive in the same stream adds the /init link, so the cached
 * rootfs stays untouched. Level 9 is within 2 % of zstd's best here and five times faster.
 */
export function initrdScript(rootfs: CachedRootfs): string {
  const q = shellQuote;
  const target = ukiInitrdPath(rootfs);
  const partial = `${target}.partial`;
  const prune = EMPTY_DIRS.map((d) => `-path ./${d}`).join(' -o ');
  return [
    `root=${q(rootfs.rootfsDir)}`,
    RESOLVE_IN_ROOTFS,
    'init=',
    'for candidate in /usr/bin/immucore /lib/systemd/systemd /sbin/init; do',
    '  if [ -n "$(find_in_root "$candidate")" ]; then init=$candidate; break; fi',
    'done',
    '[ -n "$init" ] || { echo "the image has no init (/usr/bin/immucore, /lib/systemd/systemd or /sbin/init)" >&2; exit 3; }',
    'echo "initrd: the root filesystem, starting $init"',
    'extra=$(mktemp -d)',
    'ln -s "$init" "$extra/init"',
    'mkdir -p /cache/uki',
    `rm -f ${q(partial)}`,
    '{',
    `  (cd "$root" && find . \\( ${prune} \\) -prune -print -o -print | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible)`,
    '  (cd "$extra" && echo init | cpio -o -H newc --quiet --reproducible)',
    `} | zstd -q -T0 -9 > ${q(partial)}`,
    'rm -rf "$extra"',
    `mv ${q(partial)} ${q(target)}`,
    '# initrds of images no longer in the rootfs cache go too',
    'for f in /cache/uki/*.initrd.zst; do',
    '  key=$(basename "$f" .initrd.zst)',
    '  [ -d "/cache/rootfs/$key" ] || rm -f "$f"',
    'done',
  ].join('\n');
}

async function ensureInitrd(session: BuilderSession, rootfs: CachedRootfs, ctx: JobContext): Promise<string> {
  const path = ukiInitrdPath(rootfs);
  const { exitCode } = await session.exec(['test', '-f', path], { what: `check ${path}` });
  if (exitCode === 0) {
    ctx.phase('artifacts', 'uki initrd', 'cached');
    return path;
  }
  await ctx.runPhase('artifacts', 'uki initrd', () =>
    session.script(initrdScript(rootfs), { what: 'UKI initrd', onLine: (line) => ctx.detail('artifacts', line) }),
  );
  return path;
}

/** Runs a command and returns its output lines (stdout and stderr). */
async function output(session: BuilderSession, argv: ReadonlyArray<string>, what: string): Promise<string[]> {
  const lines: string[] = [];
  await session.run(argv, { what, onLine: (line) => lines.push(line) });
  return lines;
}

async function fileSizes(session: BuilderSession, paths: ReadonlyArray<string>): Promise<number[]> {
  const lines = await output(session, ['stat', '-L', '-c', '%s', ...paths], 'measure files');
  const sizes = lines.map(Number);
  if (sizes.length !== paths.length || sizes.some((s) => !Number.isSafeInteger(s))) throw new Error(`unexpected stat output: ${lines.join(' | ')}`);
  return sizes;
}

/** Shell lines that set $cert to the db certificate as PEM (a user's db.crt may be DER). */
function dbCertScript(keysDir: string, work: string): string {
  const q = shellQuote;
  return [
    `cert=${q(`${keysDir}/db.pem`)}`,
    `[ -f "$cert" ] || cert=${q(`${keysDir}/db.crt`)}`,
    'if ! grep -q "BEGIN CERTIFICATE" "$cert"; then',
    `  openssl x509 -inform DER -in "$cert" -out ${q(`${work}/db.pem`)}`,
    `  cert=${q(`${work}/db.pem`)}`,
    'fi',
    `key=${q(`${keysDir}/db.key`)}`,
  ].join('\n');
}

export async function buildUki(session: BuilderSession, request: UkiRequest, ctx: JobContext): Promise<ArtifactInfo[]> {
  const initrd = await ensureInitrd(session, request.rootfs, ctx);
  const work = `/work/uki-${Date.now().toString(36)}`;
  try {
    return await withOutputFiles(session, request.outputDir, ctx.signal, async (files) => {
      const uki = await ctx.runPhase('artifacts', 'uki', () => signedUki(session, request, { initrd, work, files }, ctx));
      const iso = await ctx.runPhase('artifacts', 'uki iso', () => ukiIso(session, request, { work, files }, ctx));
      return [uki, iso];
    });
  } finally {
    if (!ctx.signal.aborted) await session.run(['rm', '-rf', work], { what: 'clean up' }).catch(() => undefined);
  }
}

function ukiNames(name: string): { readonly ukiFile: string; readonly isoFile: string } {
  return { ukiFile: `${name}.uki.efi`, isoFile: `${name}.uki.iso` };
}

/** The signed UKI (<name>.uki.efi), and systemd-boot signed with the same key in the work folder. */
async function signedUki(
  session: BuilderSession,
  request: UkiRequest,
  step: { readonly initrd: string; readonly work: string; readonly files: OutputFiles },
  ctx: JobContext,
): Promise<ArtifactInfo> {
  const q = shellQuote;
  const { work, initrd } = step;
  const { ukiFile } = ukiNames(request.name);
  const ukiOut = step.files.partial(ukiFile).builder;
  const detail = (line: string): void => ctx.detail('artifacts', line);
  await session.run(['mkdir', '-p', work], { what: 'prepare UKI folder' });
  await session.putArchive(
    textTar([
      ['cmdline', ukiCmdline(request.extraCmdline)],
      ['loader.conf', loaderConf(request.secureBootEnroll ? { secureBootEnroll: request.secureBootEnroll } : {})],
      ['entry.conf', loaderEntry()],
    ]),
    work,
  );
  if (request.userData !== undefined) {
    await session.putArchive(textTar([[`seed-root${IMAGE_USER_DATA}`, request.userData]], 0o600), work);
  }
  // The section files, as links in the work folder: the kernel behind /boot/vmlinuz, the
  // image's os-release (the boot menu shows its PRETTY_NAME), the kernel version.
  await session.script(
    [
      `root=${q(request.rootfs.rootfsDir)}`,
      RESOLVE_IN_ROOTFS,
      `cd ${q(work)}`,
      'kernel=$(resolve /boot/vmlinuz)',
      'osrel=$(find_in_root /etc/os-release /usr/lib/os-release)',
      '[ -n "$osrel" ] || { echo "the image has no /etc/os-release" >&2; exit 3; }',
      `kver=$(file -bL "$kernel" | sed -n 's/.*, version \\([^ ]*\\).*/\\1/p')`,
      '[ -n "$kver" ] || kver=$(basename "$kernel" | sed "s/^vmlinuz-//")',
      'printf "%s" "$kver" > uname',
      'ln -s "$kernel" linux',
      'ln -s "$osrel" osrel',
      // The kernel unpacks concatenated archives one after the other: the seed lands on the cached system.
      request.userData !== undefined
        ? `(cd seed-root && find . | LC_ALL=C sort | cpio -o -H newc --quiet --reproducible | zstd -q -3) > seed.cpio.zst && cat ${q(initrd)} seed.cpio.zst > initrd && rm -rf seed-root seed.cpio.zst`
        : `ln -s ${q(initrd)} initrd`,
      'echo "kernel $kver"',
    ].join('\n'),
    { what: 'find the kernel', onLine: detail },
  );
  const stub = parseObjdumpSections((await output(session, ['objdump', '-h', SYSTEMD_STUB], 'read the systemd stub')).join('\n'));
  const sectionFiles: Record<UkiSectionName, string> = {
    '.osrel': `${work}/osrel`,
    '.cmdline': `${work}/cmdline`,
    '.uname': `${work}/uname`,
    '.initrd': `${work}/initrd`,
    '.linux': `${work}/linux`,
  };
  const sizes = await fileSizes(session, UKI_SECTIONS.map((s) => sectionFiles[s]));
  const sections = placeUkiSections(stub, UKI_SECTIONS.map((name, i) => ({ name, path: sectionFiles[name], size: sizes[i]! })));
  await session.run(objcopyArgs(SYSTEMD_STUB, sections, `${work}/unsigned.efi`), { what: 'objcopy (assemble the UKI)', onLine: detail });
  await session.script(
    [
      dbCertScript(request.keysDir, work),
      `rm -f ${q(ukiOut)}`,
      `sbsign --key "$key" --cert "$cert" --output ${q(ukiOut)} ${q(`${work}/unsigned.efi`)}`,
      `sbverify --cert "$cert" ${q(ukiOut)}`,
      `rm -f ${q(`${work}/unsigned.efi`)}`,
      `sbsign --key "$key" --cert "$cert" --output ${q(`${work}/BOOTX64.EFI`)} ${SYSTEMD_BOOT}`,
      `sbverify --cert "$cert" ${q(`${work}/BOOTX64.EFI`)}`,
      ownedBy(q(ukiOut)),
    ].join('\n'),
    { what: 'sign the UKI and systemd-boot', onLine: detail },
  );
  return step.files.publish('uki', ukiFile);
}

/** The UKI ISO (<name>.uki.iso): an ESP image with systemd-boot, the UKI and the keys to enrol. */
async function ukiIso(session: BuilderSession, request: UkiRequest, step: { readonly work: string; readonly files: OutputFiles }, ctx: JobContext): Promise<ArtifactInfo> {
  const q = shellQuote;
  const { work } = step;
  const { ukiFile, isoFile } = ukiNames(request.name);
  const isoOut = step.files.partial(isoFile).builder;
  const sources: Record<ReturnType<typeof espFiles>[number]['from'], string> = {
    'systemd-boot': `${work}/BOOTX64.EFI`,
    uki: `/out/${ukiFile}`,
    'loader.conf': `${work}/loader.conf`,
    entry: `${work}/entry.conf`,
    'PK.auth': `${request.keysDir}/PK.auth`,
    'KEK.auth': `${request.keysDir}/KEK.auth`,
    'db.auth': `${request.keysDir}/db.auth`,
  };
  const esp = espFiles(UKI_ENTRY_NAME);
  const mib = espImageMiB(await fileSizes(session, esp.map((f) => sources[f.from])));
  const img = `${work}/iso-stage/${UKI_ESP_IMAGE}`;
  const meter = ctx.meter('artifacts', 'uki iso', 'percent', 100);
  await session.script(
    [
      `mkdir -p ${q(`${work}/iso-stage`)}`,
      `rm -f ${q(img)}`,
      `mkfs.fat -C -n ${UKI_ESP_LABEL} ${q(img)} ${mib * 1024} >/dev/null`,
      `mmd -i ${q(img)} ${espFolders(UKI_ENTRY_NAME).map((d) => q(`::/${d}`)).join(' ')}`,
      ...esp.map((f) => `mcopy -i ${q(img)} ${q(sources[f.from])} ${q(`::/${f.path}`)}`),
      `rm -f ${q(isoOut)}`,
      ukiIsoArgs({ output: isoOut, stageDir: `${work}/iso-stage` }).map(q).join(' '),
      ownedBy(q(isoOut)),
    ].join('\n'),
    {
      what: 'UKI ISO build',
      onLine: (line) => {
        const percent = xorrisoPercent(line);
        if (percent !== undefined) meter.update(percent);
        else ctx.detail('artifacts', line);
      },
    },
  );
  meter.finish();
  return step.files.publish('uki-iso', isoFile);
}
