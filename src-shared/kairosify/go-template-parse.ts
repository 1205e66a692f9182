// Tokenizer and recursive-descent parser for the subset of Go's text/template that the Kairos
// operator's Dockerfile templates use. Follows Go's lexer (lex.go) and parser (parse.go): the same
// trim markers, token rules and parse-time checks, with Go's messages where practical. Named
// templates (define, template, block) are rejected on purpose.
import { AppError } from '../errors/app-error.js';
import { isBuiltin, templateError, type BuiltinName, type TemplateValue } from './go-template-eval.js';

/** A value in an action; `path` are the field names that follow it (`.A.B`, `$x.A`, `(…).A`). */
export type Operand =
  | { readonly kind: 'field'; readonly text: string; readonly path: readonly string[] }
  | { readonly kind: 'variable'; readonly text: string; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'function'; readonly text: string; readonly name: BuiltinName }
  | { readonly kind: 'constant'; readonly text: string; readonly value: TemplateValue }
  | { readonly kind: 'pipeline'; readonly text: string; readonly pipe: Pipe; readonly path: readonly string[] };

export interface Command {
  readonly operands: readonly Operand[];
}

export interface Pipe {
  /** Variables the pipeline declares (`:=`) or assigns (`=`). */
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly commands: readonly Command[];
}

export interface ControlNode {
  readonly kind: 'if' | 'with' | 'range';
  readonly at: number;
  readonly pipe: Pipe;
  readonly list: readonly TemplateNode[];
  readonly elseList: readonly TemplateNode[] | undefined;
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly at: number; readonly pipe: Pipe }
  | ControlNode
  | { readonly kind: 'break' | 'continue'; readonly at: number };

const FORBIDDEN_HINT =
  'Named templates ({{ define }}, {{ template }}, {{ block }}) are not supported: inline their content where it is used.';

// ---------------------------------------------------------------------------------------------
// Lexer: text and actions. An action is lexed to tokens, each knowing whether space preceded it.

type TokenKind =
  | 'field' | 'dot' | 'variable' | 'identifier' | 'keyword' | 'string' | 'number' | 'bool' | 'nil'
  | 'pipe' | 'lparen' | 'rparen' | 'comma' | 'declare' | 'assign';

/** `spaced`: whitespace precedes the token (Go needs it between operands, forbids it inside `.A.B`). */
interface Token { readonly kind: TokenKind; readonly text: string; readonly value?: TemplateValue; readonly spaced: boolean }
interface ActionItem { readonly kind: 'action'; readonly at: number; readonly tokens: readonly Token[] }

type Item = { readonly kind: 'text'; readonly text: string } | ActionItem | { readonly kind: 'error'; readonly error: AppError };

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

function lexTemplate(source: string): Item[] {
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

// ---------------------------------------------------------------------------------------------
// Parser: items to a tree. Variables are checked at parse time, like Go does.

interface Cursor { readonly tokens: readonly Token[]; i: number }
interface ListResult { readonly nodes: TemplateNode[]; readonly stop: ActionItem | undefined }

type ControlKind = 'if' | 'with' | 'range';

class Parser {
  private index = 0;
  private readonly vars: string[] = ['$'];
  private rangeDepth = 0;

  constructor(
    private readonly source: string,
    private readonly items: readonly Item[],
  ) {}

  parse(): TemplateNode[] {
    const { nodes, stop } = this.list();
    if (stop) throw this.error(stop.at, `unexpected {{ ${stop.tokens[0]?.text} }}`);
    return nodes;
  }

  private error(at: number, message: string, hint?: string): AppError {
    return templateError(this.source, at, message, hint);
  }

  /** Nodes up to EOF or an `{{ end }}` / `{{ else }}` action, which is returned as the stop. */
  private list(): ListResult {
    const nodes: TemplateNode[] = [];
    for (let item = this.items[this.index]; item; item = this.items[this.index]) {
      this.index++;
      if (item.kind === 'error') throw item.error;
      if (item.kind === 'text') {
        nodes.push(item);
        continue;
      }
      const word = keywordOf(item, 0);
      if (word === 'end' || word === 'else') return { nodes, stop: item };
      nodes.push(this.action(item, word));
    }
    return { nodes, stop: undefined };
  }

  private scopedList(): ListResult {
    const mark = this.vars.length;
    const result = this.list();
    this.vars.length = mark;
    return result;
  }

  private action(item: ActionItem, word: string | undefined): TemplateNode {
    switch (word) {
      case undefined:
        return { kind: 'action', at: item.at, pipe: this.pipeline(item, { tokens: item.tokens, i: 0 }, 'command', false) };
      case 'if':
      case 'with':
      case 'range':
        return this.control(word, item, 1);
      case 'break':
      case 'continue':
        if (this.rangeDepth === 0) throw this.error(item.at, `{{ ${word} }} outside {{ range }}`);
        this.expectNothing(item, 1, word);
        return { kind: word, at: item.at };
      default:
        throw this.error(item.at, `{{ ${word} }} is not allowed (only values, if/else, range and with are)`, FORBIDDEN_HINT);
    }
  }

  private control(kind: ControlKind, item: ActionItem, start: number): TemplateNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(item, { tokens: item.tokens, i: start }, kind, false);
    if (kind === 'range') this.rangeDepth++;
    const body = this.scopedList();
    if (kind === 'range') this.rangeDepth--;
    const elseItem = body.stop && keywordOf(body.stop, 0) === 'else' ? body.stop : undefined;
    const { elseList, end } = elseItem ? this.elseBranch(kind, elseItem) : { elseList: undefined, end: body.stop };
    if (end !== null) {
      if (!end) throw this.error(item.at, `missing {{ end }} for {{ ${kind} }}`);
      if (keywordOf(end, 0) === 'else') throw this.error(end.at, 'expected {{ end }}, found {{ else }}');
      this.expectNothing(end, 1, 'end');
    }
    this.vars.length = mark;
    return { kind, at: item.at, pipe, list: body.nodes, elseList };
  }

  /** The list after `{{ else }}` and the action that closes it; null when an else-if chain shared the end. */
  private elseBranch(kind: ControlKind, elseItem: ActionItem): { elseList: TemplateNode[]; end: ActionItem | undefined | null } {
    const next = keywordOf(elseItem, 1);
    if (next === 'if' || next === 'with') {
      // `{{ else if … }}` is `{{ else }}{{ if … }}…{{ end }}`; after the same keyword the end is shared.
      const nested = this.control(next, elseItem, 2);
      if (next === kind) return { elseList: [nested], end: null };
      const rest = this.scopedList();
      return { elseList: [nested, ...rest.nodes], end: rest.stop };
    }
    this.expectNothing(elseItem, 1, 'else');
    const rest = this.scopedList();
    return { elseList: rest.nodes, end: rest.stop };
  }

  private expectNothing(item: ActionItem, from: number, word: string): void {
    const extra = item.tokens[from];
    if (extra) throw this.error(item.at, `unexpected ${JSON.stringify(extra.text)} in {{ ${word} }}`);
  }

  private pipeline(item: ActionItem, cur: Cursor, context: string, inParens: boolean): Pipe {
    const { names, assign } = this.declarations(item, cur, context);
    const commands: Command[] = [];
    for (;;) {
      const command = this.command(item, cur, context);
      if (command.operands.length === 0) {
        throw this.error(item.at, commands.length === 0 ? `missing value for ${context}` : 'empty command in pipeline');
      }
      if (commands.length > 0 && isNonExecutable(command.operands[0])) {
        throw this.error(item.at, `non executable command in pipeline stage ${commands.length + 1}`);
      }
      commands.push(command);
      if (cur.tokens[cur.i]?.kind !== 'pipe') break;
      cur.i++;
    }
    const next = cur.tokens[cur.i];
    if (inParens && next?.kind !== 'rparen') throw this.error(item.at, 'unclosed left paren');
    if (!inParens && next) throw this.error(item.at, `unexpected ${JSON.stringify(next.text)} in ${context}`);
    if (inParens) cur.i++;
    if (!assign) this.vars.push(...names);
    return { decl: names, assign, commands };
  }

  private declarations(item: ActionItem, cur: Cursor, context: string): { names: string[]; assign: boolean } {
    const [first, second, third, fourth] = cur.tokens.slice(cur.i, cur.i + 4);
    if (first?.kind !== 'variable' || !second) return { names: [], assign: false };
    let names: string[];
    let operator: Token;
    if (second.kind === 'declare' || second.kind === 'assign') {
      names = [first.text];
      operator = second;
    } else if (second.kind === 'comma') {
      if (context !== 'range') throw this.error(item.at, `too many declarations in ${context}`);
      if (third?.kind !== 'variable' || (fourth?.kind !== 'declare' && fourth?.kind !== 'assign')) {
        throw this.error(item.at, 'range can only initialize variables');
      }
      names = [first.text, third.text];
      operator = fourth;
    } else {
      return { names: [], assign: false };
    }
    cur.i += names.length * 2;
    const assign = operator.kind === 'assign';
    for (const name of names) {
      if (name === '$') throw this.error(item.at, 'cannot declare or assign the root variable "$"');
      if (assign && !this.vars.includes(name)) throw this.error(item.at, `undefined variable ${JSON.stringify(name)}`);
    }
    return { names, assign };
  }

  private command(item: ActionItem, cur: Cursor, context: string): Command {
    const operands: Operand[] = [];
    for (let t = cur.tokens[cur.i]; t && t.kind !== 'pipe' && t.kind !== 'rparen'; t = cur.tokens[cur.i]) {
      if (operands.length > 0 && !t.spaced) throw this.error(item.at, `unexpected ${JSON.stringify(t.text)} in operand`);
      operands.push(this.operand(item, cur, context));
    }
    return { operands };
  }

  private operand(item: ActionItem, cur: Cursor, context: string): Operand {
    const t = cur.tokens[cur.i++];
    if (!t) throw this.error(item.at, `missing value for ${context}`);
    const term = this.term(item, cur, t, context);
    const path: string[] = [];
    for (let f = cur.tokens[cur.i]; f?.kind === 'field' && !f.spaced; f = cur.tokens[cur.i]) {
      path.push(f.text.slice(1));
      cur.i++;
    }
    if (path.length === 0) return term;
    if (term.kind === 'function' || term.kind === 'constant' || t.kind === 'dot') {
      throw this.error(item.at, `unexpected . after term ${JSON.stringify(t.text)}`);
    }
    return { ...term, text: `${term.text}.${path.join('.')}`, path: [...term.path, ...path] };
  }

  private term(item: ActionItem, cur: Cursor, t: Token, context: string): Operand {
    switch (t.kind) {
      case 'dot':
        return { kind: 'field', text: '.', path: [] };
      case 'field':
        return { kind: 'field', text: t.text, path: [t.text.slice(1)] };
      case 'variable':
        if (!this.vars.includes(t.text)) throw this.error(item.at, `undefined variable ${JSON.stringify(t.text)}`);
        return { kind: 'variable', text: t.text, name: t.text, path: [] };
      case 'identifier':
        if (!isBuiltin(t.text)) throw this.error(item.at, `function ${JSON.stringify(t.text)} not defined`);
        return { kind: 'function', text: t.text, name: t.text };
      case 'string':
      case 'number':
      case 'bool':
      case 'nil':
        return { kind: 'constant', text: t.text, value: t.value };
      case 'lparen':
        return { kind: 'pipeline', text: '(…)', pipe: this.pipeline(item, cur, 'parenthesized pipeline', true), path: [] };
      default:
        throw this.error(item.at, `unexpected ${JSON.stringify(t.text)} in ${context}`);
    }
  }
}

function keywordOf(item: ActionItem, index: number): string | undefined {
  const token = item.tokens[index];
  return token?.kind === 'keyword' ? token.text : undefined;
}

/** Go: only the first command of a pipeline may start with a constant or dot. */
function isNonExecutable(operand: Operand | undefined): boolean {
  return operand?.kind === 'constant' || (operand?.kind === 'field' && operand.path.length === 0);
}

/** Parses a template; throws AppError('recipe-invalid') with the line and column of the bad action. */
export function parseTemplate(source: string): TemplateNode[] {
  return new Parser(source, lexTemplate(source)).parse();
}
