// Netboot files: the live system's kernel, initrd and squashfs, its cloud-config, and an iPXE script
// that boots them from wherever the folder is served over HTTP. Pure texts plus the build step.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../src-shared/util/shell-quote.js';
import type { BuilderSession } from '../builder/builder-session.js';
import type { JobContext } from '../jobs/job-context.js';
import { makeFolder } from '../util/make-folder.js';
import { sha256File } from './checksum.js';
import { withOutputFiles } from './output-files.js';
import type { CachedRootfs } from './rootfs-cache.js';
import { RESOLVE_IN_ROOTFS, ownedBy } from './shell-snippets.js';
import { textTar } from './text-tar.js';

export interface NetbootNames {
  readonly kernel: string;
  readonly initrd: string;
  readonly squashfs: string;
  readonly script: string;
  readonly config: string;
}

export function netbootNames(name: string): NetbootNames {
  return { kernel: `${name}-kernel`, initrd: `${name}-initrd`, squashfs: `${name}.squashfs`, script: `${name}.ipxe`, config: `${name}-config.yaml` };
}

/** The live kernel command line over the network (AuroraBoot's netboot defaults). */
export function netbootCmdline(base: string, names: NetbootNames, extra = ''): string {
  return [
    `root=live:${base}${names.squashfs}`,
    'rd.live.overlay.overlayfs=1',
    'rd.neednet=1',
    'ip=dhcp',
    'rd.cos.disable',
    'netboot',
    'nodepair.enable',
    `config_url=${base}${names.config}`,
    'console=tty1',
    'console=ttyS0,115200',
    ...(extra.trim() ? [extra.trim()] : []),
  ].join(' ');
}

/**
 * The iPXE script: files are found next to it (${cwduri} is the folder iPXE fetched the script
 * from), so the folder can be served from anywhere: `chain http://server/path/<name>.ipxe`.
 */
export function ipxeScript(name: string, extra = ''): string {
  const n = netbootNames(name);
  return [
    '#!ipxe',
    `# Netboot ${name} (Kairos Factory). Serve this folder over HTTP and chain this script:`,
    `#   chain http://SERVER/PATH/${n.script}`,
    'set base ${cwduri}',
    `kernel \${base}${n.kernel} initrd=${n.initrd} ${netbootCmdline('${base}', n, extra)}`,
    `initrd \${base}${n.initrd}`,
    'boot',
    '',
  ].join('\n');
}

export async function buildNetboot(
  session: BuilderSession,
  request: { readonly rootfs: CachedRootfs; readonly squashfs: string; readonly outputDir: string; readonly name: string; readonly cloudConfig: string; readonly extraCmdline?: string },
  ctx: JobContext,
): Promise<ArtifactInfo[]> {
  return ctx.runPhase('artifacts', 'netboot', () =>
    withOutputFiles(session, request.outputDir, ctx.signal, async (files) => {
      const n = netbootNames(request.name);
      const folder = `${request.name}-netboot`;
      const hostFolder = join(request.outputDir, folder);
      const stage = files.partial(folder);
      await rm(stage.host, { recursive: true, force: true });
      await makeFolder(stage.host);
      await session.putArchive(
        textTar([
          [n.script, ipxeScript(request.name, request.extraCmdline)],
          [n.config, request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`],
        ]),
        stage.builder,
      );
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
      // Checksums inside the staged folder, which then takes the place of the old one whole.
      const out: ArtifactInfo[] = [];
      for (const file of [n.kernel, n.initrd, n.squashfs, n.script, n.config]) {
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
