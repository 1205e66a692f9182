// The Dockerfile a recipe builds, for the wizard's Review step and `kairos-factory dockerfile`:
// the scratch method needs the base image's os-release, read when the image is already local,
// taken from the caller (`osRelease`), or, when asked (`fetchBase`), after pulling or building it.
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { generateDockerfile } from '../../src-shared/kairosify/dockerfile.js';
import { sourceImageRef } from '../../src-shared/kairosify/dockerfile-common.js';
import { parseOsRelease } from '../../src-shared/kairosify/os-release.js';
import { APP_VERSION } from '../../src-shared/version.js';
import { quietContext } from '../jobs/job-context.js';

export interface DockerfilePreview {
  readonly text: string | null;
  readonly note?: string;
}

export interface PreviewOptions {
  /** os-release text to generate for, instead of the base image's. */
  readonly osRelease?: string;
  /** Pull or build the base image when it is not local yet. */
  readonly fetchBase?: boolean;
}

export async function dockerfilePreview(recipe: Recipe, options: PreviewOptions = {}): Promise<DockerfilePreview> {
  if (recipe.kairosify.method === 'none') return { text: null, note: 'The source already is a Kairos image: it is used as it is.' };
  if (options.osRelease !== undefined) {
    return { text: generateDockerfile({ recipe, osRelease: parseOsRelease(options.osRelease), appVersion: APP_VERSION }) ?? null };
  }
  if (recipe.kairosify.method === 'kairos-init') return { text: generateDockerfile({ recipe, appVersion: APP_VERSION }) ?? null };
  const ref = sourceImageRef(recipe);
  const [{ dockerEngine }, { inspectImage }, { imageOsRelease }] = await Promise.all([
    import('../docker/docker-engine.js'),
    import('../docker/ensure-image.js'),
    import('../docker/image-files.js'),
  ]);
  const docker = await dockerEngine();
  if (options.fetchBase) {
    const [{ dockerfileFor }, { tmpdir }] = await Promise.all([import('../pipeline/kairosify.js'), import('node:os')]);
    const controller = new AbortController();
    return { text: (await dockerfileFor(docker, recipe, tmpdir(), quietContext(controller.signal))) ?? null };
  }
  try {
    if (!(await inspectImage(docker, ref))) {
      return { text: null, note: `The scratch method picks packages by the distribution of ${ref}; it is read when the build pulls or builds the image.` };
    }
    const osRelease = await imageOsRelease(docker, ref, 'preview');
    return { text: generateDockerfile({ recipe, osRelease, appVersion: APP_VERSION }) ?? null };
  } catch (error) {
    return { text: null, note: `Cannot read ${ref} now: ${(error as Error).message}` };
  }
}
