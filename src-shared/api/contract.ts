// The one API between the UI and the engine: every request (all answer with a Promise) and every
// event, typed here and checked at run time with the schemas below. The Electron IPC, the web
// shell and the tests' in-memory transport all carry exactly this.
import { z } from 'zod';
import type { AppErrorData } from '../errors/app-error.js';
import type { DriveStatus } from '../drives/drive-types.js';
import type { ExportNote } from '../kubernetes/osartifact-types.js';
import type { JobEvent, JobKind, JobResult, PhaseState, ProgressEvent } from '../jobs/job-events.js';
import type { BuildPlan } from '../plan/build-plan.js';
import type { PreflightProblem } from '../preflight/preflight.js';
import type { RecipeIssue } from '../recipe/parse-recipe.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { BOOT_MODES, type BootMode } from '../recipe/catalog.js';
import type { EngineSource } from '../engines/engine-candidates.js';
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
  /** qemu-system-aarch64 with AAVMF (arm64 and Raspberry Pi boot tests); absent from older hosts' answers. */
  readonly arm64Qemu?: CheckResult;
  /** What this shell can do beyond the contract (native file dialogs in Electron). */
  readonly shell: ShellKind;
  /** The Docker engine jobs use (when one answered): which, and what it is. */
  readonly engine?: EngineInfo;
}

/** A Docker engine found on this machine (src-shared/engines/engine-candidates.ts), with its answer. */
export interface EngineInfo {
  /** What `--engine` and the engine setting name it by. */
  readonly id: string;
  readonly label: string;
  readonly source: EngineSource;
  /** unix:///…, npipe://…, tcp://…, ssh://… */
  readonly host: string;
  /** The docker CLI's own choice here (DOCKER_HOST, the current context). */
  readonly current?: boolean;
  /** From the engine: linux, windows… */
  readonly os?: string;
  /** Its host's system ("Debian GNU/Linux 12 (bookworm)", "Docker Desktop"). */
  readonly osName?: string;
  readonly arch?: string;
  /** "Docker Engine - Community", "Podman Engine"… */
  readonly engine?: string;
  readonly version?: string;
  /** Why it did not answer. */
  readonly error?: string;
}

export interface EngineList {
  /** The choice in force: "automatic", an engine's id, or an address. */
  readonly choice: string;
  /** Who made it: "--engine" or "the engine setting". */
  readonly choiceFrom: string;
  readonly engines: ReadonlyArray<EngineInfo>;
  /** The id of the engine jobs would use now (automatic: the first that answered). */
  readonly active?: string;
  /** Contexts that could not be read, a DOCKER_CONTEXT naming none… */
  readonly problems: ReadonlyArray<string>;
}

export type ShellKind = 'electron' | 'web' | 'cli' | 'memory';

export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  /** Where builds write when a recipe's output is relative. */
  readonly outputRoot: string;
  readonly theme: Theme;
  readonly verifyAfterFlash: boolean;
  /** Offer loop devices and files as flash targets (testing, image files). */
  readonly showVirtualTargets: boolean;
  /** Builds never touch the network: what they need must be on the engine (an offline kit brings it). */
  readonly offline: boolean;
  /** The Docker engine: "automatic" (the first that answers), an engine's id, or an address. */
  readonly engine: string;
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
  /** The recipe as it was when the job started (builds, image checks): Rebuild and Edit recipe use it. */
  readonly recipe?: Recipe;
  /** What a flash or boot test was given, to run it again from the history. */
  readonly inputs?: JobInputs;
  /** The job's phases as they ended (recorded when it ends). */
  readonly phases?: ReadonlyArray<JobPhase>;
}

export interface JobInputs {
  /** The image a flash wrote. */
  readonly image?: string;
  /** The artifact a boot test booted, and how. */
  readonly artifact?: string;
  readonly mode?: BootMode;
}

/** A job's whole kept log (job.log): the newest 2 MiB of it. */
export interface JobLog {
  readonly text: string;
  /** How many lines the job logged in all (known for this engine's jobs only). */
  readonly lines?: number;
  /** Older lines were dropped to keep 2 MiB, or the log is gone (see `missing`). */
  readonly truncated: boolean;
  /** No log is kept for this job: an older version's job, or its file could not be written. */
  readonly missing?: boolean;
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

/** One job as the engine knows it: its summary, and its trail (from the history's log file for older jobs). */
export interface JobDetail {
  readonly summary: JobSummary;
  /** Absent for jobs recorded by older versions, which kept summaries only. */
  readonly trail?: JobTrail;
}

export interface KeysCheck {
  readonly folder: string;
  readonly ok: boolean;
  readonly files: ReadonlyArray<{ readonly name: string; readonly present: boolean; readonly problem?: string }>;
}

export interface DriveList {
  readonly drives: ReadonlyArray<DriveStatus>;
  /** Size the chosen image needs (decompressed), when one was given and its size is known. */
  readonly imageSize?: number;
  /** The image was given but its size cannot be known without decompressing it all (bzip2, some zstd). */
  readonly imageSizeUnknown?: boolean;
}

export interface FolderEntry {
  readonly name: string;
  /** Absolute, as the engine's machine names it. */
  readonly path: string;
  readonly kind: 'file' | 'folder';
  /** Bytes, for files. */
  readonly size?: number;
  readonly modified: string;
}

/** One folder of the engine's machine (the web shell's file browser): folders first, then files. */
export interface FolderListing {
  readonly folder: string;
  /** Absent at the root. */
  readonly parent?: string;
  /** The engine's path separator, to show a path's parts. */
  readonly separator: string;
  readonly entries: ReadonlyArray<FolderEntry>;
  /** More entries than the browser shows. */
  readonly truncated?: boolean;
}

/** A recipe for the kairos-operator: the YAML to write, and what the operator does not do (also a comment block in the YAML). */
export interface KubernetesExport {
  readonly yaml: string;
  /** A file name for it: <recipe>-osartifact.yaml. */
  readonly fileName: string;
  readonly notes: ReadonlyArray<ExportNote>;
}

export type ValidationResult =
  | {
      readonly ok: true;
      readonly recipe: Recipe;
      /** What the recipe asks that its image will not do: cloud-config keys applied only with the Kairos framework. */
      readonly notes?: ReadonlyArray<RecipeIssue>;
      /** The preflight's warnings (no errors when ok), sorted by line. */
      readonly problems: ReadonlyArray<PreflightProblem>;
    }
  | {
      readonly ok: false;
      /** The errors. */
      readonly issues: ReadonlyArray<RecipeIssue>;
      /** Every error and warning of the preflight, sorted by line. */
      readonly problems: ReadonlyArray<PreflightProblem>;
    };

// ---- request payload schemas (checked at run time at every shell) -------------------------

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

const path = z.string().min(1).max(4096);
const recipeValue = z.unknown();
const text = z.string().max(1 << 20);
const identity = z.strictObject({
  size: z.number().int().nonnegative(),
  serial: z.string().max(200).optional(),
  byId: z.string().max(400).optional(),
  backingPath: z.string().max(4096).optional(),
});

/** Where the preflight looks on this machine: relative paths from relativeTo, the output folder as a build would write it. */
const preflightPlace = {
  /** An absolute folder relative paths in the recipe are read from (the CLI's working folder). */
  relativeTo: path.optional(),
  /** The output folder a build would be given (build.start's output). */
  output: path.optional(),
  /** false: the recipe's own checks only, not this machine's paths (printing a Dockerfile, checking a built image). */
  machine: z.boolean().optional(),
};

export const RequestSchemas = {
  'engine.status': z.strictObject({}),
  'settings.get': z.strictObject({}),
  'settings.set': z.strictObject({
    outputRoot: path.optional(),
    theme: z.enum(['system', 'light', 'dark']).optional(),
    verifyAfterFlash: z.boolean().optional(),
    showVirtualTargets: z.boolean().optional(),
    offline: z.boolean().optional(),
    engine: z.string().min(1).max(4096).optional(),
  }),
  /** A recipe value (the wizard), or YAML text (a file: then problems carry their line and column). */
  'recipe.validate': z.union([
    z.strictObject({ recipe: recipeValue, ...preflightPlace }),
    z.strictObject({ yaml: text, ...preflightPlace }),
  ]),
  'recipe.dockerfile': z.strictObject({
    recipe: recipeValue,
    /** Generate for this os-release (text) instead of reading the base image's. */
    osRelease: text.optional(),
    /** Pull or build the base image when it is not here yet, to read its os-release. */
    fetchBase: z.boolean().optional(),
  }),
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
  /**
   * A folder of the engine's machine for the web shell's file browser (default: the output root,
   * or the home folder): names and sizes only; hidden entries, key files and the data folder left out.
   */
  'files.list': z.strictObject({
    folder: path.optional(),
    /** Only files with these extensions (folders always); default: every file. */
    extensions: z.array(z.string().regex(/^[a-z0-9.]{1,12}$/)).max(20).optional(),
  }),
  'build.start': z.strictObject({
    recipe: recipeValue,
    /** Where the artifacts go; default: the recipe's output (relative ones under the settings' output root). */
    output: path.optional(),
    /** Never touch the network (default: the offline setting): missing images fail the build at once. */
    offline: z.boolean().optional(),
  }),
  /**
   * What a build of the recipe needs (images, packages, keys), which of it is on the engine and
   * what needs the network; looks only, pulls and builds nothing.
   */
  'build.plan': z.strictObject({
    recipe: recipeValue,
    /** The output folder a build would be given (generated Trusted Boot keys live there); default as build.start. */
    output: path.optional(),
    /** An absolute folder the recipe's relative paths are read from (the CLI's working folder). */
    relativeTo: path.optional(),
  }),
  /** Re-runs the image checks on a built image (the recipe's tag, or `image`). */
  'image.check': z.strictObject({ recipe: recipeValue, image: z.string().min(1).max(512).optional() }),
  /** A copy of an ISO with another cloud-config, in seconds. */
  'iso.config': z.strictObject({ iso: path, cloudConfig: text, output: path.optional() }),
  'bootTest.start': z.strictObject({
    artifact: path,
    mode: z.enum(BOOT_MODES),
    timeoutSeconds: z.number().positive().max(86400).optional(),
    memoryMiB: z.number().int().min(256).max(1 << 20).optional(),
    accel: z.enum(['auto', 'tcg', 'kvm', 'hvf', 'whpx']).optional(),
    logFile: path.optional(),
    /** What the booted system must also show on its console: its cloud-config applied. */
    expect: z
      .strictObject({
        /** The login prompt's hostname: a regular expression the whole name must match. */
        hostname: z.string().min(1).max(253).refine(isRegExp, 'must be a valid regular expression').optional(),
        /** A user who must be able to log in on the serial console with this password. */
        login: z
          .strictObject({
            user: z.string().regex(/^[^\s:]{1,64}$/, 'must be a user name: no spaces or colons'),
            // eslint-disable-next-line no-control-regex
            password: z.string().max(256).regex(/^[^\x00-\x1f\x7f]*$/, 'must be one line of printable characters'),
          })
          .optional(),
      })
      .optional(),
  }),
  'drives.list': z.strictObject({
    image: path.optional(),
    /** Offer loop devices (and image files) for this request; default: the setting. */
    virtual: z.boolean().optional(),
  }),
  'flash.start': z.strictObject({
    image: path,
    targets: z.array(path).min(1).max(16),
    verify: z.boolean(),
    /** For system drives: the name the user typed, keyed by target (or by the drive's name). */
    confirmations: z.record(z.string(), z.string().max(200)).default({}),
    /** Each drive's identity as the user saw it in the list, keyed by target: another drive under that name is refused. */
    identities: z.record(z.string(), identity).optional(),
    /** A .bmap to use, false to ignore one; default: the one next to the image. */
    bmap: z.union([path, z.literal(false)]).optional(),
    /** Loop devices and image files as targets for this request; default: the setting. */
    virtual: z.boolean().optional(),
    /** Per-card values: each card gets its own COS_OEM (the image must have one). */
    cards: z
      .strictObject({
        /** Hostname pattern: {n} the card's 1-based position, {serial} the drive's serial (src-shared/flash/card-names.ts). */
        hostname: z.string().max(200).optional(),
        /** Extra cloud-config for each card, in the order of the targets ('' for none). */
        cloudConfig: z.array(text).max(16).optional(),
      })
      .optional(),
  }),
  'job.cancel': z.strictObject({ jobId: z.string().min(1).max(100) }),
  'job.get': z.strictObject({ jobId: z.string().min(1).max(100) }),
  /** Shows a recorded build's n-th artifact in the file manager (Electron only). */
  'artifact.show': z.strictObject({ jobId: z.string().min(1).max(100), index: z.number().int().min(0).max(9999) }),
  /** A job's whole kept log (the detail view's Copy and Download). */
  'job.log': z.strictObject({ jobId: z.string().min(1).max(100) }),
  'jobs.list': z.strictObject({}),
  /** One offline kit file with every image the recipes need to build offline, the recipes and a manifest. */
  'kit.export': z.strictObject({ recipes: z.array(recipeValue).min(1).max(32), output: path }),
  /** Checks every member of a kit against its manifest, then loads its images into the engine. */
  'kit.import': z.strictObject({ file: path }),
  /** The Docker engines found here (DOCKER_HOST, contexts, known sockets), each asked what it is. */
  'engines.list': z.strictObject({}),
  // ---- the kairos-operator (Kubernetes) ----
  /** The recipe as an OSArtifact and its Secrets (one YAML file), checked against the CRD; refused when the operator would refuse it. */
  'kubernetes.export': z.strictObject({ recipe: recipeValue }),
  /** A recipe from an OSArtifact manifest, with the Secrets it names in the same or further files. */
  'kubernetes.import': z.strictObject({
    manifests: z.array(z.strictObject({ name: z.string().min(1).max(4096), text })).min(1).max(20),
  }),
  /** Submits the recipe's OSArtifact with the user's kubeconfig and follows it as a job until Ready or Error. */
  'kubernetes.apply': z.strictObject({
    recipe: recipeValue,
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a namespace name: lowercase letters, digits and "-"').optional(),
    kubeconfig: path.optional(),
  }),
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
  'image.check': { readonly jobId: string };
  'iso.config': { readonly jobId: string };
  'recipe.list': ReadonlyArray<SavedRecipe>;
  'recipe.save': SavedRecipe;
  'recipe.load': { readonly recipe: Recipe };
  'recipe.delete': Record<string, never>;
  'keys.check': KeysCheck;
  'dialog.pick': { readonly path: string | null };
  'files.list': FolderListing;
  'build.start': { readonly jobId: string };
  'build.plan': BuildPlan;
  'bootTest.start': { readonly jobId: string };
  'drives.list': DriveList;
  'flash.start': { readonly jobId: string };
  'job.cancel': Record<string, never>;
  'job.get': JobDetail;
  'job.log': JobLog;
  'artifact.show': Record<string, never>;
  'jobs.list': ReadonlyArray<JobSummary>;
  'kit.export': { readonly jobId: string };
  'kit.import': { readonly jobId: string };
  'engines.list': EngineList;
  'kubernetes.export': KubernetesExport;
  'kubernetes.import': { readonly recipe: Recipe; readonly notCarried: ReadonlyArray<ExportNote> };
  'kubernetes.apply': { readonly jobId: string; readonly notes: ReadonlyArray<ExportNote> };
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
