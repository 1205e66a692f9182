import type { Recipe } from '../recipe/recipe-schema.js';

/** The FROM of the system stage; other arches are pinned with --platform. */
export function fromLine(recipe: Recipe): string {
  const platform = recipe.arch === 'amd64' ? '' : `--platform=linux/${recipe.arch} `;
  return `FROM ${platform}${recipe.source.baseImage}`;
}

/** Labels that let the app find and describe the images it made. Last, so they never bust the cache. */
export function labelLines(recipe: Recipe): string[] {
  const q = (s: string): string => JSON.stringify(s);
  return [
    `LABEL io.kairos-factory.recipe=${q(recipe.name)} \\`,
    `      io.kairos-factory.version=${q(recipe.version)} \\`,
    `      io.kairos-factory.variant=${q(recipe.variant)} \\`,
    `      io.kairos-factory.model=${q(recipe.model)} \\`,
    `      io.kairos-factory.arch=${q(recipe.arch)}`,
  ];
}

/** The local tag of the kairosified image: name:version-variant-model-arch. */
export function imageTagFor(recipe: Recipe): string {
  const tag = `${recipe.version}-${recipe.variant}-${recipe.model}-${recipe.arch}`.replace(/[^\w.-]/g, '_');
  return `kairos-factory/${recipe.name}:${tag.slice(0, 128)}`;
}
