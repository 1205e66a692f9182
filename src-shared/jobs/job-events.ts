// One event type for all long work (builds, boot tests, flashes), shown the same way by the CLI
// progress bar, the UI and the logs.
import type { AppErrorData } from '../errors/app-error.js';

export const STAGES = ['kairosify', 'artifacts', 'boot-test', 'flash', 'kit'] as const;
export type Stage = (typeof STAGES)[number];

export type JobKind = 'build' | 'check' | 'iso-config' | 'boot-test' | 'flash' | 'kit-export' | 'kit-import';

export interface ProgressEvent {
  readonly kind: 'progress';
  readonly jobId: string;
  readonly stage: Stage;
  /** The step within the stage ("Step 3/7", "squashfs", "write"). */
  readonly step: string;
  readonly done: number;
  /** Unknown while the size of the work is not known yet. */
  readonly total?: number;
  readonly unit: 'bytes' | 'steps' | 'percent';
  /** Units per second, smoothed. */
  readonly rate?: number;
  readonly etaSeconds?: number;
  readonly message?: string;
}

export interface LogEvent {
  readonly kind: 'log';
  readonly jobId: string;
  readonly stage: Stage;
  readonly line: string;
  /** info: what the app is doing (shown by default); detail: tool output (log views, --verbose). */
  readonly level: 'info' | 'detail';
}

export type PhaseState = 'started' | 'done' | 'cached' | 'skipped' | 'failed';

export interface PhaseEvent {
  readonly kind: 'phase';
  readonly jobId: string;
  readonly stage: Stage;
  /** A short name of the phase ("build image", "squashfs", "iso"). */
  readonly phase: string;
  readonly state: PhaseState;
  readonly seconds?: number;
}

export interface ArtifactInfo {
  readonly kind: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

export interface JobResult {
  readonly image?: string;
  readonly imageId?: string;
  readonly artifacts?: ReadonlyArray<ArtifactInfo>;
  readonly message?: string;
  readonly seconds: number;
}

export interface DoneEvent {
  readonly kind: 'done';
  readonly jobId: string;
  readonly result: JobResult;
}

export interface ErrorEvent {
  readonly kind: 'error';
  readonly jobId: string;
  readonly error: AppErrorData;
}

export type JobEvent = ProgressEvent | LogEvent | PhaseEvent | DoneEvent | ErrorEvent;

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
