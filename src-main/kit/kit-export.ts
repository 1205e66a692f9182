// `kit export`: every image the recipes need to build offline (kit-manifest.ts says which), the
// recipes and a manifest, in one kit file (kit-file.ts), with byte progress and cancel.
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { KIT_IMAGES_MEMBER, KIT_MANIFEST_MEMBER, KIT_VERSION, kitImages, recipeMember, type KitManifest } from '../../src-shared/kit/kit-manifest.js';
import type { RequiredImage } from '../../src-shared/plan/required-images.js';
import { recipeToYaml } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { formatBytes } from '../../src-shared/util/format.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { builderBaseImage, builderImageTag } from '../builder/builder-image.js';
import { dirname } from 'node:path';
import { outputFolderError } from '../artifacts/artifact-step.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { inspectImage } from '../docker/ensure-image.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { KitWriter } from './kit-file.js';

export interface KitExportRequest {
  readonly recipes: ReadonlyArray<Recipe>;
  /** The kit file to write (FILE.part until it is whole). */
  readonly output: string;
}

interface FoundImage extends RequiredImage {
  readonly id: string;
  readonly size: number;
}

/** What to do about an image the engine lacks: a built one is built, a pulled one pulled. */
function missingImageError(missing: ReadonlyArray<{ readonly image: RequiredImage; readonly recipe: string }>): AppError {
  const list = missing.map(({ image, recipe }) => `${image.ref} (${image.role} of ${recipe})`).join(', ');
  const built = missing.some(({ image }) => image.origin === 'build');
  return new AppError('image-not-found', `Cannot export the kit: ${list} ${missing.length === 1 ? 'is' : 'are'} not on this engine`, {
    hint: built ? 'Build the recipe once first (`kairos-factory build RECIPE`), on this engine, then export the kit' : 'Pull the image first (`docker pull REF`), then export the kit',
  });
}

/** Every image the recipes need, each once, as found on the engine; all missing ones said at once. */
export async function kitImagesOnEngine(docker: Docker, recipes: ReadonlyArray<Recipe>): Promise<FoundImage[]> {
  const builderBase = builderBaseImage();
  const builderTag = await builderImageTag(docker);
  const found: FoundImage[] = [];
  const missing: { image: RequiredImage; recipe: string }[] = [];
  for (const recipe of recipes) {
    for (const image of kitImages(recipe, { builderBase, ...(builderTag ? { builderTag } : {}) })) {
      if (found.some((f) => f.ref === image.ref) || missing.some((m) => m.image.ref === image.ref)) continue;
      const info = await inspectImage(docker, image.ref);
      // The builder's base may also be the recipe's base (listed once): the kit calls it what the build needs it for.
      if (info) found.push({ ...image, ...(image.ref === builderBase ? { role: 'builder-base' as const } : {}), id: info.Id, size: info.Size });
      else missing.push({ image, recipe: recipe.name });
    }
  }
  if (missing.length > 0) throw missingImageError(missing);
  return found;
}

export async function exportKit(request: KitExportRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const docker = await dockerEngine();
  const images = await ctx.runPhase('kit', 'find images', () => kitImagesOnEngine(docker, request.recipes));
  for (const i of images) ctx.log('kit', `${i.ref}  ${formatBytes(i.size)}  (${i.why})`);
  // A folder that cannot be written is said as such (full, read-only, missing), before any image is saved.
  const writer = await KitWriter.create(request.output).catch((error: unknown) => {
    throw outputFolderError(error, dirname(request.output));
  });
  try {
    for (const recipe of request.recipes) await writer.addBuffer(recipeMember(recipe.name), Buffer.from(recipeToYaml(recipe)));
    // Layers shared between images are saved once: the sum of the images' sizes is an upper bound.
    const meter = ctx.meter('kit', 'save images', 'bytes', images.reduce((sum, i) => sum + i.size, 0));
    const saved = await ctx.runPhase('kit', 'save images', async () => {
      // GET /images/get?names=…: one `docker save` of them all (dockerode has it, its types do not).
      const save = (docker as unknown as { getImages(opts: object): Promise<NodeJS.ReadableStream> }).getImages.bind(docker);
      const stream = await save({ names: images.map((i) => i.ref), abortSignal: ctx.signal });
      return writer.addStream(KIT_IMAGES_MEMBER, stream as AsyncIterable<Buffer>, (n) => meter.update(n));
    });
    meter.setTotal(saved);
    meter.finish();
    const manifest: KitManifest = {
      kitVersion: KIT_VERSION,
      created: new Date().toISOString(),
      appVersion: APP_VERSION,
      recipes: request.recipes.map((r) => r.name),
      images: images.map((i) => ({ ref: i.ref, id: i.id, size: i.size, role: i.role })),
      members: Object.fromEntries(writer.members),
    };
    ctx.throwIfCancelled();
    const size = await writer.finish(KIT_MANIFEST_MEMBER, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    const message = `Kit ${request.output}: ${images.length} images, ${request.recipes.length} recipe(s), ${formatBytes(size)}`;
    ctx.log('kit', message);
    return { message, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    await writer.discard();
    if (ctx.signal.aborted) throw cancelledError();
    throw outputFolderError(error, dirname(request.output));
  }
}
