// Step 1: where the system comes from, and its name and version.
import { hasFramework } from '../../src-shared/recipe/has-framework.js';
import { DISTROS, KAIROS_RELEASES, findRelease } from '../../src-shared/recipe/distros.js';
import { Choices, Field } from '../components/field.js';
import { issueAt, useRecipeStore, type Draft } from '../stores/recipe-store.js';
import { PathInput } from '../components/path-input.js';
import { DistroBadge, Icon } from '../components/icons.js';
import { TemplateValues } from './template-values.js';

type SourceChoice = 'distro' | 'kairos' | 'dockerfile' | 'rootfs';

const EXAMPLE_DOCKERFILE = `FROM {{ .BaseImage }}
RUN apt-get update && apt-get install -y --no-install-recommends htop && rm -rf /var/lib/apt/lists/*
`;

function choiceOf(draft: Draft): SourceChoice {
  const source = draft.source as { kind?: string };
  if (source.kind === 'dockerfile') return 'dockerfile';
  if (source.kind === 'rootfs') return 'rootfs';
  return draft.kairosify?.method === 'none' ? 'kairos' : 'distro';
}

export function StepSource() {
  const draft = useRecipeStore((s) => s.draft);
  const issues = useRecipeStore((s) => s.issues);
  const patch = useRecipeStore((s) => s.patch);
  const choice = choiceOf(draft);
  const source = draft.source as { kind?: string; baseImage?: string; dockerfile?: string; values?: Record<string, string>; path?: string };
  const kairosify = draft.kairosify ?? {};
  const method = kairosify.method === 'none' ? 'kairos-init' : kairosify.method;

  const setChoice = (next: SourceChoice): void => {
    switch (next) {
      case 'distro':
        patch({ source: { kind: 'image', baseImage: 'ubuntu:24.04' }, kairosify: { ...kairosify, method: method ?? 'kairos-init' } });
        break;
      case 'kairos':
        patch({ source: { kind: 'image', baseImage: KAIROS_RELEASES[0]!.image }, kairosify: { ...kairosify, method: 'none' } });
        break;
      case 'dockerfile':
        patch({ source: { kind: 'dockerfile', dockerfile: EXAMPLE_DOCKERFILE, values: { BaseImage: 'ubuntu:24.04' } }, kairosify: { ...kairosify, method: method ?? 'kairos-init' } });
        break;
      case 'rootfs':
        patch({ source: { kind: 'rootfs', path: '' }, kairosify: { ...kairosify, method: method ?? 'kairos-init' } });
        break;
    }
  };

  const image = source.baseImage ?? '';
  const known = findRelease(image);
  const distro = known?.distro ?? (choice === 'distro' && !known ? undefined : DISTROS[0]);

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">Source</h2>
      <p className="lead">Pick what your system is made from. Kairos Factory turns it into an immutable, bootable Kairos image.</p>
      <div className="row">
        <Field label="Name" hint="Names the image and the files (lowercase, digits, - . _)" error={issueAt(issues, 'name')}>
          {(p) => <input {...p} value={draft.name ?? ''} onChange={(e) => patch({ name: e.target.value })} autoComplete="off" />}
        </Field>
        <Field label="Version" hint="Your OS version, semver (v1.0.0)" error={issueAt(issues, 'version')}>
          {(p) => <input {...p} value={draft.version ?? ''} onChange={(e) => patch({ version: e.target.value })} autoComplete="off" />}
        </Field>
      </div>
      <Choices<SourceChoice>
        legend="Start from"
        name="source-kind"
        value={choice}
        onChange={setChoice}
        options={[
          { value: 'distro', label: 'A Linux distribution', description: 'Ubuntu, Debian, Fedora, Rocky, openSUSE, Alpine… or any image', icon: <Icon name="layers" size={22} /> },
          { value: 'kairos', label: 'A Kairos release', description: 'A ready Kairos image: no kairosify step', icon: <Icon name="package" size={22} /> },
          { value: 'dockerfile', label: 'Your Dockerfile', description: 'With {{ .Values }} filled in from a list', icon: <Icon name="dockerfile" size={22} /> },
          { value: 'rootfs', label: 'A root filesystem', description: 'A folder or a tarball on this machine', icon: <Icon name="folder" size={22} /> },
        ]}
      />

      {choice === 'distro' && (
        <div className="row">
          <Field label="Distribution">
            {(p) => (
              <span className="with-icon">
                <DistroBadge of={known?.distro?.id ?? image} />
                <select
                  {...p}
                  value={known?.distro?.id ?? 'custom'}
                  onChange={(e) => {
                    const d = DISTROS.find((x) => x.id === e.target.value);
                    if (d) patch({ source: { kind: 'image', baseImage: d.releases[0]!.image } });
                    else patch({ source: { kind: 'image', baseImage: '' } });
                  }}
                >
                  {DISTROS.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.label}
                    </option>
                  ))}
                  <option value="custom">Another image…</option>
                </select>
              </span>
            )}
          </Field>
          {known?.distro ? (
            <Field label="Release">
              {(p) => (
                <select {...p} value={image} onChange={(e) => patch({ source: { kind: 'image', baseImage: e.target.value } })}>
                  {known.distro!.releases.map((r) => (
                    <option key={r.id} value={r.image}>
                      {r.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <Field label="Image" hint="Any image your Docker engine has or can pull" error={issueAt(issues, 'source')}>
              {(p) => <input {...p} value={image} placeholder="registry.example.com/os/base:1.0" onChange={(e) => patch({ source: { kind: 'image', baseImage: e.target.value } })} />}
            </Field>
          )}
          {distro?.scratchNeeds === 'framework' && !hasFramework({ kairosify }) && (
            <p className="notice">The scratch method boots {distro.label} only with the Kairos framework: choose one, or use kairos-init (System step).</p>
          )}
        </div>
      )}

      {choice === 'kairos' && (
        <Field label="Kairos image" hint="A release from quay.io/kairos, or your own Kairos image" error={issueAt(issues, 'source')}>
          {(p) => (
            <span className="with-icon">
                <DistroBadge of="kairos" />
                <input {...p} list="kairos-releases" value={image} onChange={(e) => patch({ source: { kind: 'image', baseImage: e.target.value } })} />
                <datalist id="kairos-releases">
                  {KAIROS_RELEASES.map((r) => (
                    <option key={r.id} value={r.image}>
                      {r.label}
                    </option>
                  ))}
                </datalist>
            </span>
          )}
        </Field>
      )}

      {choice === 'dockerfile' && (
        <>
          <Field label="Dockerfile" hint="Go template syntax: {{ .Name }}, if/else, range and with" error={issueAt(issues, 'source.dockerfile')}>
            {(p) => (
              <textarea
                {...p}
                className="code"
                rows={10}
                spellCheck={false}
                value={source.dockerfile ?? ''}
                onChange={(e) => patch({ source: { ...source, kind: 'dockerfile', dockerfile: e.target.value } as Draft['source'] })}
              />
            )}
          </Field>
          <TemplateValues
            values={source.values ?? {}}
            error={issueAt(issues, 'source.values')}
            onChange={(values) => patch({ source: { ...source, kind: 'dockerfile', values } as Draft['source'] })}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={kairosify.method === 'none'}
              onChange={(e) => patch({ kairosify: { ...kairosify, method: e.target.checked ? 'none' : 'kairos-init' } })}
            />
            This Dockerfile already makes a Kairos image (skip kairosify)
          </label>
        </>
      )}

      {choice === 'rootfs' && (
        <PathInput
          label="Root filesystem"
          hint="A folder, or a .tar, .tar.gz, .tar.xz or .tar.zst of one"
          kind="folder"
          value={source.path ?? ''}
          error={issueAt(issues, 'source')}
          onChange={(path) => patch({ source: { kind: 'rootfs', path } })}
        />
      )}
    </section>
  );
}
