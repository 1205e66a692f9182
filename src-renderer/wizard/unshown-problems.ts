// A step's problems that the step does not show: the count in the footer must never stand alone.
// A field renders only its first problem, a field may sit in a collapsed section or not be drawn
// at all for the current choices; what is not on screen is listed under the step, with the name
// of the field it belongs to. Pure, so it is testable without a browser.
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';

// The labels the steps give these recipe fields (the longest matching path wins).
const FIELD_NAMES: Readonly<Record<string, string>> = {
  name: 'Name',
  version: 'Version',
  source: 'Source',
  'source.baseImage': 'Image',
  'source.dockerfile': 'Dockerfile',
  'source.values': 'Template values',
  'source.path': 'Root filesystem',
  variant: 'Variant',
  provider: 'Kubernetes',
  'provider.version': 'Kubernetes version',
  model: 'Model',
  arch: 'Architecture',
  fips: 'FIPS 140 mode',
  kairosify: 'Kairosify',
  'kairosify.method': 'Kairosify with',
  'kairosify.framework': 'Kairos framework',
  'kairosify.kairosInitVersion': 'kairos-init version',
  'kairosify.kairosInitImage': 'kairos-init image',
  trustedBoot: 'Trusted Boot',
  'trustedBoot.enroll': 'Key enrollment',
  cloudConfig: 'Cloud-config',
  artifacts: 'Artifacts',
  output: 'Output folder',
  netboot: 'Netboot',
};

/** The user's name for a recipe field path such as "kairosify.framework" or "artifacts.1". */
export function fieldName(path: string): string {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const name = FIELD_NAMES[parts.slice(0, n).join('.')];
    if (name) return name;
  }
  return path;
}

export interface StepProblem {
  /** The field's name, when the problem belongs to a recipe field. */
  readonly field?: string;
  readonly message: string;
}

/**
 * The problems whose message is in none of the texts on screen (the step's visible error
 * messages and problem lists), each named after its field.
 */
export function unshownProblems(issues: ReadonlyArray<RecipeIssue>, blockers: ReadonlyArray<string>, shownTexts: ReadonlyArray<string>): StepProblem[] {
  const shown = (message: string): boolean => shownTexts.some((t) => t.includes(message));
  return [
    ...issues.filter((i) => !shown(i.message)).map((i) => (i.path ? { field: fieldName(i.path), message: i.message } : { message: i.message })),
    ...blockers.filter((b) => !shown(b)).map((message) => ({ message })),
  ];
}
