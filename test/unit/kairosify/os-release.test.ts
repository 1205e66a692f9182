import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFamily, parseOsRelease } from '../../../src-shared/kairosify/os-release.js';

const fixture = (name: string) => parseOsRelease(readFileSync(new URL(`../../fixtures/os-release/${name}`, import.meta.url), 'utf8'));

describe('os-release', () => {
  it('parses quoted and unquoted values and ID_LIKE lists', () => {
    const rocky = fixture('rocky-9');
    expect(rocky).toEqual({ id: 'rocky', idLike: ['rhel', 'centos', 'fedora'], versionId: '9.4', versionCodename: '', prettyName: 'Rocky Linux 9.4 (Blue Onyx)' });
    expect(parseOsRelease('# comment\nID="deb\\"ian"\n\nbroken line\n').id).toBe('deb"ian');
  });

  it.each([
    ['debian-12', 'debian'],
    ['ubuntu-24.04', 'ubuntu'],
    ['ubuntu-22.04', 'ubuntu'],
    ['fedora-40', 'fedora'],
    ['fedora-41', 'fedora'],
    ['rocky-9', 'rhel'],
    ['opensuse-leap-15.6', 'opensuse'],
    ['alpine-3.20', 'alpine'],
    ['alpine-3.21', 'alpine'],
    // Derivatives are recognised by what they are like, not by their names.
    ['linuxmint-21', 'ubuntu'],
  ])('detects the family of %s', (name, family) => {
    expect(detectFamily(fixture(name))).toBe(family);
  });

  it.each(['arch', 'gentoo', 'void'])('gives no family for an unsupported distribution (%s)', (name) => {
    expect(detectFamily(fixture(name))).toBeUndefined();
  });
});
