// The builtin functions of Go templates (and, or, not, len, index, comparisons, print*, html, js,
// urlquery), with Go's argument checks and messages. len and index treat a missing value as empty
// instead of failing. Arguments arrive as thunks so `and` and `or` can stop early, as Go's do.
import { fail, type ErrorSite } from './go-template-error.js';
import { htmlEscape, jsEscape, queryEscape } from './go-template-escape.js';
import { formatValue, sprint, sprintf } from './go-template-format.js';
import { goType, isList, isMap, truth, valueKind, type TemplateValue } from './go-template-value.js';

export type Thunk = () => TemplateValue;
type Builtin = (s: ErrorSite, args: readonly Thunk[]) => TemplateValue;

function argValues(s: ErrorSite, name: string, args: readonly Thunk[], min: number, max = Infinity): TemplateValue[] {
  if (args.length < min || args.length > max) {
    const want = min === max ? `${min}` : `at least ${min}`;
    fail(s, `wrong number of args for ${name}: want ${want} got ${args.length}`);
  }
  return args.map((arg) => arg());
}

function equal(s: ErrorSite, a: TemplateValue, b: TemplateValue): boolean {
  const ka = valueKind(a);
  const kb = valueKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka !== kb) fail(s, 'error calling eq: incompatible types for comparison');
  if (ka === 'list' || ka === 'map') fail(s, `error calling eq: non-comparable type ${goType(a)}`);
  return a === b;
}

function compare(s: ErrorSite, name: string, args: readonly Thunk[]): number {
  const [a, b] = argValues(s, name, args, 2, 2);
  const ka = valueKind(a);
  const kb = valueKind(b);
  const scalar = (k: string): boolean => k === 'string' || k === 'number' || k === 'boolean';
  if (!scalar(ka) || !scalar(kb)) fail(s, `error calling ${name}: invalid type for comparison`);
  if (ka !== kb) fail(s, `error calling ${name}: incompatible types for comparison`);
  if (ka === 'boolean') fail(s, `error calling ${name}: invalid type for comparison`);
  return (a as string | number) < (b as string | number) ? -1 : a === b ? 0 : 1;
}

function indexOne(s: ErrorSite, item: TemplateValue, key: TemplateValue): TemplateValue {
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

function utf8Length(text: string): number {
  let length = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    length += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return length;
}

/** Go's evalArgs for html, js and urlquery: one string as is, anything else through Sprint. */
function textOf(values: readonly TemplateValue[]): string {
  const [only] = values;
  return values.length === 1 && typeof only === 'string' ? only : sprint(values);
}

export type BuiltinName = keyof typeof BUILTINS;

export function isBuiltin(name: string): name is BuiltinName {
  return Object.hasOwn(BUILTINS, name);
}

/** Calls a builtin; `s` places its errors. */
export function callBuiltin(name: BuiltinName, s: ErrorSite, args: readonly Thunk[]): TemplateValue {
  return BUILTINS[name](s, args);
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
  html: (s, args) => htmlEscape(textOf(argValues(s, 'html', args, 0))),
  js: (s, args) => jsEscape(textOf(argValues(s, 'js', args, 0))),
  urlquery: (s, args) => queryEscape(textOf(argValues(s, 'urlquery', args, 0))),
} as const satisfies Readonly<Record<string, Builtin>>;
