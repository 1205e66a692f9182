// The built renderer as files: index.html for every page path (a single-page app), the hashed
// assets cached for good. Not secret, so served without the token (the Host and Origin checks
// still apply, in the web server).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function sendText(res: ServerResponse, status: number, body: string, headers: Readonly<Record<string, string>> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/** Serves one decoded path from the folder; never a file outside it. */
export async function serveStatic(res: ServerResponse, staticDir: string, path: string): Promise<void> {
  const relative = normalize(path).replace(/^([/\\])+/, '');
  let file = join(staticDir, relative);
  if (!file.startsWith(staticDir + sep) && file !== staticDir) return sendText(res, 404, 'Not found');
  let info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    // The app is a single page: unknown paths get index.html (assets keep their 404).
    if (relative.startsWith('assets/')) return sendText(res, 404, 'Not found');
    file = join(staticDir, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info) return sendText(res, 500, 'The web UI is not built: run `npm run build`');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Cache-Control': relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  // A file that vanished or a reader that went away ends this response, nothing more.
  await pipeline(createReadStream(file), res);
}
