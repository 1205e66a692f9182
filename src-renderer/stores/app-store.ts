// App-wide state: the engine's status, the settings (theme), which door is open (the start
// screen, the wizard, the flash door), the wizard's current step, the job the Build and Flash
// steps follow, and the image chosen for flashing.
import { create } from 'zustand';
import type { EngineStatus, Settings } from '../../src-shared/api/contract.js';
import type { StepId } from '../wizard/steps.js';

/** The start screen, the wizard (build an OS image), or the Etcher-simple flash door. */
export type Door = 'start' | 'build' | 'flash';

interface AppState {
  readonly door: Door;
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
  door: 'start',
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
  // Going to a wizard step (the step list, Recent, a saved recipe, history's Edit or Flash) opens
  // the wizard; opening a door leaves the history. What the change names itself wins.
  set: (change) => set({ ...('step' in change ? { door: 'build' as const, view: 'wizard' as const } : {}), ...('door' in change ? { view: 'wizard' as const } : {}), ...change }),
  setBlockers: (step, list) =>
    set((s) => {
      const current = s.blockers[step] ?? [];
      if (current.length === list.length && current.every((v, i) => v === list[i])) return s;
      return { blockers: { ...s.blockers, [step]: list } };
    }),
}));
