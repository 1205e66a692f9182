// Stage 1: Recipe -> kairosified OCI image in the local engine.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { generateDockerfile } from '../../src-shared/kairosify/dockerfile.js';
import { imageTagFor } from '../../src-shared/kairosify/dockerfile-common.js';
import type { OsRelease } from '../../src-shared/kairosify/os-release.js';
import { splitRepositoryTag } from '../../src-shared/util/image-ref.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { buildImage, type BuiltImage } from '../docker/build-image.js';
import { imageOsRelease } from '../docker/image-files.js';
import type { JobContext } from '../jobs/job-context.js';
import { validateImage } from '../kairosify/validate-image.js';
import { resolveSource } from './source.js';
import { ensureArchRuns } from '../kairosify/foreign-arch.js';
import { makeFolder } from '../util/make-folder.js';

/**
 * The Dockerfile for a recipe whose source image exists (undefined for method none); reads the
 * base image's os-release when the method needs it.
 */
export async function dockerfileForSource(docker: Docker, recipe: Recipe, sourceRef: string, ctx: JobContext): Promise<string | undefined> {
  let osRelease: OsRelease | undefined;
  if (recipe.kairosify.method === 'scratch') {
    osRelease = await imageOsRelease(docker, sourceRef, ctx.jobId);
    ctx.log('kairosify', `Base image: ${osRelease.prettyName || osRelease.id}`);
  }
  return generateDockerfile({ recipe, appVersion: APP_VERSION, ...(osRelease ? { osRelease } : {}) });
}

/** The Dockerfile a recipe builds, making its source image exist first (pull, build, import). */
export async function dockerfileFor(docker: Docker, recipe: Recipe, outputDir: string, ctx: JobContext): Promise<string | undefined> {
  const sourceRef = await resolveSource(docker, recipe, outputDir, ctx);
  return dockerfileForSource(docker, recipe, sourceRef, ctx);
}

/** Builds the recipe's image, then checks it inside (kernel, initrd, kairos-release, ...): a failing check stops the build. */
export async function kairosify(docker: Docker, recipe: Recipe, outputDir: string, ctx: JobContext): Promise<BuiltImage> {
  const image = await buildKairosImage(docker, recipe, outputDir, ctx);
  // Also for method none: a prebuilt image is checked too, against what the recipe can know of it.
  await validateImage(docker, recipe, image, ctx);
  return image;
}

async function buildKairosImage(docker: Docker, recipe: Recipe, outputDir: string, ctx: JobContext): Promise<BuiltImage> {
  await makeFolder(join(outputDir, 'logs'));
  const sourceRef = await resolveSource(docker, recipe, outputDir, ctx);
  await ensureArchRuns(docker, sourceRef, recipe.arch, ctx);
  const tag = imageTagFor(recipe);
  const dockerfile = await dockerfileForSource(docker, recipe, sourceRef, ctx);
  const dockerfilePath = join(outputDir, `${recipe.name}.Dockerfile`);
  if (dockerfile === undefined) {
    // Already a Kairos image: it is used as it is, under the recipe's tag.
    await rm(dockerfilePath, { force: true });
    const { repository, tag: version } = splitRepositoryTag(tag);
    await docker.getImage(sourceRef).tag({ repo: repository, tag: version });
    const info = await docker.getImage(tag).inspect();
    ctx.phase('kairosify', 'build image', 'skipped');
    ctx.log('kairosify', `Using ${sourceRef} as it is (method none), tagged ${tag}`);
    return { imageId: info.Id, tag, steps: 0, cachedSteps: 0 };
  }
  // Kept next to the artifacts: what was built is never a mystery.
  await writeFile(dockerfilePath, dockerfile);
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
