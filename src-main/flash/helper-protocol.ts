// The flash helper's protocol: JSON lines over its own stdio. The app writes the job as the first
// line of the helper's stdin, then possibly {"type":"cancel"}; the helper answers with events on
// stdout, one JSON object per line, the last being "done" or "error". Its stderr is free text.
// Exit codes: 0 done, 1 failed, 2 bad job, 130 cancelled.
// zod/mini: the same library as the rest of the app, in its tree-shakable form, so the helper's
// bundle carries 50 KB of it instead of 750 KB and starts in a tenth of the time.
import * as z from 'zod/mini';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import { LineSplitter as TextLines } from '../util/line-splitter.js';

export const FLASH_PHASES = ['inspect', 'measure', 'check', 'unmount', 'prepare', 'write', 'card-partitions', 'flush', 'verify'] as const;
export type FlashPhase = (typeof FLASH_PHASES)[number];

const nonEmpty = z.string().check(z.minLength(1));

const DriveIdentitySchema = z.strictObject({
  size: z.number().check(z.int(), z.minimum(0)),
  serial: z.optional(z.string()),
  byId: z.optional(z.string()),
  backingPath: z.optional(z.string()),
});

/** A target as the user picked it: the path, and the drive's identity then. */
const FlashTargetSchema = z.strictObject({
  path: nonEmpty,
  identity: z.optional(DriveIdentitySchema),
  /** This card's own copy of the image's bytes at the job's cardRange (its COS_OEM partition image). */
  partition: z.optional(nonEmpty),
});
export type FlashTarget = z.output<typeof FlashTargetSchema>;

export const FlashJobSchema = z.strictObject({
  type: z.literal('flash'),
  source: nonEmpty,
  /** A plain path is a target with nothing picked (tools and tests). */
  targets: z.array(z.union([z.pipe(nonEmpty, z.transform((path: string): FlashTarget => ({ path }))), FlashTargetSchema])).check(z.minLength(1), z.maxLength(16)),
  /** Loop devices and image files may be written (the user asked for them). */
  allowVirtual: z._default(z.boolean(), false),
  /** Names typed to confirm system drives, keyed by target path or drive name (target-policy.ts). */
  confirmations: z._default(z.record(z.string(), z.string().check(z.maxLength(200))), {}),
  verify: z.boolean(),
  /** A .bmap path, false to ignore one, undefined to look for one next to the image. */
  bmap: z.optional(z.union([nonEmpty, z.literal(false)])),
  chunkSize: z.optional(z.number().check(z.int(), z.minimum(65536), z.maximum(256 * 1024 * 1024), z.multipleOf(4096))),
  /**
   * Per-card values: where in the image each target's own `partition` file goes instead of the
   * image's bytes (the COS_OEM partition); every target then has one.
   */
  cardRange: z.optional(z.strictObject({ offset: z.number().check(z.int(), z.minimum(0)), length: z.number().check(z.int(), z.minimum(4096), z.multipleOf(4096)) })),
  /** Regular-file targets end at the image's size (default). */
  truncateFiles: z.optional(z.boolean()),
});
export type FlashJob = z.output<typeof FlashJobSchema>;

export interface TargetResult {
  readonly device: string;
  readonly ok: boolean;
  readonly error?: AppErrorData;
}

export interface FlashSummary {
  readonly imageSize: number;
  readonly bytesWritten: number;
  readonly bmap: boolean;
  readonly verified: boolean;
  readonly seconds: number;
  readonly durations: Partial<Record<FlashPhase, number>>;
  readonly targets: ReadonlyArray<TargetResult>;
}

export type HelperEvent =
  | { readonly type: 'phase'; readonly phase: FlashPhase; readonly state: 'started' | 'done'; readonly seconds?: number }
  | { readonly type: 'progress'; readonly phase: 'measure' | 'write' | 'verify'; readonly done: number; readonly total?: number }
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'target-failed'; readonly device: string; readonly error: AppErrorData }
  | { readonly type: 'done'; readonly summary: FlashSummary }
  | { readonly type: 'error'; readonly error: AppErrorData };

export type HelperCommand = { readonly type: 'cancel' };

export const HELPER_EXIT = { ok: 0, failed: 1, badJob: 2, cancelled: 130 } as const;

export function encodeLine(value: HelperEvent | HelperCommand | z.input<typeof FlashJobSchema>): string {
  return `${JSON.stringify(value)}\n`;
}

const nonBlank = (line: string): boolean => line.trim() !== '';

/** The protocol's lines: the one line splitter (util/line-splitter.ts, UTF-8 safe), blank lines dropped. */
export class LineSplitter {
  private readonly lines = new TextLines();

  push(chunk: Buffer | string): string[] {
    return this.lines.push(chunk).filter(nonBlank);
  }

  rest(): string[] {
    return this.lines.end().filter(nonBlank);
  }
}

/** Parses one stdout line of the helper; undefined for anything that is not an event. */
export function parseEvent(line: string): HelperEvent | undefined {
  try {
    const value = JSON.parse(line) as { type?: unknown };
    return typeof value === 'object' && value !== null && typeof value.type === 'string' ? (value as HelperEvent) : undefined;
  } catch {
    return undefined;
  }
}
