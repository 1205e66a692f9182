// The whole build: kairosify, then every artifact the recipe asks for, from one cached rootfs and
// one cached squashfs per image.
import { plainImageSeed } from '../../src-shared/cloud-config/plain-image.js';
import { hasFramework } from '../../src-shared/recipe/has-framework.js';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import type { ArtifactInfo, JobResult } from '../../src-shared/jobs/job-events.js';
import type { ArtifactKind } from '../../src-shared/recipe/catalog.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { ensureBuilderImage } from '../builder/builder-image.js';
import { BuilderSession } from '../builder/builder-session.js';
import { pushImage } from '../docker/push-image.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { logEngineLink } from '../docker/remote-engine.js';
import type { TransferReport } from '../builder/out-transfer.js';
import type { JobContext } from '../jobs/job-context.js';
import { buildIso } from '../artifacts/iso/build-iso.js';
import { buildRawDisk, type RecoveryFormat } from '../artifacts/disk/build-raw.js';
import { buildGce, buildVhd } from '../artifacts/disk/cloud-images.js';
import { buildNetboot } from '../artifacts/netboot.js';
import { overlaySquashfs, uploadOverlay } from '../artifacts/overlay.js';
import { ensureRootfs, ensureSquashfs } from '../artifacts/rootfs-cache.js';
import { buildRootfsTar } from '../artifacts/rootfs-tar.js';
import { buildUki } from '../artifacts/uki/build-uki.js';
import { ensureKeys } from '../artifacts/uki/trusted-boot-keys.js';
import { kairosify } from './kairosify.js';
import { checkOfflineImages, kairosifiedAsItIs } from './offline-build.js';
import { outputFolderError, stepLogPath, withStepLog } from '../artifacts/artifact-step.js';
import { fingerprint, remember, reusable } from '../artifacts/artifact-cache.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { makeFolder } from '../util/make-folder.js';

export interface BuildRequest {
  readonly recipe: Recipe;
  /** Overrides recipe.output; relative paths resolve against the current folder. */
  readonly outputDir?: string;
  /** Never touch the network: what is missing fails at once (offline-build.ts). */
  readonly offline?: boolean;
}

/** The image carries the Kairos framework (everything but the scratch method without one). */
export { hasFramework } from '../../src-shared/recipe/has-framework.js';

export function recoveryFormat(recipe: Recipe): RecoveryFormat {
  if (recipe.disk.recovery !== 'auto') return recipe.disk.recovery;
  return hasFramework(recipe) ? 'img' : 'squashfs';
}

/** The artifacts to make, in build order: cloud images need the EFI disk first. */
export function buildOrder(artifacts: ReadonlyArray<ArtifactKind>): ArtifactKind[] {
  const wanted = new Set(artifacts);
  if (wanted.has('vhd') || wanted.has('gce')) wanted.add('raw-efi');
  const order: ArtifactKind[] = ['iso', 'netboot', 'raw-efi', 'raw-bios', 'rpi', 'vhd', 'gce', 'uki', 'rootfs-tar'];
  return order.filter((k) => wanted.has(k));
}

export async function runBuild(request: BuildRequest, ctx: JobContext): Promise<JobResult> {
  const outputDir = resolve(request.outputDir ?? request.recipe.output);
  try {
    return await build(request, outputDir, ctx);
  } catch (error) {
    // A full, read-only or missing output folder says so, wherever in the build it showed.
    throw outputFolderError(error, outputDir);
  }
}

/** The engine; for an offline build, once every image the build needs is known to be on it. */
async function offlineReady(request: BuildRequest, ctx: JobContext): Promise<Docker> {
  const docker = await dockerEngine();
  if (!request.offline) return docker;
  ctx.offline = true;
  await checkOfflineImages(docker, request.recipe);
  ctx.log('kairosify', 'Offline: every image the build needs is on the engine; nothing will be pulled');
  return docker;
}

async function build(request: BuildRequest, outputDir: string, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const docker = await offlineReady(request, ctx);
  // The folder and its logs first: a folder that cannot be written is said before any work.
  await makeFolder(join(outputDir, 'logs'));
  const endLink = logEngineLink(docker, (line) => ctx.log('kairosify', line));
  try {
    return await buildWith(docker, request, outputDir, ctx, started);
  } finally {
    endLink();
  }
}

/** Downloads from a remote engine: a byte meter (speed, time left) and one line each in the job's log. */
function transferReport(ctx: JobContext): TransferReport {
  return { meter: (step, total) => ctx.meter('artifacts', step, 'bytes', total), log: (line) => ctx.log('artifacts', line) };
}

async function buildWith(docker: Docker, request: BuildRequest, outputDir: string, ctx: JobContext, started: number): Promise<JobResult> {
  const { recipe } = request;
  const image = ctx.offline ? await kairosifiedAsItIs(docker, recipe, ctx) : await kairosify(docker, recipe, outputDir, ctx);
  // Pushed once built and validated: the image is a product of its own, whatever the artifacts do.
  if (recipe.push) await ctx.runPhase('kairosify', 'push', () => pushImage(docker, image.tag, ctx));

  const builderImage = await ensureBuilderImage(docker, ctx, join(outputDir, 'logs'));
  const session = await BuilderSession.start(docker, builderImage, { outputDir, jobId: ctx.jobId, signal: ctx.signal, report: transferReport(ctx) });
  const artifacts: ArtifactInfo[] = [];
  const name = recipe.name;
  try {
    const kinds = buildOrder(recipe.artifacts);
    const live = kinds.includes('iso') || kinds.includes('netboot');
    // The image's root filesystem and squashfs (cached), and the overlay squashfs: one log.
    const { rootfs, liveSquashfs } = await withStepLog(session, stepLogPath(outputDir, name, 'rootfs'), { outputDir, what: 'Preparing the root filesystem' }, async () => {
      const rootfs = await ensureRootfs(docker, session, image.imageId, ctx);
      const squashfsRecovery = (kinds.includes('raw-efi') || kinds.includes('raw-bios') || kinds.includes('rpi')) && recoveryFormat(recipe) === 'squashfs';
      if (live || squashfsRecovery) await ensureSquashfs(session, rootfs, ctx);
      // The live media may carry an overlay over the rootfs; the disks keep the image as it is.
      const liveSquashfs = live && recipe.iso.overlayRootfs
        ? await overlaySquashfs(session, rootfs, await uploadOverlay(session, recipe.iso.overlayRootfs, 'overlay-rootfs folder'), ctx)
        : rootfs.squashfs;
      return { rootfs, liveSquashfs };
    });
    const extraCmdline = recipe.iso.cmdline || undefined;
    // A plain image's cloud-config reaches cloud-init as user-data on every medium (plain-image.ts).
    const userData = hasFramework(recipe) ? undefined : plainImageSeed(recipe.cloudConfig).userData;
    const seed = userData !== undefined ? { userData } : {};
    const make = async (kind: ArtifactKind): Promise<ReadonlyArray<ArtifactInfo>> => {
      switch (kind) {
        case 'iso': {
          const overlayIso = recipe.iso.overlayIso ? await uploadOverlay(session, recipe.iso.overlayIso, 'overlay-iso folder') : undefined;
          return [
            await buildIso(
              session,
              { rootfs, squashfs: liveSquashfs, cloudConfig: recipe.cloudConfig, ...seed, outputDir, fileName: `${name}.iso`, arch: recipe.arch, ...(overlayIso ? { overlayIso } : {}), ...(extraCmdline ? { extraCmdline } : {}) },
              ctx,
            ),
          ];
        }
        case 'netboot':
          return buildNetboot(
            session,
            { rootfs, squashfs: liveSquashfs, outputDir, name, cloudConfig: recipe.cloudConfig, ...seed, ...(extraCmdline ? { extraCmdline } : {}), ...(recipe.netboot.url !== undefined ? { netbootUrl: recipe.netboot.url } : {}) },
            ctx,
          );
        case 'raw-efi':
        case 'raw-bios':
        case 'rpi': {
          const firmware = kind === 'raw-bios' ? 'bios' : 'efi';
          if (firmware === 'bios' && recipe.arch !== 'amd64') {
            throw new AppError('recipe-invalid', `A BIOS disk boots only on PCs (amd64), not ${recipe.arch}`, { hint: `Build raw-efi for ${recipe.arch} machines` });
          }
          return buildRawDisk(
              session,
              {
                rootfs,
                firmware,
                arch: recipe.arch,
                ...(kind === 'rpi' ? { rpiModel: recipe.model, kind } : {}),
                ...(recipe.disk.xz ? { xz: true } : {}),
                recovery: recoveryFormat(recipe),
                framework: hasFramework(recipe),
                cloudConfig: recipe.cloudConfig,
                ...seed,
                outputDir,
                fileName: kind === 'rpi' ? `${name}-${recipe.model}.img` : `${name}-${firmware}.raw`,
                sizeMiB: recipe.disk.sizeMiB,
                ...(extraCmdline ? { extraCmdline } : {}),
              },
              ctx,
          );
        }
        case 'vhd':
          return [await buildVhd(session, outputDir, `${name}-efi.raw`, `${name}.vhd`, ctx)];
        case 'gce':
          return [await buildGce(session, outputDir, `${name}-efi.raw`, `${name}.raw.gce.tar.gz`, ctx)];
        case 'uki': {
          const keys = await ensureKeys(session, { ...(recipe.trustedBoot.keysFolder ? { keysFolder: recipe.trustedBoot.keysFolder } : {}), outputDir, name }, ctx);
          return buildUki(
            session,
            { rootfs, keysDir: keys.dir, outputDir, name, secureBootEnroll: recipe.trustedBoot.enroll, ...seed, ...(extraCmdline ? { extraCmdline } : {}) },
            ctx,
          );
        }
        case 'rootfs-tar':
          return [await buildRootfsTar(session, rootfs, outputDir, `${name}.rootfs.tar.zst`, ctx)];
      }
    };
    for (const kind of kinds) {
      ctx.throwIfCancelled();
      // What this artifact is made from; VHD and GCE also from the EFI disk they are copies of.
      const print = fingerprint({ kind, app: APP_VERSION, builderImage, imageId: image.imageId, name, cloudConfig: recipe.cloudConfig, iso: recipe.iso, disk: recipe.disk, trustedBoot: recipe.trustedBoot, recovery: recoveryFormat(recipe), ...(kind === 'netboot' ? { netboot: recipe.netboot } : {}), raw: kind === 'vhd' || kind === 'gce' ? artifacts.find((a) => a.kind === 'raw-efi')?.sha256 : undefined });
      const earlier = await reusable(outputDir, name, kind, print);
      if (earlier) {
        ctx.phase('artifacts', kind, 'cached');
        artifacts.push(...earlier);
        continue;
      }
      // Each artifact's tool output in its own log, named by its error when it fails.
      const made = await withStepLog(session, stepLogPath(outputDir, name, kind), { outputDir, what: `The ${kind} artifact` }, () => make(kind));
      await remember(outputDir, name, kind, print, made);
      artifacts.push(...made);
    }
  } finally {
    // Work folders of this job in the cache (disk staging, copies) go, also after a failure.
    if (!ctx.signal.aborted) await session.run(['sh', '-c', 'rm -rf /cache/work/"$1"-*', 'sh', ctx.jobId], { what: 'remove work folders' }).catch(() => undefined);
    await session.close();
  }
  for (const a of artifacts) ctx.log('artifacts', `${a.kind.padEnd(10)} ${a.path}  ${formatBytes(a.size)}`);
  return { image: image.tag, imageId: image.imageId, artifacts, seconds: (performance.now() - started) / 1000 };
}
