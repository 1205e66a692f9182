// Cloud images made from the EFI raw disk: Azure's fixed VHD (the disk rounded up to whole MiB plus
// a 512-byte footer) and Google Compute Engine's disk.raw in a gzipped GNU tar, its size a whole
// number of GiB. Copies are sparse, so the empty parts of the disk cost nothing.
import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../../builder/builder-session.js';
import type { JobContext } from '../../jobs/job-context.js';
import { writeChecksum } from '../checksum.js';
import { ownedBy } from '../shell-snippets.js';
import { vhdFooter } from './vhd-footer.js';

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export async function buildVhd(session: BuilderSession, outputDir: string, rawName: string, vhdName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'vhd', async () => {
    const raw = join(outputDir, rawName);
    const size = Math.ceil((await stat(raw)).size / MIB) * MIB;
    const partial = `/out/${vhdName}.partial`;
    await session.script(
      [`cp --sparse=always ${shellQuote(`/out/${rawName}`)} ${shellQuote(partial)}`, `truncate -s ${size} ${shellQuote(partial)}`, ownedBy(shellQuote(partial))].join('\n'),
      { what: 'VHD copy' },
    );
    const hostPartial = join(outputDir, `${vhdName}.partial`);
    try {
      const file = await open(hostPartial, 'r+');
      try {
        await file.write(vhdFooter(size), 0, 512, size);
      } finally {
        await file.close();
      }
      await rename(hostPartial, join(outputDir, vhdName));
    } catch (error) {
      await rm(hostPartial, { force: true });
      throw error;
    }
    return writeChecksum('vhd', join(outputDir, vhdName), ctx.signal);
  });
}

export async function buildGce(session: BuilderSession, outputDir: string, rawName: string, gceName: string, ctx: JobContext): Promise<ArtifactInfo> {
  return ctx.runPhase('artifacts', 'gce', async () => {
    const size = Math.ceil((await stat(join(outputDir, rawName))).size / GIB) * GIB;
    const work = `/cache/work/${ctx.jobId}-gce`;
    const partial = `/out/${gceName}.partial`;
    await session.script(
      [
        `rm -rf ${shellQuote(work)} && mkdir -p ${shellQuote(work)}`,
        `cp --sparse=always ${shellQuote(`/out/${rawName}`)} ${shellQuote(`${work}/disk.raw`)}`,
        `truncate -s ${size} ${shellQuote(`${work}/disk.raw`)}`,
        // Google's documented form: an old-GNU tar, sparse, of one member named disk.raw.
        `tar --format=oldgnu -S -C ${shellQuote(work)} -cf - disk.raw | pigz -c > ${shellQuote(partial)}`,
        `rm -rf ${shellQuote(work)}`,
        ownedBy(shellQuote(partial)),
      ].join('\n'),
      { what: 'GCE image' },
    );
    const hostPartial = join(outputDir, `${gceName}.partial`);
    await rename(hostPartial, join(outputDir, gceName));
    return writeChecksum('gce', join(outputDir, gceName), ctx.signal);
  });
}
