// The Review step's way to the kairos-operator: Export for Kubernetes saves the recipe as an
// OSArtifact with its Secrets (one YAML file, checked against the CRD by the engine) and shows
// what the operator does not do; Build on Kubernetes submits it with the engine's kubeconfig and
// follows it in the Build step like a local build.
import { useState } from 'react';
import type { KubernetesExport } from '../../src-shared/api/contract.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { api } from '../api/api.js';
import { ErrorBox } from '../components/error-box.js';
import { saveText } from '../components/save-file.js';
import { useAction } from '../components/use-action.js';
import { useAppStore } from '../stores/app-store.js';

export function ExportKubernetes({ recipe }: { readonly recipe: Recipe }) {
  const setApp = useAppStore((s) => s.set);
  const [exported, setExported] = useState<{ for: Recipe; value: KubernetesExport } | undefined>();
  const shown = exported?.for === recipe ? exported.value : undefined;
  const [error, run] = useAction();

  const exportYaml = () =>
    run(async () => {
      const value = await api.exportOsArtifact(recipe);
      setExported({ for: recipe, value });
      saveText(value.fileName, value.yaml);
    });
  const apply = () =>
    run(async () => {
      const { jobId } = await api.applyOsArtifact(recipe);
      setApp({ buildJobId: jobId, step: 'build' });
    });

  return (
    <div className="export-kubernetes" data-testid="export-kubernetes">
      <h3>Kubernetes (kairos-operator)</h3>
      <p className="hint">Build this recipe on a cluster with the kairos-operator: an OSArtifact and the Secrets it names, checked against the operator&apos;s CRD.</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void exportYaml()}>
          Export for Kubernetes
        </button>
        <button type="button" className="secondary" onClick={() => void apply()} title="Submits with the engine's kubeconfig ($KUBECONFIG or ~/.kube/config) and its current namespace">
          Build on Kubernetes
        </button>
        {shown && <span role="status">Saved {shown.fileName}</span>}
      </div>
      {shown && shown.notes.length > 0 && (
        <ul className="issues" aria-label="What the kairos-operator does not do">
          {shown.notes.map((n, i) => (
            <li key={i} className="warning">
              {n.path ? <code>{n.path}</code> : null} {n.message}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={error} />
    </div>
  );
}
