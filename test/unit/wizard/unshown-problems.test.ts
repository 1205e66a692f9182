import { describe, expect, it } from 'vitest';
import { fieldName, unshownProblems } from '../../../src-renderer/wizard/unshown-problems.js';

describe('fieldName', () => {
  it('names a field as its step labels it, the longest known path first', () => {
    expect(fieldName('kairosify.framework')).toBe('Kairos framework');
    expect(fieldName('kairosify')).toBe('Kairosify');
    expect(fieldName('artifacts.1')).toBe('Artifacts');
    expect(fieldName('provider.version')).toBe('Kubernetes version');
  });

  it('falls back to the path for a field it does not know', () => {
    expect(fieldName('somethingNew.deep')).toBe('somethingNew.deep');
  });
});

describe('unshownProblems', () => {
  const issues = [
    { path: 'name', message: 'use lowercase letters' },
    { path: 'kairosify.framework', message: 'kairos-init always installs the Kairos framework' },
    { path: '', message: 'the recipe is empty' },
  ];

  it('lists the problems no visible text carries, with their field names', () => {
    expect(unshownProblems(issues, [], ['use lowercase letters'])).toEqual([
      { field: 'Kairos framework', message: 'kairos-init always installs the Kairos framework' },
      { message: 'the recipe is empty' },
    ]);
  });

  it('counts a message shown inside a longer text (a problem list line) as shown', () => {
    expect(unshownProblems([], ['YAML: bad indentation'], ['Error (line 3): YAML: bad indentation'])).toEqual([]);
    expect(unshownProblems([], ['YAML: bad indentation'], [])).toEqual([{ message: 'YAML: bad indentation' }]);
  });

  it('lists nothing when everything is on screen', () => {
    expect(unshownProblems(issues, [], issues.map((i) => i.message))).toEqual([]);
  });
});
