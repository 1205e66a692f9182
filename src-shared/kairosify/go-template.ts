// Renders the subset of Go's text/template that the Kairos operator's OSArtifact Dockerfile
// templates use: values, if/else, with, range, variables and the builtin functions. Named
// templates (define, template, block) are rejected. This module is the API; behind it are the lexer
// (go-template-lex.ts), the parser (go-template-parse.ts) to the tree (go-template-nodes.ts), the
// evaluator (go-template-eval.ts) with the builtin functions (go-template-builtins.ts), the value
// model (go-template-value.ts), fmt-style printing (go-template-format.ts), escaping
// (go-template-escape.ts) and the positioned error (go-template-error.ts).
import { evaluateTemplate } from './go-template-eval.js';
import type { Operand, Pipe, TemplateNode } from './go-template-nodes.js';
import { parseTemplate } from './go-template-parse.js';
import type { TemplateValue } from './go-template-value.js';

export type { TemplatePosition } from './go-template-error.js';
export type { TemplateValue } from './go-template-value.js';

type TemplateValues = { readonly [key: string]: TemplateValue };

/** Renders text; throws AppError('recipe-invalid', ...) with "line L, column C" in the message for any syntax error or forbidden action. */
export function renderGoTemplate(text: string, data: TemplateValues): string {
  return evaluateTemplate(text, parseTemplate(text), data);
}

/**
 * Merges template values: values from a file first, inline values override them (shallow, per
 * top-level key). An inline key whose value is undefined does not hide the file's value.
 */
export function mergeTemplateValues(
  fromFile: TemplateValues | undefined,
  inline: TemplateValues | undefined,
): { [key: string]: TemplateValue } {
  const merged: { [key: string]: TemplateValue } = { ...fromFile };
  for (const [key, value] of Object.entries(inline ?? {})) {
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/**
 * Names of the top-level values a template reads (`.Name`, `.Name.Sub` -> "Name"), for a UI that
 * asks for them, in order of first use. Counts `.X` where dot is the root data, `$.X`, and
 * `index . "X"` / `index $ "X"`. Throws like renderGoTemplate when the template does not parse.
 */
export function templateValueNames(text: string): string[] {
  const names = new Set<string>();
  collectFromNodes(parseTemplate(text), true, names);
  return [...names];
}

function collectFromNodes(nodes: readonly TemplateNode[], dotIsRoot: boolean, names: Set<string>): void {
  for (const node of nodes) {
    if (node.kind === 'action') collectFromPipe(node.pipe, dotIsRoot, names);
    if (node.kind !== 'if' && node.kind !== 'with' && node.kind !== 'range') continue;
    collectFromPipe(node.pipe, dotIsRoot, names);
    // with and range move dot into the value; their else branches keep the outer dot.
    collectFromNodes(node.list, dotIsRoot && node.kind === 'if', names);
    if (node.elseList) collectFromNodes(node.elseList, dotIsRoot, names);
  }
}

function collectFromPipe(pipe: Pipe, dotIsRoot: boolean, names: Set<string>): void {
  for (const { operands } of pipe.commands) {
    const [head, item, key] = operands;
    if (head?.kind === 'function' && head.name === 'index' && item && isRoot(item, dotIsRoot) && key?.kind === 'constant') {
      if (typeof key.value === 'string') names.add(key.value);
    }
    for (const operand of operands) collectFromOperand(operand, dotIsRoot, names);
  }
}

function collectFromOperand(operand: Operand, dotIsRoot: boolean, names: Set<string>): void {
  if (operand.kind === 'pipeline') collectFromPipe(operand.pipe, dotIsRoot, names);
  const rootPath = operand.kind === 'field' && dotIsRoot ? operand.path : operand.kind === 'variable' && operand.name === '$' ? operand.path : [];
  if (rootPath[0] !== undefined) names.add(rootPath[0]);
}

function isRoot(operand: Operand, dotIsRoot: boolean): boolean {
  if (operand.kind === 'field') return dotIsRoot && operand.path.length === 0;
  return operand.kind === 'variable' && operand.name === '$' && operand.path.length === 0;
}
