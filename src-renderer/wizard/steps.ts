// The wizard's steps: each edits one part of the recipe, and is valid when the recipe has no
// issue in its fields. Pure, so the rules are testable without a browser.
import { issueOf, preflight, type PreflightProblem } from '../../src-shared/preflight/preflight.js';
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';

export const STEP_IDS = ['source', 'system', 'trusted-boot', 'cloud-config', 'artifacts', 'review', 'build', 'flash'] as const;
export type StepId = (typeof STEP_IDS)[number];

export interface StepInfo {
  readonly id: StepId;
  readonly title: string;
  /** Recipe fields (top-level keys) this step edits. */
  readonly fields: ReadonlyArray<string>;
}

export const STEPS: ReadonlyArray<StepInfo> = [
  { id: 'source', title: 'Source', fields: ['name', 'version', 'source'] },
  { id: 'system', title: 'System', fields: ['variant', 'provider', 'model', 'arch', 'fips', 'kairosify'] },
  { id: 'trusted-boot', title: 'Trusted Boot', fields: ['trustedBoot'] },
  { id: 'cloud-config', title: 'Cloud-config', fields: ['cloudConfig'] },
  { id: 'artifacts', title: 'Artifacts', fields: ['artifacts', 'output'] },
  { id: 'review', title: 'Review', fields: [] },
  { id: 'build', title: 'Build', fields: [] },
  { id: 'flash', title: 'Flash', fields: [] },
];

export function stepIssues(issues: ReadonlyArray<RecipeIssue>, step: StepInfo): RecipeIssue[] {
  if (step.id === 'review') return [...issues];
  return issues.filter((i) => step.fields.some((f) => i.path === f || i.path.startsWith(`${f}.`)));
}

export interface DraftCheck {
  /** The errors: each step's Next waits for those of its fields. */
  readonly issues: ReadonlyArray<RecipeIssue>;
  /** Advice that does not block (Review lists it). */
  readonly warnings: ReadonlyArray<PreflightProblem>;
  /** The validated recipe when there is no error. */
  readonly recipe: Recipe | undefined;
}

/** The wizard's check of its draft: the one preflight `validate` and `build` run (src-shared/preflight). */
export function checkDraft(draft: unknown): DraftCheck {
  const result = preflight({ recipe: draft });
  const issues = result.problems.filter((p) => p.severity === 'error').map(issueOf);
  return { issues, warnings: result.problems.filter((p) => p.severity === 'warning'), recipe: result.ok ? result.recipe : undefined };
}

/** The step a problem's field belongs to (Review's Edit), or undefined for the whole recipe. */
export function stepOfPath(path: string): StepInfo | undefined {
  return STEPS.find((s) => s.fields.some((f) => path === f || path.startsWith(`${f}.`)));
}

/** Steps whose own blockers the preflight already counts (the cloud-config's errors): not said twice. */
const BLOCKERS_IN_PREFLIGHT: ReadonlyArray<StepId> = ['cloud-config'];

/** What a step shows as its problems: its fields' issues, then the blockers the preflight does not cover. */
export function stepProblems(issues: ReadonlyArray<RecipeIssue>, step: StepInfo, blockers: StepBlockers = {}): string[] {
  const own = stepIssues(issues, step).map((i) => i.message);
  return BLOCKERS_IN_PREFLIGHT.includes(step.id) && own.length > 0 ? own : [...own, ...(blockers[step.id] ?? [])];
}

/** Extra blockers a step has beyond the recipe schema (cloud-config errors, a bad keys folder). */
export type StepBlockers = Partial<Record<StepId, ReadonlyArray<string>>>;

export function stepValid(issues: ReadonlyArray<RecipeIssue>, step: StepInfo, blockers: StepBlockers = {}): boolean {
  return stepIssues(issues, step).length === 0 && (blockers[step.id] ?? []).length === 0;
}

/** The furthest step a user may open: every step before it valid. Build and Flash need a valid recipe. */
export function reachable(issues: ReadonlyArray<RecipeIssue>, index: number, blockers: StepBlockers = {}): boolean {
  const editSteps = STEPS.slice(0, Math.min(index, STEPS.findIndex((s) => s.id === 'review') + 1));
  if (STEPS[index]?.id === 'flash') return true; // flashing an existing image needs no recipe
  return editSteps.slice(0, index).every((s) => stepValid(issues, s, blockers));
}
