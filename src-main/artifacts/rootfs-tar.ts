// The root filesystem as a tarball (numeric owners, extended attributes kept), zstd-compressed with
// every core: for container runtimes, other image tools, or inspection.
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../builder/builder-session.js';
import type { JobContext } from '../jobs/job-context.js';
import { withOutputFiles } from './output-files.js';
import type { CachedRootfs } from './rootfs-cache.js';
import { ownedBy } from './shell-snippets.js';

export async function buildRootfsTar(session: BuilderSession, rootfs: CachedRootfs, outputDir: string, fileName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'rootfs tarball', () =>
    withOutputFiles(session, outputDir, ctx.signal, async (files) => {
      const partial = files.partial(fileName).builder;
      await session.script(
        [
          `tar -C ${shellQuote(rootfs.rootfsDir)} --numeric-owner --xattrs --xattrs-include='*' -cf - . | zstd -q -T0 -3 -o ${shellQuote(partial)} -f`,
          ownedBy(shellQuote(partial)),
        ].join('\n'),
        { what: 'rootfs tarball' },
      );
      return files.publish('rootfs-tar', fileName);
    }),
  );
}
