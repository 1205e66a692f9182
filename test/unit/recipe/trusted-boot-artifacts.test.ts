import { describe, expect, it } from 'vitest';
import { artifactsForTrustedBoot } from '../../../src-shared/recipe/trusted-boot-artifacts.js';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';

describe('artifactsForTrustedBoot', () => {
  it('turning it on swaps the ISO for the signed UKI and says so in the wizard\'s words', () => {
    const r = artifactsForTrustedBoot(['iso', 'raw-efi', 'rootfs-tar'], true);
    expect(r.artifacts).toEqual(['uki', 'rootfs-tar']);
    expect(r.note).toBe('Artifacts: selected "Signed UKI"; unselected "Hybrid ISO", "Raw disk (EFI)", which cannot boot a Trusted Boot system. Change them on the Artifacts step.');
  });

  it('leaves an already Trusted Boot selection alone, without a note', () => {
    expect(artifactsForTrustedBoot(['uki', 'rootfs-tar'], true)).toEqual({ artifacts: ['uki', 'rootfs-tar'] });
    expect(artifactsForTrustedBoot(['iso'], false)).toEqual({ artifacts: ['iso'] });
  });

  it('turning it off unselects the UKI, and picks the ISO when nothing bootable is left', () => {
    expect(artifactsForTrustedBoot(['uki'], false)).toEqual({ artifacts: ['iso'], note: 'Artifacts: unselected "Signed UKI", which needs Trusted Boot; selected "Hybrid ISO" instead. Change them on the Artifacts step.' });
    expect(artifactsForTrustedBoot(['uki', 'rootfs-tar'], false).artifacts).toEqual(['iso', 'rootfs-tar']);
  });

  it('gives a selection the recipe rules accept, either way', () => {
    const base = { name: 'tb', version: 'v1.0.0', source: { baseImage: 'ubuntu:24.04' }, output: 'build' };
    for (const start of [['iso'], ['iso', 'raw-efi', 'netboot'], ['uki'], ['rootfs-tar']] as const) {
      for (const enabled of [true, false]) {
        const { artifacts } = artifactsForTrustedBoot(start, enabled);
        const result = parseRecipeYaml(JSON.stringify({ ...base, trustedBoot: { enabled }, artifacts }));
        const artifactIssues = result.ok ? [] : result.issues.filter((i) => i.path === 'artifacts');
        expect(artifactIssues, `${start.join(',')} -> ${enabled}`).toEqual([]);
      }
    }
  });
});
