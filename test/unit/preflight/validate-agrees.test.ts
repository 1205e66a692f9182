// `kairos-factory validate` and the wizard agree on every recipe of a table of good and bad files
// (test/fixtures/recipes, and the shipped examples): the CLI is run as a user runs it (argv, in
// process) with --json; the wizard's answer is what it does with the file opened as its draft:
// checkDraft (each step's Next) and the engine's recipe.validate that Review calls.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createApiServer, type ApiServer } from '../../../src-main/api/handlers.js';
import { memoryTransport } from '../../../src-main/api/memory-transport.js';
import { main } from '../../../src-main/cli/main.js';
import type { ApiTransport } from '../../../src-shared/api/contract.js';
import type { PreflightProblem } from '../../../src-shared/preflight/preflight.js';
import { STEPS, checkDraft, stepValid } from '../../../src-renderer/wizard/steps.js';

const FIXTURES = 'test/fixtures/recipes';
const files = [
  ...(await readdir(FIXTURES)).filter((f) => f.endsWith('.yaml')).map((f) => join(FIXTURES, f)),
  ...(await readdir('examples')).filter((f) => f.endsWith('.yaml')).map((f) => join('examples', f)),
];

let dir = '';
let api: ApiServer;
let client: ApiTransport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-validate-agrees-'));
  process.env.KF_DATA_DIR = join(dir, 'data');
  api = createApiServer({ dataDir: join(dir, 'data'), shell: 'web' });
  client = memoryTransport(api);
});
afterAll(async () => {
  await api.close();
  delete process.env.KF_DATA_DIR;
  await rm(dir, { recursive: true, force: true });
});

async function validateJson(file: string): Promise<{ code: number; ok: boolean; problems: PreflightProblem[] }> {
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await main(['validate', file, '--json']);
    const json = JSON.parse(out) as { ok: boolean; problems: PreflightProblem[] };
    return { code, ...json };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** What both say, without the file positions only a file has. */
const said = (problems: ReadonlyArray<{ severity?: string; path: string; message: string }>): string[] =>
  problems.map((p) => `${p.severity ?? 'error'} ${p.path}: ${p.message}`).sort();

describe('validate and the wizard agree on the same recipe files', () => {
  it('has a table with good and bad recipes', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of files) {
    it(file, async () => {
      const text = await readFile(file, 'utf8');
      const expected = /^# expect: (valid|invalid)$/m.exec(text)?.[1] ?? 'valid';

      const cli = await validateJson(file);
      expect(cli.code, JSON.stringify(cli.problems)).toBe(expected === 'valid' ? 0 : 2);
      expect(cli.ok).toBe(expected === 'valid');

      // The wizard with this file opened: each step's Next, then Review's check on the engine.
      const draft: unknown = parse(text);
      const wizard = checkDraft(draft);
      const nextEverywhere = STEPS.slice(0, STEPS.findIndex((s) => s.id === 'review')).every((s) => stepValid(wizard.issues, s));
      const review = await client.request('recipe.validate', { recipe: draft });
      expect(nextEverywhere && review.ok, JSON.stringify(review.problems)).toBe(cli.ok);

      // The same problems, said the same way (the output folder is resolved per shell, so both name it or neither).
      expect(said(review.problems).map((p) => p.replace(/ the output folder \S+/, ' the output folder'))).toEqual(
        said(cli.problems).map((p) => p.replace(/ the output folder \S+/, ' the output folder')),
      );
      // Every error a step shows is one validate prints; what only the engine finds (paths) comes on top.
      expect(said(cli.problems)).toEqual(expect.arrayContaining(said(wizard.issues)));
      expect(said(cli.problems)).toEqual(expect.arrayContaining(said(wizard.warnings)));
      // A file's problems carry their line, sorted.
      const lines = cli.problems.map((p) => p.line ?? Infinity);
      expect(lines).toEqual([...lines].sort((a, b) => a - b));
    });
  }
});
