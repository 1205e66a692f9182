// One artifact step as the user meets it: every line its tools print goes to
// <output>/logs/<name>-<step>.log, and when it fails the error says what to do in words (a full or
// read-only output folder, no permission) and points at that log, instead of "a bug".
import { join } from 'node:path';
import { AppError, type ErrorCode } from '../../src-shared/errors/app-error.js';
import { engineStorageError, fsErrorData } from '../../src-shared/errors/storage-errors.js';
import type { BuilderSession } from '../builder/builder-session.js';
import { StepLog } from '../util/step-log.js';

/** The log of one step of a recipe's build: <output>/logs/<name>-<step>.log. */
export function stepLogPath(outputDir: string, name: string, step: string): string {
  return join(outputDir, 'logs', `${name}-${step.replace(/[^A-Za-z0-9._-]+/g, '-')}.log`);
}

/** Errors that are about the step's work (its log tells more), not about the recipe or the engine. */
const STEP_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['artifact-failed', 'internal', 'disk-full', 'read-only', 'permission-denied', 'folder-missing']);

export interface StepErrorContext {
  /** The output folder on this machine. */
  readonly outputDir: string;
  /** The step's log, when one was opened. */
  readonly logFile?: string;
  /** What the step makes ("ISO"), for the message of an unexpected error. */
  readonly what?: string;
}

/**
 * What a failed step throws: a cancel as it is; a file system refusal as what to do about it;
 * any other failure with the step's log attached and named.
 */
export function stepError(error: unknown, context: StepErrorContext): unknown {
  const { logFile } = context;
  if (error instanceof AppError) {
    if (!logFile || error.logFile || !STEP_CODES.has(error.code)) return error;
    const hint = error.hint ? `${error.hint}; the full output is in ${logFile}` : `The full output is in ${logFile}`;
    return new AppError(error.code, error.message, { hint, logFile, cause: error });
  }
  const engine = error instanceof Error && typeof (error as { statusCode?: unknown }).statusCode === 'number' ? engineStorageError(error.message, logFile ? { logFile } : {}) : undefined;
  const storage = fsErrorData(error, { outputDir: context.outputDir, ...(logFile ? { logFile } : {}) }) ?? engine;
  if (storage) return new AppError(storage.code, storage.message, { ...(storage.hint ? { hint: storage.hint } : {}), ...(logFile ? { logFile } : {}), cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new AppError('artifact-failed', `${context.what ?? 'The artifact step'} failed: ${message}`, {
    hint: logFile ? `The full output is in ${logFile}` : "See the tools' output in the job's log (verbose mode shows it as it runs)",
    ...(logFile ? { logFile } : {}),
    cause: error,
  });
}

/** Any error of a build as thrown, except a file system refusal about the output folder: that one says what to do. */
export function outputFolderError(error: unknown, outputDir: string): unknown {
  if (error instanceof AppError) return error;
  const storage = fsErrorData(error, { outputDir });
  return storage ? new AppError(storage.code, storage.message, { ...(storage.hint ? { hint: storage.hint } : {}), cause: error }) : error;
}

/**
 * Runs a step with its own log: the builder's output goes there while it runs, and its failure
 * comes out as stepError says.
 */
export async function withStepLog<T>(session: BuilderSession, logFile: string, context: Omit<StepErrorContext, 'logFile'>, work: () => Promise<T>): Promise<T> {
  let log: StepLog;
  try {
    log = await StepLog.open(logFile);
  } catch (error) {
    throw stepError(error, context);
  }
  const restore = session.logTo(log);
  try {
    return await work();
  } catch (error) {
    throw stepError(error, { ...context, logFile });
  } finally {
    restore();
    await log.close();
  }
}
