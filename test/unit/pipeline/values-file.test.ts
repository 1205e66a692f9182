// A template values file holds secrets: its errors name the file, line and column, never a line of it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readValuesFile } from '../../../src-main/pipeline/source.js';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { useTempFolder } from '../temp-folder.js';

const folder = useTempFolder('kf-values-');

describe('readValuesFile', () => {
  it('reads a mapping of values', async () => {
    const path = join(folder(), 'ok.yaml');
    await writeFile(path, 'Greeting: hello\nCount: 3\n');
    expect(await readValuesFile(path)).toEqual({ Greeting: 'hello', Count: 3 });
  });

  it('names the position of a YAML error without quoting the file', async () => {
    const path = join(folder(), 'bad.yaml');
    await writeFile(path, 'Password: hunter2-secret\nToken: [s3cr3t-token\n  other: x\n');
    const error = await readValuesFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const data = (error as AppError).toJSON();
    expect(data.code).toBe('recipe-invalid');
    expect(data.message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2:\\d+ is not valid YAML: `));
    expect(JSON.stringify(data)).not.toMatch(/hunter2|s3cr3t/);
  });
});
