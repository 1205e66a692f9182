// The raw size of a .gz image, as far as it can be known cheaply (see gzipImageSize): ISIZE from
// the last 4 bytes, checked by inflating the file from its start until the output passes ISIZE
// (then ISIZE is wrong: several members, or a size that wrapped past 4 GiB), the file ends (then
// the size is known exactly), or PROBE_LIMIT bytes came out (then ISIZE stands, unproved).
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { gzipImageSize, gzipIsizeCandidate, type GzipProbe } from './stream-headers.js';

/** At most this much inflating at inspection: about half a second. */
const PROBE_LIMIT = 512 * 1024 * 1024;
/** Without an ISIZE candidate, probing only pays when it may read the whole file. */
const SMALL_FILE = 64 * 1024 * 1024;

export async function gzipSizeFacts(path: string, fileSize: number, tail: Uint8Array): Promise<number | undefined> {
  const isize = gzipIsizeCandidate(fileSize, tail);
  if (isize === undefined && fileSize > SMALL_FILE) return undefined;
  return gzipImageSize(isize, await probe(path, Math.min(isize ?? PROBE_LIMIT, PROBE_LIMIT)));
}

/** Inflates from the start until more than `limit` bytes came out or the file ended. */
function probe(path: string, limit: number): Promise<GzipProbe> {
  return new Promise((resolve) => {
    const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
    const gunzip = createGunzip();
    let produced = 0;
    let settled = false;
    const finish = (complete: boolean): void => {
      if (settled) return;
      settled = true;
      input.destroy();
      gunzip.destroy();
      resolve({ produced, complete });
    };
    gunzip.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > limit) finish(false);
    });
    gunzip.once('end', () => finish(true));
    // Damage is the stream's to report, with the decoder's words; here it only ends the probe.
    gunzip.once('error', () => finish(false));
    input.once('error', () => finish(false));
    input.pipe(gunzip);
  });
}
