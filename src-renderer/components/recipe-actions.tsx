// Keeping a recipe: Save (under its name), Save As (another name), and Export as a YAML file (a
// download in the web shell; `kairos-factory validate` and "Open a YAML file" read it back).
// Saving onto a saved recipe other than the one the draft was opened from asks first: a name
// typed twice must not silently replace someone's recipe.
import { useId, useState, type FormEvent } from 'react';
import { recipeToYaml } from '../../src-shared/recipe/parse-recipe.js';
import { RecipeSchema, type Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { api } from '../api/api.js';
import { useRecipeStore } from '../stores/recipe-store.js';
import { ErrorBox, toErrorData } from './error-box.js';
import { Field } from './field.js';
import { savedRecipesChanged, useSavedRecipes } from './saved-recipes.js';
import { saveText } from './save-file.js';

export function RecipeActions({ recipe }: { readonly recipe: Recipe }) {
  const saved = useSavedRecipes();
  const savedName = useRecipeStore((s) => s.savedName);
  const markSaved = useRecipeStore((s) => s.markSaved);
  const [asking, setAsking] = useState(false);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  /** The name whose saved recipe would be replaced, waiting for Replace or Cancel. */
  const [confirming, setConfirming] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [error, setError] = useState<ReturnType<typeof toErrorData> | undefined>();
  const nameId = useId();

  const write = async (name: string): Promise<void> => {
    setConfirming(undefined);
    setError(undefined);
    try {
      const result = await api.saveRecipe({ ...recipe, name });
      markSaved(result.name);
      savedRecipesChanged();
      setAsking(false);
      setDone(`Saved as ${result.name}`);
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  /** Saves, or first asks when that name holds another saved recipe. */
  const save = (name: string): void => {
    setDone(undefined);
    if (name !== savedName && saved.some((r) => r.name === name)) setConfirming(name);
    else void write(name);
  };

  const saveAs = (e: FormEvent): void => {
    e.preventDefault();
    const name = newName.trim();
    const checked = RecipeSchema.shape.name.safeParse(name);
    if (!checked.success) {
      setNameError(`The name ${name ? `"${name}" ` : ''}cannot be used: ${name ? 'use lowercase letters, digits, ".", "_" or "-" (63 at most), starting with a letter or digit' : 'type a name for the copy'}.`);
      return;
    }
    setNameError(undefined);
    save(name);
  };

  return (
    <div className="recipe-actions">
      <div className="actions">
        <button type="button" className="secondary" onClick={() => save(recipe.name)}>
          Save recipe
        </button>
        <button
          type="button"
          className="secondary"
          aria-expanded={asking}
          onClick={() => {
            setAsking(!asking);
            setNewName(recipe.name);
            setConfirming(undefined);
          }}
        >
          Save as…
        </button>
        <button type="button" className="secondary" onClick={() => saveText(`${recipe.name}.yaml`, recipeToYaml(recipe))}>
          Export YAML
        </button>
        {done && <span role="status">{done}</span>}
      </div>
      {asking && (
        <form className="save-as" onSubmit={saveAs} aria-label="Save as">
          <Field label="Name to save as" hint="A saved recipe of that name is replaced only after you confirm." error={nameError}>
            {(props) => <input {...props} value={newName} onChange={(e) => setNewName(e.target.value)} />}
          </Field>
          <button type="submit" className="primary">
            Save as this name
          </button>
        </form>
      )}
      {confirming && (
        <div className="notice" role="alertdialog" aria-labelledby={`${nameId}-replace`}>
          <p id={`${nameId}-replace`}>
            A saved recipe named <strong>{confirming}</strong> exists already. Replace it with this one? Its old content is lost.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void write(confirming)}>
              Replace {confirming}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(undefined)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
