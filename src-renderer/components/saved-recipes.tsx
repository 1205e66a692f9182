// Saved recipes: open one into the wizard, or start a new one.
import { useEffect, useState } from 'react';
import type { SavedRecipe } from '../../src-shared/api/contract.js';
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { defaultDraft, useRecipeStore } from '../stores/recipe-store.js';
import { toErrorData } from './error-box.js';

/** Opens a saved recipe in the wizard (the side list and the start screen's "Open a recipe"). */
export async function openSavedRecipe(name: string): Promise<void> {
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
  useEffect(() => {
    api.listRecipes().then(setList, () => setList([]));
  }, [step, draftName]);
  return list;
}

export function SavedRecipes() {
  const list = useSavedRecipes();
  const replace = useRecipeStore((s) => s.replace);
  const set = useAppStore((s) => s.set);

  return (
    <section className="side-section" aria-labelledby="recipes-title">
      <h2 id="recipes-title">Recipes</h2>
      <ul className="recent">
        <li>
          <button
            type="button"
            className="link"
            onClick={() => {
              replace(defaultDraft());
              set({ step: 'source' });
            }}
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
          </li>
        ))}
      </ul>
    </section>
  );
}
