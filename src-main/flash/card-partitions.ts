// Each card's own COS_OEM, made before any drive is touched: the image's COS_OEM partition is
// copied out of the image (read once, by partition table and ext2 label), and in the builder
// container debugfs (e2fsprogs) writes each card's files into a copy of it: 90_custom.yaml, the
// image's cloud-config with the card's hostname and extra cloud-config, and for a plain image the
// cloud-init user-data made from it. The flash helper then writes each card's copy over that
// partition's byte range.
//
// Why the builder container: editing ext2 needs an ext2 implementation. macOS and Windows have
// none, Linux needs root to mount, and the app already needs Docker for everything it builds, so
// the same container image that made the partition edits it, on every platform, unprivileged and
// with upstream's own tool. Editing a copy (not making a new file system) keeps everything else of
// the partition as the image had it: its UUID, label, grubenv, the reset stage, any file we do not
// know of. Every copy is read back (debugfs cat) and checked (e2fsck -fn) before flashing.
import { mkdtemp, rm, stat, readFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../src-shared/errors/app-error.js';
import { plainImageSeed } from '../../src-shared/cloud-config/plain-image.js';
import { cardCloudConfig, type CardValues } from '../../src-shared/flash/card-config.js';
import { MEDIUM_USER_DATA } from '../../src-shared/kairosify/cloud-init-seed.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import { ensureBuilderImage } from '../builder/builder-image.js';
import { BuilderSession } from '../builder/builder-session.js';
import { dockerEngine } from '../docker/docker-engine.js';
import type { JobContext } from '../jobs/job-context.js';
import { ownedBy } from '../artifacts/shell-snippets.js';
import { textTar } from '../artifacts/text-tar.js';
import { openImagePrefix } from './image-prefix.js';
import { findOemPartition } from './partition-table.js';
import type { Interval } from './write-plan.js';

/** The Kairos cloud-config on COS_OEM (build-raw.ts writes it). */
export const OEM_CLOUD_CONFIG = '90_custom.yaml';
/** debugfs exits 0 whatever happens; the scripts say "does not fit" with this code (not one of e2fsck's). */
const NO_ROOM = 3;
const FSCK_FAILED = 9;

export interface CardPartitions {
  /** Where the partition lies in the image. */
  readonly range: Interval;
  /** One partition image per card, in the order of the cards. */
  readonly files: ReadonlyArray<string>;
  /** Removes the scratch folder. */
  dispose(): Promise<void>;
}

/** The image's COS_OEM, copied out of a plain or compressed image into `file`. */
async function extractOem(image: string, dir: string, file: string, signal: AbortSignal): Promise<Interval> {
  const prefix = await openImagePrefix(image, join(dir, 'prefix.img'), signal);
  try {
    const oem = await findOemPartition(prefix.read, prefix.info.imageSize ?? Number.MAX_SAFE_INTEGER);
    const out = await open(file, 'w', 0o600);
    try {
      const step = 8 * 1024 * 1024;
      for (let at = 0; at < oem.length; at += step) {
        const data = await prefix.read(oem.offset + at, Math.min(step, oem.length - at));
        if (data.length === 0) throw new AppError('source-invalid', `${image} ends inside its COS_OEM partition`, { hint: 'The image is truncated; build or download it again' });
        await out.write(data, 0, data.length, at);
      }
    } finally {
      await out.close();
    }
    return { offset: oem.offset, length: oem.length };
  } finally {
    await prefix.close();
  }
}

/** The files of one card's COS_OEM: its cloud-config, and the user-data when the image carries one. */
export function cardFiles(base: string, userData: boolean, values: CardValues, card: number): Array<[string, string]> {
  const config = cardCloudConfig(base, values);
  const files: Array<[string, string]> = [[OEM_CLOUD_CONFIG, config]];
  if (userData) {
    const seed = plainImageSeed(config);
    if (seed.errors.length > 0) throw new AppError('bad-request', `Card ${card}'s cloud-config cannot be applied by this plain image: ${seed.errors[0]!.message}`);
    files.push(['user-data', seed.userData ?? '#cloud-config\n']);
  }
  return files;
}

/** debugfs commands that replace a file in place (rm, then write from a copy that kept the original's owner and mode). */
function replaceCommands(dir: string, name: string, local: string): string[] {
  return [`cd ${dir}`, `rm ${name}`, `write ${local} ${name}`];
}

export async function makeCardPartitions(image: string, cards: ReadonlyArray<CardValues>, ctx: JobContext): Promise<CardPartitions> {
  const dir = await mkdtemp(join(tmpdir(), 'kf-cards-'));
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const range = await ctx.runPhase('flash', 'card partitions', async () => {
      const range = await extractOem(image, dir, join(dir, 'oem.img'), ctx.signal);
      ctx.log('flash', `COS_OEM found at ${formatBytes(range.offset)} (${formatBytes(range.length)}): each card gets its own copy`);
      const docker = await dockerEngine();
      const builder = await ensureBuilderImage(docker, ctx, join(dir, 'logs'));
      const session = await BuilderSession.start(docker, builder, { outputDir: dir, jobId: ctx.jobId, signal: ctx.signal });
      try {
        await session.pushOut('oem.img');
        // 1. The image's files, with their owner and mode (dump -p), then readable here.
        const userDataPath = `/${MEDIUM_USER_DATA}`;
        await session.script(
          [
            `mkdir -p /tmp/orig /out/base ${cards.map((_, i) => `/tmp/card-${i + 1}`).join(' ')}`,
            `debugfs -R ${shellQuote(`dump -p /${OEM_CLOUD_CONFIG} /tmp/orig/${OEM_CLOUD_CONFIG}`)} /out/oem.img 2>/dev/null`,
            `debugfs -R ${shellQuote(`dump -p ${userDataPath} /tmp/orig/user-data`)} /out/oem.img 2>/dev/null`,
            'for f in /tmp/orig/*; do [ -s "$f" ] || rm -f "$f"; done',
            'cp /tmp/orig/* /out/base/ 2>/dev/null || true',
            ownedBy('-R /out/base'),
          ].join('\n'),
          { what: 'read COS_OEM (debugfs)', onLine: (l) => ctx.detail('flash', l) },
        );
        await session.pullOut('base');
        const base = await readFile(join(dir, 'base', OEM_CLOUD_CONFIG), 'utf8').catch(() => undefined);
        const hasUserData = (await stat(join(dir, 'base', 'user-data')).catch(() => undefined)) !== undefined;
        if (base === undefined) ctx.log('flash', `The image's COS_OEM has no ${OEM_CLOUD_CONFIG}: each card gets one with its values only`);
        if (!hasUserData) ctx.log('flash', `COS_OEM has no ${MEDIUM_USER_DATA}: the values go into ${OEM_CLOUD_CONFIG}, which the Kairos framework applies (a plain image applies only that user-data)`);

        // 2. Each card's files, then its copy of the partition edited and checked.
        const texts: Array<[string, string]> = [];
        cards.forEach((values, i) => {
          for (const [name, text] of cardFiles(base ?? '', hasUserData, values, i + 1)) texts.push([`card-${i + 1}/${name}`, text]);
          ctx.log('flash', `Card ${i + 1}: ${values.hostname !== undefined ? `hostname ${values.hostname}` : 'the image\'s hostname'}${values.cloudConfig?.trim() ? ', its own extra cloud-config' : ''}`);
        });
        await session.putArchive(textTar(texts, 0o600), '/tmp');
        const q = shellQuote;
        for (let n = 1; n <= cards.length; n++) {
          const img = `/out/card-${n}.img`;
          const local = `/tmp/card-${n}`;
          const commands = [
            ...replaceCommands('/', OEM_CLOUD_CONFIG, `${local}/${OEM_CLOUD_CONFIG}`),
            ...(hasUserData ? replaceCommands(userDataPath.replace(/\/[^/]+$/, ''), 'user-data', `${local}/user-data`) : []),
          ];
          const check = (path: string, file: string): string =>
            `debugfs -R ${q(`cat ${path}`)} "$img" 2>/dev/null | cmp -s - ${q(file)} || { echo "card ${n}: ${path} did not fit in COS_OEM" >&2; exit ${NO_ROOM}; }`;
          const { exitCode, tail } = await session.exec(
            [
              'bash',
              '-euo',
              'pipefail',
              '-c',
              [
                `img=${q(img)}`,
                'cp /out/oem.img "$img"',
                // The new text in a copy of the original file: the owner and mode stay the image's.
                `if [ -f /tmp/orig/${OEM_CLOUD_CONFIG} ]; then cp -p /tmp/orig/${OEM_CLOUD_CONFIG} ${local}/.keep && cat ${local}/${OEM_CLOUD_CONFIG} > ${local}/.keep && mv ${local}/.keep ${local}/${OEM_CLOUD_CONFIG}; else chown 0:0 ${local}/${OEM_CLOUD_CONFIG}; fi`,
                ...(hasUserData ? [`cp -p /tmp/orig/user-data ${local}/.keep && cat ${local}/user-data > ${local}/.keep && mv ${local}/.keep ${local}/user-data`] : []),
                `printf '%s\\n' ${commands.map(q).join(' ')} > ${local}/commands`,
                `debugfs -w -f ${local}/commands "$img" >/dev/null 2>&1`,
                check(`/${OEM_CLOUD_CONFIG}`, `${local}/${OEM_CLOUD_CONFIG}`),
                ...(hasUserData ? [check(userDataPath, `${local}/user-data`)] : []),
                `e2fsck -fn "$img" >/dev/null 2>&1 || { echo "card ${n}: e2fsck found errors in the edited COS_OEM" >&2; exit ${FSCK_FAILED}; }`,
                ownedBy('"$img"'),
              ].join('\n'),
            ],
            { what: `COS_OEM of card ${n} (debugfs)`, onLine: (l) => ctx.detail('flash', l) },
          );
          if (exitCode === NO_ROOM) {
            throw new AppError('bad-request', `Card ${n}'s COS_OEM files do not fit in the image's ${formatBytes(range.length)} COS_OEM partition; nothing was written`, {
              hint: "Make the card's extra cloud-config smaller",
            });
          }
          if (exitCode !== 0) throw new AppError('flash-failed', `Making card ${n}'s COS_OEM failed (exit ${exitCode}): ${tail.slice(-3).join(' | ')}; nothing was written`);
          await session.pullOut(`card-${n}.img`);
        }
      } finally {
        await session.close();
      }
      return range;
    });
    const files = cards.map((_, i) => join(dir, `card-${i + 1}.img`));
    for (const file of files) {
      const size = (await stat(file)).size;
      if (size !== range.length) throw new AppError('internal', `${file} is ${size} bytes, the partition ${range.length}`);
    }
    return { range, files, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
