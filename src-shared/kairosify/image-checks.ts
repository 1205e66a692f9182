// Our own validation of a built image (the checks of kairos-init's `validate`, see
// docs/reference kairos.md), as pure data: the list of checks for a Recipe, one POSIX sh script
// that runs them all inside the image, and a parser for what the script prints.
// The script runs under busybox ash (Alpine) and dash (Debian): POSIX only, no bash-isms, no
// `local`, no arrays. It prints one line per check:
//   KFCHECK <id> pass|fail|skip <detail>
import { cloudConfigNeeds } from '../cloud-config/device-settings.js';
import { hasFramework } from '../recipe/has-framework.js';
import type { Recipe } from '../recipe/recipe-schema.js';
import { shellQuote } from '../util/shell-quote.js';
import { kairosInitGeneration, parseVersion } from './kairos-init-flags.js';
import { KAIROS_RELEASE_KEYS, kairosRelease } from './kairos-release.js';

export const CHECK_IDS = ['kernel-link', 'initrd', 'kairos-release', 'ssh-host-keys', 'machine-id', 'kernel-modules', 'framework', 'device-tools'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface ImageCheck {
  readonly id: CheckId;
  /** Short, human: used in the report and in the error message. */
  readonly title: string;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string;
}

const TITLES: Readonly<Record<CheckId, string>> = {
  'kernel-link': 'kernel link',
  initrd: 'initrd',
  'kairos-release': 'kairos-release',
  'ssh-host-keys': 'SSH host keys',
  'machine-id': 'machine-id',
  'kernel-modules': 'kernel modules',
  framework: 'framework binaries',
  'device-tools': 'Wi-Fi and keyboard tools',
};

export const CHECK_MARK = 'KFCHECK';

export function imageChecks(): ImageCheck[] {
  return CHECK_IDS.map((id) => ({ id, title: TITLES[id] }));
}

/** The image carries the Kairos framework: the one definition, has-framework.ts. */
export { hasFramework as expectsFramework } from '../recipe/has-framework.js';

/** Keys that only describe the distribution; compared nowhere (their values come from the base image). */
const DISTRO_KEYS = new Set(['KAIROS_ID_LIKE', 'KAIROS_NAME', 'KAIROS_FLAVOR', 'KAIROS_FLAVOR_RELEASE', 'KAIROS_FAMILY', 'KAIROS_INIT_VERSION']);

/** Keys a Kairos image made elsewhere (method none) must carry: what identifies it. */
const PREBUILT_REQUIRED = ['KAIROS_ID', 'KAIROS_VERSION', 'KAIROS_ARCH', 'KAIROS_FLAVOR', 'KAIROS_MODEL', 'KAIROS_VARIANT'] as const;

export interface ReleaseExpectation {
  /** Keys that must be there, non-empty. */
  readonly required: ReadonlyArray<string>;
  /** Keys whose value must equal this one. */
  readonly values: ReadonlyArray<readonly [string, string]>;
  /** Compare KAIROS_VERSION / KAIROS_RELEASE with or without the leading "v". */
  readonly looseVersion: boolean;
}

/**
 * What /etc/kairos-release must hold for this recipe.
 * - scratch: we wrote the file (kairosRelease), so every value that comes from the recipe must be
 *   exactly ours.
 * - kairos-init: the upstream tool writes it from the flags we pass (same keys, same sources); its
 *   version formatting may differ by a leading "v", and kairos-init v0.2.x has no --version at all.
 *   The provider version is what the tool found installed ("latest" resolves), so it is not compared.
 * - none: a prebuilt Kairos image keeps its own identity (its version, model, variant are
 *   upstream's, not the recipe's tag): only the keys that identify it must be there, and its
 *   architecture must be the one the artifacts are built for.
 */
export function releaseExpectation(recipe: Recipe): ReleaseExpectation {
  const method = recipe.kairosify.method;
  if (method === 'none') {
    return { required: PREBUILT_REQUIRED, values: [['KAIROS_ARCH', recipe.arch]], looseVersion: false };
  }
  // The distro part is a placeholder: those keys are only required, never compared.
  const ours = kairosRelease(recipe, { flavor: 'x', release: 'x', family: 'debian' }, 'x').filter(([k]) => !DISTRO_KEYS.has(k));
  let values = ours;
  if (method === 'kairos-init') {
    const init = recipe.kairosify.kairosInitVersion;
    const hasVersionFlag = kairosInitGeneration(init) !== 'go-flag' || parseVersion(init)[1] >= 3;
    values = ours.filter(([k]) => !k.startsWith('KAIROS_SOFTWARE_VERSION') && (hasVersionFlag || (k !== 'KAIROS_VERSION' && k !== 'KAIROS_RELEASE')));
  }
  return { required: [...KAIROS_RELEASE_KEYS], values, looseVersion: method === 'kairos-init' };
}

/** Binaries the framework check looks for (in the usual bin folders and /system/providers, where providers live). */
export function frameworkBinaries(recipe: Recipe): string[] {
  const bins = ['kairos-agent', 'immucore'];
  if (recipe.variant === 'standard' && recipe.provider.name !== 'none') bins.push('agent-provider-kairos', recipe.provider.name);
  return bins;
}

const SEARCH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/system/providers'];

/** One POSIX sh script running every check inside the image; never exits early. */
export function checkScript(recipe: Recipe): string {
  const q = shellQuote;
  const lines: string[] = [
    '# Kairos Factory image checks (POSIX sh: busybox ash, dash)',
    'LC_ALL=C; export LC_ALL',
    '# R: the root to check; empty inside the image (the unit tests point it at a folder)',
    'R=${KFCHECK_ROOT:-}',
    `report() { printf '%s %s %s %s\\n' ${CHECK_MARK} "$1" "$2" "$3"; }`,
    '',
    '# kernel-link: /boot/vmlinuz exists and resolves to a non-empty file',
    'if [ -L "$R/boot/vmlinuz" ] && [ ! -e "$R/boot/vmlinuz" ]; then',
    '  report kernel-link fail "/boot/vmlinuz -> $(readlink "$R/boot/vmlinuz" 2>/dev/null) does not resolve"',
    'elif [ ! -e "$R/boot/vmlinuz" ]; then',
    '  report kernel-link fail "/boot/vmlinuz is missing"',
    'elif [ ! -f "$R/boot/vmlinuz" ] || [ ! -s "$R/boot/vmlinuz" ]; then',
    '  report kernel-link fail "/boot/vmlinuz is not a kernel file"',
    'elif [ -L "$R/boot/vmlinuz" ]; then',
    '  report kernel-link pass "/boot/vmlinuz -> $(readlink "$R/boot/vmlinuz" 2>/dev/null)"',
    'else',
    '  report kernel-link pass "/boot/vmlinuz"',
    'fi',
    '',
  ];
  if (recipe.trustedBoot.enabled) {
    lines.push('# initrd: not in the image with Trusted Boot (it is built into the signed UKI)', 'report initrd skip "Trusted Boot: the initrd is part of the UKI"', '');
  } else {
    lines.push(
      '# initrd: /boot/initrd present (following a link)',
      'if [ -f "$R/boot/initrd" ] && [ -s "$R/boot/initrd" ]; then report initrd pass "/boot/initrd";',
      'elif [ -e "$R/boot/initrd" ] || [ -L "$R/boot/initrd" ]; then report initrd fail "/boot/initrd is empty or not a file";',
      'else report initrd fail "/boot/initrd is missing"; fi',
      '',
    );
  }
  const rel = releaseExpectation(recipe);
  lines.push(
    '# kairos-release: every key non-empty, recipe values as expected',
    'problems=""',
    'add_problem() { if [ -n "$problems" ]; then problems="$problems; $1"; else problems="$1"; fi; }',
    // The last assignment wins, as when the file is sourced; one pair of quotes is removed.
    `release_value() { sed -n "s/^$1=//p" "$R/etc/kairos-release" | tail -n 1 | sed -e 's/^"\\(.*\\)"$/\\1/' -e "s/^'\\(.*\\)'$/\\1/"; }`,
    'if [ ! -f "$R/etc/kairos-release" ]; then',
    '  report kairos-release fail "/etc/kairos-release is missing"',
    'else',
  );
  for (const key of rel.required) {
    lines.push(
      `  if ! grep -q '^${key}=' "$R/etc/kairos-release"; then add_problem "${key} is missing";`,
      `  elif [ -z "$(release_value ${key})" ]; then add_problem "${key} is empty"; fi`,
    );
  }
  for (const [key, expected] of rel.values) {
    const loose = rel.looseVersion && (key === 'KAIROS_VERSION' || key === 'KAIROS_RELEASE');
    lines.push(
      `  if grep -q '^${key}=' "$R/etc/kairos-release"; then`,
      `    v=$(release_value ${key}); want=${q(expected)}`,
      loose
        ? `    if [ "\${v#v}" != "\${want#v}" ]; then add_problem "${key} is \\"$v\\", expected \\"$want\\""; fi`
        : `    if [ "$v" != "$want" ]; then add_problem "${key} is \\"$v\\", expected \\"$want\\""; fi`,
      rel.required.includes(key) ? '  fi' : `  else add_problem "${key} is missing"; fi`,
    );
  }
  lines.push(
    '  if [ -n "$problems" ]; then report kairos-release fail "$problems"; else report kairos-release pass "/etc/kairos-release"; fi',
    'fi',
    '',
    '# ssh-host-keys: none in the image (every machine makes its own)',
    'found=""',
    'for f in "$R"/etc/ssh/ssh_host_*; do',
    '  if [ -e "$f" ] || [ -L "$f" ]; then found="$found ${f#"$R"}"; fi',
    'done',
    'if [ -n "$found" ]; then report ssh-host-keys fail "left in the image:$found"; else report ssh-host-keys pass "none"; fi',
    '',
    '# machine-id: empty or absent (systemd makes one at first boot)',
    'if [ ! -e "$R/etc/machine-id" ]; then report machine-id pass "absent";',
    'elif [ -s "$R/etc/machine-id" ]; then report machine-id fail "/etc/machine-id is not empty";',
    'else report machine-id pass "empty"; fi',
    '',
    '# kernel-modules: at least one /lib/modules/<version>/ with modules',
    'kvers=""',
    'for d in "$R"/lib/modules/*/ "$R"/usr/lib/modules/*/; do',
    '  [ -d "$d" ] || continue',
    '  if [ -e "${d}modules.dep" ] || [ -d "${d}kernel" ]; then',
    '    kv=$(basename "$d")',
    '    case " $kvers " in *" $kv "*) ;; *) kvers="$kvers $kv" ;; esac',
    '  fi',
    'done',
    'if [ -n "$kvers" ]; then report kernel-modules pass "kernel${kvers}"; else report kernel-modules fail "no kernel modules under /lib/modules"; fi',
    '',
  );
  if (hasFramework(recipe)) {
    lines.push(
      '# framework: the Kairos binaries',
      'missing=""',
      `for b in ${frameworkBinaries(recipe).map(q).join(' ')}; do`,
      '  here=""',
      `  for d in ${SEARCH_DIRS.join(' ')}; do`,
      '    if [ -f "$R$d/$b" ] && [ -x "$R$d/$b" ]; then here="$d/$b"; break; fi',
      '  done',
      '  [ -n "$here" ] || missing="$missing $b"',
      'done',
      'if [ -n "$missing" ]; then report framework fail "missing:$missing"; else report framework pass "present"; fi',
    );
  } else {
    lines.push('# framework: none asked for', 'report framework skip "framework: none"');
  }
  lines.push('', ...deviceToolsCheck(recipe), 'exit 0', '');
  return lines.join('\n');
}

/**
 * device-tools: what the cloud-config form's Wi-Fi and keyboard steps run (device-settings.ts).
 * The scratch recipe installs them; an image made otherwise (kairos-init, a prebuilt one) must
 * already have them, or the settings would silently do nothing.
 */
function deviceToolsCheck(recipe: Recipe): string[] {
  const needs = cloudConfigNeeds(recipe.cloudConfig);
  if (!needs.wifi && !needs.keyboard) return ['# device-tools: the cloud-config sets no Wi-Fi or keyboard', 'report device-tools skip "no Wi-Fi or keyboard in the cloud-config"'];
  const lines = [
    '# device-tools: the programs the cloud-config\'s Wi-Fi and keyboard steps need',
    'missing=""; found=""',
    `have_bin() { for d in ${SEARCH_DIRS.join(' ')}; do if [ -f "$R$d/$1" ] && [ -x "$R$d/$1" ]; then return 0; fi; done; return 1; }`,
    'need_bin() { if have_bin "$1"; then found="$found $1"; else missing="$missing $1"; fi; }',
  ];
  if (needs.wifi) {
    lines.push(
      'need_bin wpa_supplicant; need_bin iw',
      'if [ -f "$R/lib/firmware/regulatory.db" ] || [ -f "$R/usr/lib/firmware/regulatory.db" ]; then found="$found regulatory.db"; else missing="$missing regulatory.db"; fi',
    );
  }
  if (needs.keyboard) lines.push('if have_bin setupcon; then found="$found setupcon"; elif have_bin loadkeys; then found="$found loadkeys"; else missing="$missing setupcon|loadkeys"; fi');
  lines.push('if [ -n "$missing" ]; then report device-tools fail "missing:$missing"; else report device-tools pass "${found# }"; fi', '');
  return lines;
}

/**
 * The results, in check order, from the script's output (other lines are ignored). A check that
 * printed nothing failed: the script did not get that far.
 */
export function parseCheckOutput(output: string): CheckResult[] {
  const seen = new Map<string, { status: CheckStatus; detail: string }>();
  for (const raw of output.split(/\r?\n/)) {
    const m = /^KFCHECK (\S+) (pass|fail|skip)(?: (.*))?$/.exec(raw.trim());
    if (!m) continue;
    seen.set(m[1] ?? '', { status: m[2] as CheckStatus, detail: (m[3] ?? '').trim() });
  }
  return imageChecks().map(({ id, title }) => {
    const found = seen.get(id);
    return found ? { id, title, ...found } : { id, title, status: 'fail', detail: 'no result (the check did not run)' };
  });
}

export function failedChecks(results: ReadonlyArray<CheckResult>): CheckResult[] {
  return results.filter((r) => r.status === 'fail');
}

/** "kernel link (/boot/vmlinuz is missing), kairos-release (KAIROS_VERSION is missing)". */
export function describeFailures(results: ReadonlyArray<CheckResult>): string {
  return failedChecks(results)
    .map((r) => `${r.title} (${r.detail})`)
    .join(', ');
}

/** One report line per check, e.g. "pass  kernel link: /boot/vmlinuz -> vmlinuz-6.1.0". */
export function formatCheckResult(r: CheckResult): string {
  return `${r.status.padEnd(4)}  ${r.title}${r.detail ? `: ${r.detail}` : ''}`;
}

/** What to do about each failing check, for the error's hint. */
export const CHECK_FIXES: Readonly<Record<CheckId, string>> = {
  'kernel-link': 'install a kernel and link it as /boot/vmlinuz',
  initrd: 'build the initrd at /boot/initrd (dracut)',
  'kairos-release': 'write every key of /etc/kairos-release with the recipe\'s values',
  'ssh-host-keys': 'remove /etc/ssh/ssh_host_* at the end of the image build',
  'machine-id': 'empty /etc/machine-id at the end of the image build',
  'kernel-modules': 'install the kernel package (modules under /lib/modules)',
  framework: 'copy the Kairos framework into the image (kairos-agent, immucore)',
  'device-tools': 'install what the cloud-config\'s Wi-Fi and keyboard need (Debian/Ubuntu: wpasupplicant iw wireless-regdb console-setup), or take those settings out of the cloud-config',
};
