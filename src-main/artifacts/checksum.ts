// SHA-256 of artifacts (output-files.ts writes it as "<hex>  <name>", the sha256sum format, so
// `sha256sum -c` works).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 << 20 }), hash, signal ? { signal } : {});
  return hash.digest('hex');
}
