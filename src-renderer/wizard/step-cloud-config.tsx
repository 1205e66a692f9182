// Step 4: the cloud-config: a form for the usual fields, and the full YAML to edit, both checked.
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { isMap, parseDocument } from 'yaml';
import { readCloudConfigForm, validateCloudConfig, writeCloudConfigForm, type CloudConfigForm } from '../../src-shared/cloud-config/cloud-config.js';
import { FRAMEWORK_ONLY, plainImageSeed } from '../../src-shared/cloud-config/plain-image.js';
import { hasFramework } from '../../src-shared/recipe/has-framework.js';
import { Field } from '../components/field.js';
import { LinesArea } from '../components/lines-area.js';
import { LocaleFields, PasswordField, WifiFields } from './device-fields.js';
import { useAppStore } from '../stores/app-store.js';
import { useRecipeStore } from '../stores/recipe-store.js';

// CodeMirror is big: it loads when this step is first shown, not with the app.
const YamlEditor = lazy(() => import('../components/yaml-editor.js').then((m) => ({ default: m.YamlEditor })));

const sshKeyLines = (typed: string): string[] =>
  typed
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function StepCloudConfig() {
  const text = useRecipeStore((s) => s.draft.cloudConfig ?? '');
  const patch = useRecipeStore((s) => s.patch);
  const setBlockers = useAppStore((s) => s.setBlockers);
  // The form reads its fields from the YAML. While the YAML does not parse (or is no mapping) it
  // cannot: the fields keep what the YAML said last and are locked with the reason, instead of
  // going blank and dropping what is typed into them.
  const readable = useMemo(() => {
    const doc = parseDocument(text);
    return doc.errors.length === 0 && (doc.contents === null || isMap(doc.contents));
  }, [text]);
  const parsedForm = useMemo(() => readCloudConfigForm(text), [text]);
  const [lastReadable, setLastReadable] = useState(parsedForm);
  if (readable && lastReadable !== parsedForm) setLastReadable(parsedForm);
  const form = readable ? parsedForm : lastReadable;
  const kairosify = useRecipeStore((s) => s.draft.kairosify);
  const plain = !hasFramework({ kairosify: kairosify ?? {} });
  // Without the framework cloud-init applies the cloud-config: what it leaves out, and templates it cannot render.
  const seed = useMemo(() => (plain ? plainImageSeed(text) : undefined), [plain, text]);
  const issues = useMemo(
    () => [...validateCloudConfig(text), ...(seed?.errors ?? []).map((e) => ({ severity: 'error' as const, message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) }))],
    [text, seed],
  );
  const errors = issues.filter((i) => i.severity === 'error');
  const firstError = errors[0];

  useEffect(() => {
    setBlockers('cloud-config', errors.map((e) => e.message));
  }, [errors, setBlockers]);

  const update = (change: Partial<CloudConfigForm>): void => patch({ cloudConfig: writeCloudConfigForm(text, { ...form, ...change }) });

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Cloud-config</h2>
      <p className="lead">How each machine sets itself up on first boot. It is embedded in the media as /config.yaml.</p>
      {!readable && (
        <p className="notice" id="form-locked" role="status">
          The fields below show what the YAML said before its error. Fix the YAML error
          {firstError?.line !== undefined ? ` on line ${firstError.line}` : ''} (listed under the editor) to edit these fields again.
        </p>
      )}
      <fieldset className="form-fields" disabled={!readable} aria-describedby={readable ? undefined : 'form-locked'}>
        <div className="row">
          <Field label="User name">
            {(p) => <input {...p} value={form.userName} autoComplete="off" onChange={(e) => update({ userName: e.target.value })} />}
          </Field>
          <PasswordField form={form} update={update} />
          <Field label="Hostname" hint="Empty: Kairos picks one">
            {(p) => <input {...p} value={form.hostname} autoComplete="off" onChange={(e) => update({ hostname: e.target.value })} />}
          </Field>
        </div>
        <Field label="SSH keys" hint="Every image runs an SSH server. One key per line: a public key, or github:USER / gitlab:USER to fetch theirs">
          {(p) => <LinesArea field={p} rows={3} text={form.sshKeys.join('\n')} canonical={(typed) => sshKeyLines(typed).join('\n')} onChange={(typed) => update({ sshKeys: sshKeyLines(typed) })} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={form.sshKeysOnly} onChange={(e) => update({ sshKeysOnly: e.target.checked })} />
          SSH by key only (no password logins over SSH)
        </label>
        <WifiFields form={form} update={update} />
        <LocaleFields form={form} update={update} />
        <div className="row">
          <label className="check">
            <input type="checkbox" checked={form.installAuto} onChange={(e) => update({ installAuto: e.target.checked })} />
            Install automatically on boot (wipes the target disk)
          </label>
          {form.installAuto && (
            <Field label="Install to" hint={'"auto" picks the biggest disk'}>
              {(p) => <input {...p} value={form.installDevice} onChange={(e) => update({ installDevice: e.target.value })} />}
            </Field>
          )}
        </div>
      </fieldset>
      <h3 id="yaml-title">The cloud-config</h3>
      <Suspense fallback={<textarea className="code" rows={12} value={text} readOnly aria-labelledby="yaml-title" />}>
        <YamlEditor value={text} onChange={(value) => patch({ cloudConfig: value })} label="Cloud-config YAML" />
      </Suspense>
      {seed && seed.frameworkOnly.length > 0 && (
        <div className="notice" data-testid="framework-only">
          <p>
            This image has no Kairos framework: cloud-init applies the hostname, users, SSH keys, files, time zone and the form&apos;s Wi-Fi and
            keyboard settings. These keys are applied only with the Kairos framework (System step):
          </p>
          <ul aria-label="Keys applied only with the Kairos framework">
            {seed.frameworkOnly.map((n) => (
              <li key={n.path}>
                <code>{n.path}</code>
                {n.line !== undefined ? ` (line ${n.line})` : ''}
                {n.message !== FRAMEWORK_ONLY ? `: ${n.message}` : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {issues.length > 0 && (
        <ul className="issues" aria-label="Cloud-config problems">
          {issues.map((i, n) => (
            <li key={n} className={i.severity}>
              <strong>{i.severity === 'error' ? 'Error' : 'Warning'}</strong>
              {i.line !== undefined ? ` (line ${i.line})` : ''}: {i.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
