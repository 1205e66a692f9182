import { describe, expect, it } from 'vitest';
import { copyName } from '../../../src-shared/recipe/copy-name.js';
import { RecipeSchema } from '../../../src-shared/recipe/recipe-schema.js';

describe('copyName', () => {
  it('adds -copy, then numbers until the name is free', () => {
    expect(copyName('web', ['web'])).toBe('web-copy');
    expect(copyName('web', ['web', 'web-copy'])).toBe('web-copy-2');
    expect(copyName('web', ['web', 'web-copy', 'web-copy-2'])).toBe('web-copy-3');
  });

  it('stays a valid recipe name when the original is as long as a name may be', () => {
    const long = 'a'.repeat(63);
    const copy = copyName(long, [long]);
    expect(copy).toHaveLength(63);
    expect(copy.endsWith('-copy')).toBe(true);
    expect(RecipeSchema.shape.name.safeParse(copy).success).toBe(true);
    const second = copyName(long, [long, copy]);
    expect(second).toHaveLength(63);
    expect(second).not.toBe(copy);
  });
});
