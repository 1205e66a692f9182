// kairos-init's command line changed twice; the generation is chosen by the version in the recipe.
// Facts from the kairos-init releases (main.go at each tag):
//   v0.2-v0.4 "go-flag": -l -s -m -v VARIANT -k PROVIDER --k8sversion -r -t -f FRAMEWORK --fips
//                        --validate; --version exists from v0.3.0 (required), not in v0.2.x.
//   v0.5.x   "cobra-k": -l -s -m -k/--kubernetes-provider --k8sversion -t --fips --version
//                        (-v is now --version!), `validate -t` subcommand.
//   v0.6+    "cobra-p": -p/--provider NAME (repeatable; none = core), --provider-NAME-version,
//                        otherwise as v0.5.x.
import type { Recipe } from '../recipe/recipe-schema.js';
import { imageTag } from '../util/image-ref.js';
import { kairosVersion } from './kairos-release.js';

export type KairosInitGeneration = 'go-flag' | 'cobra-k' | 'cobra-p';

export function parseVersion(version: string): readonly [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = parseVersion(version);
  return a > major || (a === major && b >= minor);
}

export function kairosInitGeneration(version: string): KairosInitGeneration {
  if (atLeast(version, 0, 6)) return 'cobra-p';
  if (atLeast(version, 0, 5)) return 'cobra-k';
  return 'go-flag';
}

export type KairosInitStage = 'install' | 'init';

/** Arguments of one `kairos-init` stage run. */
export function kairosInitStageArgs(recipe: Recipe, stage: KairosInitStage): string[] {
  const generation = kairosInitGeneration(recipe.kairosify.kairosInitVersion);
  const trusted = String(recipe.trustedBoot.enabled);
  const provider = recipe.provider;
  const args = ['-l', 'info', '-s', stage, '-m', recipe.model];
  switch (generation) {
    case 'go-flag':
      args.push('-v', recipe.variant);
      if (provider.name !== 'none') {
        args.push('-k', provider.name);
        if (provider.version) args.push('--k8sversion', provider.version);
      }
      args.push('-t', trusted);
      if (recipe.kairosify.framework !== 'none') args.push('-f', imageTag(recipe.kairosify.framework));
      if (atLeast(recipe.kairosify.kairosInitVersion, 0, 3)) args.push('--version', kairosVersion(recipe));
      break;
    case 'cobra-k':
      if (provider.name !== 'none') {
        args.push('-k', provider.name);
        if (provider.version) args.push('--k8sversion', provider.version);
      }
      args.push('-t', trusted, '--version', kairosVersion(recipe));
      break;
    case 'cobra-p':
      if (provider.name !== 'none') {
        args.push('-p', provider.name);
        if (provider.version) args.push(`--provider-${provider.name}-version`, provider.version);
      }
      args.push('-t', trusted, '--version', kairosVersion(recipe));
      break;
  }
  if (recipe.fips) args.push('--fips');
  return args;
}

/** Arguments of the validation run after both stages. */
export function kairosInitValidateArgs(recipe: Recipe): string[] {
  const generation = kairosInitGeneration(recipe.kairosify.kairosInitVersion);
  const trusted = String(recipe.trustedBoot.enabled);
  if (generation === 'go-flag') return ['--validate', '-t', trusted];
  return ['validate', '-t', trusted];
}
