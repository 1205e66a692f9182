// The Dockerfile a recipe would build, for the wizard's Review step, without building anything:
// the scratch method needs the base image's os-release, read when the image is already local.
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { generateDockerfile } from '../../src-shared/kairosify/dockerfile.js';
import { sourceImageRef } from '../../src-shared/kairosify/dockerfile-common.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { dockerEngine } from '../docker/docker-engine.js';
import { inspectImage } from '../docker/ensure-image.js';
import { imageOsRelease } from '../docker/image-files.js';

export interface DockerfilePreview {
  readonly text: string | null;
  readonly note?: string;
}

export async function dockerfilePreview(recipe: Recipe): Promise<DockerfilePreview> {
  if (recipe.kairosify.method === 'none') return { text: null, note: 'The source already is a Kairos image: it is used as it is.' };
  if (recipe.kairosify.method === 'kairos-init') return { text: generateDockerfile({ recipe, appVersion: APP_VERSION }) ?? null };
  const ref = sourceImageRef(recipe);
  try {
    const docker = await dockerEngine();
    if (!(await inspectImage(docker, ref))) {
      return { text: null, note: `The scratch method picks packages by the distribution of ${ref}; it is read when the build pulls or builds the image.` };
    }
    const osRelease = await imageOsRelease(docker, ref, 'preview');
    return { text: generateDockerfile({ recipe, osRelease, appVersion: APP_VERSION }) ?? null };
  } catch (error) {
    return { text: null, note: `Cannot read ${ref} now: ${(error as Error).message}` };
  }
}
