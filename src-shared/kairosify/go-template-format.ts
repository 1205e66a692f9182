// fmt-style printing of template values: %v for output, Sprint for print, and Sprintf for printf.
import { goQuote } from './go-template-escape.js';
import { goType, isList, isMap, type TemplateValue } from './go-template-value.js';

/** fmt's %v: integers in full, other numbers like %g, [a b], map[k:v] with sorted keys, <nil>. */
export function formatValue(value: TemplateValue): string {
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

/** fmt.Sprint: a space between operands when neither is a string. */
export function sprint(values: readonly TemplateValue[]): string {
  return values
    .map((v, i) => (i > 0 && typeof v !== 'string' && typeof values[i - 1] !== 'string' ? ' ' : '') + formatValue(v))
    .join('');
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
export function sprintf(format: string, args: readonly TemplateValue[]): string {
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
