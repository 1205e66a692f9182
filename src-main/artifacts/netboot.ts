// Netboot files: the live system's kernel, initrd and squashfs, its cloud-config (and a plain
// image's cloud-init user-data), and an iPXE script that boots them over HTTP from the URL the
// folder is served from (netboot-script.ts has the texts). The build step.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../builder/builder-session.js';
import type { JobContext } from '../jobs/job-context.js';
import { sha256File } from './checksum.js';
import { withOutputFiles } from './output-files.js';
import type { CachedRootfs } from './rootfs-cache.js';
import { RESOLVE_IN_ROOTFS, ownedBy } from './shell-snippets.js';
import { textTar } from './text-tar.js';
import { netbootNames, netbootTexts, type NetbootTextsRequest } from './netboot-script.js';

export interface NetbootRequest extends NetbootTextsRequest {
  readonly rootfs: CachedRootfs;
  readonly squashfs: string;
  readonly outputDir: string;
}

export async function buildNetboot(
  session: BuilderSession,
  request: NetbootRequest,
  ctx: JobContext,
): Promise<ArtifactInfo[]> {
  return ctx.runPhase('artifacts', 'netboot', () =>
    withOutputFiles(session, request.outputDir, ctx.signal, async (files) => {
      const n = netbootNames(request.name);
      const folder = `${request.name}-netboot`;
      const hostFolder = join(request.outputDir, folder);
      const stage = await files.folder(folder);
      const texts = netbootTexts(request);
      await session.putArchive(textTar(texts), stage.builder);
      await session.script(
        [
          `root=${shellQuote(request.rootfs.rootfsDir)}`,
          RESOLVE_IN_ROOTFS,
          `cp "$(resolve /boot/vmlinuz)" ${shellQuote(`${stage.builder}/${n.kernel}`)}`,
          `cp "$(resolve /boot/initrd)" ${shellQuote(`${stage.builder}/${n.initrd}`)}`,
          `cp ${shellQuote(request.squashfs)} ${shellQuote(`${stage.builder}/${n.squashfs}`)}`,
          `chmod 644 ${shellQuote(stage.builder)}/*`,
          ownedBy(`-R ${shellQuote(stage.builder)}`),
        ].join('\n'),
        { what: 'netboot files' },
      );
      await files.fetch(folder);
      // Checksums inside the staged folder, which then takes the place of the old one whole.
      const out: ArtifactInfo[] = [];
      for (const file of [n.kernel, n.initrd, n.squashfs, ...texts.map(([file]) => file)]) {
        const [sha256, info] = await Promise.all([sha256File(join(stage.host, file), ctx.signal), stat(join(stage.host, file))]);
        await writeFile(join(stage.host, `${file}.sha256`), `${sha256}  ${file}\n`);
        out.push({ kind: 'netboot', path: join(hostFolder, file), size: info.size, sha256 });
      }
      await rm(hostFolder, { recursive: true, force: true });
      await rename(stage.host, hostFolder);
      files.forget(folder);
      return out;
    }),
  );
}
