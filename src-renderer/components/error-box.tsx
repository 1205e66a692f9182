import type { AppErrorData } from '../../src-shared/errors/app-error.js';

/** An error as a user can act on it: what failed, what to do. Never a stack trace. */
export function ErrorBox({ error }: { readonly error: AppErrorData | undefined }) {
  if (!error) return null;
  return (
    <div className="error-box" role="alert">
      <p className="error-message">{error.message}</p>
      {error.hint && <p className="error-hint">{error.hint}</p>}
    </div>
  );
}

export function toErrorData(error: unknown): AppErrorData {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const e = error as AppErrorData;
    return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
