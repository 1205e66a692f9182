// Reading a Recipe from YAML text: every problem names the field, where it is in the file, and,
// for a misspelled key, the key that was probably meant.
import { closest, distance } from 'fastest-levenshtein';
import { LineCounter, isMap, parseDocument, stringify } from 'yaml';
import type { z } from 'zod';
import { RecipeSchema, type Recipe } from './recipe-schema.js';

export interface RecipeIssue {
  /** Dotted path of the offending field ("kairosify.method"), "" for the whole document. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type RecipeParseResult =
  | { readonly ok: true; readonly recipe: Recipe }
  | { readonly ok: false; readonly issues: ReadonlyArray<RecipeIssue> };

/** One line per issue: "file:line:col: path: message". */
export function formatRecipeIssue(issue: RecipeIssue, fileName = 'recipe'): string {
  const where = issue.line !== undefined ? `${fileName}:${issue.line}:${issue.column ?? 1}` : fileName;
  return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

export function parseRecipeYaml(text: string): RecipeParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { path: '', message: `YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col };
      }),
    };
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, issues: [{ path: '', message: 'a recipe is a YAML mapping (key: value lines)', line: 1, column: 1 }] };
  }
  const result = validateRecipe(value);
  if (result.ok) return result;
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const segments = issue.path === '' ? [] : issue.path.split('.');
      const node = locate(doc, segments, issue.unknownKey);
      if (!node) return issue.base;
      const pos = lineCounter.linePos(node);
      return { ...issue.base, line: pos.line, column: pos.col };
    }),
  };
}

interface LocatedIssue {
  readonly path: string;
  readonly unknownKey?: string;
  readonly base: RecipeIssue;
}

/** Validates an already-parsed object (the wizard's state, a JSON request). */
export function validateRecipe(
  value: unknown,
): { readonly ok: true; readonly recipe: Recipe } | { readonly ok: false; readonly issues: ReadonlyArray<LocatedIssue> } {
  const parsed = RecipeSchema.safeParse(value);
  if (parsed.success) return { ok: true, recipe: parsed.data };
  const issues: LocatedIssue[] = [];
  for (const issue of parsed.error.issues) {
    const parent = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const path = [...parent, key].join('.');
        issues.push({ path, unknownKey: key, base: { path, message: unknownKeyMessage(key, knownKeys(parent)) } });
      }
      continue;
    }
    const path = parent.join('.');
    issues.push({ path, base: { path, message: friendlyMessage(issue, valueAt(value, issue.path)) } });
  }
  return { ok: false, issues };
}

/** Validates, throwing a readable multi-line error: for callers that hold trusted data. */
export function recipeIssuesOf(value: unknown): ReadonlyArray<RecipeIssue> {
  const result = validateRecipe(value);
  return result.ok ? [] : result.issues.map((i) => i.base);
}

/** Where a field (dotted path) is in a recipe file: its node, or the nearest parent the file has. */
export function fieldPosition(text: string, path: string): { readonly line: number; readonly column: number } | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) return undefined;
  const node = locate(doc, path === '' ? [] : path.split('.'));
  if (node === undefined) return undefined;
  const pos = lineCounter.linePos(node);
  return { line: pos.line, column: pos.col };
}

export function recipeToYaml(recipe: Recipe): string {
  return stringify(recipe, { lineWidth: 0, blockQuote: 'literal' });
}

function unknownKeyMessage(key: string, known: ReadonlyArray<string>): string {
  if (known.length === 0) return 'unknown field';
  const guess = closest(key, [...known]);
  const close = distance(key.toLowerCase(), guess.toLowerCase()) <= Math.max(2, Math.floor(guess.length / 3));
  return close
    ? `unknown field; did you mean "${guess}"?`
    : `unknown field; expected one of: ${known.join(', ')}`;
}

/** The value the user wrote at a path (zod does not report it), undefined when absent. */
function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** zod's own wording starts with a capital ("Too small: ..."); the schema's sentences do not. */
const ZOD_DEFAULT = /^Too (small|big)\b/;

/** A sentence for a schema issue: never zod's own wording ("Too small: expected string to have >=1 characters"). */
function friendlyMessage(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_type':
      if (input === undefined) return 'is required';
      // YAML reads `version: 1.0` as the number 1: a quoted value stays text.
      if (issue.expected === 'string' && (typeof input === 'number' || typeof input === 'boolean')) {
        const example = issue.path.at(-1) === 'version' ? ' such as "v1.0.0"' : '';
        return `must be text${example}, but YAML reads it as the ${typeof input} ${String(input)}; quote it`;
      }
      return `must be ${article(issue.expected)}`;
    case 'too_small':
      if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
      if (issue.origin === 'string') return 'is empty: give a value, or leave the field out';
      if (issue.origin === 'array') return `needs at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      if (!ZOD_DEFAULT.test(issue.message)) return issue.message;
      return issue.origin === 'string' ? `is too long: at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'is not valid here: see examples/ for the forms this field takes';
    default:
      // Custom rules and regexes carry our own sentences.
      return issue.message;
  }
}

function article(expected: string): string {
  if (expected === 'array') return 'a list';
  if (expected === 'object') return 'a mapping';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** The keys the schema accepts at a path, for "did you mean" (all options of a union). */
function knownKeys(path: ReadonlyArray<string>): ReadonlyArray<string> {
  let schemas: unknown[] = [RecipeSchema];
  for (const segment of path) {
    schemas = schemas.flatMap(unwrap).flatMap((schema) => {
      const shape = (schema as { shape?: Record<string, unknown> }).shape;
      return shape?.[segment] !== undefined ? [shape[segment]] : [];
    });
  }
  const keys = new Set<string>();
  for (const schema of schemas.flatMap(unwrap)) {
    for (const key of Object.keys((schema as { shape?: Record<string, unknown> }).shape ?? {})) keys.add(key);
  }
  return [...keys];
}

type SchemaDef = { innerType?: unknown; out?: unknown; options?: unknown[] };

/** Looks through defaults, optionals, pipes (preprocess) and unions to the object schemas. */
function unwrap(schema: unknown): unknown[] {
  const def = (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  if (!def) return [schema];
  if (def.innerType) return unwrap(def.innerType);
  if (def.out) return unwrap(def.out);
  if (def.options) return def.options.flatMap(unwrap);
  return [schema];
}

/** Offset in the text of the node for a path; for an unknown key, the key itself. */
function locate(doc: ReturnType<typeof parseDocument>, path: ReadonlyArray<string>, unknownKey?: string): number | undefined {
  const parentPath = unknownKey !== undefined ? path.slice(0, -1) : path;
  if (unknownKey !== undefined) {
    const parent = parentPath.length === 0 ? doc.contents : doc.getIn(parentPath, true);
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === unknownKey);
      const range = (pair?.key as { range?: [number, number, number] } | null)?.range;
      if (range) return range[0];
    }
  }
  // Walk down as far as the document goes: a missing field points at its parent.
  for (let depth = parentPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(parentPath.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
  }
  return undefined;
}
