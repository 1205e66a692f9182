// The image checks (kernel, initrd, kairos-release, SSH host keys, ...) re-run on a built image,
// as a job of its own: `kairos-factory check` and any shell that asks.
import { AppError } from '../../src-shared/errors/app-error.js';
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import type { JobContext } from '../jobs/job-context.js';

export async function checkBuiltImage(recipe: Recipe, imageRef: string | undefined, ctx: JobContext): Promise<JobResult> {
  const [{ dockerEngine }, { inspectImage }, { validateImage }] = await Promise.all([
    import('../docker/docker-engine.js'),
    import('../docker/ensure-image.js'),
    import('../kairosify/validate-image.js'),
  ]);
  const started = performance.now();
  const image = imageRef ?? imageTagFor(recipe);
  const docker = await dockerEngine();
  if (!(await inspectImage(docker, image))) {
    throw new AppError('image-not-found', `No image ${image} in the local engine`, { hint: 'Build the recipe first, or name the image to check' });
  }
  const results = await validateImage(docker, recipe, image, ctx);
  return { image, message: `${image}: ${results.filter((r) => r.status === 'pass').length} checks passed`, seconds: (performance.now() - started) / 1000 };
}
