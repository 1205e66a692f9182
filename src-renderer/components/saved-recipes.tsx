// Saved recipes: open one into the wizard, duplicate one, or start a new one (asking first when
// the draft has changes no save holds).
import { useEffect, useState } from 'react';
import { create } from 'zustand';
import type { SavedRecipe } from '../../src-shared/api/contract.js';
import { copyName } from '../../src-shared/recipe/copy-name.js';
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { defaultDraft, hasUnsavedChanges, useRecipeStore } from '../stores/recipe-store.js';
import { toErrorData } from './error-box.js';

/** Bumped by a save that the draft's name does not show (a duplicate, Save As): lists read again. */
const useListRevision = create<{ readonly n: number }>(() => ({ n: 0 }));
export const savedRecipesChanged = (): void => useListRevision.setState((s) => ({ n: s.n + 1 }));

/** Opens a saved recipe in the wizard (the side list and the start screen's "Open a recipe"). */
export async function openSavedRecipe(name: string): Promise<void> {
  if (!mayDropDraft(`Open ${name}`)) return;
  const set = useAppStore.getState().set;
  try {
    const { recipe } = await api.loadRecipe(name);
    useRecipeStore.getState().replace(recipe, name);
    set({ step: 'source', toast: `Opened ${name}` });
  } catch (e) {
    set({ toast: toErrorData(e).message });
  }
}

/** The saved recipes, read again when the step or the draft's name changes (a save). */
export function useSavedRecipes(): ReadonlyArray<SavedRecipe> {
  const [list, setList] = useState<ReadonlyArray<SavedRecipe>>([]);
  const step = useAppStore((s) => s.step);
  const draftName = useRecipeStore((s) => s.draft.name);
  const revision = useListRevision((s) => s.n);
  useEffect(() => {
    api.listRecipes().then(setList, () => setList([]));
  }, [step, draftName, revision]);
  return list;
}

/** Saves a copy of a saved recipe under the first free "<name>-copy" name; the draft stays as it is. */
async function duplicate(name: string, list: ReadonlyArray<SavedRecipe>): Promise<void> {
  const set = useAppStore.getState().set;
  try {
    const { recipe } = await api.loadRecipe(name);
    const saved = await api.saveRecipe({ ...recipe, name: copyName(name, list.map((r) => r.name)) });
    savedRecipesChanged();
    set({ toast: `Saved a copy of ${name} as ${saved.name}` });
  } catch (e) {
    set({ toast: toErrorData(e).message });
  }
}

/**
 * Whether the draft may be replaced (`doing`: "Start a new recipe", "Open my-recipe"): yes when nothing
 * in it is unsaved, else the user's answer.
 */
export function mayDropDraft(doing: string): boolean {
  const store = useRecipeStore.getState();
  return (
    !hasUnsavedChanges(store) ||
    window.confirm(`${doing}? The changes to ${store.draft.name || 'this recipe'} that are not saved will be lost. To keep them, choose Cancel and save the recipe on the Review step.`)
  );
}

/** "New recipe": a fresh draft, after asking when the current one has unsaved changes. */
function newRecipe(): void {
  if (!mayDropDraft('Start a new recipe')) return;
  useRecipeStore.getState().replace(defaultDraft());
  useAppStore.getState().set({ step: 'source' });
}

export function SavedRecipes() {
  const list = useSavedRecipes();

  return (
    <section className="side-section" aria-labelledby="recipes-title">
      <h2 id="recipes-title">Recipes</h2>
      <ul className="recent">
        <li>
          <button
            type="button"
            className="link"
            onClick={newRecipe}
          >
            + New recipe
          </button>
        </li>
        {list.map((r) => (
          <li key={r.name}>
            <button
              type="button"
              className="link"
              onClick={() => void openSavedRecipe(r.name)}
            >
              {r.name}
            </button>
            <button type="button" className="link" aria-label={`Duplicate ${r.name}`} onClick={() => void duplicate(r.name, list)}>
              Duplicate
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
