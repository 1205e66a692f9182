// Evaluation of a parsed Go template: a walker that keeps a dot value and a variable stack as Go's
// exec.go does. Missing values print as "" (like the Kairos operator), not Go's "<no value>".
import { callBuiltin, type Thunk } from './go-template-builtins.js';
import { fail, type ErrorSite } from './go-template-error.js';
import { formatValue } from './go-template-format.js';
import type { Command, ControlNode, Operand, Pipe, TemplateNode } from './go-template-nodes.js';
import { goType, isList, isMap, truth, type TemplateMap, type TemplateValue } from './go-template-value.js';

interface State extends ErrorSite {
  readonly vars: { readonly name: string; value: TemplateValue }[];
  readonly out: string[];
  /** Offset of the action being evaluated, for error positions. */
  at: number;
}

class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

export function evaluateTemplate(source: string, nodes: readonly TemplateNode[], data: TemplateMap): string {
  const state: State = { source, vars: [{ name: '$', value: data }], out: [], at: 0 };
  walk(state, data, nodes);
  return state.out.join('');
}

function walk(s: State, dot: TemplateValue, nodes: readonly TemplateNode[]): void {
  for (const node of nodes) {
    switch (node.kind) {
      case 'text':
        s.out.push(node.text);
        break;
      case 'action': {
        s.at = node.at;
        const value = evalPipe(s, dot, node.pipe, true);
        if (node.pipe.decl.length === 0) s.out.push(value === null || value === undefined ? '' : formatValue(value));
        break;
      }
      case 'if':
      case 'with': {
        const mark = s.vars.length;
        s.at = node.at;
        const value = evalPipe(s, dot, node.pipe, true);
        if (truth(value)) walk(s, node.kind === 'with' ? value : dot, node.list);
        else if (node.elseList) walk(s, dot, node.elseList);
        s.vars.length = mark;
        break;
      }
      case 'range':
        walkRange(s, dot, node);
        break;
      case 'break':
      case 'continue':
        throw new LoopSignal(node.kind);
    }
  }
}

function walkRange(s: State, dot: TemplateValue, node: ControlNode): void {
  const mark = s.vars.length;
  s.at = node.at;
  // Like Go, the declared variables first hold the whole value, then each key and element.
  const entries = rangeEntries(s, evalPipe(s, dot, node.pipe, true), node.pipe.decl.length);
  const inner = s.vars.length;
  if (entries.length === 0 && node.elseList) walk(s, dot, node.elseList);
  const [first, second] = node.pipe.decl;
  for (const [key, element] of entries) {
    s.vars.length = inner;
    if (second !== undefined) setVariable(s, second, element);
    if (first !== undefined) setVariable(s, first, second === undefined ? element : key);
    if (walkIteration(s, element, node.list) === 'break') break;
  }
  s.vars.length = mark;
}

function walkIteration(s: State, dot: TemplateValue, nodes: readonly TemplateNode[]): 'break' | 'continue' | undefined {
  try {
    walk(s, dot, nodes);
    return undefined;
  } catch (error) {
    if (error instanceof LoopSignal) return error.kind;
    throw error;
  }
}

/** [key, element] pairs: arrays by index, maps by sorted key, integers 0…n-1 (Go 1.22). */
function rangeEntries(s: State, value: TemplateValue, declared: number): [TemplateValue, TemplateValue][] {
  if (value === null || value === undefined) return [];
  if (isList(value)) return value.map((element, i) => [i, element]);
  if (isMap(value)) return Object.keys(value).sort().map((key) => [key, value[key]]);
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (declared > 1) fail(s, `can't use ${value} to iterate over more than one variable`);
    return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
  }
  return fail(s, `range can't iterate over ${formatValue(value)}`);
}

function evalPipe(s: State, dot: TemplateValue, pipe: Pipe, declare: boolean): TemplateValue {
  let value: TemplateValue;
  pipe.commands.forEach((command, i) => {
    value = evalCommand(s, dot, command, i === 0 ? undefined : { value });
  });
  if (!declare) return value;
  for (const name of pipe.decl) {
    if (pipe.assign) setVariable(s, name, value);
    else s.vars.push({ name, value });
  }
  return value;
}

function evalCommand(s: State, dot: TemplateValue, command: Command, final: { value: TemplateValue } | undefined): TemplateValue {
  const [head, ...args] = command.operands;
  if (head === undefined) return fail(s, 'empty command');
  if (head.kind === 'function') {
    // Like Go: only the fmt-style functions take `any`; the others cannot receive a literal nil.
    const takesNil = ['print', 'println', 'printf', 'html', 'js', 'urlquery'].includes(head.name);
    if (!takesNil && args.some((arg) => arg.kind === 'constant' && arg.value === null)) fail(s, `cannot pass nil to ${head.name}`);
    const thunks: Thunk[] = args.map((arg) => () => evalOperand(s, dot, arg));
    if (final) thunks.push(() => final.value);
    return callBuiltin(head.name, s, thunks);
  }
  if (args.length > 0 || final) fail(s, `can't give argument to non-function ${head.text}`);
  if (head.kind === 'constant' && head.value === null) fail(s, 'nil is not a command');
  return evalOperand(s, dot, head);
}

function evalOperand(s: State, dot: TemplateValue, operand: Operand): TemplateValue {
  switch (operand.kind) {
    case 'constant':
      return operand.value;
    case 'function':
      return callBuiltin(operand.name, s, []);
    case 'field':
      return fieldPath(s, dot, operand.path);
    case 'variable':
      return fieldPath(s, variable(s, operand.name), operand.path);
    case 'pipeline':
      return fieldPath(s, evalPipe(s, dot, operand.pipe, true), operand.path);
  }
}

/** A missing key, or a field of a missing value, is undefined; a field of a non-map is an error. */
function fieldPath(s: State, value: TemplateValue, path: readonly string[]): TemplateValue {
  let current = value;
  for (const name of path) {
    if (current === null || current === undefined) return undefined;
    if (!isMap(current)) fail(s, `can't evaluate field ${name} in type ${goType(current)}`);
    current = Object.hasOwn(current, name) ? current[name] : undefined;
  }
  return current;
}

function variable(s: State, name: string): TemplateValue {
  const found = s.vars.findLast((v) => v.name === name);
  return found ? found.value : fail(s, `undefined variable ${JSON.stringify(name)}`);
}

function setVariable(s: State, name: string, value: TemplateValue): void {
  const found = s.vars.findLast((v) => v.name === name);
  if (!found) fail(s, `undefined variable ${JSON.stringify(name)}`);
  found.value = value;
}
