// `kit import`: every member of the kit is checked against the manifest's SHA-256 first (a corrupt
// kit is refused naming the member, and nothing is loaded), then its images are loaded into the
// engine, with byte progress for both passes.
import { stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { KIT_IMAGES_MEMBER, KIT_MANIFEST_MEMBER, memberProblem, parseKitManifest, type KitManifest } from '../../src-shared/kit/kit-manifest.js';
import { formatBytes } from '../../src-shared/util/format.js';
import type { RawBuildMessage } from '../docker/build-output.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { inspectImage } from '../docker/ensure-image.js';
import { jsonLines } from '../docker/json-lines.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { hashKit, readKit } from './kit-file.js';

export interface KitImportRequest {
  readonly file: string;
  /** Called with each recipe the kit carries (its YAML text). */
  readonly onRecipe?: (name: string, yaml: string) => Promise<void>;
}

const HINT = 'Copy the kit again (or export it again); nothing was loaded';

function refused(file: string, why: string): AppError {
  return new AppError('source-invalid', `The kit ${file} is refused: ${why}`, { hint: HINT });
}

/** The manifest, once every member's SHA-256 matches it. */
export async function verifyKit(file: string, ctx: JobContext): Promise<KitManifest> {
  const size = await stat(file).then(
    (s) => s.size,
    (error: NodeJS.ErrnoException) => {
      throw new AppError('bad-request', `Cannot read the kit ${file}: ${error.code ?? error.message}`, { hint: 'Check the path' });
    },
  );
  const meter = ctx.meter('kit', 'verify', 'bytes', size);
  const { sums, kept } = await ctx.runPhase('kit', 'verify', () =>
    hashKit(file, KIT_MANIFEST_MEMBER, (n) => meter.update(n), ctx.signal).catch((error: unknown) => {
      if (ctx.signal.aborted) throw cancelledError();
      throw refused(file, `it is not a whole kit (${(error as Error).message})`);
    }),
  );
  meter.finish();
  if (kept === undefined) throw refused(file, `it has no ${KIT_MANIFEST_MEMBER}`);
  const parsed = parseKitManifest(kept);
  if (!parsed.ok) throw refused(file, parsed.message);
  sums.delete(KIT_MANIFEST_MEMBER);
  const problem = memberProblem(parsed.manifest, sums);
  if (problem) throw refused(file, problem);
  return parsed.manifest;
}

/** Feeds `docker load` and follows its answer; an error message in it is thrown. */
async function loadImages(content: Readable, size: number, ctx: JobContext): Promise<void> {
  const docker = await dockerEngine();
  const meter = ctx.meter('kit', 'load images', 'bytes', size);
  let sent = 0;
  const counted = content.pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        meter.update((sent += chunk.length));
        done(null, chunk);
      },
    }),
  );
  const answer = (await docker.loadImage(counted, { quiet: true, abortSignal: ctx.signal })) as unknown as Readable;
  for await (const msg of jsonLines<RawBuildMessage>(answer)) {
    if (msg.error || msg.errorDetail?.message) throw new AppError('image-not-found', `docker load refused the kit's images: ${msg.errorDetail?.message ?? msg.error}`, { hint: HINT });
    if (msg.stream?.trim()) ctx.log('kit', msg.stream.trim());
  }
  meter.finish();
}

export async function importKit(request: KitImportRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const { file } = request;
  const manifest = await verifyKit(file, ctx);
  ctx.log('kit', `Kit made ${manifest.created} by Kairos Factory ${manifest.appVersion}: every member matches its SHA-256`);
  try {
    await ctx.runPhase('kit', 'load images', () =>
      readKit(
        file,
        async (name, content, size) => {
          if (name === KIT_IMAGES_MEMBER) await loadImages(content, size, ctx);
          else if (name.startsWith('recipes/') && request.onRecipe) {
            const parts: Buffer[] = [];
            for await (const chunk of content) parts.push(chunk as Buffer);
            await request.onRecipe(name.slice('recipes/'.length).replace(/\.yaml$/, ''), Buffer.concat(parts).toString('utf8'));
          }
        },
        () => undefined,
        ctx.signal,
      ),
    );
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    throw error;
  }
  // The engine now holds each image under its ref, with the id it had where the kit was made.
  const docker = await dockerEngine();
  for (const image of manifest.images) {
    const info = await inspectImage(docker, image.ref);
    if (info?.Id !== image.id) throw new AppError('image-not-found', `After loading the kit, ${image.ref} is ${info ? `image ${info.Id}, not ${image.id}` : 'not on the engine'}`, { hint: HINT });
    ctx.log('kit', `${image.ref}  ${formatBytes(image.size)}  loaded`);
  }
  const message = `Imported ${manifest.images.length} images for ${manifest.recipes.join(', ')}`;
  return { message, seconds: (performance.now() - started) / 1000 };
}
