import { describe, expect, it } from 'vitest';
import { DISTRO_MARK_IDS, boardIcon, distroMark, driveIcon } from '../../../src-renderer/components/icon-kinds.js';
import type { DriveKind } from '../../../src-shared/drives/drive-types.js';
import { DISTROS, KAIROS_RELEASES } from '../../../src-shared/recipe/distros.js';
import { MODELS } from '../../../src-shared/recipe/catalog.js';

// WCAG 2 relative luminance and contrast ratio.
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrastWithWhite = (hex: string) => 1.05 / (luminance(hex) + 0.05);

describe('driveIcon', () => {
  it('gives each drive kind its own picture', () => {
    const kinds: DriveKind[] = ['usb', 'sd', 'internal', 'loop', 'file', 'other'];
    const icons = kinds.map((kind) => driveIcon({ kind }));
    expect(new Set(icons).size).toBe(kinds.length);
    expect(driveIcon({ kind: 'sd' })).toBe('sd');
    expect(driveIcon({ kind: 'internal' })).toBe('disk');
  });
});

describe('boardIcon', () => {
  it('shows a PC for generic, a board for the Pis, a module for the other boards', () => {
    expect(MODELS.map((m) => [m.id, boardIcon(m.id)])).toEqual(
      MODELS.map((m) => [m.id, m.id === 'generic' ? 'pc' : m.id.startsWith('rpi') ? 'pi' : 'module']),
    );
    expect(boardIcon('no-such-board')).toBe('pc');
  });
});

describe('distroMark', () => {
  it('has a badge for every distribution the wizard lists, found by id and by each release image', () => {
    for (const d of DISTROS) {
      expect(DISTRO_MARK_IDS, d.id).toContain(d.id);
      for (const r of d.releases) expect(distroMark(r.image), r.image).toEqual(distroMark(d.id));
    }
    for (const r of KAIROS_RELEASES) expect(distroMark(r.image).letters).toBe('K');
  });

  it('tells the distributions apart and keeps white letters readable (4.5:1) on every badge', () => {
    const marks = DISTRO_MARK_IDS.map((id) => distroMark(id));
    expect(new Set(marks.map((m) => m.letters)).size).toBe(marks.length);
    for (const m of [...marks, distroMark('someone/else:1')]) expect(contrastWithWhite(m.colour), m.letters).toBeGreaterThanOrEqual(4.5);
  });

  it('knows other tags and registries of a known distribution, and says "?" for the rest', () => {
    expect(distroMark('ubuntu:23.10').letters).toBe('Ub');
    expect(distroMark('docker.io/library/debian:sid').letters).toBe('De');
    expect(distroMark('registry.example.com:5000/alpine:edge').letters).toBe('Ap');
    expect(distroMark('opensuse/tumbleweed').letters).toBe('oS');
    expect(distroMark(`rockylinux/rockylinux:8@sha256:${'a'.repeat(64)}`).letters).toBe('Ro');
    expect(distroMark('ghcr.io/acme/kairos/ubuntu:1').letters).toBe('K');
    expect(distroMark('acme/ubuntu-custom:1').letters).toBe('?');
    expect(distroMark('').letters).toBe('?');
  });
});
