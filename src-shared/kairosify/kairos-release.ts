// /etc/kairos-release: the keys Kairos reads at boot and on upgrade, with the values kairos-init
// writes (kairos-init pkg/stages/steps_init.go GetKairosReleaseStage), from the Recipe.
import type { Recipe } from '../recipe/recipe-schema.js';
import type { OsFamily } from './os-release.js';

/** KAIROS_FAMILY as kairos-init names it. */
const KAIROS_FAMILY: Readonly<Record<OsFamily, string>> = {
  debian: 'debian',
  ubuntu: 'debian',
  fedora: 'redhat',
  rhel: 'redhat',
  opensuse: 'suse',
  alpine: 'alpine',
};

export const KAIROS_RELEASE_KEYS = [
  'KAIROS_ID',
  'KAIROS_ID_LIKE',
  'KAIROS_NAME',
  'KAIROS_VERSION',
  'KAIROS_ARCH',
  'KAIROS_TARGETARCH',
  'KAIROS_FLAVOR',
  'KAIROS_FLAVOR_RELEASE',
  'KAIROS_FAMILY',
  'KAIROS_MODEL',
  'KAIROS_VARIANT',
  'KAIROS_BUG_REPORT_URL',
  'KAIROS_HOME_URL',
  'KAIROS_RELEASE',
  'KAIROS_FIPS',
  'KAIROS_TRUSTED_BOOT',
  'KAIROS_INIT_VERSION',
] as const;

export interface DistroIdentity {
  /** os-release ID, e.g. "debian", "opensuse-leap". */
  readonly flavor: string;
  /** os-release VERSION_ID, e.g. "12". */
  readonly release: string;
  readonly family: OsFamily;
}

/** The version string Kairos wants: semver with a leading "v" (its upgrade checker needs it). */
export function kairosVersion(recipe: Recipe): string {
  return recipe.version.startsWith('v') ? recipe.version : `v${recipe.version}`;
}

export function kairosRelease(recipe: Recipe, distro: DistroIdentity, initVersion: string): ReadonlyArray<readonly [string, string]> {
  let flavor = distro.flavor;
  let flavorRelease = distro.release;
  // kairos-init keeps every openSUSE under one flavor: opensuse-leap 15.6 -> opensuse / leap-15.6.
  const suse = /^opensuse-(.+)$/.exec(flavor);
  if (suse) {
    flavor = 'opensuse';
    flavorRelease = `${suse[1]}-${distro.release}`;
  }
  const idLike = `kairos-${recipe.variant}-${distro.flavor}-${distro.release}`;
  const version = kairosVersion(recipe);
  const entries: Array<readonly [string, string]> = [
    ['KAIROS_ID', 'kairos'],
    ['KAIROS_ID_LIKE', idLike],
    ['KAIROS_NAME', idLike],
    ['KAIROS_VERSION', version],
    ['KAIROS_ARCH', recipe.arch],
    ['KAIROS_TARGETARCH', recipe.arch],
    ['KAIROS_FLAVOR', flavor],
    ['KAIROS_FLAVOR_RELEASE', flavorRelease],
    ['KAIROS_FAMILY', KAIROS_FAMILY[distro.family]],
    ['KAIROS_MODEL', recipe.model],
    ['KAIROS_VARIANT', recipe.variant],
    ['KAIROS_BUG_REPORT_URL', 'https://github.com/kairos-io/kairos/issues'],
    ['KAIROS_HOME_URL', 'https://github.com/kairos-io/kairos'],
    ['KAIROS_RELEASE', version],
    ['KAIROS_FIPS', String(recipe.fips)],
    ['KAIROS_TRUSTED_BOOT', String(recipe.trustedBoot.enabled)],
    ['KAIROS_INIT_VERSION', initVersion],
  ];
  if (recipe.provider.name !== 'none' && recipe.provider.version !== '') {
    entries.push(['KAIROS_SOFTWARE_VERSION', recipe.provider.version]);
    entries.push(['KAIROS_SOFTWARE_VERSION_PREFIX', recipe.provider.name]);
  }
  return entries;
}

/** The file's text: KEY="value" lines, as systemd's EnvironmentFile and shells read them. */
export function kairosReleaseText(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries.map(([k, v]) => `${k}="${v.replace(/(["\\$`])/g, '\\$1')}"`).join('\n') + '\n';
}
