// The recipe being edited: a plain draft object, validated with the shared schema on every change.
import { create } from 'zustand';
import type { PreflightProblem } from '../../src-shared/preflight/preflight.js';
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';
import { checkDraft } from '../wizard/steps.js';
import type { Recipe, RecipeInput } from '../../src-shared/recipe/recipe-schema.js';

export type Draft = RecipeInput;

// No default password: the Cloud-config step asks for one (or an SSH key) before it lets you on.
export const DEFAULT_CLOUD_CONFIG = `#cloud-config
users:
  - name: kairos
    groups: [admin]
`;

export function defaultDraft(): Draft {
  return {
    name: 'my-kairos',
    version: 'v0.1.0',
    source: { kind: 'image', baseImage: 'ubuntu:24.04' },
    kairosify: { method: 'kairos-init', framework: 'quay.io/kairos/framework:v2.18.3', kairosInitVersion: 'v0.17.3', kairosInitImage: 'quay.io/kairos/kairos-init' },
    variant: 'core',
    model: 'generic',
    arch: 'amd64',
    provider: { name: 'none', version: '' },
    fips: false,
    trustedBoot: { enabled: false },
    cloudConfig: DEFAULT_CLOUD_CONFIG,
    artifacts: ['iso'],
    output: 'build',
  };
}

interface RecipeState {
  readonly draft: Draft;
  readonly issues: ReadonlyArray<RecipeIssue>;
  /** The preflight's warnings (they do not block). */
  readonly warnings: ReadonlyArray<PreflightProblem>;
  /** The validated recipe when the draft is valid. */
  readonly recipe: Recipe | undefined;
  /**
   * The draft as it was last opened or saved (JSON): a draft that differs has changes a
   * "New recipe" would lose. `null`: a restored autosave, unsaved whatever it holds.
   */
  readonly baseline: string | null;
  /** The saved recipe this draft was opened from or last saved as: saving onto it is no overwrite. */
  readonly savedName: string | undefined;
  /** Replaces part of the draft (top-level keys). */
  readonly patch: (change: Partial<Draft>) => void;
  /** Opens another draft (a new one, a saved recipe, a file): nothing in it is unsaved yet. */
  readonly replace: (draft: Draft, savedName?: string) => void;
  /** Brings back an autosaved draft; `unsaved`: it had changes no save holds. */
  readonly restore: (draft: Draft, unsaved: boolean, savedName?: string) => void;
  /** The draft was saved under `name` (its name now). */
  readonly markSaved: (name: string) => void;
}

/** The one preflight (steps.ts checkDraft): the same rules as `validate` and `build`. */
function check(draft: Draft): Pick<RecipeState, 'issues' | 'warnings' | 'recipe'> {
  return checkDraft(draft);
}

export const useRecipeStore = create<RecipeState>((set, get) => {
  const initial = defaultDraft();
  return {
    draft: initial,
    ...check(initial),
    baseline: JSON.stringify(initial),
    savedName: undefined,
    patch: (change) => {
      const draft = { ...get().draft, ...change };
      set({ draft, ...check(draft) });
    },
    replace: (draft, savedName) => set({ draft, ...check(draft), baseline: JSON.stringify(draft), savedName }),
    restore: (draft, unsaved, savedName) => set({ draft, ...check(draft), baseline: unsaved ? null : JSON.stringify(draft), savedName }),
    markSaved: (name) => {
      const draft = { ...get().draft, name };
      set({ draft, ...check(draft), baseline: JSON.stringify(draft), savedName: name });
    },
  };
});

/** The draft has changes that no save or file holds ("New recipe" asks before dropping them). */
export function hasUnsavedChanges(state: Pick<RecipeState, 'draft' | 'baseline'>): boolean {
  return state.baseline !== JSON.stringify(state.draft);
}

/** The first issue of a field path (exact, or inside it), for the message under a control. */
export function issueAt(issues: ReadonlyArray<RecipeIssue>, path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`))?.message;
}
