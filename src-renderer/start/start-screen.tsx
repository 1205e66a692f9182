// The front door: three ways in for a first-time user. Build an OS image (the wizard), flash an
// image they already have (the flash door), or open a recipe (saved here, or a YAML file such as
// the repository's examples). The images built lately are one click from being flashed.
import { useRef, useState } from 'react';
import type { RecipeIssue } from '../../src-shared/recipe/parse-recipe.js';
import { api } from '../api/api.js';
import { toErrorData } from '../components/error-box.js';
import { mayDropDraft, openSavedRecipe, useSavedRecipes } from '../components/saved-recipes.js';
import { useAppStore } from '../stores/app-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';
import { Icon } from '../components/icons.js';
import { RecentImages } from './recent-images.js';

/** "line 3, column 5: name: …" — where a problem of a recipe file is, then what it is. */
const issueText = (i: RecipeIssue): string =>
  `${i.line !== undefined ? `Line ${i.line}${i.column !== undefined ? `, column ${i.column}` : ''}: ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`;

function OpenRecipe() {
  const saved = useSavedRecipes();
  const set = useAppStore((s) => s.set);
  const replace = useRecipeStore((s) => s.replace);
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<{ readonly file: string; readonly lines: ReadonlyArray<string> } | undefined>();

  const openFile = async (file: File): Promise<void> => {
    setProblems(undefined);
    try {
      const result = await api.validateRecipeYaml(await file.text());
      if (!result.ok) {
        setProblems({ file: file.name, lines: result.issues.map(issueText) });
        return;
      }
      if (!mayDropDraft(`Open ${file.name}`)) return;
      replace(result.recipe);
      set({ step: 'source', toast: `Opened ${file.name}` });
    } catch (e) {
      const error = toErrorData(e);
      setProblems({ file: file.name, lines: [`${error.message}${error.hint ? `. ${error.hint}` : ''}`] });
    }
  };

  return (
    <div className="door">
      <span className="door-icon">
        <Icon name="folder" />
      </span>
      <h3 className="door-title">Open a recipe</h3>
      <p className="door-text">Continue a saved recipe, or open a recipe file (YAML), such as one of the examples.</p>
      {saved.length > 0 && (
        <ul className="door-list" aria-label="Saved recipes">
          {saved.slice(0, 6).map((r) => (
            <li key={r.name}>
              <button type="button" className="link" onClick={() => void openSavedRecipe(r.name)}>
                {r.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={input}
        type="file"
        accept=".yaml,.yml"
        className="sr-only"
        tabIndex={-1}
        aria-label="Recipe file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void openFile(file);
        }}
      />
      <button type="button" className="secondary" onClick={() => input.current?.click()}>
        Open a YAML file…
      </button>
      {problems && (
        <div className="error-box" role="alert">
          <p className="error-message">{problems.file} is not a recipe Kairos Factory can open:</p>
          <ul>
            {problems.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="error-hint">Fix these lines in the file and open it again.</p>
        </div>
      )}
    </div>
  );
}

export function StartScreen() {
  const set = useAppStore((s) => s.set);
  return (
    <section className="start step-body" aria-labelledby="start-title">
      <h2 id="start-title">What would you like to do?</h2>
      <p className="lead">Kairos Factory turns a Linux distribution into an immutable Kairos system and writes it to drives.</p>
      <div className="doors">
        <button type="button" className="door" onClick={() => set({ step: 'source' })}>
          <span className="door-icon">
        <Icon name="build" />
      </span>
          <span className="door-title">Build an OS image</span>
          <span className="door-text">Pick a distribution, configure it, and build an ISO, disk images or netboot files, tested in a VM.</span>
        </button>
        <button type="button" className="door" onClick={() => set({ door: 'flash' })}>
          <span className="door-icon">
        <Icon name="drive" />
      </span>
          <span className="door-title">Flash an image</span>
          <span className="door-text">Write an image you already have (ISO, .img, compressed too) to one or more USB sticks or SD cards.</span>
        </button>
        <OpenRecipe />
      </div>
      <RecentImages onPick={(flashImage) => set({ door: 'flash', flashImage, flashJobId: undefined })} />
    </section>
  );
}
