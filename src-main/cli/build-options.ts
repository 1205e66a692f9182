// The options of `kairos-factory build` that override recipe fields: pure, so the CLI and its tests
// agree on how an option becomes a field and how a field's problem is named as the option.
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe, RecipeInput } from '../../src-shared/recipe/recipe-schema.js';

export interface BuildOverrides {
  readonly registry?: string;
  readonly push?: boolean;
  /** The URL the netboot folder will be served from (recipe netboot.url). */
  readonly netbootUrl?: string;
}

/** The recipe field each option sets, by the field's dotted path. */
const OPTION_OF_FIELD: Readonly<Record<string, string>> = {
  registry: '--registry',
  push: '--push',
  'netboot.url': '--netboot-url',
};

/** The recipe with the options applied, to be validated again; undefined when no option overrides anything. */
export function withBuildOverrides(recipe: Recipe, options: BuildOverrides): RecipeInput | undefined {
  if (options.registry === undefined && !options.push && options.netbootUrl === undefined) return undefined;
  return {
    ...recipe,
    ...(options.registry !== undefined ? { registry: options.registry } : {}),
    ...(options.push ? { push: true } : {}),
    ...(options.netbootUrl !== undefined ? { netboot: { ...recipe.netboot, url: options.netbootUrl } } : {}),
  };
}

/** A problem of the overridden recipe, named as the option that caused it when one did. */
export function overrideIssueLine(issue: RecipeIssue): string {
  return `${OPTION_OF_FIELD[issue.path] ?? issue.path}: ${issue.message}`;
}
