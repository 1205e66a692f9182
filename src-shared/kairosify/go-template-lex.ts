// Lexer for Go templates, after Go's lex.go: the text between actions, and each action as tokens
// with the same trim markers, token rules and messages. A lexing error ends the items.
import { AppError } from '../errors/app-error.js';
import { templateError } from './go-template-error.js';
import type { TemplateValue } from './go-template-value.js';

type TokenKind =
  | 'field' | 'dot' | 'variable' | 'identifier' | 'keyword' | 'string' | 'number' | 'bool' | 'nil'
  | 'pipe' | 'lparen' | 'rparen' | 'comma' | 'declare' | 'assign';

/** `spaced`: whitespace precedes the token (Go needs it between operands, forbids it inside `.A.B`). */
export interface Token { readonly kind: TokenKind; readonly text: string; readonly value?: TemplateValue; readonly spaced: boolean }
export interface ActionItem { readonly kind: 'action'; readonly at: number; readonly tokens: readonly Token[] }

export type Item = { readonly kind: 'text'; readonly text: string } | ActionItem | { readonly kind: 'error'; readonly error: AppError };

type Lexed = Omit<Token, 'text' | 'spaced'> & { readonly end: number };

type Fail = (message: string) => never;

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const SINGLE: Readonly<Record<string, TokenKind>> = { '|': 'pipe', '(': 'lparen', ')': 'rparen', ',': 'comma', '=': 'assign' };
const ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"',
};
const HEX_WIDTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const NUMBER = /[+-]?(?:0[xX][\da-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/y;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /^[\p{L}\p{Nd}_]$/u.test(c);

const hasLeftTrim = (source: string, p: number): boolean => source[p] === '-' && isSpace(source[p + 1]);

/** Length of the closing delimiter at p: 2 for `}}`, 4 for ` -}}`, 0 if none. */
function rightDelimAt(source: string, p: number): number {
  if (source.startsWith('}}', p)) return 2;
  return isSpace(source[p]) && source[p + 1] === '-' && source.startsWith('}}', p + 2) ? 4 : 0;
}

/** Go's atTerminator: what may follow a field, variable or identifier. */
function atTerminator(source: string, p: number): boolean {
  const c = source[p];
  return c === undefined || isSpace(c) || '.,|:()'.includes(c) || source.startsWith('}}', p);
}

export function lexTemplate(source: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  let trimNext = false;
  for (;;) {
    const open = source.indexOf('{{', pos);
    let text = source.slice(pos, open < 0 ? source.length : open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (open >= 0 && hasLeftTrim(source, open + 2)) text = text.replace(/[ \t\r\n]+$/, '');
    if (text !== '') items.push({ kind: 'text', text });
    if (open < 0) return items;
    try {
      const action = lexAction(source, open);
      if (action.tokens) items.push({ kind: 'action', at: open, tokens: action.tokens });
      pos = action.end;
      trimNext = action.trimRight;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      items.push({ kind: 'error', error });
      return items;
    }
  }
}

function lexAction(source: string, open: number): { end: number; trimRight: boolean; tokens: Token[] | undefined } {
  const fail: Fail = (message) => {
    throw templateError(source, open, message);
  };
  let p = open + 2 + (hasLeftTrim(source, open + 2) ? 2 : 0);
  if (source.startsWith('/*', p)) return lexComment(source, p, fail);
  const tokens: Token[] = [];
  let spaced = true;
  let depth = 0;
  for (;;) {
    const close = rightDelimAt(source, p);
    if (close > 0) {
      if (depth > 0) fail('unclosed left paren');
      return { end: p + close, trimRight: close === 4, tokens };
    }
    if (p >= source.length) fail('unclosed action');
    if (isSpace(source[p])) {
      p++;
      spaced = true;
      continue;
    }
    const lexed = lexToken(source, p, fail);
    depth += lexed.kind === 'lparen' ? 1 : lexed.kind === 'rparen' ? -1 : 0;
    if (depth < 0) fail('unexpected right paren');
    tokens.push({ kind: lexed.kind, text: source.slice(p, lexed.end), value: lexed.value, spaced });
    p = lexed.end;
    spaced = false;
  }
}

function lexComment(source: string, p: number, fail: Fail): { end: number; trimRight: boolean; tokens: undefined } {
  const close = source.indexOf('*/', p + 2);
  if (close < 0) fail('unclosed comment');
  const delim = rightDelimAt(source, close + 2);
  if (delim === 0) fail('comment ends before closing delimiter');
  return { end: close + 2 + delim, trimRight: delim === 4, tokens: undefined };
}

function lexToken(source: string, p: number, fail: Fail): Lexed {
  const c = source[p] ?? '';
  const single = SINGLE[c];
  if (single) return { kind: single, end: p + 1 };
  if (c === ':') return source[p + 1] === '=' ? { kind: 'declare', end: p + 2 } : fail('expected :=');
  if (c === '"') return lexQuote(source, p, fail);
  if (c === '`') return lexRawQuote(source, p, fail);
  if (c === '$') return lexWord(source, p, p + 1, fail, 'variable');
  if (c === '.' && !isDigit(source[p + 1])) return lexWord(source, p, p + 1, fail, 'field');
  if (c === '+' || c === '-' || c === '.' || isDigit(c)) return lexNumber(source, p, fail);
  if (c === "'") fail('character constants are not supported; use a string');
  if (c === '/' && source[p + 1] === '*') fail('a comment must start right after "{{" (or "{{- ") and end right before "}}" (or " -}}")');
  if (/^[\p{L}_]$/u.test(c)) return lexWord(source, p, p, fail, 'identifier');
  return fail(`unexpected ${JSON.stringify(c)} in action`);
}

/** A variable (`$x`, `$`), a field (`.X`, or `.` alone) or an identifier (keyword, constant, function). */
function lexWord(source: string, start: number, p: number, fail: Fail, kind: 'variable' | 'field' | 'identifier'): Lexed {
  let end = p;
  while (isAlnum(source[end])) end++;
  const word = source.slice(start, end);
  if (!atTerminator(source, end)) fail(`bad character ${JSON.stringify(source[end])} after ${JSON.stringify(word)}`);
  if (kind === 'field') return { kind: end === p ? 'dot' : 'field', end };
  if (kind === 'variable') return { kind, end };
  if (word === 'true' || word === 'false') return { kind: 'bool', end, value: word === 'true' };
  if (word === 'nil') return { kind: 'nil', end, value: null };
  return { kind: KEYWORDS.has(word) ? 'keyword' : 'identifier', end };
}

function lexNumber(source: string, p: number, fail: Fail): Lexed {
  NUMBER.lastIndex = p;
  const match = NUMBER.exec(source);
  let end = match ? p + match[0].length : p + 1;
  const bad = !match || isAlnum(source[end]) || source[end] === '.';
  while (isAlnum(source[end]) || source[end] === '.') end++;
  const text = source.slice(p, end);
  const value = bad ? undefined : numberValue(text);
  return value === undefined ? fail(`bad number syntax: ${JSON.stringify(text)}`) : { kind: 'number', end, value };
}

function numberValue(text: string): number | undefined {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '').replaceAll('_', '');
  if (/^0\d+$/.test(body)) return /^0[0-7]+$/.test(body) ? sign * parseInt(body, 8) : undefined;
  const value = Number(body);
  return Number.isNaN(value) ? undefined : sign * value;
}

function lexQuote(source: string, p: number, fail: Fail): Lexed {
  let q = p + 1;
  for (;;) {
    const c = source[q];
    if (c === '\\' && source[q + 1] !== undefined && source[q + 1] !== '\n') q += 2;
    else if (c === undefined || c === '\n' || c === '\\') fail('unterminated quoted string');
    else if (c === '"') break;
    else q++;
  }
  return { kind: 'string', end: q + 1, value: unquote(source.slice(p + 1, q), fail) };
}

function unquote(body: string, fail: Fail): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i] ?? '';
    const simple = ESCAPES[e];
    const width = HEX_WIDTH[e];
    if (simple !== undefined) {
      out += simple;
    } else if (width !== undefined && /^[\da-fA-F]+$/.test(body.slice(i + 1, i + 1 + width)) && body.length > i + width) {
      const code = parseInt(body.slice(i + 1, i + 1 + width), 16);
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) fail(`invalid escape "\\${e}" in quoted string`);
      out += String.fromCodePoint(code);
      i += width;
    } else if (/^[0-7]{3}$/.test(body.slice(i, i + 3)) && parseInt(body.slice(i, i + 3), 8) < 256) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      fail(`invalid escape "\\${e}" in quoted string`);
    }
  }
  return out;
}

function lexRawQuote(source: string, p: number, fail: Fail): Lexed {
  const close = source.indexOf('`', p + 1);
  if (close < 0) fail('unterminated raw quoted string');
  return { kind: 'string', end: close + 1, value: source.slice(p + 1, close).replaceAll('\r', '') };
}
