// Step 6: everything that will be built, before it is: a card per step with Edit, the preflight's
// errors and warnings (the engine's: this machine's paths too, the same list `validate` prints),
// the Dockerfiles, the cloud-config. Start build waits for a clean preflight and a running Docker.
import { useEffect, useState } from 'react';
import type { EngineStatus, ValidationResult } from '../../src-shared/api/contract.js';
import type { PreflightProblem } from '../../src-shared/preflight/preflight.js';
import { renderGoTemplate } from '../../src-shared/kairosify/go-template.js';
import { recipeToYaml } from '../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { api } from '../api/api.js';
import { ErrorBox, toErrorData } from '../components/error-box.js';
import { RecipeActions } from '../components/recipe-actions.js';
import { OfflineKit } from './offline-kit.js';
import { useAppStore } from '../stores/app-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';
import { ExportKubernetes } from './export-kubernetes.js';
import { STEPS, stepOfPath, type StepId } from './steps.js';
import { BuildPlanCard } from './build-plan.js';

/** One line per step: what the recipe says there. */
function summaries(recipe: Recipe): ReadonlyArray<{ readonly step: StepId; readonly text: string }> {
  const source = recipe.source.kind === 'image' ? recipe.source.baseImage : recipe.source.kind === 'dockerfile' ? 'your Dockerfile' : `the root filesystem ${recipe.source.path}`;
  const provider = recipe.provider.name !== 'none' ? ` with ${recipe.provider.name}${recipe.provider.version ? ` ${recipe.provider.version}` : ''}` : '';
  return [
    { step: 'source', text: `${recipe.name} ${recipe.version} from ${source}` },
    { step: 'system', text: `${recipe.variant}${provider}, ${recipe.model}/${recipe.arch}, ${recipe.kairosify.method}` },
    { step: 'trusted-boot', text: recipe.trustedBoot.enabled ? `on (keys: ${recipe.trustedBoot.keysFolder ?? 'made at build time'})` : 'off' },
    { step: 'cloud-config', text: `${recipe.cloudConfig.split('\n').filter((l) => l.trim() !== '').length} lines` },
    { step: 'artifacts', text: `${recipe.artifacts.join(', ')} into ${recipe.output}` },
  ];
}

/** The source Dockerfile as it will be built: the template filled with its values (a values file is read by the engine at build time). */
function renderedSource(source: Extract<Recipe['source'], { kind: 'dockerfile' }>): string {
  try {
    const text = renderGoTemplate(source.dockerfile, source.values);
    return source.valuesFile ? `# Values from ${source.valuesFile} are filled in at build time\n${text}` : text;
  } catch (e) {
    return toErrorData(e).message;
  }
}

/** A text block with Copy and Download. */
function CodeCard({ title, label, text, file, testId }: { readonly title: string; readonly label: string; readonly text: string; readonly file?: string; readonly testId?: string }) {
  const [copied, setCopied] = useState(false);
  const download = (): void => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file ?? 'file.txt';
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <div>
      <h3>{title}</h3>
      <pre className="code-block" tabIndex={0} aria-label={label} data-testid={testId}>
        {text}
      </pre>
      {file && (
        <div className="actions">
          <button type="button" className="secondary" aria-label={`Copy ${title}`} onClick={() => void navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
            {copied ? 'Copied' : 'Copy'}
          </button>
          <button type="button" className="secondary" aria-label={`Download ${title}`} onClick={download}>
            Download
          </button>
        </div>
      )}
    </div>
  );
}

function ProblemList({ problems, go }: { readonly problems: ReadonlyArray<PreflightProblem>; readonly go: (step: StepId) => void }) {
  if (problems.length === 0) return null;
  return (
    <ul className="issues" aria-label="Problems found before the build" data-testid="preflight-problems">
      {problems.map((p, n) => {
        const step = stepOfPath(p.path);
        return (
          <li key={n} className={p.severity}>
            <strong>{p.severity === 'error' ? 'Error' : 'Warning'}</strong>
            {step ? ` (${step.title})` : ''}: {p.path ? <code>{p.path}</code> : null} {p.message}{' '}
            {step && (
              <button type="button" className="link" onClick={() => go(step.id)}>
                Edit {step.title}
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export function StepReview() {
  const recipe = useRecipeStore((s) => s.recipe);
  const issues = useRecipeStore((s) => s.issues);
  const warnings = useRecipeStore((s) => s.warnings);
  const setApp = useAppStore((s) => s.set);
  const go = (step: StepId): void => setApp({ step });
  // The preview and the engine's preflight belong to the recipe they were made for.
  const [preview, setPreview] = useState<{ for: unknown; text: string | null; note?: string } | undefined>();
  const dockerfile = preview?.for === recipe ? preview : undefined;
  const [checked, setChecked] = useState<{ for: unknown; result: ValidationResult } | undefined>();
  const engineCheck = checked && checked.for === recipe ? checked.result : undefined;
  const [status, setStatus] = useState<EngineStatus | undefined>();
  const [error, setError] = useState<ReturnType<typeof toErrorData> | undefined>();

  useEffect(() => {
    let live = true;
    api.engineStatus().then((s) => live && setStatus(s), () => undefined);
    return () => {
      live = false;
    };
  }, []);

  useEffect(() => {
    if (!recipe) return;
    let live = true;
    api.previewDockerfile(recipe).then(
      (d) => live && setPreview({ for: recipe, ...d }),
      (e: unknown) => live && setPreview({ for: recipe, text: null, note: toErrorData(e).message }),
    );
    api.validateRecipe(recipe).then(
      (result) => live && setChecked({ for: recipe, result }),
      (e: unknown) => live && setError(toErrorData(e)),
    );
    return () => {
      live = false;
    };
  }, [recipe]);

  if (!recipe) {
    return (
      <section aria-labelledby="step-title">
        <h2 id="step-title">Review</h2>
        <p className="lead">The recipe has {issues.length} problem{issues.length === 1 ? '' : 's'} to fix before it can be built:</p>
        <ProblemList problems={issues.map((i) => ({ ...i, severity: 'error' as const }))} go={go} />
      </section>
    );
  }

  const problems = engineCheck?.problems ?? warnings;
  const dockerDown = status !== undefined && !status.docker.ok;
  const blocked = !engineCheck ? 'Checking the recipe on the engine…' : !engineCheck.ok ? 'Fix the errors listed above first.' : dockerDown ? 'Docker is not running: start it first (see above).' : undefined;

  const start = async (): Promise<void> => {
    setError(undefined);
    try {
      const { jobId } = await api.startBuild(recipe);
      setApp({ buildJobId: jobId, step: 'build' });
    } catch (e) {
      setError(toErrorData(e));
    }
  };

  const source = recipe.source;
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Review</h2>
      {dockerDown && (
        <div className="notice" role="alert" data-testid="docker-down">
          <strong>Docker is not reachable:</strong> {status.docker.message}. {status.docker.hint ?? 'Start the Docker engine (e.g. `sudo systemctl start docker`), then come back to this step.'}
        </div>
      )}
      <ul className="review-cards" aria-label="The recipe, step by step">
        {summaries(recipe).map(({ step, text }) => {
          const title = STEPS.find((s) => s.id === step)?.title ?? step;
          return (
            <li key={step}>
              <strong>{title}</strong>: {text}{' '}
              <button type="button" className="link" aria-label={`Edit ${title}`} onClick={() => go(step)}>
                Edit
              </button>
            </li>
          );
        })}
      </ul>
      <ProblemList problems={problems} go={go} />
      <BuildPlanCard recipe={recipe} />
      <div className="actions">
        <button type="button" className="secondary" onClick={() => go('artifacts')}>
          Back
        </button>
        <button type="button" className="primary" disabled={blocked !== undefined} aria-describedby={blocked ? 'start-blocked' : undefined} onClick={() => void start()}>
          Start build
        </button>
        {blocked && (
          <span id="start-blocked" role="status">
            {blocked}
          </span>
        )}
      </div>
      <ErrorBox error={error} />
      <RecipeActions recipe={recipe} />
      <OfflineKit recipe={recipe} />
      <ExportKubernetes recipe={recipe} />
      <div className="review-grid">
        <CodeCard title="Recipe" label="Recipe YAML" text={recipeToYaml(recipe)} file={`${recipe.name}.yaml`} />
        {source.kind === 'dockerfile' && <CodeCard title="Your Dockerfile" label="Your Dockerfile, rendered" text={renderedSource(source)} file="Dockerfile.source" />}
        <CodeCard
          title="Dockerfile"
          label="Generated Dockerfile"
          testId="dockerfile"
          text={dockerfile === undefined ? 'Generating…' : (dockerfile.text ?? dockerfile.note ?? '')}
          {...(dockerfile?.text ? { file: 'Dockerfile' } : {})}
        />
        <CodeCard title="Cloud-config" label="Cloud-config" text={recipe.cloudConfig} />
      </div>
    </section>
  );
}
