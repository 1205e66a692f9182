import { describe, expect, it } from 'vitest';
import { STEPS, STEP_IDS, reachable, stepIssues, stepValid, type StepId } from '../../../src-renderer/wizard/steps.js';
import type { RecipeIssue } from '../../../src-shared/recipe/parse-recipe.js';

const step = (id: StepId) => {
  const found = STEPS.find((s) => s.id === id);
  if (!found) throw new Error(id);
  return found;
};
const index = (id: StepId) => STEPS.findIndex((s) => s.id === id);
const issue = (path: string, message = 'bad'): RecipeIssue => ({ path, message });

describe('STEPS', () => {
  it('has one entry per step id, in order', () => {
    expect(STEPS.map((s) => s.id)).toEqual([...STEP_IDS]);
  });
});

describe('stepIssues', () => {
  const issues = [issue('name'), issue('source.baseImage'), issue('provider.name'), issue('kairosify.method'), issue('cloudConfig'), issue('artifacts'), issue('output')];

  it('gives each step the issues of its fields and their children', () => {
    expect(stepIssues(issues, step('source')).map((i) => i.path)).toEqual(['name', 'source.baseImage']);
    expect(stepIssues(issues, step('system')).map((i) => i.path)).toEqual(['provider.name', 'kairosify.method']);
    expect(stepIssues(issues, step('trusted-boot'))).toEqual([]);
    expect(stepIssues(issues, step('cloud-config')).map((i) => i.path)).toEqual(['cloudConfig']);
    expect(stepIssues(issues, step('artifacts')).map((i) => i.path)).toEqual(['artifacts', 'output']);
  });

  it('does not give a step the issues of a field that only starts like one of its fields', () => {
    // "sourceMap" is not "source", "names" is not "name".
    expect(stepIssues([issue('sourceMap'), issue('names'), issue('output2')], step('source'))).toEqual([]);
    expect(stepIssues([issue('output2')], step('artifacts'))).toEqual([]);
  });

  it('gives the review step every issue, including those of no step', () => {
    const all = [...issues, issue('varient'), issue('')];
    expect(stepIssues(all, step('review'))).toEqual(all);
  });

  it('gives the build and flash steps none', () => {
    expect(stepIssues(issues, step('build'))).toEqual([]);
    expect(stepIssues(issues, step('flash'))).toEqual([]);
  });
});

describe('stepValid', () => {
  it('is valid without issues or blockers', () => {
    for (const s of STEPS) expect(stepValid([], s), s.id).toBe(true);
  });

  it('is invalid with an issue in its fields only', () => {
    const issues = [issue('trustedBoot.keysFolder')];
    expect(stepValid(issues, step('trusted-boot'))).toBe(false);
    expect(stepValid(issues, step('source'))).toBe(true);
    expect(stepValid(issues, step('review'))).toBe(false);
  });

  it('is invalid with a blocker for that step only', () => {
    const blockers = { 'cloud-config': ['line 2: YAML error'] };
    expect(stepValid([], step('cloud-config'), blockers)).toBe(false);
    expect(stepValid([], step('source'), blockers)).toBe(true);
  });

  it('ignores an empty blocker list', () => {
    expect(stepValid([], step('trusted-boot'), { 'trusted-boot': [] })).toBe(true);
  });
});

describe('reachable', () => {
  it('reaches every step of a valid recipe', () => {
    for (let i = 0; i < STEPS.length; i++) expect(reachable([], i), STEPS[i]?.id).toBe(true);
  });

  it('always reaches the first step', () => {
    expect(reachable([issue('name'), issue('cloudConfig')], 0)).toBe(true);
  });

  it('reaches a step only when every edit step before it is valid', () => {
    const issues = [issue('cloudConfig')];
    expect(reachable(issues, index('source'))).toBe(true);
    expect(reachable(issues, index('system'))).toBe(true);
    expect(reachable(issues, index('trusted-boot'))).toBe(true);
    // The step with the problem itself stays reachable, to fix it.
    expect(reachable(issues, index('cloud-config'))).toBe(true);
    expect(reachable(issues, index('artifacts'))).toBe(false);
    expect(reachable(issues, index('review'))).toBe(false);
    expect(reachable(issues, index('build'))).toBe(false);
  });

  it('blocks everything after the first step with an issue', () => {
    const issues = [issue('source.baseImage')];
    expect(reachable(issues, index('source'))).toBe(true);
    for (const id of ['system', 'trusted-boot', 'cloud-config', 'artifacts', 'review', 'build'] as const) expect(reachable(issues, index(id)), id).toBe(false);
  });

  it('needs a recipe without any issue, even of no step, to build', () => {
    const issues = [issue('varient')];
    expect(reachable(issues, index('review'))).toBe(true);
    expect(reachable(issues, index('build'))).toBe(false);
  });

  it('counts blockers like issues', () => {
    const blockers = { 'trusted-boot': ['the keys folder has no db.key'] };
    expect(reachable([], index('trusted-boot'), blockers)).toBe(true);
    expect(reachable([], index('cloud-config'), blockers)).toBe(false);
    expect(reachable([], index('build'), blockers)).toBe(false);
  });

  it('always reaches flash: flashing an existing image needs no recipe', () => {
    expect(reachable([issue('name'), issue('source'), issue('artifacts')], index('flash'), { source: ['x'], 'cloud-config': ['y'] })).toBe(true);
  });
});

describe('checkDraft and stepProblems', () => {
  it('checks a draft with the one preflight: cloud-config errors block their step, warnings do not', async () => {
    const { checkDraft, stepProblems } = await import('../../../src-renderer/wizard/steps.js');
    const blocked = checkDraft({ name: 'x', source: { baseImage: 'debian:bookworm' }, cloudConfig: '#cloud-config\nusers:\n  - name: kairos\n' });
    expect(blocked.recipe).toBeUndefined();
    expect(stepValid(blocked.issues, step('cloud-config'))).toBe(false);
    expect(stepValid(blocked.issues, step('source'))).toBe(true);
    // The Cloud-config step's own blocker says the same: counted once.
    const problems = stepProblems(blocked.issues, step('cloud-config'), { 'cloud-config': ['nobody can log in as kairos'] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^cloud-config line 3: nobody can log in as kairos/);
    const warned = checkDraft({ name: 'x', source: { baseImage: 'debian:bookworm' }, cloudConfig: '#cloud-config\nusers:\n  - name: kairos\n    passwd: kairos\n' });
    expect(warned.issues).toEqual([]);
    expect(warned.recipe?.name).toBe('x');
    expect(warned.warnings.map((w) => w.path)).toEqual(['cloudConfig.users.0.passwd']);
  });

  it('keeps the blockers of steps the preflight does not cover (the keys folder)', async () => {
    const { stepProblems } = await import('../../../src-renderer/wizard/steps.js');
    expect(stepProblems([], step('trusted-boot'), { 'trusted-boot': ['Pick the keys folder'] })).toEqual(['Pick the keys folder']);
  });
});
