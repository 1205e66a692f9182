// The engine choice between the shells and dockerEngine(): `--engine` (the CLI) beats the engine
// setting; the list of engines with their answers; a setting that names no engine refused.
import type { EngineList } from '../../src-shared/api/contract.js';
import { AUTOMATIC, automaticOrder, resolveChoice } from '../../src-shared/engines/engine-candidates.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { EngineChoiceSource } from '../docker/engine-selection.js';
import { HERE, findEngines } from '../docker/engine-discovery.js';

export const SETTING = 'the engine setting';

/** The choice in force: the CLI's option when given, else the setting (read each time: a change applies to the next job). */
export function choiceSource(option: string | undefined, setting: () => Promise<string>): () => Promise<EngineChoiceSource> {
  if (option !== undefined) return () => Promise.resolve({ value: option, from: '--engine' });
  return async () => ({ value: (await setting()) || AUTOMATIC, from: SETTING });
}

/** A setting naming an engine that is not here, or a malformed address, is refused before it is saved. */
export async function checkEngineSetting(value: string): Promise<void> {
  const place = HERE();
  const resolved = resolveChoice(value, await findEngines(place), place.env, place.home);
  if (resolved.kind === 'unknown') throw new AppError('bad-request', `engine: ${resolved.message}`, { hint: 'Choose one of the engines listed, or "automatic"' });
}

export async function listEngines(choice: EngineChoiceSource): Promise<EngineList> {
  const place = HERE();
  const discovery = await findEngines(place);
  const resolved = resolveChoice(choice.value, discovery, place.env, place.home);
  // A chosen address that is no candidate is listed too, so the list shows what is in force.
  const candidates = resolved.kind === 'one' && !discovery.candidates.includes(resolved.candidate) ? [...discovery.candidates, resolved.candidate] : discovery.candidates;
  const { probeEngines } = await import('../docker/engine-probe.js');
  const engines = await probeEngines(candidates);
  const answers = (id: string): boolean => engines.some((e) => e.id === id && e.error === undefined);
  // The one jobs would use now: the chosen one, or the first that answers in automatic's order.
  const active = resolved.kind === 'one' ? resolved.candidate.id : resolved.kind === 'automatic' ? automaticOrder(discovery).find((c) => answers(c.id))?.id : undefined;
  return {
    choice: choice.value,
    choiceFrom: choice.from,
    engines,
    ...(active !== undefined ? { active } : {}),
    problems: [...discovery.problems, ...(resolved.kind === 'unknown' ? [`${choice.from}: ${resolved.message}`] : [])],
  };
}
