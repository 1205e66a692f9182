import type { Recipe } from '../recipe/recipe-schema.js';

/** The FROM of the system stage; other arches are pinned with --platform. */
export function fromLine(recipe: Recipe): string {
  const platform = recipe.arch === 'amd64' ? '' : `--platform=linux/${recipe.arch} `;
  return `FROM ${platform}${sourceImageRef(recipe)}`;
}

/**
 * The image the source yields: the image itself, or the local tag a Dockerfile source is built as
 * or a root filesystem is imported as. Deterministic, so the Dockerfile preview needs no engine.
 */
export function sourceImageRef(recipe: Recipe): string {
  switch (recipe.source.kind) {
    case 'image':
      return recipe.source.baseImage;
    case 'dockerfile':
      return `kairos-factory/${recipe.name}-source:${safeTag(recipe.version)}`;
    case 'rootfs':
      return `kairos-factory/${recipe.name}-rootfs:${safeTag(recipe.version)}`;
  }
}

function safeTag(text: string): string {
  return text.replace(/[^\w.-]/g, '_').slice(0, 128);
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

/** The tag of the kairosified image: <registry>/<name>:<version>-<variant>-<model>-<arch>. */
export function imageTagFor(recipe: Recipe): string {
  return `${recipe.registry}/${recipe.name}:${safeTag(`${recipe.version}-${recipe.variant}-${recipe.model}-${recipe.arch}`)}`;
}
