// An artifact is not made again when everything it is made from is unchanged: the image id, the
// parts of the recipe it uses, the app and builder versions. A small record beside the logs holds
// that fingerprint and what was made; the files must still be there, with their sizes.
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import { makeFolder } from '../util/make-folder.js';

interface Record {
  readonly fingerprint: string;
  readonly artifacts: ReadonlyArray<ArtifactInfo>;
}

export function fingerprint(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

function recordPath(outputDir: string, name: string, kind: string): string {
  return join(outputDir, 'logs', `${name}.${kind}.artifact.json`);
}

/** The artifacts made before from the same inputs, when all are still on disk unchanged in size. */
export async function reusable(outputDir: string, name: string, kind: string, print: string): Promise<ReadonlyArray<ArtifactInfo> | undefined> {
  let record: Record;
  try {
    record = JSON.parse(await readFile(recordPath(outputDir, name, kind), 'utf8')) as Record;
  } catch {
    return undefined;
  }
  if (record.fingerprint !== print || record.artifacts.length === 0) return undefined;
  for (const a of record.artifacts) {
    const info = await stat(a.path).catch(() => undefined);
    const sum = await readFile(`${a.path}.sha256`, 'utf8').catch(() => '');
    if (!info || info.size !== a.size || !sum.startsWith(a.sha256)) return undefined;
  }
  return record.artifacts;
}

export async function remember(outputDir: string, name: string, kind: string, print: string, artifacts: ReadonlyArray<ArtifactInfo>): Promise<void> {
  await makeFolder(join(outputDir, 'logs'));
  await writeFile(recordPath(outputDir, name, kind), `${JSON.stringify({ fingerprint: print, artifacts } satisfies Record, null, 2)}\n`);
}
