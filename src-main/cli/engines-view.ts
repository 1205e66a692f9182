// `kairos-factory engines`: every engine found, the one in use marked, each with its origin,
// address and what it answered (OS/arch, engine and version) or why it did not.
import type { EngineList } from '../../src-shared/api/contract.js';
import { engineOrigin, engineSummary } from '../../src-shared/engines/engine-summary.js';

export function formatEngineList(list: EngineList): string {
  const lines: string[] = [];
  const rows = list.engines.map((e) => [e.id === list.active ? '*' : ' ', e.id, engineOrigin(e), e.host, engineSummary(e)]);
  const header = [' ', 'ENGINE', 'FROM', 'ADDRESS', 'ANSWER'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) lines.push(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
  if (list.engines.length === 0) lines.push('No Docker engine found: start Docker, Podman, colima or Rancher Desktop, or set DOCKER_HOST.');
  const active = list.engines.find((e) => e.id === list.active);
  const inUse = !active ? 'none answers' : active.error !== undefined ? `${active.id}, which does not answer` : `in use: ${active.id}`;
  lines.push(`Choice: ${list.choice} (${list.choiceFrom}); ${inUse}. Choose with --engine NAME or in the app's engine picker.`);
  for (const problem of list.problems) lines.push(`warning: ${problem}`);
  return `${lines.join('\n')}\n`;
}
