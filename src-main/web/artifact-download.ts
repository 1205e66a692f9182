// Downloads of built artifacts from the web shell: GET /api/artifact/<jobId>/<n> serves the n-th
// artifact of a job the engine recorded as done, and nothing else: no path comes from the request,
// so no other file of the machine can be asked for. The engine's answer to job.get says which file.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { JobDetail } from '../../src-shared/api/contract.js';
import type { ApiServer } from '../api/handlers.js';
import { sendText } from './static-files.js';

/** "/api/artifact/<jobId>/<n>" as its parts, or undefined for any other path. Pure. */
export function artifactTarget(pathname: string): { readonly jobId: string; readonly index: number } | undefined {
  const match = /^\/api\/artifact\/([\w-]{1,100})\/(\d{1,4})$/.exec(pathname);
  return match ? { jobId: match[1]!, index: Number(match[2]) } : undefined;
}

/** A file name safe in a Content-Disposition header: the ASCII fallback and the UTF-8 form. Pure. */
export function attachmentHeader(path: string): string {
  const name = basename(path);
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Streams the artifact, or answers 404 with what is missing. */
export async function serveArtifact(res: ServerResponse, api: ApiServer, jobId: string, index: number, head: boolean): Promise<void> {
  const answer = await api.dispatch('job.get', { jobId });
  if (!answer.ok) return sendText(res, 404, `No job ${jobId} in the history`);
  const { summary } = answer.value as JobDetail;
  const artifact = summary.state === 'done' ? summary.result?.artifacts?.[index] : undefined;
  if (!artifact) return sendText(res, 404, `Job ${jobId} has no artifact ${index}`);
  const info = await stat(artifact.path).catch(() => undefined);
  // A netboot folder is an artifact too, but not one file: its files are listed one by one.
  if (!info?.isFile()) return sendText(res, 404, `${artifact.path} is gone or is not a file: build it again`);
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Disposition': attachmentHeader(artifact.path),
    'Cache-Control': 'no-store',
  });
  if (head) return void res.end();
  // A reader that went away ends this response, nothing more.
  await pipeline(createReadStream(artifact.path), res);
}
