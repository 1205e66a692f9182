// Stage 1: Recipe -> kairosified OCI image in the local engine.
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { generateDockerfile } from '../../src-shared/kairosify/dockerfile.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import type { OsRelease } from '../../src-shared/kairosify/os-release.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { buildImage, type BuiltImage } from '../docker/build-image.js';
import { ensureImage } from '../docker/ensure-image.js';
import { imageOsRelease } from '../docker/image-files.js';
import type { JobContext } from '../jobs/job-context.js';

/** The Dockerfile for a recipe, reading the base image's os-release when the method needs it. */
export async function dockerfileFor(docker: Docker, recipe: Recipe, ctx: JobContext): Promise<string> {
  let osRelease: OsRelease | undefined;
  // Present or pulled before the build, so a wrong name fails at once with a clear message.
  await ctx.runPhase('kairosify', 'base image', () => ensureImage(docker, recipe.source.baseImage, ctx, 'kairosify'));
  if (recipe.kairosify.method === 'scratch') {
    osRelease = await imageOsRelease(docker, recipe.source.baseImage, ctx.jobId);
    ctx.log('kairosify', `Base image: ${osRelease.prettyName || osRelease.id}`);
  }
  return generateDockerfile({ recipe, appVersion: APP_VERSION, ...(osRelease ? { osRelease } : {}) });
}

export async function kairosify(docker: Docker, recipe: Recipe, outputDir: string, ctx: JobContext): Promise<BuiltImage> {
  const dockerfile = await dockerfileFor(docker, recipe, ctx);
  await mkdir(join(outputDir, 'logs'), { recursive: true });
  // Kept next to the artifacts: what was built is never a mystery.
  await writeFile(join(outputDir, `${recipe.name}.Dockerfile`), dockerfile);
  const tag = imageTagFor(recipe);
  const built = await ctx.runPhase('kairosify', 'build image', () =>
    buildImage(
      docker,
      { dockerfile, tag, logFile: join(outputDir, 'logs', `${recipe.name}-kairosify.log`), stage: 'kairosify', what: 'kairosify' },
      ctx,
    ),
  );
  ctx.log('kairosify', `Image ${built.tag} (${built.steps} steps, ${built.cachedSteps} cached)`);
  return built;
}
