// An image is used from the local engine when present, pulled otherwise, with progress; a name
// that cannot be found gets an error that says what to do.
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { Stage } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { cancelledError } from '../jobs/job-context.js';
import { engineLost, engineMessage } from './docker-engine.js';
import { followLayerProgress } from './layer-progress.js';

export async function inspectImage(docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (error) {
    const lost = engineLost(error);
    if (lost) throw lost;
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

export async function ensureImage(docker: Docker, ref: string, ctx: JobContext, stage: Stage): Promise<Docker.ImageInspectInfo> {
  const local = await inspectImage(docker, ref);
  if (local) return local;
  if (ctx.offline) {
    throw new AppError('image-not-found', `Image "${ref}" is not on this engine and the build is offline (no pull)`, {
      hint: 'Import an offline kit that carries it (`kairos-factory kit import FILE`), or build without --offline',
    });
  }
  ctx.log(stage, `Pulling ${ref}`);
  const meter = ctx.meter(stage, `pull ${ref}`, 'bytes');
  try {
    const stream = (await docker.pull(ref, { abortSignal: ctx.signal })) as NodeJS.ReadableStream;
    await followLayerProgress(stream as unknown as Readable, meter);
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    const lost = engineLost(error);
    if (lost) throw lost;
    throw imageNotFound(ref, error);
  }
  const pulled = await inspectImage(docker, ref);
  if (!pulled) throw imageNotFound(ref, new Error('the pull finished but the image is not there'));
  return pulled;
}

export function imageNotFound(ref: string, cause: unknown): AppError {
  const reason = engineMessage(cause);
  return new AppError('image-not-found', `Image "${ref}" is not on this machine and could not be pulled: ${reason}`, {
    hint: 'Check the name and tag; run `docker login` for a private registry; or load it first (`docker load`, `docker import`)',
    cause,
  });
}
