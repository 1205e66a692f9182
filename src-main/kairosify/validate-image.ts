// Our own validation after every build: the checks of image-checks.ts run by one POSIX sh script
// in a throwaway container of the built image (no network, never kept), one report line per
// check, and an error naming every failing check.
import type Docker from 'dockerode';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import {
  CHECK_FIXES,
  CHECK_MARK,
  checkScript,
  describeFailures,
  failedChecks,
  formatCheckResult,
  parseCheckOutput,
  type CheckResult,
} from '../../src-shared/kairosify/image-checks.js';
import { runScript } from '../docker/run-in-image.js';
import { engineLost } from '../docker/docker-engine.js';
import type { JobContext } from '../jobs/job-context.js';

export const VALIDATE_PHASE = 'validate';

/**
 * Validates a built image against its recipe. Logs one pass/fail/skip line per check and returns
 * the results; throws AppError validation-failed naming every failing check.
 */
export async function validateImage(
  docker: Docker,
  recipe: Recipe,
  target: string | { readonly imageId: string; readonly tag: string },
  ctx: JobContext,
): Promise<CheckResult[]> {
  // Run the exact image id; name it by its tag in messages.
  const [ref, image] = typeof target === 'string' ? [target, target] : [target.imageId, target.tag];
  return ctx.runPhase('kairosify', VALIDATE_PHASE, async () => {
    let run: { exitCode: number; output: string };
    try {
      run = await runScript(docker, ref, checkScript(recipe), ctx);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const lost = engineLost(error);
      if (lost) throw lost;
      throw new AppError('validation-failed', `Cannot run the image checks in ${image}: ${(error as Error).message.split('\n')[0]}`, {
        hint: 'The image needs /bin/sh to be checked; a Kairos image always has one',
      });
    }
    if (!run.output.includes(CHECK_MARK)) {
      const last = run.output.trim().split('\n').pop() ?? '';
      throw new AppError('validation-failed', `The image checks did not run in ${image} (exit ${run.exitCode})${last ? `: ${last}` : ''}`, {
        hint: /exec format error/i.test(run.output)
          ? `This machine cannot run ${recipe.arch} binaries: install qemu-user-static (binfmt) to build for ${recipe.arch}`
          : 'The image needs a working /bin/sh; a Kairos image always has one',
      });
    }
    const results = parseCheckOutput(run.output);
    for (const r of results) ctx.log('kairosify', `Check ${formatCheckResult(r)}`);
    const failed = failedChecks(results);
    if (failed.length > 0) {
      throw new AppError('validation-failed', `Validation failed: ${describeFailures(results)}`, {
        hint: `The image ${image} is not a bootable Kairos image: ${failed.map((r) => CHECK_FIXES[r.id]).join('; ')}. Fix the recipe (or the source image) and build again`,
      });
    }
    ctx.log('kairosify', `Image checks passed (${results.filter((r) => r.status === 'pass').length} passed, ${results.filter((r) => r.status === 'skip').length} skipped)`);
    return results;
  });
}
