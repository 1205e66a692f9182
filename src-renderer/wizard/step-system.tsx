// Step 2: how it is kairosified, and what it runs on.
import { MODELS, findModel, modelRefusal } from '../../src-shared/recipe/catalog.js';
import { Choices, Field } from '../components/field.js';
import { Icon } from '../components/icons.js';
import { boardIcon } from '../components/icon-kinds.js';
import { useState } from 'react';
import { issueAt, useRecipeStore } from '../stores/recipe-store.js';

export function StepSystem() {
  const draft = useRecipeStore((s) => s.draft);
  const issues = useRecipeStore((s) => s.issues);
  const patch = useRecipeStore((s) => s.patch);
  const kairosify = draft.kairosify ?? {};
  const provider = draft.provider ?? {};
  const model = findModel(draft.model ?? 'generic');
  const prebuilt = kairosify.method === 'none';
  // A problem in Advanced opens it (and shows it even for a prebuilt Kairos image, where the
  // section is otherwise hidden): a step must never count a problem the user cannot see.
  const advancedIssue = issueAt(issues, 'kairosify.framework') ?? issueAt(issues, 'kairosify.kairosInitVersion');
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [openedFor, setOpenedFor] = useState<string | undefined>();
  if (advancedIssue !== openedFor) {
    setOpenedFor(advancedIssue);
    if (advancedIssue) setAdvancedOpen(true);
  }

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">System</h2>
      <p className="lead">Choose how the image becomes Kairos and what it runs on.</p>

      {prebuilt ? (
        <p className="notice">The source is already a Kairos image: it is used as it is. Variant and model below describe it.</p>
      ) : (
        <Choices
          legend="Kairosify with"
          name="method"
          value={kairosify.method ?? 'kairos-init'}
          error={issueAt(issues, 'kairosify.method')}
          onChange={(method) => patch({ kairosify: { ...kairosify, method } })}
          options={[
            { value: 'kairos-init', label: 'kairos-init (recommended)', description: 'The upstream Kairos tool; every distribution and provider' },
            { value: 'scratch', label: 'From scratch', description: 'Our transparent recipe for Debian and Ubuntu; plain images too' },
          ]}
        />
      )}

      <div className="row">
        <Choices
          legend="Variant"
          name="variant"
          value={draft.variant ?? 'core'}
          onChange={(variant) =>
            patch({ variant, provider: variant === 'core' ? { name: 'none', version: '' } : { name: provider.name === 'none' || !provider.name ? 'k3s' : provider.name, version: provider.version ?? '' } })
          }
          options={[
            { value: 'core', label: 'Core', description: 'The OS alone' },
            { value: 'standard', label: 'Standard', description: 'With Kubernetes (k3s or k0s)' },
          ]}
        />
        {draft.variant === 'standard' && (
          <div className="stack">
            <Choices
              legend="Kubernetes"
              name="provider"
              value={(provider.name ?? 'k3s') as 'k3s' | 'k0s' | 'none'}
              error={issueAt(issues, 'provider.name')}
              onChange={(name) => patch({ provider: { ...provider, name } })}
              options={[
                { value: 'k3s', label: 'k3s' },
                { value: 'k0s', label: 'k0s' },
              ]}
            />
            <Field label="Kubernetes version" hint="Empty for the provider's latest, e.g. v1.33.4+k3s1" error={issueAt(issues, 'provider.version')}>
              {(p) => <input {...p} value={provider.version ?? ''} onChange={(e) => patch({ provider: { ...provider, version: e.target.value } })} />}
            </Field>
          </div>
        )}
      </div>

      <div className="row">
        <Field
          label="Model"
          hint={
            <>
              {model?.requiredArch ? `Runs on ${model.requiredArch} only` : 'PCs, servers and VMs'}
              {/* A refused model stays in the list, disabled, with its reason here (not silently missing). */}
              {MODELS.filter((m) => m.refused && m.id !== model?.id).map((m) => (
                <span key={m.id} className="model-refused">
                  {modelRefusal(m.id)}.
                </span>
              ))}
            </>
          }
          error={issueAt(issues, 'model')}
        >
          {(p) => (
            <span className="with-icon">
              <Icon name={boardIcon(draft.model ?? 'generic')} />
              <select
                {...p}
                value={draft.model ?? 'generic'}
                onChange={(e) => {
                  const next = findModel(e.target.value);
                  patch({ model: e.target.value, ...(next?.requiredArch ? { arch: next.requiredArch } : {}) });
                }}
              >
                {MODELS.map((m) => (
                  <option key={m.id} value={m.id} disabled={Boolean(m.refused)}>
                    {m.label}
                    {m.refused ? ' (not supported)' : m.upstream ? '' : ' (scratch method)'}
                  </option>
                ))}
              </select>
            </span>
          )}
        </Field>
        <Field label="Architecture" error={issueAt(issues, 'arch')}>
          {(p) => (
            <select {...p} value={draft.arch ?? 'amd64'} disabled={Boolean(model?.requiredArch)} onChange={(e) => patch({ arch: e.target.value as 'amd64' | 'arm64' })}>
              <option value="amd64">amd64 (x86-64)</option>
              <option value="arm64">arm64 (aarch64)</option>
            </select>
          )}
        </Field>
      </div>

      <label className="check">
        <input type="checkbox" checked={draft.fips ?? false} onChange={(e) => patch({ fips: e.target.checked })} />
        FIPS 140 mode (FIPS-validated Kairos binaries)
      </label>

      {(!prebuilt || advancedIssue) && (
        <details className="advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
          <summary>Advanced</summary>
          <div className="row">
            {kairosify.method === 'kairos-init' ? (
              <Field label="kairos-init version" hint="Picks the right flags for old and new releases" error={issueAt(issues, 'kairosify.kairosInitVersion')}>
                {(p) => <input {...p} value={kairosify.kairosInitVersion ?? ''} onChange={(e) => patch({ kairosify: { ...kairosify, kairosInitVersion: e.target.value } })} />}
              </Field>
            ) : null}
            <Field label="Kairos framework" hint={'An image, or "none" for a plain bootable image (scratch only)'} error={issueAt(issues, 'kairosify.framework')}>
              {(p) => <input {...p} value={kairosify.framework ?? ''} onChange={(e) => patch({ kairosify: { ...kairosify, framework: e.target.value } })} />}
            </Field>
          </div>
        </details>
      )}
    </section>
  );
}
