// The one API between the UI and the engine: every request (all answer with a Promise) and every
// event, typed here and checked at run time with the schemas below. The Electron IPC, the web
// shell and the tests' in-memory transport all carry exactly this.
import { z } from 'zod';
import type { AppErrorData } from '../errors/app-error.js';
import type { DriveStatus } from '../drives/drive-types.js';
import type { JobEvent, JobKind, JobResult, PhaseState, ProgressEvent } from '../jobs/job-events.js';
import type { RecipeIssue } from '../recipe/parse-recipe.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { BOOT_MODES } from '../recipe/catalog.js';
import { EVENT_NAMES, REQUEST_NAMES, methodName, type EventName, type RequestName } from './request-names.js';

// ---- data types --------------------------------------------------------------------------

export interface CheckResult {
  readonly ok: boolean;
  readonly message: string;
  readonly hint?: string;
}

export interface EngineStatus {
  readonly version: string;
  readonly platform: string;
  readonly docker: CheckResult;
  readonly qemu: CheckResult;
  readonly uefiFirmware: CheckResult;
  /** What this shell can do beyond the contract (native file dialogs in Electron). */
  readonly shell: 'electron' | 'web' | 'memory';
}

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** Where builds write when a recipe's output is relative. */
  readonly outputRoot: string;
  readonly theme: Theme;
  readonly verifyAfterFlash: boolean;
  /** Offer loop devices and files as flash targets (testing, image files). */
  readonly showVirtualTargets: boolean;
}

export interface SavedRecipe {
  readonly name: string;
  readonly savedAt: string;
}

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobSummary {
  readonly jobId: string;
  readonly kind: JobKind;
  readonly title: string;
  readonly recipeName?: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly state: JobState;
  readonly result?: JobResult;
  readonly error?: AppErrorData;
}

export interface JobPhase {
  readonly name: string;
  readonly state: PhaseState;
  readonly seconds?: number;
}

/** What the engine still holds of a job's events: kept while it runs and for recently ended jobs. */
export interface JobTrail {
  readonly phases: ReadonlyArray<JobPhase>;
  readonly progress?: ProgressEvent;
  /** The newest log lines (the engine keeps about 500). */
  readonly log: ReadonlyArray<string>;
  /** How many lines the job logged in all, dropped ones included. */
  readonly logTotal: number;
}

/** One job as the engine knows it: its summary, and its trail while the engine still has it. */
export interface JobDetail {
  readonly summary: JobSummary;
  /** Absent for older jobs: the history keeps summaries only. */
  readonly trail?: JobTrail;
}

export interface KeysCheck {
  readonly folder: string;
  readonly ok: boolean;
  readonly files: ReadonlyArray<{ readonly name: string; readonly present: boolean; readonly problem?: string }>;
}

export interface DriveList {
  readonly drives: ReadonlyArray<DriveStatus>;
  /** Size the chosen image needs, when one was given. */
  readonly imageSize?: number;
}

export type ValidationResult =
  | { readonly ok: true; readonly recipe: Recipe }
  | { readonly ok: false; readonly issues: ReadonlyArray<RecipeIssue> };

// ---- request payload schemas (checked at run time at every shell) -------------------------

const path = z.string().min(1).max(4096);
const recipeValue = z.unknown();

export const RequestSchemas = {
  'engine.status': z.strictObject({}),
  'settings.get': z.strictObject({}),
  'settings.set': z.strictObject({
    outputRoot: path.optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    verifyAfterFlash: z.boolean().optional(),
    showVirtualTargets: z.boolean().optional(),
  }),
  'recipe.validate': z.strictObject({ recipe: recipeValue }),
  'recipe.dockerfile': z.strictObject({ recipe: recipeValue }),
  'recipe.list': z.strictObject({}),
  'recipe.save': z.strictObject({ recipe: recipeValue }),
  'recipe.load': z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/) }),
  'recipe.delete': z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/) }),
  'keys.check': z.strictObject({ folder: path }),
  /** A native file or folder dialog (Electron only; the web UI types paths). */
  'dialog.pick': z.strictObject({
    kind: z.enum(['file', 'folder']),
    title: z.string().max(200),
    extensions: z.array(z.string().regex(/^[a-z0-9.]{1,12}$/)).max(20).optional(),
  }),
  'build.start': z.strictObject({ recipe: recipeValue }),
  'bootTest.start': z.strictObject({ artifact: path, mode: z.enum(BOOT_MODES) }),
  'drives.list': z.strictObject({ image: path.optional() }),
  'flash.start': z.strictObject({
    image: path,
    targets: z.array(path).min(1).max(16),
    verify: z.boolean(),
    /** For system drives: the name the user typed, per target. */
    confirmations: z.record(z.string(), z.string()).default({}),
  }),
  'job.cancel': z.strictObject({ jobId: z.string().min(1).max(100) }),
  'job.get': z.strictObject({ jobId: z.string().min(1).max(100) }),
  'jobs.list': z.strictObject({}),
} as const satisfies Record<RequestName, z.ZodType>;

export { REQUEST_NAMES, EVENT_NAMES, methodName, type RequestName, type EventName };

export type RequestPayload<K extends RequestName> = z.input<(typeof RequestSchemas)[K]>;

/** What each request answers. */
export interface ResponseMap {
  'engine.status': EngineStatus;
  'settings.get': Settings;
  'settings.set': Settings;
  'recipe.validate': ValidationResult;
  'recipe.dockerfile': { readonly text: string | null; readonly note?: string };
  'recipe.list': ReadonlyArray<SavedRecipe>;
  'recipe.save': SavedRecipe;
  'recipe.load': { readonly recipe: Recipe };
  'recipe.delete': Record<string, never>;
  'keys.check': KeysCheck;
  'dialog.pick': { readonly path: string | null };
  'build.start': { readonly jobId: string };
  'bootTest.start': { readonly jobId: string };
  'drives.list': DriveList;
  'flash.start': { readonly jobId: string };
  'job.cancel': Record<string, never>;
  'job.get': JobDetail;
  'jobs.list': ReadonlyArray<JobSummary>;
}

export type Response<K extends RequestName> = ResponseMap[K];

// ---- events ------------------------------------------------------------------------------

export interface EventMap extends Record<EventName, unknown> {
  /** Progress, logs, phases and the end of every job. */
  job: JobEvent;
  /** A job began or changed state (the list of recent jobs). */
  'job.summary': JobSummary;
  /** The set of drives changed (plugged, removed). */
  'drives.changed': Record<string, never>;
}


/** The answer envelope of every transport. */
export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AppErrorData };

/** A client of the API, whatever carries it. */
export interface ApiTransport {
  request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Response<K>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
  /** Transports that can lose the event stream (the web shell's socket) call this each time it is
   * back, so the app can read again what it missed; returns the unsubscribe. */
  onReconnect?(listener: () => void): () => void;
}
