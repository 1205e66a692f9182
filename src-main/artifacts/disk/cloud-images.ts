// Cloud images made from the EFI raw disk: Azure's fixed VHD (the disk rounded up to whole MiB plus
// a 512-byte footer) and Google Compute Engine's disk.raw in a gzipped GNU tar, its size a whole
// number of GiB. Copies are sparse, so the empty parts of the disk cost nothing.
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { withOutputFiles } from '../output-files.js';
import { ownedBy } from '../shell-snippets.js';
import { vhdFooter } from './vhd-footer.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export async function buildVhd(session: BuilderSession, outputDir: string, rawName: string, vhdName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'vhd', () =>
    withOutputFiles(session, outputDir, ctx.signal, async (files) => {
      const raw = join(outputDir, rawName);
      const size = Math.ceil((await stat(raw)).size / MIB) * MIB;
      const partial = files.partial(vhdName);
      await session.pushOut(rawName);
      await session.script(
        [`cp --sparse=always ${shellQuote(`/out/${rawName}`)} ${shellQuote(partial.builder)}`, `truncate -s ${size} ${shellQuote(partial.builder)}`, ownedBy(shellQuote(partial.builder))].join('\n'),
        { what: 'VHD copy' },
      );
      // The footer is written here: a remote builder's copy comes first.
      await files.fetch(vhdName);
      const file = await open(partial.host, 'r+');
      try {
        await file.write(vhdFooter(size), 0, 512, size);
      } finally {
        await file.close();
      }
      return files.publish('vhd', vhdName);
    }),
  );
}

export async function buildGce(session: BuilderSession, outputDir: string, rawName: string, gceName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'gce', () =>
    withOutputFiles(session, outputDir, ctx.signal, async (files) => {
      const size = Math.ceil((await stat(join(outputDir, rawName))).size / GIB) * GIB;
      const work = `/cache/work/${ctx.jobId}-gce`;
      const partial = files.partial(gceName).builder;
      await session.pushOut(rawName);
      try {
        await session.script(
          [
            `rm -rf ${shellQuote(work)} && mkdir -p ${shellQuote(work)}`,
            `cp --sparse=always ${shellQuote(`/out/${rawName}`)} ${shellQuote(`${work}/disk.raw`)}`,
            `truncate -s ${size} ${shellQuote(`${work}/disk.raw`)}`,
            // Google's documented form: an old-GNU tar, sparse, of one member named disk.raw.
            `tar --format=oldgnu -S -C ${shellQuote(work)} -cf - disk.raw | pigz -c > ${shellQuote(partial)}`,
            ownedBy(shellQuote(partial)),
          ].join('\n'),
          { what: 'GCE image' },
        );
      } finally {
        // The disk copy in the cache goes, also when the step failed.
        if (!ctx.signal.aborted) await session.run(['rm', '-rf', work], { what: 'remove the GCE work folder' }).catch(() => undefined);
      }
      return files.publish('gce', gceName);
    }),
  );
}
