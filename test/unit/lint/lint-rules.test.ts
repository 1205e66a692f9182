// The lint configuration catches a floating promise: the rule runs with type information on the
// project's files (a fixture that the normal lint run ignores is linted here on purpose).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

describe('lint rules', () => {
  it('fails on a floating promise and accepts awaited, voided and handled ones', { timeout: 120_000 }, async () => {
    const eslint = new ESLint({ ignore: false });
    const [result] = await eslint.lintFiles(['test/fixtures/lint/floating-promise.ts']);
    const floating = (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises');
    expect(floating.map((m) => m.line)).toEqual([8]);
    expect(result?.errorCount).toBe(1);
  });
});
