// The whole build: kairosify, then every artifact the recipe asks for, from one cached rootfs.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ArtifactInfo, JobResult } from '../../src-shared/jobs/job-events.js';
import { assertNever } from '../../src-shared/jobs/job-events.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { ensureBuilderImage } from '../builder/builder-image.js';
import { BuilderSession } from '../builder/builder-session.js';
import { dockerEngine } from '../docker/docker-engine.js';
import type { JobContext } from '../jobs/job-context.js';
import { buildIso } from '../artifacts/iso/build-iso.js';
import { ensureRootfs, ensureSquashfs } from '../artifacts/rootfs-cache.js';
import { kairosify } from './kairosify.js';

export interface BuildRequest {
  readonly recipe: Recipe;
  /** Overrides recipe.output; relative paths resolve against the current folder. */
  readonly outputDir?: string;
}

export async function runBuild(request: BuildRequest, ctx: JobContext): Promise<JobResult> {
  const started = performance.now();
  const { recipe } = request;
  const outputDir = resolve(request.outputDir ?? recipe.output);
  await mkdir(outputDir, { recursive: true });
  const docker = await dockerEngine();

  const image = await kairosify(docker, recipe, outputDir, ctx);

  const builderImage = await ensureBuilderImage(docker, ctx, join(outputDir, 'logs'));
  const session = await BuilderSession.start(docker, builderImage, { outputDir, jobId: ctx.jobId, signal: ctx.signal });
  const artifacts: ArtifactInfo[] = [];
  try {
    const rootfs = await ensureRootfs(docker, session, image.imageId, ctx);
    await ensureSquashfs(session, rootfs, ctx);
    for (const kind of recipe.artifacts) {
      switch (kind) {
        case 'iso':
          artifacts.push(await buildIso(session, { rootfs, cloudConfig: recipe.cloudConfig, outputDir, fileName: `${recipe.name}.iso` }, ctx));
          break;
        default:
          assertNever(kind);
      }
    }
  } finally {
    await session.close();
  }
  return { image: image.tag, imageId: image.imageId, artifacts, seconds: (performance.now() - started) / 1000 };
}
