// A new cloud-config in an existing ISO, without rebuilding it: xorriso copies the ISO with
// /config.yaml replaced and "replays" its boot setup (El Torito for BIOS and UEFI, the hybrid MBR,
// the GPT with the appended ESP). Seconds instead of a build; runs in the builder container.
import { plainImageSeed } from '../../../src-shared/cloud-config/plain-image.js';
import { MEDIUM_USER_DATA } from '../../../src-shared/kairosify/cloud-init-seed.js';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { validateCloudConfig } from '../../../src-shared/cloud-config/cloud-config.js';
import type { ArtifactInfo, JobResult } from '../../../src-shared/jobs/job-events.js';
import { shellQuote } from '../../../src-shared/util/shell-quote.js';
import { ensureBuilderImage } from '../../builder/builder-image.js';
import { BuilderSession } from '../../builder/builder-session.js';
import { dockerEngine } from '../../docker/docker-engine.js';
import type { JobContext } from '../../jobs/job-context.js';
import { outputFolderError, withStepLog } from '../artifact-step.js';
import { makeFolder } from '../../util/make-folder.js';
import { withOutputFiles } from '../output-files.js';
import { ownedBy } from '../shell-snippets.js';
import { textTar } from '../text-tar.js';
import { ISO_CLOUD_CONFIG } from './iso-layout.js';

export interface SwapConfigRequest {
  readonly iso: string;
  readonly cloudConfig: string;
  /** The new ISO; default: <iso name>-config.iso beside the original. */
  readonly output?: string;
}

export async function swapIsoConfig(request: SwapConfigRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const errors = validateCloudConfig(request.cloudConfig).filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new AppError('recipe-invalid', `The cloud-config is not valid${e.line !== undefined ? ` (line ${e.line})` : ''}: ${e.message}`);
  }
  const iso = resolve(request.iso);
  if (!(await stat(iso).catch(() => undefined))?.isFile()) throw new AppError('source-invalid', `${iso} is not a file`);
  const output = resolve(request.output ?? iso.replace(/(\.iso)?$/i, '-config.iso'));
  if (output === iso) throw new AppError('bad-request', 'Write the new ISO to another file than the original');
  const outDir = dirname(output);
  await makeFolder(outDir).catch((error: unknown) => {
    throw outputFolderError(error, outDir);
  });
  const docker = await dockerEngine();
  const builder = await ensureBuilderImage(docker, ctx, join(outDir, 'logs'));
  const session = await BuilderSession.start(docker, builder, { outputDir: outDir, jobId: ctx.jobId, signal: ctx.signal, readOnly: { [`/in/${basename(iso)}`]: iso } });
  let artifact: ArtifactInfo;
  try {
    artifact = await withStepLog(session, join(outDir, 'logs', `${basename(output)}.log`), { outputDir: outDir, what: 'The new ISO' }, () =>
      ctx.runPhase('artifacts', 'swap cloud-config', () =>
        withOutputFiles(session, outDir, ctx.signal, async (files) => {
          const partial = files.partial(basename(output)).builder;
          await session.run(['mkdir', '-p', '/work/swap'], { what: 'prepare' });
          // A plain image's ISO also carries the cloud-config as cloud-init user-data: swapped too, when there.
          const seed = plainImageSeed(request.cloudConfig);
          if (seed.errors.length > 0) throw new AppError('recipe-invalid', `The cloud-config cannot be used: ${seed.errors[0]!.message}`);
          await session.putArchive(
            textTar([
              ['config.yaml', request.cloudConfig.endsWith('\n') ? request.cloudConfig : `${request.cloudConfig}\n`],
              ['user-data', seed.userData ?? '#cloud-config\n'],
            ]),
            '/work/swap',
          );
          const input = shellQuote(`/in/${basename(iso)}`);
          await session.script(
            [
              `rm -f ${shellQuote(partial)}`,
              `if xorriso -indev ${input} -find /${MEDIUM_USER_DATA} 2>/dev/null | grep -q .; then seed="-map /work/swap/user-data /${MEDIUM_USER_DATA}"; else seed=""; fi`,
              `xorriso -indev ${input} -outdev ${shellQuote(partial)} -boot_image any replay -map /work/swap/config.yaml ${ISO_CLOUD_CONFIG} $seed -end`,
              ownedBy(shellQuote(partial)),
            ].join('\n'),
            { what: 'xorriso', onLine: (l) => ctx.detail('artifacts', l) },
          );
          return files.publish('iso', basename(output));
        }),
      ),
    );
  } finally {
    await session.close();
  }
  return { artifacts: [artifact], message: `${output} carries the new cloud-config`, seconds: (performance.now() - started) / 1000 };
}
