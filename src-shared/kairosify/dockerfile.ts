// Recipe -> Dockerfile text. Pure: the same Recipe (and, for the scratch method, the same base
// image os-release) always gives the same text, which the snapshot tests pin.
import { AppError } from '../errors/app-error.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { kairosInitDockerfile } from './dockerfile-kairos-init.js';
import { scratchDockerfile } from './dockerfile-scratch.js';
import type { OsRelease } from './os-release.js';

export interface DockerfileInput {
  readonly recipe: Recipe;
  /** /etc/os-release of the base image; the scratch method needs it to pick packages. */
  readonly osRelease?: OsRelease;
  readonly appVersion: string;
}

/** The Dockerfile, or undefined for method none (the source image is used as it is). */
export function generateDockerfile(input: DockerfileInput): string | undefined {
  const { recipe, osRelease, appVersion } = input;
  switch (recipe.kairosify.method) {
    case 'none':
      return undefined;
    case 'kairos-init':
      return kairosInitDockerfile(recipe, appVersion);
    case 'scratch':
      if (!osRelease) {
        throw new AppError('internal', 'the scratch method needs the base image os-release');
      }
      return scratchDockerfile(recipe, osRelease, appVersion);
  }
}
