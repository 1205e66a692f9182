// The flash command's per-card options: --hostname (checked here so its error names the option;
// the engine expands it with each drive's serial) and --card-config, one YAML file keyed by card:
//
//   1:                # the first target, as {n} counts
//     k3s: { enabled: true }
//   /dev/sdc:         # or the target as given on the command line
//     users: [{ name: ops, ssh_authorized_keys: [github:someone] }]
//
// Each value is that card's extra cloud-config (a mapping), sent as YAML text in target order.
import { isMap, parseDocument, stringify } from 'yaml';
import { AppError } from '../../src-shared/errors/app-error.js';
import { hostnamePatternProblem } from '../../src-shared/flash/card-names.js';

export function checkHostnameOption(pattern: string): void {
  const problem = hostnamePatternProblem(pattern, '--hostname');
  if (problem) throw new AppError('bad-request', problem, { hint: "e.g. --hostname 'node-{n}'" });
}

/** The file's extra cloud-config for each target, in the targets' order ('' for a card it leaves out). */
export function cardConfigs(text: string, file: string, targets: ReadonlyArray<string>, resolved: ReadonlyArray<string>): string[] {
  const doc = parseDocument(text);
  const fail = (message: string): never => {
    throw new AppError('bad-request', `--card-config ${file}: ${message}`, { hint: 'Key each card by its number (1, 2, ...) or its target, each with a cloud-config mapping under it' });
  };
  if (doc.errors.length > 0) fail(`not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (!isMap(doc.contents)) fail('must be a mapping of cards to cloud-config');
  const out = targets.map(() => '');
  const data = doc.toJS() as Record<string, unknown>;
  for (const [key, value] of Object.entries(data)) {
    const n = /^\d+$/.test(key) ? Number(key) : undefined;
    const index = n !== undefined ? n - 1 : targets.indexOf(key) >= 0 ? targets.indexOf(key) : resolved.indexOf(key);
    if (index < 0 || index >= targets.length) {
      fail(`"${key}" is not one of the ${targets.length} cards (${n !== undefined ? `numbers run 1 to ${targets.length}` : `targets: ${targets.join(', ')}`})`);
    }
    if (out[index] !== '') fail(`card ${index + 1} is given twice`);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(`"${key}" must hold a cloud-config mapping`);
    out[index] = stringify(value, { lineWidth: 0 });
  }
  return out;
}
