// Step 6: everything that will be built, before it is: the recipe, the Dockerfile, the cloud-config.
import { useEffect, useState } from 'react';
import { recipeToYaml } from '../../src-shared/recipe/parse-recipe.js';
import { api } from '../api/api.js';
import { ErrorBox, toErrorData } from '../components/error-box.js';
import { useAppStore } from '../stores/app-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';

export function StepReview() {
  const recipe = useRecipeStore((s) => s.recipe);
  const issues = useRecipeStore((s) => s.issues);
  const setApp = useAppStore((s) => s.set);
  // The preview belongs to the recipe it was made for: a newer recipe shows "Generating…".
  const [preview, setPreview] = useState<{ for: unknown; text: string | null; note?: string } | undefined>();
  const dockerfile = preview?.for === recipe ? preview : undefined;
  const [error, setError] = useState<ReturnType<typeof toErrorData> | undefined>();
  const [saved, setSaved] = useState<string | undefined>();

  useEffect(() => {
    if (!recipe) return;
    let live = true;
    api.previewDockerfile(recipe).then(
      (d) => live && setPreview({ for: recipe, ...d }),
      (e: unknown) => live && setPreview({ for: recipe, text: null, note: toErrorData(e).message }),
    );
    return () => {
      live = false;
    };
  }, [recipe]);

  if (!recipe) {
    return (
      <section aria-labelledby="step-title">
        <h2 id="step-title">Review</h2>
        <ErrorBox error={{ code: 'recipe-invalid', message: `The recipe has ${issues.length} problem(s): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` }} />
      </section>
    );
  }

  const start = async (): Promise<void> => {
    setError(undefined);
    try {
      const { jobId } = await api.startBuild(recipe);
      setApp({ buildJobId: jobId, step: 'build' });
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Review</h2>
      <p className="lead">
        <strong>{recipe.name}</strong> {recipe.version}: {recipe.variant}
        {recipe.provider.name !== 'none' ? ` with ${recipe.provider.name}` : ''}, {recipe.model}/{recipe.arch}, artifacts: {recipe.artifacts.join(', ')}.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void start()}>
          Start build
        </button>
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            try {
              const r = await api.saveRecipe(recipe);
              setSaved(`Saved as ${r.name}`);
            } catch (e) {
              setError(toErrorData(e));
            }
          }}
        >
          Save recipe
        </button>
        {saved && <span role="status">{saved}</span>}
      </div>
      <ErrorBox error={error} />
      <div className="review-grid">
        <div>
          <h3>Recipe</h3>
          <pre className="code-block" tabIndex={0} aria-label="Recipe YAML">
            {recipeToYaml(recipe)}
          </pre>
        </div>
        <div>
          <h3>Dockerfile</h3>
          <pre className="code-block" tabIndex={0} aria-label="Generated Dockerfile" data-testid="dockerfile">
            {dockerfile === undefined ? 'Generating…' : (dockerfile.text ?? dockerfile.note ?? '')}
          </pre>
        </div>
        <div>
          <h3>Cloud-config</h3>
          <pre className="code-block" tabIndex={0} aria-label="Cloud-config">
            {recipe.cloudConfig}
          </pre>
        </div>
      </div>
    </section>
  );
}
