// The preflight's checks that need this machine: the paths a recipe names must exist (a root
// filesystem, a values file, overlays, a keys folder) and its output folder must be writable, and
// a Dockerfile template is rendered with its values file too. They join the pure preflight's list
// (src-shared/preflight/preflight.ts) in the engine, so the wizard's Review, `validate` and
// `build` say the same.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { PreflightProblem } from '../../src-shared/preflight/preflight.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';

export interface PathContext {
  /** The output folder the build would write (already resolved). */
  readonly outputDir: string;
  /** Where relative paths in the recipe are resolved from (the CLI's working folder). */
  readonly relativeTo: string;
}

type Want = 'file' | 'folder' | 'either';

async function existsProblem(path: string, want: Want, what: string): Promise<string | undefined> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
  if (info instanceof Error) {
    return info.code === 'ENOENT' ? `${what} ${path} does not exist: check the path` : `${what} ${path} cannot be read (${info.code ?? info.message}): check the path and its permissions`;
  }
  if (want === 'file' && !info.isFile()) return `${what} ${path} is not a file: name a file`;
  if (want === 'folder' && !info.isDirectory()) return `${what} ${path} is not a folder: name a folder`;
  if (want === 'either' && !info.isFile() && !info.isDirectory()) return `${what} ${path} is neither a folder nor a file: name one of them`;
  const readable = await access(path, constants.R_OK).then(() => true, () => false);
  return readable ? undefined : `${what} ${path} cannot be read by this user: fix its permissions`;
}

/** The output folder, or the nearest folder above it that exists, must be a writable folder. */
async function outputProblem(dir: string): Promise<string | undefined> {
  let at = dir;
  for (;;) {
    const info = await stat(at).catch(() => undefined);
    if (info) {
      if (!info.isDirectory()) return `the output folder ${dir} cannot be made: ${at} is a file; choose another output folder`;
      const denied = await access(at, constants.W_OK | constants.X_OK).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => error.code ?? 'EACCES',
      );
      if (denied === undefined) return undefined;
      // A read-only file system is not the user's permissions: say which, as the build's own
      // storage errors do (src-main/util/make-folder.ts).
      if (denied === 'EROFS') return `the output folder ${dir} is on a read-only file system: choose a writable output folder (or remount its drive read-write)`;
      return `the output folder ${dir} is not writable by this user (${at}); choose another output folder or fix its permissions`;
    }
    const up = dirname(at);
    if (up === at) return `the output folder ${dir} cannot be made; choose another output folder`;
    at = up;
  }
}

/** The problems of a recipe's paths, each naming its field. */
export async function pathProblems(recipe: Recipe, context: PathContext): Promise<PreflightProblem[]> {
  const full = (path: string): string => (isAbsolute(path) ? path : resolve(context.relativeTo, path));
  const checks: Array<Promise<PreflightProblem | undefined>> = [];
  const check = (path: string, problem: Promise<string | undefined>): void => {
    checks.push(problem.then((message) => (message ? { path, severity: 'error', message } : undefined)));
  };
  const source = recipe.source;
  if (source.kind === 'rootfs') check('source.path', existsProblem(full(source.path), 'either', 'the root filesystem'));
  if (source.kind === 'dockerfile' && source.valuesFile !== undefined) check('source.valuesFile', valuesFileProblem(recipe, full(source.valuesFile)));
  if (recipe.iso.overlayIso !== undefined) check('iso.overlayIso', existsProblem(full(recipe.iso.overlayIso), 'folder', 'the ISO overlay folder'));
  if (recipe.iso.overlayRootfs !== undefined) check('iso.overlayRootfs', existsProblem(full(recipe.iso.overlayRootfs), 'folder', 'the root filesystem overlay folder'));
  if (recipe.trustedBoot.enabled && recipe.trustedBoot.keysFolder !== undefined) {
    check('trustedBoot.keysFolder', existsProblem(full(recipe.trustedBoot.keysFolder), 'folder', 'the keys folder'));
  }
  check('output', outputProblem(context.outputDir));
  return (await Promise.all(checks)).filter((p): p is PreflightProblem => p !== undefined);
}

/** The values file must read, and the template render with its values (inline ones win). */
async function valuesFileProblem(recipe: Recipe, path: string): Promise<string | undefined> {
  if (recipe.source.kind !== 'dockerfile') return undefined;
  const missing = await existsProblem(path, 'file', 'the template values file');
  if (missing) return missing;
  const [{ readValuesFile }, { renderGoTemplate, mergeTemplateValues }] = await Promise.all([import('../pipeline/source.js'), import('../../src-shared/kairosify/go-template.js')]);
  try {
    renderGoTemplate(recipe.source.dockerfile, mergeTemplateValues(await readValuesFile(path), recipe.source.values));
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return `${error.message}; fix the values file or the template`;
    throw error;
  }
}
