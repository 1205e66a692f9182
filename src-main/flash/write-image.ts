// Flashing as a job of the app: the work happens in the flash helper process (elevated when
// needed), which checks the targets again with the same policy before it opens them; this is the
// entry the handler table uses for every shell.
import type { JobResult } from '../../src-shared/jobs/job-events.js';
import type { JobContext } from '../jobs/job-context.js';
import { runFlashHelper, type WarmHelper } from './helper-client.js';

export { warmFlashHelper, type WarmHelper } from './helper-client.js';
import type { FlashTarget } from './helper-protocol.js';
import { resolve } from 'node:path';
import type { CardValues } from '../../src-shared/flash/card-config.js';

export interface FlashRequest {
  readonly image: string;
  /** Each target as named, with the identity it had when picked. */
  readonly targets: ReadonlyArray<FlashTarget>;
  readonly verify: boolean;
  /** Loop devices and image files may be written. */
  readonly allowVirtual: boolean;
  /** Names typed to confirm system drives, keyed by target or by drive name. */
  readonly confirmations: Readonly<Record<string, string>>;
  /** A .bmap to use, false to ignore one, undefined to look for one next to the image. */
  readonly bmap?: string | false;
  /** Per-card values, one entry per target in order: each card gets its own COS_OEM. */
  readonly cards?: ReadonlyArray<CardValues>;
}

export async function flashImage(request: FlashRequest, ctx: JobContext, warm?: WarmHelper): Promise<JobResult> {
  if (!request.cards) return flashWith(request, ctx, warm);
  // Made before the helper starts (and asks for a password): a card whose values cannot be
  // applied stops the job before any drive is touched.
  warm?.discard();
  const started = performance.now();
  const { makeCardPartitions } = await import('./card-partitions.js');
  const parts = await makeCardPartitions(resolve(request.image), request.cards, ctx);
  try {
    const result = await flashWith(request, ctx, undefined, parts);
    const names = request.cards.map((c, i) => c.hostname ?? `card ${i + 1}`);
    // The time is the whole job's: the cards' partitions were made before the helper's clock started.
    return { ...result, message: `${result.message ?? ''}; each card with its own COS_OEM (${names.join(', ')})`, seconds: (performance.now() - started) / 1000 };
  } finally {
    await parts.dispose();
  }
}

function flashWith(request: FlashRequest, ctx: JobContext, warm?: WarmHelper, parts?: { readonly range: { offset: number; length: number }; readonly files: ReadonlyArray<string> }): Promise<JobResult> {
  return runFlashHelper(
    {
      type: 'flash',
      source: resolve(request.image),
      targets: request.targets.map((t, i) => ({ ...t, path: resolve(t.path), ...(parts ? { partition: parts.files[i]! } : {}) })),
      ...(parts ? { cardRange: parts.range } : {}),
      allowVirtual: request.allowVirtual,
      // Keys that are paths are resolved like the targets; drive names stay as they are.
      confirmations: Object.fromEntries(Object.entries(request.confirmations).map(([k, v]) => [k.includes('/') ? resolve(k) : k, v])),
      verify: request.verify,
      ...(request.bmap !== undefined ? { bmap: request.bmap === false ? false : resolve(request.bmap) } : {}),
    },
    ctx,
    warm,
  );
}
