// The builder image: made by the app from resources/builder/Dockerfile on the first build and
// reused while that file and its base image stay the same (the tag carries their hash).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { JobContext } from '../jobs/job-context.js';
import { buildImage } from '../docker/build-image.js';
import { ensureImage, inspectImage } from '../docker/ensure-image.js';
import { resourcePath } from '../util/resources.js';

/** Base of the builder; KF_BUILDER_BASE overrides it (any Debian bookworm-compatible image). */
export function builderBaseImage(): string {
  return process.env.KF_BUILDER_BASE ?? 'debian:bookworm';
}

/** The builder's Dockerfile (the plan reads its packages). */
export async function builderDockerfile(): Promise<string> {
  return readFile(await resourcePath('builder', 'Dockerfile'), 'utf8');
}

/** What the builder's tag carries: its Dockerfile and its base image, hashed. */
function builderHash(dockerfile: string, baseImageId: string): string {
  return createHash('sha256').update(dockerfile).update(baseImageId).digest('hex').slice(0, 12);
}

/** The builder's tag on this engine, or undefined while its base image is not there (the plan, the kit). */
export async function builderImageTag(docker: Docker): Promise<string | undefined> {
  const baseInfo = await inspectImage(docker, builderBaseImage());
  return baseInfo ? `kairos-factory/builder:${builderHash(await builderDockerfile(), baseInfo.Id)}` : undefined;
}

export async function ensureBuilderImage(docker: Docker, ctx: JobContext, logDir: string): Promise<string> {
  const dockerfile = await builderDockerfile();
  const base = builderBaseImage();
  const baseInfo = await ensureImage(docker, base, ctx, 'artifacts');
  const hash = builderHash(dockerfile, baseInfo.Id);
  const tag = `kairos-factory/builder:${hash}`;
  if (await inspectImage(docker, tag)) return tag;
  await ctx.runPhase('artifacts', 'builder image', () =>
    buildImage(
      docker,
      {
        dockerfile,
        tag,
        buildArgs: { BASE_IMAGE: base },
        labels: { 'io.kairos-factory.builder': hash },
        logFile: join(logDir, 'builder-image.log'),
        stage: 'artifacts',
        what: 'builder image',
      },
      ctx,
    ),
  );
  return tag;
}
