// Artifact downloads in the web shell: a link cannot carry the Bearer token, so the page trades
// it for a single-use ticket (as for the event socket) and the link carries that. The server
// serves only artifacts of jobs it recorded (src-main/web/artifact-download.ts).
import { AppError } from '../../src-shared/errors/app-error.js';
import { TOKEN_KEY } from './web-token.js';

/** The address of a job's n-th artifact with a fresh ticket. Pure but for the ticket request. */
export async function artifactDownloadUrl(jobId: string, index: number, fetchTicket: () => Promise<string> = ticket): Promise<string> {
  return `/api/artifact/${encodeURIComponent(jobId)}/${index}?ticket=${encodeURIComponent(await fetchTicket())}`;
}

async function ticket(): Promise<string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  const res = await fetch('/api/ticket', { method: 'POST', headers: token ? { Authorization: `Bearer ${token}` } : {}, credentials: 'omit' });
  if (!res.ok) throw new AppError('unauthorized', 'The web shell refused the download', { hint: 'Open the address `kairos-factory web` printed again' });
  return ((await res.json()) as { ticket: string }).ticket;
}
