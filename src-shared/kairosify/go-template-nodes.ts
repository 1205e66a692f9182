// The tree a parsed Go template is: text, actions and control structures over pipelines of
// commands, as in Go's parse/node.go (reduced to what the subset needs).
import type { BuiltinName } from './go-template-builtins.js';
import type { TemplateValue } from './go-template-value.js';

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
