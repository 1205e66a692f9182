import { describe, expect, it } from 'vitest';
import { kairosInitGeneration, kairosInitStageArgs, kairosInitValidateArgs } from '../../../src-shared/kairosify/kairos-init-flags.js';
import { MODELS } from '../../../src-shared/recipe/catalog.js';
import { RecipeSchema } from '../../../src-shared/recipe/recipe-schema.js';

const recipe = (version: string, provider: 'none' | 'k3s' = 'k3s') =>
  RecipeSchema.parse({
    name: 'x',
    version: 'v1.2.3',
    source: { baseImage: 'ubuntu:24.04' },
    kairosify: { method: 'kairos-init', kairosInitVersion: version },
    variant: provider === 'none' ? 'core' : 'standard',
    provider: { name: provider, version: provider === 'none' ? '' : 'v1.32.0+k3s1' },
  });

describe('kairos-init flag generations', () => {
  it.each([
    ['v0.2.4', 'go-flag'],
    ['v0.4.9', 'go-flag'],
    ['v0.5.0', 'cobra-k'],
    ['v0.5.29', 'cobra-k'],
    ['v0.6.0', 'cobra-p'],
    ['v0.17.3', 'cobra-p'],
    ['v1.0.0', 'cobra-p'],
  ])('%s speaks %s', (version, generation) => {
    expect(kairosInitGeneration(version)).toBe(generation);
  });

  it('v0.2: variant and -k, framework -f, no --version', () => {
    expect(kairosInitStageArgs(recipe('v0.2.4'), 'install')).toEqual(
      ['-l', 'info', '-s', 'install', '-m', 'generic', '-v', 'standard', '-k', 'k3s', '--k8sversion', 'v1.32.0+k3s1', '-t', 'false', '-f', 'v2.18.3'],
    );
    expect(kairosInitValidateArgs(recipe('v0.2.4'))).toEqual(['--validate', '-t', 'false']);
  });

  it('v0.3 and v0.4 add the required --version', () => {
    expect(kairosInitStageArgs(recipe('v0.4.9'), 'init')).toContain('--version');
  });

  it('v0.5: -k with --k8sversion, no variant flag (-v means --version there)', () => {
    const args = kairosInitStageArgs(recipe('v0.5.8'), 'install');
    expect(args).toEqual(['-l', 'info', '-s', 'install', '-m', 'generic', '-k', 'k3s', '--k8sversion', 'v1.32.0+k3s1', '-t', 'false', '--version', 'v1.2.3']);
    expect(kairosInitValidateArgs(recipe('v0.5.8'))).toEqual(['validate', '-t', 'false']);
  });

  it('v0.6+: -p with --provider-<name>-version; core passes no provider', () => {
    expect(kairosInitStageArgs(recipe('v0.17.3'), 'init')).toEqual(
      ['-l', 'info', '-s', 'init', '-m', 'generic', '-p', 'k3s', '--provider-k3s-version', 'v1.32.0+k3s1', '-t', 'false', '--version', 'v1.2.3'],
    );
    expect(kairosInitStageArgs(recipe('v0.17.3', 'none'), 'init')).not.toContain('-p');
  });

  it('-m is only ever a model kairos-init knows: the Raspberry Pi 5 never gets this far', () => {
    const given: string[] = [];
    for (const model of MODELS) {
      const parsed = RecipeSchema.safeParse({
        name: 'x',
        source: { baseImage: 'debian:bookworm' },
        kairosify: { method: 'kairos-init' },
        model: model.id,
        arch: model.requiredArch ?? 'amd64',
      });
      if (!parsed.success) {
        expect(parsed.error.issues.map((i) => i.path.join('.')), model.id).toEqual(['model']);
        continue;
      }
      const args = kairosInitStageArgs(parsed.data, 'install');
      given.push(args[args.indexOf('-m') + 1]!);
    }
    expect(given).toEqual(MODELS.filter((m) => m.upstream).map((m) => m.id));
    expect(given).not.toContain('rpi5');
  });
});
