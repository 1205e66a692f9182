// Errors are values a user can act on: what failed (message), what to do (hint), and a stable code
// for programs. They cross process and network boundaries as plain data (toJSON / fromData).
import { engineStorageError, fsErrorData } from './storage-errors.js';

export const ERROR_CODES = [
  'recipe-invalid',
  'unsupported-family',
  'docker-unavailable',
  'image-not-found',
  'build-failed',
  'validation-failed',
  'push-failed',
  'artifact-failed',
  'boot-failed',
  'boot-timeout',
  'qemu-missing',
  'flash-failed',
  'disk-full',
  'read-only',
  'permission-denied',
  'folder-missing',
  'verify-mismatch',
  'target-invalid',
  'target-too-small',
  'source-invalid',
  'not-confirmed',
  'bad-request',
  'unauthorized',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
  /** A file with the full log of the failed work, when one was kept. */
  readonly logFile?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly logFile: string | undefined;

  constructor(code: ErrorCode, message: string, options: { hint?: string; logFile?: string; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.logFile = options.logFile;
  }

  toJSON(): AppErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
      ...(this.logFile !== undefined ? { logFile: this.logFile } : {}),
    };
  }

  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, {
      ...(data.hint !== undefined ? { hint: data.hint } : {}),
      ...(data.logFile !== undefined ? { logFile: data.logFile } : {}),
    });
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/**
 * Any thrown value as AppErrorData: a full, read-only, locked or missing folder says what to do
 * (storage-errors.ts); other unknown errors become "internal" with their message.
 */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toJSON();
  const storage = fsErrorData(error) ?? dockerStorageError(error);
  if (storage) return storage;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, hint: 'This is a bug in Kairos Factory; please report it with the log.' };
}

/** The Docker engine's own disk full or read-only (its API errors carry an HTTP statusCode). */
function dockerStorageError(error: unknown): AppErrorData | undefined {
  if (!(error instanceof Error) || typeof (error as { statusCode?: unknown }).statusCode !== 'number') return undefined;
  return engineStorageError(error.message);
}

/** "message (hint)" on one line, for CLIs and logs. */
export function formatErrorLine(data: AppErrorData): string {
  if (!data.hint) return data.message;
  return `${data.message}${/[.?!:]$/.test(data.message) ? '' : '.'} ${data.hint}`;
}
