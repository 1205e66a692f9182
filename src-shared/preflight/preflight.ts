// The one preflight: every check a recipe passes before it is built, in one place, used by the
// wizard (Next and Review), the engine's recipe.validate (the CLI's `validate`) and build.start.
// Pure: it sees the recipe only. What needs the machine (paths that must exist or be writable,
// Docker) the engine adds to the same list (src-main/api/preflight-paths.ts).
//
// Every problem is found in one pass (the schema, the cloud-config, the Dockerfile template and
// the cross-field rules all run, whatever the others found) and sorted by line when the recipe
// came from a file.
import { LineCounter, isScalar, parseDocument } from 'yaml';
import { AppError } from '../errors/app-error.js';
import { validateCloudConfig } from '../cloud-config/cloud-config.js';
import { plainImageSeed } from '../cloud-config/plain-image.js';
import { renderGoTemplate } from '../kairosify/go-template.js';
import { parseRecipeYaml, validateRecipe, type RecipeIssue } from '../recipe/parse-recipe.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { ARTIFACT_CATALOG, RPI_ARTIFACT_MODELS } from '../recipe/catalog.js';
import { hasFramework } from '../recipe/has-framework.js';

export type Severity = 'error' | 'warning';

export interface PreflightProblem extends RecipeIssue {
  readonly severity: Severity;
}

export interface PreflightResult {
  /** No error (warnings allowed). */
  readonly ok: boolean;
  /** The validated recipe when the schema accepts it (even if other checks found errors). */
  readonly recipe: Recipe | undefined;
  /** Errors and warnings, sorted by line (those without a line last, in check order). */
  readonly problems: ReadonlyArray<PreflightProblem>;
}

export type PreflightInput = { readonly yaml: string } | { readonly recipe: unknown };

type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks a recipe (a YAML file's text, or the wizard's draft object) and lists every problem. */
export function preflight(input: PreflightInput): PreflightResult {
  const fromFile = 'yaml' in input;
  const parsed = fromFile ? parseRecipeYaml(input.yaml) : undefined;
  // A file that is not YAML, or not a mapping, has nothing more to check.
  if (parsed && !parsed.ok && parsed.issues.some((i) => i.path === '' && (i.message.startsWith('YAML') || i.message.startsWith('a recipe is')))) {
    return result(parsed.issues.map((i) => ({ ...i, severity: 'error' })), undefined);
  }
  const raw: unknown = fromFile ? parseDocument(input.yaml).toJS() : input.recipe;
  const schema = validateRecipe(raw);
  const schemaIssues: RecipeIssue[] = parsed ? (parsed.ok ? [] : [...parsed.issues]) : schema.ok ? [] : schema.issues.map((i) => i.base);
  const recipe = schema.ok ? schema.recipe : undefined;
  const place = fromFile ? embeddedPlacer(input.yaml) : undefined;
  const problems: PreflightProblem[] = [
    // The cloud-config's own checks below say the same as the schema's header and template rules, with lines.
    ...schemaIssues.filter((i) => !(i.path === 'cloudConfig' && isRecord(raw) && typeof raw.cloudConfig === 'string')).map((i) => ({ ...i, severity: 'error' as const })),
    ...(isRecord(raw) ? [...cloudConfigProblems(raw), ...dockerfileProblems(raw), ...crossFieldProblems(raw)] : []).map((p) => place?.(p) ?? p),
  ];
  return result(problems, recipe);
}

function result(problems: PreflightProblem[], recipe: Recipe | undefined): PreflightResult {
  const sorted = problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
    .map(({ p }) => p);
  return { ok: !sorted.some((p) => p.severity === 'error'), recipe, problems: sorted };
}

/** A problem as a plain issue (without its severity), for callers that list errors only. */
export function issueOf(problem: PreflightProblem): RecipeIssue {
  return {
    path: problem.path,
    message: problem.message,
    ...(problem.line !== undefined ? { line: problem.line } : {}),
    ...(problem.column !== undefined ? { column: problem.column } : {}),
  };
}

/** Adds problems found by the engine (paths, Docker) to a result, keeping the order by line. */
export function withProblems(base: PreflightResult, more: ReadonlyArray<PreflightProblem>): PreflightResult {
  return more.length === 0 ? base : result([...base.problems, ...more], base.recipe);
}

/** A problem inside an embedded text (the cloud-config, the Dockerfile): its line and column there. */
interface Embedded extends PreflightProblem {
  readonly inner?: { readonly field: ReadonlyArray<string>; readonly line: number; readonly column?: number };
}

function cloudConfigProblems(raw: Raw): Embedded[] {
  const text = raw.cloudConfig === undefined ? '#cloud-config\n' : raw.cloudConfig;
  if (typeof text !== 'string') return [];
  const kairosify = isRecord(raw.kairosify) ? (raw.kairosify as { method?: string; framework?: string }) : {};
  const plain = !hasFramework({ kairosify });
  const issues = [
    ...validateCloudConfig(text),
    // Without the framework cloud-init applies it, and renders only the machine id.
    ...(plain ? plainImageSeed(text).errors.map((e) => ({ ...e, severity: 'error' as const })) : []),
  ];
  return issues.map((i) => ({
    path: i.path ? `cloudConfig.${i.path}` : 'cloudConfig',
    severity: i.severity,
    message: `${i.line !== undefined ? `cloud-config line ${i.line}: ` : ''}${i.message}`,
    ...(i.line !== undefined ? { inner: { field: ['cloudConfig'], line: i.line } } : {}),
  }));
}

function dockerfileProblems(raw: Raw): Embedded[] {
  const source = raw.source;
  if (!isRecord(source) || source.kind !== 'dockerfile' || typeof source.dockerfile !== 'string' || source.dockerfile === '') return [];
  const values = isRecord(source.values) ? (source.values as Record<string, string>) : {};
  try {
    // With a values file, the engine renders again with its values (a missing value renders empty).
    renderGoTemplate(source.dockerfile, values);
    return [];
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const at = /^Dockerfile template, line (\d+), column (\d+): (.*)$/s.exec(error.message);
    const [line, column, message] = at ? [Number(at[1]), Number(at[2]), at[3]!] : [undefined, undefined, error.message];
    return [{
      path: 'source.dockerfile',
      severity: 'error',
      message: `${line !== undefined ? `Dockerfile line ${line}, column ${column}: ` : ''}${message}; fix the template (Go text/template syntax: {{ .Name }})`,
      ...(line !== undefined ? { inner: { field: ['source', 'dockerfile'], line, ...(column !== undefined ? { column } : {}) } } : {}),
    }];
  }
}

const PROVIDER_SUFFIX: Readonly<Record<string, RegExp>> = { k3s: /\+k0s/, k0s: /\+k3s/ };
/** Artifacts a Raspberry Pi cannot boot: it starts from its SD card's firmware, not a PC's BIOS or UEFI. */
const PC_ONLY = ['iso', 'raw-bios', 'vhd', 'gce', 'netboot'];

/** Rules between fields the schema leaves alone because they are advice or need several fields at once. */
function crossFieldProblems(raw: Raw): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const provider = isRecord(raw.provider) ? raw.provider : {};
  const name = typeof provider.name === 'string' ? provider.name : 'none';
  const version = typeof provider.version === 'string' ? provider.version : '';
  if (name === 'none' && version !== '') {
    problems.push({ path: 'provider.version', severity: 'error', message: 'a Kubernetes version needs a provider: choose k3s or k0s, or leave the version empty' });
  }
  const wrong = PROVIDER_SUFFIX[name];
  if (wrong?.test(version)) {
    problems.push({ path: 'provider.version', severity: 'error', message: `${version} is a ${name === 'k3s' ? 'k0s' : 'k3s'} release, not a ${name} one: use a ${name} version such as ${name === 'k3s' ? 'v1.33.4+k3s1' : 'v1.33.4+k0s.0'}, or leave it empty for the latest` });
  }
  const artifacts = Array.isArray(raw.artifacts) ? raw.artifacts.filter((a): a is string => typeof a === 'string') : ['iso'];
  const model = typeof raw.model === 'string' ? raw.model : 'generic';
  const arch = typeof raw.arch === 'string' ? raw.arch : 'amd64';
  if (arch === 'arm64' && artifacts.includes('raw-bios')) {
    problems.push({ path: 'artifacts', severity: 'error', message: `${label('raw-bios')} is for x86 PCs only: unselect it for arm64, and choose ${label('raw-efi')} instead` });
  }
  const pcOnly = artifacts.filter((a) => PC_ONLY.includes(a));
  if (RPI_ARTIFACT_MODELS.includes(model) && pcOnly.length > 0) {
    problems.push({ path: 'artifacts', severity: 'warning', message: `a Raspberry Pi boots from its SD card, not from ${pcOnly.map(label).join(', ')}: choose ${label('rpi')} to get a card for ${model}` });
  }
  return problems;
}

const label = (kind: string): string => {
  const entry = ARTIFACT_CATALOG.find((a) => a.id === kind);
  return entry ? `"${entry.label}" (${kind})` : kind;
};

/**
 * For a recipe read from a file: a problem inside the cloud-config or the Dockerfile gets the
 * file's line and column, when the text is a block scalar (`cloudConfig: |`) whose lines are the
 * file's; otherwise the field's own line.
 */
function embeddedPlacer(text: string): (p: Embedded) => PreflightProblem {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lines = text.split('\n');
  return ({ inner, ...problem }) => {
    const field = inner?.field ?? problem.path.split('.').slice(0, 1);
    const node = doc.getIn(field, true);
    const start = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (start === undefined) return problem;
    const at = lineCounter.linePos(start);
    const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
    if (!inner || !block) return { ...problem, line: at.line, column: at.col };
    // The block's first line follows its indicator line.
    const line = at.line + inner.line;
    const indent = /^ */.exec(lines[line - 1] ?? '')?.[0].length ?? 0;
    return { ...problem, line, column: (inner.column ?? 1) + indent };
  };
}
