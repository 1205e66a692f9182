// Recursive-descent parser for the subset of Go's text/template that the Kairos operator's
// Dockerfile templates use, after Go's parse.go: the same parse-time checks (variables, break and
// continue, pipelines), with Go's messages where practical. Named templates (define, template,
// block) are rejected on purpose.
import type { AppError } from '../errors/app-error.js';
import { isBuiltin } from './go-template-builtins.js';
import { templateError } from './go-template-error.js';
import { lexTemplate, type ActionItem, type Item, type Token } from './go-template-lex.js';
import type { Command, Operand, Pipe, TemplateNode } from './go-template-nodes.js';

const FORBIDDEN_HINT =
  'Named templates ({{ define }}, {{ template }}, {{ block }}) are not supported: inline their content where it is used.';

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
