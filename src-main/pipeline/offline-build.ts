// A build with --offline never touches the network: before any work every image it needs must be
// on the engine (else one line names what is missing and the kit that brings it), and the recipe's
// kairosified image is used as it is, with no docker build (which could pull or fetch packages).
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import { offlineImages, offlineMissingLine } from '../../src-shared/kit/kit-manifest.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { builderBaseImage, builderImageTag } from '../builder/builder-image.js';
import type { BuiltImage } from '../docker/build-image.js';
import { inspectImage } from '../docker/ensure-image.js';
import type { JobContext } from '../jobs/job-context.js';
import { validateImage } from '../kairosify/validate-image.js';

/** Throws the one line naming every image an offline build of the recipe lacks on this engine. */
export async function checkOfflineImages(docker: Docker, recipe: Recipe): Promise<void> {
  if (recipe.push) throw new AppError('bad-request', `Offline build of ${recipe.name}: pushing needs the network`, { hint: 'Leave out --push (or push: true), or build without --offline' });
  const builderBase = builderBaseImage();
  const builderTag = await builderImageTag(docker);
  const needed = offlineImages(recipe, { builderBase, ...(builderTag ? { builderTag } : {}) });
  const present = await Promise.all(needed.map((i) => inspectImage(docker, i.ref)));
  const missing = needed.filter((_, n) => !present[n]);
  if (missing.length > 0) throw new AppError('image-not-found', offlineMissingLine(recipe, missing, builderBase));
}

/** The recipe's image as the engine has it (a kit brought it), checked inside like a built one. */
export async function kairosifiedAsItIs(docker: Docker, recipe: Recipe, ctx: JobContext): Promise<BuiltImage> {
  const tag = imageTagFor(recipe);
  const info = await inspectImage(docker, tag);
  if (!info) throw new AppError('image-not-found', offlineMissingLine(recipe, [{ role: 'kairosified', ref: tag, origin: 'build', why: '' }], builderBaseImage()));
  ctx.phase('kairosify', 'build image', 'skipped');
  ctx.log('kairosify', `Offline: using ${tag} (${info.Id.slice(7, 19)}) as it is on the engine, no docker build`);
  const image = { imageId: info.Id, tag, steps: 0, cachedSteps: 0 };
  await validateImage(docker, recipe, image, ctx);
  return image;
}
