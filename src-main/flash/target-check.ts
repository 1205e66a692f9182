// The facts the target policy (src-shared/drives/target-policy.ts) rules on, gathered from this
// machine: the image (links followed, its file and file system), and each target as given
// (a drive of the current list, found by its device numbers after links; a regular or new file;
// or something that is no target at all). Used by the handler table for every shell and again by
// the elevated helper right before it opens anything.
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ImageFacts } from '../../src-shared/drives/drive-constraints.js';
import type { Drive, DriveIdentity } from '../../src-shared/drives/drive-types.js';
import { policyError, targetProblems, type TargetFact } from '../../src-shared/drives/target-policy.js';
import { pathFacts } from '../drives/file-id.js';
import { listDrives } from '../drives/list-drives.js';

export interface TargetCheckRequest {
  readonly image: string;
  /** The image's size once decompressed, when known. */
  readonly imageSize?: number;
  readonly targets: ReadonlyArray<string>;
  readonly allowVirtual: boolean;
  readonly confirmations: Readonly<Record<string, string>>;
  /** The identity each drive had when the user picked it, by target as given. */
  readonly picked?: Readonly<Record<string, DriveIdentity>>;
  /** The drives to judge against; read now when not given. */
  readonly drives?: ReadonlyArray<Drive>;
}

export interface CheckedTargets {
  readonly image: ImageFacts;
  readonly targets: ReadonlyArray<Exclude<TargetFact, { kind: 'invalid' }>>;
}

export async function imageFacts(path: string, size?: number): Promise<ImageFacts> {
  const facts = await pathFacts(resolve(path));
  return {
    path: facts?.real ?? resolve(path),
    ...(size !== undefined ? { size } : {}),
    ...(facts ? { fileId: facts.fileId, device: facts.device } : {}),
  };
}

const WINDOWS_DRIVE = /^\\\\\.\\PhysicalDrive\d+$/i;

/** One target as given -> what it is. Pure of policy: it only describes. */
export async function targetFact(given: string, drives: ReadonlyArray<Drive>): Promise<TargetFact> {
  if (WINDOWS_DRIVE.test(given)) {
    const drive = drives.find((d) => d.device.toLowerCase() === given.toLowerCase());
    return drive ? { kind: 'drive', given, drive } : { kind: 'invalid', given, message: `${given} is not in the list of drives any more`, hint: 'It may have been unplugged; refresh the list' };
  }
  const path = resolve(given);
  const facts = await pathFacts(path);
  if (!facts) {
    if (/^\/dev\//.test(path)) return { kind: 'invalid', given, message: `${given} does not exist`, hint: 'It may have been unplugged; refresh the list' };
    // A link to nothing: creating "it" would create whatever it points at.
    if ((await lstat(path).catch(() => undefined))?.isSymbolicLink()) {
      return { kind: 'invalid', given, message: `${given} is a link to a file that does not exist`, hint: 'Name the file itself' };
    }
    const folder = await realpath(dirname(path)).catch(() => undefined);
    if (!folder) return { kind: 'invalid', given, message: `The folder of ${given} does not exist`, hint: 'Create the folder first, or choose another file' };
    const folderFacts = await pathFacts(folder);
    if (folderFacts?.isFile || folderFacts?.isBlockDevice) return { kind: 'invalid', given, message: `${dirname(path)} is not a folder` };
    return { kind: 'file', given, path: join(folder, basename(path)) };
  }
  if (facts.isFile) return { kind: 'file', given, path: facts.real, fileId: facts.fileId };
  if (facts.isBlockDevice) {
    const drive = drives.find((d) => d.devices?.[0] === facts.rdev) ?? drives.find((d) => d.device === facts.real || d.device === path);
    if (drive) return { kind: 'drive', given, drive };
    const whole = drives.find((d) => facts.rdev !== undefined && (d.devices ?? []).includes(facts.rdev));
    if (whole) return { kind: 'invalid', given, message: `${given} is a partition of ${whole.device}`, hint: `Write the whole drive, ${whole.device}` };
    return { kind: 'invalid', given, message: `${given} is not a drive that can be written (not in the list of drives)`, hint: 'Pick a USB stick, SD card or disk from the list' };
  }
  return { kind: 'invalid', given, message: `${given} is neither a drive nor a regular file`, hint: 'Choose a drive from the list, or a file to write the image into' };
}

/** Gathers the facts and applies the policy; throws one AppError naming every problem. */
export async function checkTargets(request: TargetCheckRequest): Promise<CheckedTargets> {
  const drives = request.drives ?? (await listDrives({ includeVirtual: true }));
  const image = await imageFacts(request.image, request.imageSize);
  const facts = await Promise.all(request.targets.map((t) => targetFact(t, drives)));
  const problems = targetProblems({
    image,
    targets: facts,
    allowVirtual: request.allowVirtual,
    confirmations: request.confirmations,
    ...(request.picked ? { picked: request.picked } : {}),
    platform: process.platform,
  });
  if (problems.length > 0) throw AppError.fromData(policyError(problems));
  return { image, targets: facts.filter((f): f is Exclude<TargetFact, { kind: 'invalid' }> => f.kind !== 'invalid') };
}
