// SHA-256 of artifacts, written as "<hex>  <name>" (the sha256sum format, so `sha256sum -c` works).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';

export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 4 << 20 }), hash, signal ? { signal } : {});
  return hash.digest('hex');
}

export async function writeChecksum(kind: string, path: string, signal?: AbortSignal): Promise<ArtifactInfo> {
  const [sha256, info] = await Promise.all([sha256File(path, signal), stat(path)]);
  await writeFile(`${path}.sha256`, `${sha256}  ${basename(path)}\n`);
  return { kind, path, size: info.size, sha256 };
}
