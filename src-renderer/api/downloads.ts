// Artifact downloads in the web shell: a link cannot carry the Bearer token, so the page trades
// it for a single-use ticket (as for the event socket) and the link carries that. The server
// serves only artifacts of jobs it recorded (src-main/web/artifact-download.ts). A HEAD first
// (with the token) turns a missing file into a message on the page rather than a failed download.
import { AppError } from '../../src-shared/errors/app-error.js';
import { TOKEN_KEY } from './web-token.js';

const auth = (): Record<string, string> => {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
};

const REFUSED = new AppError('unauthorized', 'The web shell refused the download', { hint: 'Open the address `kairos-factory web` printed again' });

/** The address of a job's n-th artifact with a fresh ticket, once the server said it has the file. */
export async function artifactDownloadUrl(jobId: string, index: number): Promise<string> {
  const path = `/api/artifact/${encodeURIComponent(jobId)}/${index}`;
  const head = await fetch(path, { method: 'HEAD', headers: auth(), credentials: 'omit' });
  if (head.status === 404) throw new AppError('bad-request', 'This artifact is no longer on the engine\'s machine, or is not a file', { hint: 'Rebuild to make it again' });
  if (!head.ok) throw REFUSED;
  const res = await fetch('/api/ticket', { method: 'POST', headers: auth(), credentials: 'omit' });
  if (!res.ok) throw REFUSED;
  return `${path}?ticket=${encodeURIComponent(((await res.json()) as { ticket: string }).ticket)}`;
}
