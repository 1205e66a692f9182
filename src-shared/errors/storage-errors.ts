// The file system's refusals (a full disk, a read-only or locked folder, a missing one) as what
// the user can do about them, instead of "a bug". Node errors carry a code (ENOSPC, EROFS, ...)
// and a path; tools in the builder container say the same in words ("No space left on device",
// "Read-only file system"), and so does the Docker engine. Pure: text and paths in, error data out.
import type { AppErrorData, ErrorCode } from './app-error.js';

export type StorageProblem = 'no-space' | 'quota' | 'read-only' | 'no-permission' | 'missing' | 'not-a-folder';

/** Where the refused work went: the user's output folder, Docker's own storage, another folder. */
export type StoragePlace =
  | { readonly kind: 'output'; readonly folder: string }
  | { readonly kind: 'docker' }
  | { readonly kind: 'folder'; readonly folder: string }
  | { readonly kind: 'unknown' };

export interface StorageErrorOptions {
  /** The file or folder refused, when known. */
  readonly path?: string;
  /** What was being done ("ISO build"), for the message. */
  readonly what?: string;
  /** The log with the full output, named in the hint. */
  readonly logFile?: string;
}

const CODES: Readonly<Record<string, StorageProblem>> = {
  ENOSPC: 'no-space',
  EDQUOT: 'quota',
  EROFS: 'read-only',
  EACCES: 'no-permission',
  EPERM: 'no-permission',
  ENOENT: 'missing',
  ENOTDIR: 'not-a-folder',
};

/** The problem a Node error code names (EEXIST only from mkdir: a file where a folder should be). */
export function problemOfCode(code: unknown, syscall?: unknown): StorageProblem | undefined {
  if (typeof code !== 'string') return undefined;
  if (code === 'EEXIST') return syscall === 'mkdir' ? 'not-a-folder' : undefined;
  return CODES[code];
}

// strerror() texts, as tools print them, and the tools' own words for a full disk: xorriso checks
// the free space before writing, tar reports a short write, mksquashfs a failed one.
const TEXTS: ReadonlyArray<readonly [RegExp, StorageProblem]> = [
  [/No space left on device|\[Errno 28\]/i, 'no-space'],
  [/exceeds free space on media/i, 'no-space'],
  [/Wrote only \d+ of \d+ bytes/i, 'no-space'],
  [/Failed to write to output filesystem/i, 'no-space'],
  [/Disk quota exceeded/i, 'quota'],
  [/Read-only file system/i, 'read-only'],
];
// Refusals that are about storage only when the line names a known folder: "Permission denied"
// is also a script that is not executable, "Operation not permitted" a mount or a chown in a
// container, unless it is the output folder that refused.
const PERMISSION_DENIED = /Permission denied|\[Errno 13\]/i;
const NOT_PERMITTED = /Operation not permitted|\[Errno 1\]/i;

/**
 * The problem a line of tool output names, if any; `names` says which kind of folder the line
 * names (the output folder, another known one), which permission refusals need.
 */
export function problemInText(text: string, names?: 'output' | 'other'): StorageProblem | undefined {
  for (const [pattern, problem] of TEXTS) if (pattern.test(text)) return problem;
  if (names !== undefined && PERMISSION_DENIED.test(text)) return 'no-permission';
  if (names === 'output' && NOT_PERMITTED.test(text)) return 'no-permission';
  return undefined;
}

const ERROR_CODE: Readonly<Record<StorageProblem, ErrorCode>> = {
  'no-space': 'disk-full',
  quota: 'disk-full',
  'read-only': 'read-only',
  'no-permission': 'permission-denied',
  missing: 'folder-missing',
  'not-a-folder': 'folder-missing',
};

/** The folder holding a path (the path itself for a folder the caller names). */
export function parentFolder(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '.';
  return cut === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, cut);
}

/** Is path the folder or inside it? */
export function isWithin(path: string, folder: string): boolean {
  const base = folder.replace(/[\\/]+$/, '');
  return path === base || path.startsWith(`${base}/`) || path.startsWith(`${base}\\`);
}

/** Where a host path is: the output folder when inside it, else its own folder. */
export function placeOfPath(path: string | undefined, outputDir?: string): StoragePlace {
  if (outputDir !== undefined && (path === undefined || isWithin(path, outputDir))) return { kind: 'output', folder: outputDir };
  return path === undefined ? { kind: 'unknown' } : { kind: 'folder', folder: parentFolder(path) };
}

type Words = { readonly message: string; readonly hint: string };

function sayOutput(problem: StorageProblem, f: string, path: string | undefined): Words {
  switch (problem) {
    case 'no-space':
      return { message: `No space left in ${f}`, hint: 'Free space on its drive, or choose another output folder' };
    case 'quota':
      return { message: `Your disk quota is used up in ${f}`, hint: 'Free space within your quota, or choose another output folder' };
    case 'read-only':
      return { message: `The output folder ${f} is on a read-only file system`, hint: 'Choose a writable output folder (or remount its drive read-write)' };
    case 'no-permission':
      return { message: `No permission to write in ${f}`, hint: 'Choose an output folder you can write to, or get write access to this one' };
    case 'missing':
      return {
        message: path === undefined || path === f ? `The output folder ${f} does not exist` : `The output folder ${f} lost ${path} while it was written`,
        hint: 'Choose an existing output folder (or reconnect its drive), then build again',
      };
    case 'not-a-folder':
      return { message: `The output folder ${f} cannot be used: ${path ?? f} is a file, not a folder`, hint: 'Choose another output folder, or move that file away' };
  }
}

function sayDocker(problem: StorageProblem): Words {
  switch (problem) {
    case 'no-space':
    case 'quota':
      return {
        message: "No space left in Docker's storage",
        hint: 'Free space where the Docker engine keeps its data (`docker system df` shows what uses it, `docker system prune` removes what is unused), then build again',
      };
    case 'read-only':
      return { message: "Docker's storage is on a read-only file system", hint: "Check the Docker engine's data folder (Docker Root Dir in `docker info`), then build again" };
    default:
      return { message: 'The Docker engine was refused access to its storage', hint: "Check the Docker engine's data folder (Docker Root Dir in `docker info`) and its permissions" };
  }
}

function sayOther(problem: StorageProblem, f: string | undefined, path: string | undefined): Words {
  switch (problem) {
    case 'no-space':
      return { message: f ? `No space left in ${f}` : 'No space left on the drive being written', hint: 'Free space on that drive, then try again' };
    case 'quota':
      return { message: f ? `Your disk quota is used up in ${f}` : 'Your disk quota is used up', hint: 'Free space within your quota, then try again' };
    case 'read-only':
      return { message: f ? `${f} is on a read-only file system` : 'The folder being written is on a read-only file system', hint: 'Use a writable folder, or remount its drive read-write' };
    case 'no-permission':
      return { message: `No permission to use ${path ?? f ?? 'a file'}`, hint: 'Check its permissions, or use a file or folder you may read and write' };
    case 'missing':
      return { message: `${path ?? 'A file or folder'} does not exist`, hint: 'Check the path (and that its drive is connected)' };
    case 'not-a-folder':
      return { message: `${path ?? 'A path'}: part of it is a file, not a folder`, hint: 'Check the path' };
  }
}

function say(problem: StorageProblem, place: StoragePlace, path: string | undefined): Words {
  switch (place.kind) {
    case 'output':
      return sayOutput(problem, place.folder, path);
    case 'docker':
      return sayDocker(problem);
    case 'folder':
      return sayOther(problem, place.folder, path);
    case 'unknown':
      return sayOther(problem, undefined, path);
  }
}

/** The error a storage problem makes, saying what to do (and where the full output is). */
export function storageErrorData(problem: StorageProblem, place: StoragePlace, options: StorageErrorOptions = {}): AppErrorData {
  const { message, hint } = say(problem, place, options.path);
  return {
    code: ERROR_CODE[problem],
    message: options.what ? `${message} (${options.what})` : message,
    hint: options.logFile ? `${hint}; the full output is in ${options.logFile}` : hint,
    ...(options.logFile ? { logFile: options.logFile } : {}),
  };
}

interface NodeErrorLike {
  readonly code?: unknown;
  readonly path?: unknown;
  readonly syscall?: unknown;
}

/**
 * A Node file system error (its code and path) as what to do, or undefined for any other error.
 * With the output folder known, refusals inside it name that folder and suggest another one.
 */
export function fsErrorData(error: unknown, context: { readonly outputDir?: string; readonly what?: string; readonly logFile?: string } = {}): AppErrorData | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, path, syscall } = error as NodeErrorLike;
  const problem = problemOfCode(code, syscall);
  // A program that cannot be started (spawn ... ENOENT) is not a storage problem.
  if (!problem || (typeof syscall === 'string' && syscall.startsWith('spawn'))) return undefined;
  const at = typeof path === 'string' ? path : undefined;
  // Without a path, only a full or read-only disk is surely about storage (EACCES may be a socket).
  if (at === undefined && problem !== 'no-space' && problem !== 'quota' && problem !== 'read-only') return undefined;
  const place = placeOfPath(at, context.outputDir);
  return storageErrorData(problem, place, {
    ...(at !== undefined ? { path: at } : {}),
    ...(context.what ? { what: context.what } : {}),
    ...(context.logFile ? { logFile: context.logFile } : {}),
  });
}

/** A folder as a tool in the builder container sees it ("/out"), and where it really is. */
export interface ToolMount {
  readonly prefix: string;
  readonly place: StoragePlace;
}

function mountIn(line: string, mounts: ReadonlyArray<ToolMount>): ToolMount | undefined {
  return mounts.find((m) => new RegExp(`(^|[\\s'"\`‘“(=:])${m.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|[\\s'"\`’”):,]|$)`).test(line));
}

/**
 * The storage problem in a failed tool's output: the first line naming one, placed by the path on
 * that line (or, without one, where the command wrote: the fallback).
 */
export function toolStorageError(
  lines: ReadonlyArray<string>,
  options: { readonly mounts: ReadonlyArray<ToolMount>; readonly fallback: StoragePlace; readonly what?: string; readonly logFile?: string },
): AppErrorData | undefined {
  for (const line of lines) {
    const mount = mountIn(line, options.mounts);
    const problem = problemInText(line, mount === undefined ? undefined : mount.place.kind === 'output' ? 'output' : 'other');
    if (!problem) continue;
    return storageErrorData(problem, mount?.place ?? options.fallback, {
      ...(options.what ? { what: options.what } : {}),
      ...(options.logFile ? { logFile: options.logFile } : {}),
    });
  }
  return undefined;
}

/**
 * A Docker engine error (its message) that is about the engine's own storage: full or read-only.
 * Other refusals ("permission denied while trying to connect") are no storage problem.
 */
export function engineStorageError(text: string, options: { readonly what?: string; readonly logFile?: string } = {}): AppErrorData | undefined {
  const problem = problemInText(text);
  if (problem !== 'no-space' && problem !== 'quota' && problem !== 'read-only') return undefined;
  return storageErrorData(problem, { kind: 'docker' }, options);
}
