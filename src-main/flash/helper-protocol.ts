// The flash helper's protocol: JSON lines over its own stdio. The app writes the job as the first
// line of the helper's stdin, then possibly {"type":"cancel"}; the helper answers with events on
// stdout, one JSON object per line, the last being "done" or "error". Its stderr is free text.
// Exit codes: 0 done, 1 failed, 2 bad job, 130 cancelled.
import { z } from 'zod';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';

export const FLASH_PHASES = ['inspect', 'measure', 'check', 'unmount', 'prepare', 'write', 'flush', 'verify'] as const;
export type FlashPhase = (typeof FLASH_PHASES)[number];

const DriveIdentitySchema = z.strictObject({
  size: z.number().int().nonnegative(),
  serial: z.string().optional(),
  byId: z.string().optional(),
  backingPath: z.string().optional(),
});

/** A target as the user picked it: the path, and the drive's identity then. */
const FlashTargetSchema = z.strictObject({
  path: z.string().min(1),
  identity: DriveIdentitySchema.optional(),
});
export type FlashTarget = z.output<typeof FlashTargetSchema>;

export const FlashJobSchema = z.strictObject({
  type: z.literal('flash'),
  source: z.string().min(1),
  /** A plain path is a target with nothing picked (tools and tests). */
  targets: z.array(z.union([z.string().min(1).transform((path): FlashTarget => ({ path })), FlashTargetSchema])).min(1).max(16),
  /** Loop devices and image files may be written (the user asked for them). */
  allowVirtual: z.boolean().default(false),
  /** Names typed to confirm system drives, keyed by target path or drive name (target-policy.ts). */
  confirmations: z.record(z.string(), z.string().max(200)).default({}),
  verify: z.boolean(),
  /** A .bmap path, false to ignore one, undefined to look for one next to the image. */
  bmap: z.union([z.string().min(1), z.literal(false)]).optional(),
  chunkSize: z.number().int().min(65536).max(256 * 1024 * 1024).multipleOf(4096).optional(),
  /** Regular-file targets end at the image's size (default). */
  truncateFiles: z.boolean().optional(),
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

/** Splits a byte stream into lines: feed chunks, get complete lines. */
export class LineSplitter {
  private carry = '';

  push(chunk: string): string[] {
    const lines = (this.carry + chunk).split('\n');
    this.carry = lines.pop() ?? '';
    return lines.filter((l) => l.trim() !== '');
  }

  rest(): string[] {
    const last = this.carry.trim();
    this.carry = '';
    return last ? [last] : [];
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
