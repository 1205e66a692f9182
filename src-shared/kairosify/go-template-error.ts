// The error that parsing and evaluation of a Go template both throw: an AppError('recipe-invalid')
// whose message starts with the line and column of the bad action.
import { AppError } from '../errors/app-error.js';

export interface TemplatePosition { readonly line: number; readonly column: number }

/** Where an evaluation error is reported: the template text and the offset of the current action. */
export interface ErrorSite {
  readonly source: string;
  readonly at: number;
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

/** Throws the error for the action at the site. */
export function fail(site: ErrorSite, message: string): never {
  throw templateError(site.source, site.at, message);
}
