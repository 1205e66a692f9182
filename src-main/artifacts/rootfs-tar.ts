// The root filesystem as a tarball (numeric owners, extended attributes kept), zstd-compressed with
// every core: for container runtimes, other image tools, or inspection.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../builder/builder-session.js';
import type { JobContext } from '../jobs/job-context.js';
import { writeChecksum } from './checksum.js';
import type { CachedRootfs } from './rootfs-cache.js';
import { ownedBy } from './shell-snippets.js';

export async function buildRootfsTar(session: BuilderSession, rootfs: CachedRootfs, outputDir: string, fileName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'rootfs tarball', async () => {
    const partial = `/out/${fileName}.partial`;
    await session.script(
      [
        `tar -C ${shellQuote(rootfs.rootfsDir)} --numeric-owner --xattrs --xattrs-include='*' -cf - . | zstd -q -T0 -3 -o ${shellQuote(partial)} -f`,
        ownedBy(shellQuote(partial)),
      ].join('\n'),
      { what: 'rootfs tarball' },
    );
    await rename(join(outputDir, `${fileName}.partial`), join(outputDir, fileName));
    return writeChecksum('rootfs-tar', join(outputDir, fileName), ctx.signal);
  });
}
