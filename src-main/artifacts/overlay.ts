// User overlays: a host folder copied into the builder, cached by its content, and a squashfs of
// the image's rootfs with the overlay on top (a hard-link copy of the rootfs, so only the
// overlaid files are new: the cached rootfs is never changed).
import { createHash } from 'node:crypto';
import { readdir, lstat, readlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Readable } from 'node:stream';
import { pack } from 'tar-fs';
import { AppError } from '../../src-shared/errors/app-error.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../builder/builder-session.js';
import type { JobContext } from '../jobs/job-context.js';
import { SQUASHFS_OPTIONS, type CachedRootfs } from './rootfs-cache.js';
import { mksquashfsPercent } from './tool-progress.js';

/** A digest of a folder's tree: names, modes, sizes, mtimes and link targets. */
export async function folderDigest(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir)).sort();
    for (const name of entries) {
      const path = join(dir, name);
      const info = await lstat(path);
      hash.update(`${relative(root, path)}\0${info.mode}\0${info.size}\0${info.mtimeMs}\0`);
      if (info.isSymbolicLink()) hash.update(await readlink(path));
      if (info.isDirectory()) await walk(path);
    }
  };
  await walk(root);
  return hash.digest('hex').slice(0, 24);
}

/** Copies a host folder into the cache volume once per content; returns its path in the builder. */
export async function uploadOverlay(session: BuilderSession, hostFolder: string, what: string): Promise<string> {
  const info = await lstat(hostFolder).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new AppError('recipe-invalid', `The ${what} ${hostFolder} is not a folder`, { hint: 'Give a folder whose contents are laid over the target' });
  }
  const digest = await folderDigest(hostFolder);
  const path = `/cache/overlay/${digest}`;
  const { exitCode } = await session.exec(['test', '-d', path], { what: 'check overlay' });
  if (exitCode !== 0) {
    await session.run(['mkdir', '-p', `${path}.partial`], { what: 'prepare overlay' });
    await session.putArchive(pack(hostFolder) as unknown as Readable, `${path}.partial`);
    await session.run(['mv', `${path}.partial`, path], { what: 'finish overlay' });
  }
  return path;
}

/** The squashfs of rootfs + overlay, cached per image and overlay content. */
export async function overlaySquashfs(session: BuilderSession, rootfs: CachedRootfs, overlay: string, ctx: JobContext): Promise<string> {
  const key = overlay.split('/').pop() ?? 'overlay';
  const out = rootfs.squashfs.replace(/\.squashfs$/, `-overlay-${key}.squashfs`);
  const { exitCode } = await session.exec(['test', '-e', out], { what: 'check overlay squashfs' });
  if (exitCode === 0) {
    ctx.phase('artifacts', 'squashfs with overlay', 'cached');
    return out;
  }
  await ctx.runPhase('artifacts', 'squashfs with overlay', async () => {
    const work = `/cache/work/${ctx.jobId}-overlay`;
    const meter = ctx.meter('artifacts', 'squashfs with overlay', 'percent', 100);
    await session.script(
      [
        `rm -rf ${shellQuote(work)}`,
        `cp -al ${shellQuote(rootfs.rootfsDir)} ${shellQuote(work)}`,
        // --remove-destination: a file in the overlay replaces the link, never writes through it.
        `cp -a --remove-destination ${shellQuote(overlay)}/. ${shellQuote(work)}/`,
        `mksquashfs ${shellQuote(work)} ${shellQuote(`${out}.partial`)} ${SQUASHFS_OPTIONS.join(' ')} -noappend -progress`,
        `mv ${shellQuote(`${out}.partial`)} ${shellQuote(out)}`,
        `rm -rf ${shellQuote(work)}`,
      ].join('\n'),
      {
        what: 'squashfs with overlay',
        onLine: (line) => {
          const p = mksquashfsPercent(line);
          if (p !== undefined) meter.update(p);
        },
      },
    );
    meter.finish();
  });
  return out;
}
