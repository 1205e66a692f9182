// Pulls and pushes answer with one JSON message per layer update; the bytes of all layers summed
// are the transfer's progress. An error message in the stream is thrown.
import type { Readable } from 'node:stream';
import type { ProgressMeter } from '../jobs/job-context.js';
import type { RawBuildMessage } from './build-output.js';
import { jsonLines } from './json-lines.js';

export async function followLayerProgress(stream: Readable, meter: ProgressMeter): Promise<void> {
  const layers = new Map<string, { current: number; total: number }>();
  for await (const msg of jsonLines<RawBuildMessage>(stream)) {
    if (msg.error || msg.errorDetail?.message) throw new Error(msg.errorDetail?.message ?? msg.error);
    if (msg.id && msg.progressDetail?.total) {
      layers.set(msg.id, { current: msg.progressDetail.current ?? 0, total: msg.progressDetail.total });
      let current = 0;
      let total = 0;
      for (const l of layers.values()) {
        current += l.current;
        total += l.total;
      }
      meter.setTotal(total);
      meter.update(current);
    }
  }
}
