// `kairos-factory plan`: the plan as a short table: each image with where it stands and whether
// it needs the network, the packages the build installs (each group's names wrapped below it),
// the Trusted Boot keys, and the one-line summary last.
import type { BuildPlan, PackagesState } from '../../src-shared/plan/build-plan.js';

const PACKAGES_STATE: Readonly<Record<PackagesState, string>> = {
  here: 'in an image here',
  install: 'installed by the build',
  'not-needed': 'not needed',
};

function table(header: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** Words joined by ", " in lines of at most `width` characters, each line indented. */
function wrap(words: ReadonlyArray<string>, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line === '' ? word : `${line}, ${word}`;
    // +1: the comma that ends a full line.
    if (indent.length + next.length + 1 > width && line !== '') {
      lines.push(`${indent}${line},`);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(`${indent}${line}`);
  return lines;
}

export function formatPlan(plan: BuildPlan, file: string): string {
  const lines: string[] = [`Plan for ${plan.recipe} (${file})`];
  if (plan.note) lines.push(plan.note);
  lines.push('');
  // An image that is here says what the build does with it; the others, how it is got.
  lines.push(...table(['IMAGE', 'ROLE', 'STATE', 'NETWORK', 'NOTE'], plan.images.map((i) => [i.ref, i.role, i.state.replace('-', ' '), i.network ? 'needed' : '-', i.state === 'here' ? i.why : i.note])));
  if (plan.packages.length > 0) {
    lines.push('', 'PACKAGES');
    for (const p of plan.packages) {
      const count = p.names !== undefined ? ` (${p.names.length})` : '';
      lines.push(`${p.step}${p.manager ? ` ${p.manager}` : ''}: ${p.what}${count}; ${PACKAGES_STATE[p.state]}${p.network ? ', needs the network' : ''}`);
      if (p.names !== undefined) lines.push(...wrap(p.names, '    '));
    }
  }
  if (plan.keys) lines.push('', `TRUSTED BOOT KEYS ${plan.keys.folder}: ${plan.keys.note}`);
  lines.push('', plan.summary);
  return `${lines.join('\n')}\n`;
}
