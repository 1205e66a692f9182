// Values, errors and evaluation for Go templates: the value model, the positioned AppError that
// parsing and evaluation both throw, the builtin functions, and a walker that keeps a dot value and
// a variable stack as Go's exec.go does. Missing values print as "" (like the Kairos operator), not
// Go's "<no value>"; len and index treat a missing value as empty instead of failing.
import { AppError } from '../errors/app-error.js';
import type { Command, ControlNode, Operand, Pipe, TemplateNode } from './go-template-parse.js';

export type TemplateValue = string | number | boolean | null | undefined | ReadonlyArray<TemplateValue> | { readonly [key: string]: TemplateValue };
export interface TemplatePosition { readonly line: number; readonly column: number }
type TemplateMap = { readonly [key: string]: TemplateValue };
type Thunk = () => TemplateValue;

interface State {
  readonly source: string;
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

const GENERAL_HINT = 'The Dockerfile template uses Go text/template syntax; fix the action at that position.';

/** 1-based line and column of an offset in the template text. */
export function positionAt(source: string, offset: number): TemplatePosition {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The error for a bad action: its position first, then what is wrong. */
export function templateError(source: string, at: number, message: string, hint = GENERAL_HINT): AppError {
  const { line, column } = positionAt(source, at);
  return new AppError('recipe-invalid', `Dockerfile template, line ${line}, column ${column}: ${message}`, { hint });
}

function fail(s: State, message: string): never {
  throw templateError(s.source, s.at, message);
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
    return BUILTINS[head.name](s, thunks);
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
      return BUILTINS[operand.name](s, []);
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

// ---------------------------------------------------------------------------------------------
// Values: Go's notion of truth, kinds and fmt-style printing.

function isList(value: TemplateValue): value is ReadonlyArray<TemplateValue> {
  return Array.isArray(value);
}

function isMap(value: TemplateValue): value is TemplateMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function truth(value: TemplateValue): boolean {
  if (isList(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

function goType(value: TemplateValue): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float64';
  if (isList(value)) return '[]interface {}';
  return isMap(value) ? 'map[string]interface {}' : typeof value === 'boolean' ? 'bool' : 'string';
}

/** fmt's %v: integers in full, other numbers like %g, [a b], map[k:v] with sorted keys, <nil>. */
function formatValue(value: TemplateValue): string {
  return formatEach(value, (v) => (v === null || v === undefined ? '<nil>' : typeof v === 'number' ? goNumber(v) : String(v)));
}

/** Applies a scalar formatter through lists and maps, the way fmt applies a verb to elements. */
function formatEach(value: TemplateValue, scalar: (v: TemplateValue) => string): string {
  if (isList(value)) return `[${value.map((v) => formatEach(v, scalar)).join(' ')}]`;
  if (isMap(value)) {
    const pairs = Object.keys(value).sort().map((key) => `${scalar(key)}:${formatEach(value[key], scalar)}`);
    return `map[${pairs.join(' ')}]`;
  }
  return scalar(value);
}

function goNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  if (Number.isInteger(n)) return String(n);
  const [mantissa = '', exponent = '0'] = n.toExponential().split('e');
  const exp = Number(exponent);
  if (exp >= -4 && exp < 6) return String(n);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function utf8Length(text: string): number {
  let length = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    length += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return length;
}

// ---------------------------------------------------------------------------------------------
// Builtins. Arguments arrive as thunks so `and` and `or` can stop early, as Go's do.

type Builtin = (s: State, args: readonly Thunk[]) => TemplateValue;

function argValues(s: State, name: string, args: readonly Thunk[], min: number, max = Infinity): TemplateValue[] {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `at least ${min}`;
    fail(s, `wrong number of args for ${name}: want ${want} got ${args.length}`);
  }
  return args.map((arg) => arg());
}

function valueKind(value: TemplateValue): 'nil' | 'string' | 'number' | 'boolean' | 'list' | 'map' {
  if (value === null || value === undefined) return 'nil';
  if (isList(value)) return 'list';
  if (isMap(value)) return 'map';
  return typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : 'boolean';
}

function equal(s: State, a: TemplateValue, b: TemplateValue): boolean {
  const ka = valueKind(a);
  const kb = valueKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) fail(s, 'error calling eq: incompatible types for comparison');
  if (ka === 'list' || ka === 'map') fail(s, `error calling eq: non-comparable type ${goType(a)}`);
  return a === b;
}

function compare(s: State, name: string, args: readonly Thunk[]): number {
  const [a, b] = argValues(s, name, args, 2, 2);
  const ka = valueKind(a);
  const kb = valueKind(b);
  const scalar = (k: string): boolean => k === 'string' || k === 'number' || k === 'boolean';
  if (!scalar(ka) || !scalar(kb)) fail(s, `error calling ${name}: invalid type for comparison`);
  if (ka !== kb) fail(s, `error calling ${name}: incompatible types for comparison`);
  if (ka === 'boolean') fail(s, `error calling ${name}: invalid type for comparison`);
  return (a as string | number) < (b as string | number) ? -1 : a === b ? 0 : 1;
}

function indexOne(s: State, item: TemplateValue, key: TemplateValue): TemplateValue {
  if (item === null || item === undefined) return undefined;
  if (isList(item)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) fail(s, `error calling index: cannot index slice/array with type ${goType(key)}`);
    if (key < 0 || key >= item.length) fail(s, `error calling index: index out of range: ${key}`);
    return item[key];
  }
  if (isMap(item)) {
    if (typeof key !== 'string') fail(s, `error calling index: value has type ${goType(key)}; should be string`);
    return Object.hasOwn(item, key) ? item[key] : undefined;
  }
  return fail(s, `error calling index: can't index item of type ${goType(item)}`);
}

/** fmt.Sprint: a space between operands when neither is a string. */
function sprint(values: readonly TemplateValue[]): string {
  return values
    .map((v, i) => (i > 0 && typeof v !== 'string' && typeof values[i - 1] !== 'string' ? ' ' : '') + formatValue(v))
    .join('');
}

/** Go's evalArgs for html, js and urlquery: one string as is, anything else through Sprint. */
function textOf(values: readonly TemplateValue[]): string {
  const [only] = values;
  return values.length === 1 && typeof only === 'string' ? only : sprint(values);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\0': '\uFFFD',
};
const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D',
};
const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"', '\\': '\\\\', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v',
};

function escapeChars(text: string, table: Readonly<Record<string, string>>, control: (code: number) => string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out += Object.hasOwn(table, ch) ? table[ch] : code < 0x20 || code === 0x7f ? control(code) : ch;
  }
  return out;
}

const hex = (code: number, width: number): string => code.toString(16).toUpperCase().padStart(width, '0');
const goQuote = (text: string): string => `"${escapeChars(text, QUOTE_ESCAPES, (c) => `\\x${hex(c, 2).toLowerCase()}`)}"`;

function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${hex(c.charCodeAt(0), 2)}`)
    .replaceAll('%20', '+');
}

const bad = (verb: string, v: TemplateValue): string =>
  v === null || v === undefined ? `%!${verb}(<nil>)` : `%!${verb}(${goType(v)}=${formatValue(v)})`;

const VERBS: Readonly<Record<string, (v: TemplateValue, precision: number | undefined) => string>> = {
  v: (v) => formatValue(v),
  s: (v, p) => formatEach(v, (x) => (typeof x === 'string' ? x.slice(0, p ?? x.length) : bad('s', x))),
  q: (v) => formatEach(v, (x) => (typeof x === 'string' ? goQuote(x) : bad('q', x))),
  d: (v) => formatEach(v, (x) => (typeof x === 'number' && Number.isInteger(x) ? String(x) : bad('d', x))),
  t: (v) => formatEach(v, (x) => (typeof x === 'boolean' ? String(x) : bad('t', x))),
  f: (v, p) => formatEach(v, (x) => (typeof x === 'number' ? x.toFixed(p ?? 6) : bad('f', x))),
};

/** fmt.Sprintf for %v %s %q %d %t %f and %%, with flags "-" and "0", width and precision. */
function sprintf(format: string, args: readonly TemplateValue[]): string {
  let next = 0;
  const directive = /%([-+# 0]*)(\d*)(?:\.(\d*))?([a-zA-Z%]?)/g;
  const out = format.replace(directive, (_match, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (verb === '') return '%!(NOVERB)';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const value = args[next++];
    const formatter = VERBS[verb];
    const text = formatter ? formatter(value, precision === undefined ? undefined : Number(precision)) : bad(verb, value);
    const size = Number(width);
    if (flags.includes('-')) return text.padEnd(size);
    if (flags.includes('0') && typeof value === 'number' && text.startsWith('-')) return `-${text.slice(1).padStart(size - 1, '0')}`;
    return text.padStart(size, flags.includes('0') && typeof value === 'number' ? '0' : ' ');
  });
  const extra = args.slice(next).map((v) => (v === null || v === undefined ? '<nil>' : `${goType(v)}=${formatValue(v)}`));
  return extra.length > 0 ? `${out}%!(EXTRA ${extra.join(', ')})` : out;
}

export type BuiltinName = keyof typeof BUILTINS;

export function isBuiltin(name: string): name is BuiltinName {
  return Object.hasOwn(BUILTINS, name);
}

const BUILTINS = {
  and: (s, args) => {
    if (args.length === 0) fail(s, 'wrong number of args for and: want at least 1 got 0');
    let value: TemplateValue;
    for (const arg of args) if (!truth((value = arg()))) return value;
    return value;
  },
  or: (s, args) => {
    if (args.length === 0) fail(s, 'wrong number of args for or: want at least 1 got 0');
    let value: TemplateValue;
    for (const arg of args) if (truth((value = arg()))) return value;
    return value;
  },
  not: (s, args) => !truth(argValues(s, 'not', args, 1, 1)[0]),
  len: (s, args) => {
    const [value] = argValues(s, 'len', args, 1, 1);
    if (value === null || value === undefined) return 0;
    if (typeof value === 'string') return utf8Length(value);
    if (isList(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    return fail(s, `error calling len: len of type ${goType(value)}`);
  },
  index: (s, args) => {
    const [item, ...keys] = argValues(s, 'index', args, 1);
    return keys.reduce<TemplateValue>((value, key) => indexOne(s, value, key), item);
  },
  eq: (s, args) => {
    const [first, ...others] = argValues(s, 'eq', args, 1);
    if (others.length === 0) fail(s, 'error calling eq: missing argument for comparison');
    return others.some((other) => equal(s, first, other));
  },
  ne: (s, args) => {
    const [a, b] = argValues(s, 'ne', args, 2, 2);
    return !equal(s, a, b);
  },
  lt: (s, args) => compare(s, 'lt', args) < 0,
  le: (s, args) => compare(s, 'le', args) <= 0,
  gt: (s, args) => compare(s, 'gt', args) > 0,
  ge: (s, args) => compare(s, 'ge', args) >= 0,
  print: (s, args) => sprint(argValues(s, 'print', args, 0)),
  println: (s, args) => `${argValues(s, 'println', args, 0).map(formatValue).join(' ')}\n`,
  printf: (s, args) => {
    const [format, ...rest] = argValues(s, 'printf', args, 1);
    if (typeof format !== 'string') fail(s, `error calling printf: format must be a string, not ${goType(format)}`);
    return sprintf(format, rest);
  },
  html: (s, args) => escapeChars(textOf(argValues(s, 'html', args, 0)), HTML_ESCAPES, (c) => String.fromCharCode(c)),
  js: (s, args) => escapeChars(textOf(argValues(s, 'js', args, 0)), JS_ESCAPES, (c) => (c === 0x7f ? '\x7f' : `\\u${hex(c, 4)}`)),
  urlquery: (s, args) => queryEscape(textOf(argValues(s, 'urlquery', args, 0))),
} as const satisfies Readonly<Record<string, Builtin>>;
