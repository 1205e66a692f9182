// Step 5: what to build, and where.
import { ARTIFACT_CATALOG } from '../../src-shared/recipe/catalog.js';
import { NETBOOT_URL_EXAMPLE } from '../../src-shared/recipe/netboot-url.js';
import { Field } from '../components/field.js';
import { PathInput } from '../components/path-input.js';
import { issueAt, useRecipeStore } from '../stores/recipe-store.js';
import { useAppStore } from '../stores/app-store.js';

export function StepArtifacts() {
  const artifacts = useRecipeStore((s) => (s.draft.artifacts ?? []) as ReadonlyArray<string>);
  const output = useRecipeStore((s) => s.draft.output ?? '');
  const name = useRecipeStore((s) => s.draft.name ?? '');
  const netbootUrl = useRecipeStore((s) => s.draft.netboot?.url ?? '');
  const issues = useRecipeStore((s) => s.issues);
  const patch = useRecipeStore((s) => s.patch);
  const outputRoot = useAppStore((s) => s.settings?.outputRoot);
  const error = issueAt(issues, 'artifacts');

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Artifacts</h2>
      <p className="lead">Every artifact gets a SHA-256 next to it. The root filesystem is made once and shared by all of them.</p>
      <fieldset className="choices" aria-describedby={error ? 'artifacts-error' : undefined}>
        <legend>Build</legend>
        <div className="choice-grid">
          {ARTIFACT_CATALOG.map((a) => (
            <label key={a.id} className={`choice${artifacts.includes(a.id) ? ' selected' : ''}${a.available ? '' : ' disabled'}`}>
              <input
                type="checkbox"
                checked={artifacts.includes(a.id)}
                disabled={!a.available}
                onChange={(e) =>
                  patch({ artifacts: (e.target.checked ? [...artifacts, a.id] : artifacts.filter((x) => x !== a.id)) as ['iso'] })
                }
              />
              <span className="choice-label">{a.label}</span>
              <span className="choice-description">{a.available ? a.description : `${a.description} (not in this version yet)`}</span>
            </label>
          ))}
        </div>
        {error && (
          <p className="error" id="artifacts-error" role="alert">
            {error}
          </p>
        )}
      </fieldset>
      {artifacts.includes('netboot') && (
        <Field
          label="Netboot URL"
          hint={`The http(s) URL the folder ${name || '<name>'}-netboot will be served from, written into its iPXE script. Left empty, the script finds its folder itself, which only iPXE from 2024 on can do.`}
          error={issueAt(issues, 'netboot.url')}
        >
          {(p) => (
            <input
              {...p}
              type="url"
              inputMode="url"
              placeholder={NETBOOT_URL_EXAMPLE}
              value={netbootUrl}
              onChange={(e) => patch({ netboot: e.target.value.trim() === '' ? {} : { url: e.target.value } })}
            />
          )}
        </Field>
      )}
      <PathInput
        label="Output folder"
        hint={outputRoot ? `A relative folder is placed under ${outputRoot}` : 'Where the artifacts are written'}
        kind="folder"
        value={output}
        error={issueAt(issues, 'output')}
        onChange={(value) => patch({ output: value })}
      />
    </section>
  );
}
