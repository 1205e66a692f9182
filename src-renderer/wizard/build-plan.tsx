// The Review step's plan: everything the build needs (images, packages, Trusted Boot keys), which
// of it is already on the engine, what needs the network, and the one-line summary. The engine's
// answer (build.plan), the same one `kairos-factory plan` prints; asking pulls and builds nothing.
import { useEffect, useState } from 'react';
import type { AppErrorData } from '../../src-shared/errors/app-error.js';
import type { BuildPlan, ImageState, PackagesState } from '../../src-shared/plan/build-plan.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { api } from '../api/api.js';
import { toErrorData } from '../components/error-box.js';

const IMAGE_WORDS: Readonly<Record<ImageState, string>> = {
  here: 'Here',
  pull: 'To pull',
  build: 'To build',
  import: 'To import',
  'not-needed': 'Not needed',
};

const PACKAGE_WORDS: Readonly<Record<PackagesState, string>> = {
  here: 'in an image that is here',
  install: 'installed by the build',
  'not-needed': 'not needed',
};

function PlanBody({ plan }: { readonly plan: BuildPlan }) {
  return (
    <>
      {plan.note && <p className="notice">{plan.note}</p>}
      <table className="history build-plan" aria-label="Images the build needs">
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">Role</th>
            <th scope="col">On this engine</th>
            <th scope="col">Network</th>
          </tr>
        </thead>
        <tbody>
          {plan.images.map((i) => (
            <tr key={i.ref} data-testid="plan-image">
              <td>
                <code>{i.ref}</code>
                <div className="hint">{i.state === 'here' ? i.why : i.note}</div>
              </td>
              <td>{i.role}</td>
              <td>{IMAGE_WORDS[i.state]}</td>
              <td>{i.network ? 'Needs the network' : 'No'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.packages.length > 0 && (
        <ul className="issues" aria-label="Packages the build installs">
          {plan.packages.map((p, n) => (
            <li key={n} data-testid="plan-packages">
              <strong>
                {p.step}
                {p.manager ? ` (${p.manager})` : ''}
              </strong>
              : {p.what}
              {p.names ? ` (${p.names.length})` : ''}; {PACKAGE_WORDS[p.state]}
              {p.network ? ', needs the network' : ''}
              {p.names && p.names.length > 0 && (
                <details>
                  <summary>Package names</summary>
                  <p className="hint">{p.names.join(', ')}</p>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
      {plan.keys && (
        <p data-testid="plan-keys">
          <strong>Trusted Boot keys</strong> (<code>{plan.keys.folder}</code>): {plan.keys.note}
        </p>
      )}
      <p data-testid="plan-summary" className={plan.network.length > 0 ? undefined : 'muted'}>
        <strong>{plan.summary}</strong>
      </p>
    </>
  );
}

export function BuildPlanCard({ recipe }: { readonly recipe: Recipe }) {
  // The plan belongs to the recipe it was made for.
  const [answer, setAnswer] = useState<{ readonly for: Recipe; readonly plan?: BuildPlan; readonly error?: AppErrorData } | undefined>();
  useEffect(() => {
    let live = true;
    api.planBuild(recipe).then(
      (plan) => live && setAnswer({ for: recipe, plan }),
      (e: unknown) => live && setAnswer({ for: recipe, error: toErrorData(e) }),
    );
    return () => {
      live = false;
    };
  }, [recipe]);
  const current = answer?.for === recipe ? answer : undefined;
  return (
    <section aria-labelledby="build-plan-title" data-testid="build-plan">
      <h3 id="build-plan-title">What the build needs</h3>
      {!current ? (
        <p role="status">Asking the engine what is here…</p>
      ) : current.plan ? (
        <PlanBody plan={current.plan} />
      ) : (
        <p className="error">The plan could not be made: {current.error?.message}</p>
      )}
    </section>
  );
}
