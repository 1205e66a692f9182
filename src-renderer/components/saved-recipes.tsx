// Saved recipes: open one into the wizard, or start a new one.
import { useEffect, useState } from 'react';
import type { SavedRecipe } from '../../src-shared/api/contract.js';
import { api } from '../api/api.js';
import { useAppStore } from '../stores/app-store.js';
import { defaultDraft, useRecipeStore } from '../stores/recipe-store.js';
import { toErrorData } from './error-box.js';

export function SavedRecipes() {
  const [list, setList] = useState<ReadonlyArray<SavedRecipe>>([]);
  const replace = useRecipeStore((s) => s.replace);
  const draftName = useRecipeStore((s) => s.draft.name);
  const set = useAppStore((s) => s.set);
  const step = useAppStore((s) => s.step);

  useEffect(() => {
    api.listRecipes().then(setList, () => setList([]));
  }, [step, draftName]);

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
              onClick={async () => {
                try {
                  const { recipe } = await api.loadRecipe(r.name);
                  replace(recipe);
                  set({ step: 'source', toast: `Opened ${r.name}` });
                } catch (e) {
                  set({ toast: toErrorData(e).message });
                }
              }}
            >
              {r.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
