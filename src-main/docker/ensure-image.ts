// An image is used from the local engine when present, pulled otherwise, with progress; a name
// that cannot be found gets an error that says what to do.
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { Stage } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { cancelledError } from '../jobs/job-context.js';
import { engineLost } from './docker-engine.js';
import { jsonLines } from './json-lines.js';
import type { RawBuildMessage } from './build-output.js';

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
  ctx.log(stage, `Pulling ${ref}`);
  const layers = new Map<string, { current: number; total: number }>();
  const meter = ctx.meter(stage, `pull ${ref}`, 'bytes');
  try {
    const stream = (await docker.pull(ref, { abortSignal: ctx.signal })) as NodeJS.ReadableStream;
    for await (const msg of jsonLines<RawBuildMessage>(stream as unknown as Readable)) {
      if (msg.error || msg.errorDetail?.message) throw new Error(msg.errorDetail?.message ?? msg.error);
      if (msg.id && msg.progressDetail?.total) {
        layers.set(msg.id, { current: msg.progressDetail.current ?? 0, total: msg.progressDetail.total });
        let current = 0;
        let total = 0;
        for (const l of layers.values()) {
          current += l.current;
          total += l.total;
        }
        meter.setTotal(total);
        meter.update(current);
      }
    }
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
  const reason = ((cause as { json?: { message?: string }; message?: string }).json?.message ?? (cause as Error).message ?? String(cause))
    .split('\n')[0]
    ?.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '')
    .trim();
  return new AppError('image-not-found', `Image "${ref}" is not on this machine and could not be pulled: ${reason}`, {
    hint: 'Check the name and tag; run `docker login` for a private registry; or load it first (`docker load`, `docker import`)',
    cause,
  });
}
