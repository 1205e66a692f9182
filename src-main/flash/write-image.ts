// Flashing as a job of the app: the work happens in the flash helper process (elevated when
// needed); this is the entry the CLI and the API use.
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { runFlashHelper } from './helper-client.js';
import { resolve } from 'node:path';

export interface FlashRequest {
  readonly image: string;
  readonly targets: ReadonlyArray<string>;
  readonly verify: boolean;
  /** A .bmap to use, false to ignore one, undefined to look for one next to the image. */
  readonly bmap?: string | false;
}

export function flashImage(request: FlashRequest, ctx: JobContext): Promise<JobResult> {
  return runFlashHelper(
    {
      type: 'flash',
      source: resolve(request.image),
      targets: request.targets.map((t) => resolve(t)),
      verify: request.verify,
      ...(request.bmap !== undefined ? { bmap: request.bmap === false ? false : resolve(request.bmap) } : {}),
    },
    ctx,
  );
}
