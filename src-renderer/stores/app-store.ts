// App-wide state: the engine's status, the settings (theme), the wizard's current step, the
// job the Build and Flash steps follow, and the image chosen for flashing.
import { create } from 'zustand';
import type { EngineStatus, Settings } from '../../src-shared/api/contract.js';
import type { StepId } from '../wizard/steps.js';

interface AppState {
  readonly status: EngineStatus | undefined;
  readonly settings: Settings | undefined;
  readonly step: StepId;
  /** The main area: the wizard, or the job history (with the job whose detail is open). */
  readonly view: 'wizard' | 'history';
  readonly historyJobId: string | undefined;
  readonly buildJobId: string | undefined;
  readonly flashJobId: string | undefined;
  readonly bootJobId: string | undefined;
  readonly flashImage: string;
  /** Problems a step has beyond the recipe schema, e.g. cloud-config errors. */
  readonly blockers: Partial<Record<StepId, ReadonlyArray<string>>>;
  readonly toast: string | undefined;
  readonly set: (change: Partial<Omit<AppState, 'set' | 'setBlockers'>>) => void;
  readonly setBlockers: (step: StepId, list: ReadonlyArray<string>) => void;
}

export const useAppStore = create<AppState>((set) => ({
  status: undefined,
  settings: undefined,
  step: 'source',
  view: 'wizard',
  historyJobId: undefined,
  buildJobId: undefined,
  flashJobId: undefined,
  bootJobId: undefined,
  flashImage: '',
  blockers: {},
  toast: undefined,
  set: (change) => set(change),
  setBlockers: (step, list) =>
    set((s) => {
      const current = s.blockers[step] ?? [];
      if (current.length === list.length && current.every((v, i) => v === list[i])) return s;
      return { blockers: { ...s.blockers, [step]: list } };
    }),
}));
