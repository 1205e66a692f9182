// The wizard's steps: each edits one part of the recipe, and is valid when the recipe has no
// issue in its fields. Pure, so the rules are testable without a browser.
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';

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
