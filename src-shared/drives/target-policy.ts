// The flash target policy: every rule that protects the user's disks, as one pure function over
// facts about the image and the targets. The handler table applies it for every shell (CLI, web,
// Electron) before a flash job starts, and the elevated helper applies it again right before it
// opens the devices, against the identity the user picked (src-main/flash/target-check.ts
// gathers the facts). Shells hold no rules of their own.
import type { AppErrorData, ErrorCode } from '../errors/app-error.js';
import { formatBytes } from '../util/format.js';
import { confirmationWord, driveFindings, isSystemDrive, sameFile, type ImageFacts } from './drive-constraints.js';
import type { ConstraintCode, Drive, DriveIdentity, FileId } from './drive-types.js';

export type TargetFact =
  | { readonly kind: 'drive'; readonly given: string; readonly drive: Drive }
  /** A regular file to write, or a new one (no fileId) in an existing folder; `path` has its links followed. */
  | { readonly kind: 'file'; readonly given: string; readonly path: string; readonly fileId?: FileId }
  /** Not something to write: a folder, a FIFO, a partition, a device that is gone. */
  | { readonly kind: 'invalid'; readonly given: string; readonly message: string; readonly hint?: string };

export interface PolicyInput {
  readonly image: ImageFacts;
  readonly targets: ReadonlyArray<TargetFact>;
  /** Loop devices and image files are targets only when asked for (a setting, or naming them on the CLI). */
  readonly allowVirtual: boolean;
  /** What was typed to confirm a system drive, keyed by the target as given, its device, or its name. */
  readonly confirmations: Readonly<Record<string, string>>;
  /** The identity of each drive as the user picked it, keyed by the target as given. */
  readonly picked?: Readonly<Record<string, DriveIdentity>>;
  readonly platform: string;
}

export type PolicyCode =
  | ConstraintCode
  | 'not-a-target'
  | 'virtual-not-allowed'
  | 'forbidden-path'
  | 'is-image'
  | 'duplicate'
  | 'identity-changed'
  | 'not-confirmed';

export interface PolicyProblem {
  readonly target: string;
  readonly code: PolicyCode;
  readonly message: string;
  readonly hint?: string;
}

/** Folders no image file is ever written into: kernel interfaces, devices, runtime state, configuration. */
const FORBIDDEN_POSIX = ['/proc', '/sys', '/dev', '/run', '/etc'];

export function isForbiddenFilePath(path: string, platform: string): boolean {
  if (platform === 'win32') return /^[a-z]:\\windows(\\|$)/i.test(path) || /^\\\\[.?]\\/.test(path);
  return FORBIDDEN_POSIX.some((root) => path === root || path.startsWith(`${root}/`));
}

function describeIdentity(identity: DriveIdentity): string {
  const parts = [formatBytes(identity.size)];
  if (identity.byId) parts.push(identity.byId);
  else if (identity.serial) parts.push(`serial ${identity.serial}`);
  if (identity.backingPath) parts.push(`on ${identity.backingPath}`);
  return parts.join(', ');
}

/** Whether the drive now at a path is the one picked: same size, and same serial / by-id name / backing file where both are known. */
export function sameIdentity(picked: DriveIdentity, now: DriveIdentity): boolean {
  const differ = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && a !== b;
  return picked.size === now.size && !differ(picked.serial, now.serial) && !differ(picked.byId, now.byId) && !differ(picked.backingPath, now.backingPath);
}

export function identityOf(drive: Drive): DriveIdentity {
  return drive.identity ?? { size: drive.size };
}

function confirmedWord(input: PolicyInput, given: string, drive: Drive): string | undefined {
  const word = confirmationWord(drive);
  return input.confirmations[given] ?? input.confirmations[drive.device] ?? input.confirmations[word];
}

/** What identifies a target for duplicate detection: the device (after links) or the file (dev:inode). */
function targetKey(fact: TargetFact): string | undefined {
  switch (fact.kind) {
    case 'drive':
      return `drive:${fact.drive.devices?.[0] ?? fact.drive.device}`;
    case 'file':
      return fact.fileId ? `file:${fact.fileId.dev}:${fact.fileId.ino}` : `path:${fact.path}`;
    case 'invalid':
      return undefined;
  }
}

const HINTS: Partial<Record<ConstraintCode, string>> = {
  'too-small': 'Use a bigger drive',
  'read-only': 'Slide the lock switch, or use another drive',
  'no-medium': 'Insert a card in the reader, then pick it again from a fresh drive list',
};

function driveProblems(input: PolicyInput, given: string, drive: Drive): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (drive.kind === 'loop' && !input.allowVirtual) {
    problems.push({ target: given, code: 'virtual-not-allowed', message: `${given} is a loop device`, hint: 'Loop devices are targets only when asked for: turn on "Show loop devices and image files"' });
  }
  const picked = input.picked?.[given];
  if (picked && !sameIdentity(picked, identityOf(drive))) {
    problems.push({
      target: given,
      code: 'identity-changed',
      message: `${given} is not the drive that was picked: it was ${describeIdentity(picked)}, now it is ${describeIdentity(identityOf(drive))}`,
      hint: 'The drive was unplugged or replaced: pick it again from a fresh drive list',
    });
  }
  for (const finding of driveFindings(drive, input.image)) {
    if (finding.severity !== 'error') continue;
    const hint = HINTS[finding.code] ?? 'Copy the image to another drive first, or pick another target';
    problems.push({ target: given, code: finding.code, message: `${given}: ${finding.message}`, hint });
  }
  if (isSystemDrive(drive)) {
    const word = confirmationWord(drive);
    const typed = confirmedWord(input, given, drive);
    if (typed !== word) {
      const why = drive.mountpoints.length > 0 ? ` (it holds ${drive.mountpoints.join(', ')})` : '';
      problems.push({
        target: given,
        code: 'not-confirmed',
        message: `${given} looks like a system drive${why}: writing it can make this computer unbootable`,
        hint: typed === undefined ? `To write it anyway, confirm it by its name, ${word}` : `The confirmation "${typed}" is not its name, ${word}`,
      });
    }
  }
  return problems;
}

function fileProblems(input: PolicyInput, fact: Extract<TargetFact, { kind: 'file' }>): PolicyProblem[] {
  const { given, path } = fact;
  if (!input.allowVirtual) {
    return [{ target: given, code: 'virtual-not-allowed', message: `${given} is not a drive`, hint: 'Image files are targets only when asked for: turn on "Show loop devices and image files", or check the drive name' }];
  }
  if (isForbiddenFilePath(path, input.platform)) {
    return [{ target: given, code: 'forbidden-path', message: `${given} is under ${path.split(/[\\/]/).slice(0, 2).join('/') || path}, where no image file is written`, hint: 'Choose a file in your own folders' }];
  }
  if (path === input.image.path || sameFile(fact.fileId, input.image.fileId)) {
    return [{ target: given, code: 'is-image', message: `${given} is the image itself${path !== given ? ` (${path})` : ''}: writing it would destroy the image`, hint: 'Choose another file to write' }];
  }
  return [];
}

/** Every problem of a flash request, in the order of its targets; empty when it may go ahead. */
export function targetProblems(input: PolicyInput): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  const seen = new Map<string, string>();
  for (const fact of input.targets) {
    const key = targetKey(fact);
    const first = key !== undefined ? seen.get(key) : undefined;
    // A second name of the image is reported as the image, the worse of the two.
    const isImage = fact.kind === 'file' && fileProblems(input, fact).some((p) => p.code === 'is-image');
    if (first !== undefined && !isImage) {
      problems.push({ target: fact.given, code: 'duplicate', message: `${fact.given} is the same ${fact.kind === 'drive' ? 'drive' : 'file'} as ${first}`, hint: 'Name each target once' });
      continue;
    }
    if (key !== undefined) seen.set(key, fact.given);
    switch (fact.kind) {
      case 'invalid':
        problems.push({ target: fact.given, code: 'not-a-target', message: fact.message, ...(fact.hint ? { hint: fact.hint } : {}) });
        break;
      case 'file':
        problems.push(...fileProblems(input, fact));
        break;
      case 'drive':
        problems.push(...driveProblems(input, fact.given, fact.drive));
        break;
    }
  }
  return problems;
}

const ERROR_CODE: Partial<Record<PolicyCode, ErrorCode>> = { 'too-small': 'target-too-small', 'not-confirmed': 'not-confirmed' };

/** The problems as one error: the first one's code, every problem on its own line. */
export function policyError(problems: ReadonlyArray<PolicyProblem>): AppErrorData {
  const first = problems[0];
  if (!first) return { code: 'internal', message: 'No problem to report' };
  const message = problems.length === 1 ? first.message : ['Nothing was written:', ...problems.map((p) => `  ${p.message}`)].join('\n');
  const hints = [...new Set(problems.map((p) => p.hint).filter((h): h is string => h !== undefined))];
  return { code: ERROR_CODE[first.code] ?? 'target-invalid', message, ...(hints.length ? { hint: hints.join('; ') } : {}) };
}
