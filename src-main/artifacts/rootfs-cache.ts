// One exported root filesystem and one squashfs per image id, kept in the cache volume and reused
// by every artifact of a build and by later builds of the same image. A half-made entry never
// counts: work happens under a ".partial" name that is renamed when complete.
import { Transform, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { JobContext } from '../jobs/job-context.js';
import type { BuilderSession } from '../builder/builder-session.js';
import { withCreatedContainer } from '../docker/image-files.js';
import { mksquashfsPercent } from './tool-progress.js';

/** Squashfs options: AuroraBoot's 1 MiB blocks; zstd, which the live kernel reads fast. */
export const SQUASHFS_OPTIONS = ['-b', '1024k', '-comp', 'zstd', '-Xcompression-level', '6'] as const;
const SQUASHFS_KEY = 'zstd6-b1m';

/** How many image rootfs trees the cache keeps (most recently used first). */
const KEEP_ROOTFS = 3;

export interface CachedRootfs {
  /** Paths inside the builder container. */
  readonly rootfsDir: string;
  readonly squashfs: string;
  readonly imageKey: string;
}

export function cachePaths(imageId: string): CachedRootfs {
  const imageKey = imageId.replace(/^sha256:/, '').slice(0, 32);
  return {
    imageKey,
    rootfsDir: `/cache/rootfs/${imageKey}`,
    squashfs: `/cache/squashfs/${imageKey}-${SQUASHFS_KEY}.squashfs`,
  };
}

async function exists(session: BuilderSession, path: string): Promise<boolean> {
  const { exitCode } = await session.exec(['test', '-e', path], { what: `check ${path}` });
  return exitCode === 0;
}

export async function ensureRootfs(docker: Docker, session: BuilderSession, imageId: string, ctx: JobContext): Promise<CachedRootfs> {
  const paths = cachePaths(imageId);
  if (await exists(session, paths.rootfsDir)) {
    ctx.phase('artifacts', 'export rootfs', 'cached');
    await session.run(['touch', paths.rootfsDir], { what: 'mark rootfs used' });
    return paths;
  }
  await ctx.runPhase('artifacts', 'export rootfs', async () => {
    const partial = `${paths.rootfsDir}.partial`;
    await session.run(['sh', '-c', `rm -rf "$1" && mkdir -p "$1"`, 'sh', partial], { what: 'prepare rootfs folder' });
    const info = await docker.getImage(imageId).inspect();
    const meter = ctx.meter('artifacts', 'export rootfs', 'bytes', info.Size);
    await withCreatedContainer(docker, imageId, ctx.jobId, async (container) => {
      const exported = (await container.export()) as unknown as Readable;
      let done = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, callback) {
          done += chunk.length;
          meter.update(done);
          callback(null, chunk);
        },
      });
      exported.on('error', (e) => counter.destroy(e));
      await session.putArchive(exported.pipe(counter), partial);
    });
    meter.finish();
    // Docker's marker file is no part of the system.
    await session.run(['sh', '-c', `rm -f "$1/.dockerenv" && mv "$1" "$2"`, 'sh', partial, paths.rootfsDir], {
      what: 'finish rootfs export',
    });
  });
  await pruneRootfsCache(session);
  return paths;
}

export async function ensureSquashfs(session: BuilderSession, paths: CachedRootfs, ctx: JobContext): Promise<void> {
  if (await exists(session, paths.squashfs)) {
    ctx.phase('artifacts', 'squashfs', 'cached');
    return;
  }
  await ctx.runPhase('artifacts', 'squashfs', async () => {
    const partial = `${paths.squashfs}.partial`;
    const meter = ctx.meter('artifacts', 'squashfs', 'percent', 100);
    await session.run(['mkdir', '-p', '/cache/squashfs'], { what: 'prepare squashfs folder' });
    await session.run(['mksquashfs', paths.rootfsDir, partial, ...SQUASHFS_OPTIONS, '-noappend', '-progress'], {
      what: 'mksquashfs',
      onLine: (line) => {
        const percent = mksquashfsPercent(line);
        if (percent !== undefined) meter.update(percent);
        else ctx.detail('artifacts', line);
      },
    });
    await session.run(['mv', partial, paths.squashfs], { what: 'finish squashfs' });
    meter.finish();
  });
}

/** Keeps the most recently used rootfs trees (and their squashfs files); removes the rest. */
async function pruneRootfsCache(session: BuilderSession): Promise<void> {
  const script = [
    'cd /cache/rootfs',
    `ls -1t | grep -v '\\.partial$' | tail -n +${KEEP_ROOTFS + 1} | while read -r key; do`,
    '  rm -rf "/cache/rootfs/$key" /cache/squashfs/"$key"-*',
    'done',
  ].join('\n');
  await session.script(script, { what: 'prune the rootfs cache' });
}
