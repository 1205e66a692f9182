// Which engine the user chose, read by dockerEngine() each time it is called: a change (the app's
// Settings) takes effect for the next job without a restart. No Docker client here: the handler
// table sets the source when it starts, without loading dockerode.
import { AUTOMATIC } from '../../src-shared/engines/engine-candidates.js';

/** The user's choice and who made it ("--engine", "the engine setting"), for messages. */
export interface EngineChoiceSource {
  readonly value: string;
  readonly from: string;
}

let choiceOf: () => Promise<EngineChoiceSource> = () => Promise.resolve({ value: AUTOMATIC, from: 'the default' });

export function useEngineChoice(source: () => Promise<EngineChoiceSource>): void {
  choiceOf = source;
}

export function currentChoice(): Promise<EngineChoiceSource> {
  return choiceOf();
}
