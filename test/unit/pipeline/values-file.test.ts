// A template values file holds secrets: its errors name the file, line and column, never a line of it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readValuesFile } from '../../../src-main/pipeline/source.js';
import { AppError } from '../../../src-shared/errors/app-error.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-values-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readValuesFile', () => {
  it('reads a mapping of values', async () => {
    const path = join(dir, 'ok.yaml');
    await writeFile(path, 'Greeting: hello\nCount: 3\n');
    expect(await readValuesFile(path)).toEqual({ Greeting: 'hello', Count: 3 });
  });

  it('names the position of a YAML error without quoting the file', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'Password: hunter2-secret\nToken: [s3cr3t-token\n  other: x\n');
    const error = await readValuesFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const data = (error as AppError).toJSON();
    expect(data.code).toBe('recipe-invalid');
    expect(data.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+ is not valid YAML: `));
    expect(JSON.stringify(data)).not.toMatch(/hunter2|s3cr3t/);
  });
});
