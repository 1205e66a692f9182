// One line on stderr for a request the web shell could not serve: what failed and why, never the
// token, a ticket, a query string or more than a short message (no file contents, no bodies).
import { AppError } from '../../src-shared/errors/app-error.js';

const MESSAGE_MAX = 160;

/** "kairos-factory web: <where>: <code>: <message>", with each secret replaced. Pure. */
export function failureLine(where: string, error: unknown, secrets: ReadonlyArray<string>): string {
  let code = 'Error';
  let message = String(error);
  if (error instanceof AppError) code = error.code;
  else if (error instanceof Error) code = (error as NodeJS.ErrnoException).code ?? error.name;
  if (error instanceof Error) message = error.message;
  let line = `${where}: ${code}: ${message.split(/\r?\n/)[0] ?? ''}`;
  for (const secret of secrets) if (secret) line = line.split(secret).join('[redacted]');
  // Query strings may carry tickets; they are never needed to understand a failure.
  line = line.replace(/\?\S*/g, '?[redacted]');
  if (line.length > MESSAGE_MAX + where.length) line = `${line.slice(0, MESSAGE_MAX + where.length)}…`;
  return `kairos-factory web: ${line}`;
}
