// The engine's facts for the plan (src-shared/plan/build-plan.ts): which of the recipe's images
// are here, the base image's os-release (the scratch method's packages), the builder's
// Dockerfile, the Trusted Boot keys folder. Nothing is pulled, built or written: a plan only looks.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { buildPlan, type BuildPlan, type EngineState, type KeysFolderState } from '../../src-shared/plan/build-plan.js';
import { requiredImages } from '../../src-shared/plan/required-images.js';
import { imageTagFor, sourceImageRef } from '../../src-shared/kairosify/dockerfile-common.js';
import type { OsRelease } from '../../src-shared/kairosify/os-release.js';
import type { TemplateValue } from '../../src-shared/kairosify/go-template.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { toErrorData } from '../../src-shared/errors/app-error.js';
import { builderBaseImage, builderDockerfile, builderImageTag } from '../builder/builder-image.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { inspectImage } from '../docker/ensure-image.js';
import { imageOsRelease } from '../docker/image-files.js';
import { readValuesFile } from '../pipeline/source.js';

export interface PlanPlace {
  /** The output folder a build would be given: generated Trusted Boot keys live there. */
  readonly outputDir: string;
  /** Where the recipe's relative paths (keys folder, values file) are read from. */
  readonly relativeTo: string;
}

async function folderState(folder: string): Promise<KeysFolderState> {
  const files = await readdir(folder).catch(() => undefined);
  return files !== undefined ? { folder, files } : { folder };
}

/** The base image's os-release when it is here and the scratch method reads it; undefined otherwise (the plan says so). */
async function baseOsRelease(docker: Docker, recipe: Recipe, present: ReadonlySet<string>): Promise<OsRelease | undefined> {
  const ref = sourceImageRef(recipe);
  if (recipe.kairosify.method !== 'scratch' || !present.has(ref)) return undefined;
  return imageOsRelease(docker, ref, 'plan').catch(() => undefined);
}

/**
 * The recipe's own image is here and made from its source: when the source image is here too, its
 * layers must begin the recipe's image (a tag made from another base is made again). Without the
 * source (an offline kit brings only the recipe's image) the tag is taken at its word.
 */
async function ownImageHere(docker: Docker, recipe: Recipe, present: ReadonlySet<string>): Promise<boolean> {
  const own = imageTagFor(recipe);
  if (!present.has(own)) return false;
  const source = sourceImageRef(recipe);
  if (!present.has(source)) return true;
  const [ownInfo, sourceInfo] = await Promise.all([inspectImage(docker, own), inspectImage(docker, source)]);
  const ownLayers = ownInfo?.RootFS?.Layers ?? [];
  const sourceLayers = sourceInfo?.RootFS?.Layers ?? [];
  return sourceLayers.length > 0 && sourceLayers.every((layer, i) => ownLayers[i] === layer);
}

export async function planBuild(recipe: Recipe, place: PlanPlace): Promise<BuildPlan> {
  const source = recipe.source;
  const fileValues: Record<string, TemplateValue> | undefined =
    source.kind === 'dockerfile' && source.valuesFile !== undefined ? await readValuesFile(resolve(place.relativeTo, source.valuesFile)).catch(() => undefined) : undefined;
  const builderBase = builderBaseImage();
  let docker: Docker | undefined;
  let unreachable: string | undefined;
  try {
    docker = await dockerEngine();
  } catch (error) {
    unreachable = toErrorData(error).message;
  }
  const builderTag = docker ? await builderImageTag(docker) : undefined;
  const images = requiredImages(recipe, { builderBase, ...(builderTag !== undefined ? { builderTag } : {}), ...(fileValues ? { fileValues } : {}) });
  const present = new Set<string>();
  if (docker) {
    const found = await Promise.all(images.map(async (i) => ((await inspectImage(docker, i.ref)) ? i.ref : undefined)));
    for (const ref of found) if (ref !== undefined) present.add(ref);
  }
  const osRelease = docker ? await baseOsRelease(docker, recipe, present) : undefined;
  const engine: EngineState = {
    present,
    kairosified: docker ? await ownImageHere(docker, recipe, present) : false,
    ...(osRelease ? { osRelease } : {}),
    ...(unreachable !== undefined ? { unreachable } : {}),
  };
  const tb = recipe.trustedBoot;
  const keys = tb.enabled ? await folderState(tb.keysFolder !== undefined ? resolve(place.relativeTo, tb.keysFolder) : join(place.outputDir, `${recipe.name}-keys`)) : undefined;
  return buildPlan({ recipe, images, engine, builderBase, builderDockerfile: await builderDockerfile(), ...(fileValues ? { fileValues } : {}), ...(keys ? { keys } : {}) });
}
