// Which picture stands for a drive, a board or a distribution. Pure, so the choices are
// unit-tested; the drawings are in icons.tsx.
import type { Drive } from '../../src-shared/drives/drive-types.js';
import { findRelease } from '../../src-shared/recipe/distros.js';
import { findModel } from '../../src-shared/recipe/catalog.js';
import { parseImageRef } from '../../src-shared/util/image-ref.js';

export type DriveIcon = 'usb' | 'sd' | 'disk' | 'loop' | 'file' | 'drive';

export function driveIcon(drive: Pick<Drive, 'kind'>): DriveIcon {
  switch (drive.kind) {
    case 'usb':
      return 'usb';
    case 'sd':
      return 'sd';
    case 'internal':
      return 'disk';
    case 'loop':
      return 'loop';
    case 'file':
      return 'file';
    case 'other':
      return 'drive';
  }
}

export type BoardIcon = 'pc' | 'pi' | 'module';

/** Generic: a PC or VM; the Raspberry Pis: a board; Jetsons and other arm64 boards: a module. */
export function boardIcon(modelId: string): BoardIcon {
  if (modelId === 'generic' || !findModel(modelId)) return 'pc';
  return modelId.startsWith('rpi') ? 'pi' : 'module';
}

export interface DistroMark {
  /** Two letters, as on the badge. */
  readonly letters: string;
  /** Badge colour: each keeps white letters at 4.5:1 or more (tested), in both themes. */
  readonly colour: string;
}

// Letters and colours near each project's own, not their logos (trademarks stay with their owners).
const MARKS: Readonly<Record<string, DistroMark>> = {
  ubuntu: { letters: 'Ub', colour: '#b2420f' },
  debian: { letters: 'De', colour: '#a80030' },
  fedora: { letters: 'Fe', colour: '#294172' },
  rocky: { letters: 'Ro', colour: '#0a6b4d' },
  almalinux: { letters: 'AL', colour: '#1b4f72' },
  opensuse: { letters: 'oS', colour: '#3b6e12' },
  alpine: { letters: 'Ap', colour: '#0d597f' },
  kairos: { letters: 'K', colour: '#5b2d86' },
};
const OTHER: DistroMark = { letters: '?', colour: '#4d5562' };

export const DISTRO_MARK_IDS = Object.keys(MARKS);

/** The badge of a distribution id, of a base image reference (ubuntu:24.04, quay.io/kairos/…), or "?" for others. */
export function distroMark(idOrImage: string): DistroMark {
  const byId = MARKS[idOrImage];
  if (byId) return byId;
  if (/(^|\/)kairos\//.test(idOrImage)) return MARKS.kairos!;
  const known = findRelease(idOrImage)?.distro?.id ?? REPOSITORIES.find(([re]) => re.test(parseImageRef(idOrImage)?.repository ?? ''))?.[1];
  return (known && MARKS[known]) || OTHER;
}

// Another tag of a known distribution's image (ubuntu:23.10, docker.io/library/debian:sid) still
// gets its badge: matched on the repository's name, registry and tag left out.
const REPOSITORIES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(library\/)?ubuntu$/, 'ubuntu'],
  [/^(library\/)?debian$/, 'debian'],
  [/^(library\/)?fedora$/, 'fedora'],
  [/^(rockylinux\/)?rockylinux$/, 'rocky'],
  [/^(library\/)?almalinux$/, 'almalinux'],
  [/^opensuse\//, 'opensuse'],
  [/^(library\/)?alpine$/, 'alpine'],
];
