import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../../src-shared/recipe/catalog.js';
import { formatRecipeIssue, parseRecipeYaml, recipeToYaml } from '../../../src-shared/recipe/parse-recipe.js';

const example = readFileSync(new URL('../../../examples/debian-bookworm.yaml', import.meta.url), 'utf8');

function issuesOf(text: string) {
  const result = parseRecipeYaml(text);
  if (result.ok) throw new Error('expected the recipe to be invalid');
  return result.issues;
}

describe('parseRecipeYaml', () => {
  it('accepts the shipped example and fills the defaults', () => {
    const result = parseRecipeYaml(example);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.recipe.name).toBe('debian-bookworm');
    expect(result.recipe.kairosify).toMatchObject({ method: 'scratch', framework: 'none' });
    expect(result.recipe.artifacts).toEqual(['iso', 'raw-efi', 'raw-bios', 'vhd', 'gce', 'netboot', 'rootfs-tar']);
  });

  it('fills defaults for a minimal recipe', () => {
    const result = parseRecipeYaml('name: tiny\nsource:\n  baseImage: ubuntu:24.04\n');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.recipe).toMatchObject({
      version: 'v0.1.0',
      variant: 'core',
      model: 'generic',
      arch: 'amd64',
      provider: { name: 'none', version: '' },
      kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.17.3' },
      trustedBoot: { enabled: false },
      output: 'build',
    });
  });

  it('names a misspelled top-level field, its line, and what was meant', () => {
    const issues = issuesOf(example.replace(/^variant:/m, 'varient:'));
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.path).toBe('varient');
    expect(issue.message).toBe('unknown field; did you mean "variant"?');
    expect(issue.line).toBe(example.split('\n').findIndex((l) => l.startsWith('variant:')) + 1);
    expect(formatRecipeIssue(issue, 'r.yaml')).toMatch(/^r\.yaml:\d+:1: varient: unknown field; did you mean "variant"\?$/);
  });

  it('names a misspelled nested field with its full path', () => {
    const issues = issuesOf(example.replace('  baseImage:', '  baseimage:'));
    expect(issues.map((i) => [i.path, i.message])).toContainEqual(['source.baseimage', 'unknown field; did you mean "baseImage"?']);
    expect(issues.map((i) => [i.path, i.message])).toContainEqual(['source.baseImage', 'is required']);
  });

  it('lists the allowed values of a wrong enum', () => {
    const issues = issuesOf(example.replace('method: scratch', 'method: magic'));
    expect(issues[0]).toMatchObject({ path: 'kairosify.method', message: 'must be one of: kairos-init, scratch, none' });
    expect(issues[0]?.line).toBeGreaterThan(1);
  });

  it('refuses an arm-only model on amd64, naming arch', () => {
    const issues = issuesOf(example.replace('model: generic', 'model: rpi4'));
    expect(issues).toEqual([expect.objectContaining({ path: 'arch', message: 'model rpi4 runs only on arm64; set arch: arm64' })]);
    expect(formatRecipeIssue(issues[0]!, 'r.yaml')).toMatch(/^r\.yaml:\d+:\d+: arch: model rpi4 runs only on arm64; set arch: arm64$/);
  });

  it('refuses a Raspberry Pi 5 with every method, naming model, the reason and what to do instead', () => {
    const methods = {
      scratch: example,
      'kairos-init': example.replace('method: scratch', 'method: kairos-init').replace('framework: none', 'framework: quay.io/kairos/framework:v2.18.3'),
      none: example.replace('method: scratch', 'method: none'),
    };
    for (const [method, text] of Object.entries(methods)) {
      const issues = issuesOf(text.replace('model: generic', 'model: rpi5').replace('arch: amd64', 'arch: arm64'));
      // One issue: the refusal, not kairos-init's "use method: scratch" (scratch cannot build it either).
      expect(issues, method).toHaveLength(1);
      expect(issues[0], method).toMatchObject({ path: 'model', line: example.split('\n').findIndex((l) => l.startsWith('model:')) + 1 });
      expect(issues[0]?.message).toMatch(/^Raspberry Pi 5 is not supported: .*upstream Kairos does not support it.*kairos-init rejects -m rpi5.*Debian 12 has no Pi 5 firmware.*; build for a Raspberry Pi 4 \(model: rpi4\)/);
    }
  });

  it('builds every model but the refused ones on its arch', () => {
    for (const model of MODELS) {
      const text = example.replace('model: generic', `model: ${model.id}`).replace('arch: amd64', `arch: ${model.requiredArch ?? 'amd64'}`);
      const result = parseRecipeYaml(text);
      expect(result.ok, model.id).toBe(model.refused === undefined);
      if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(['model']);
    }
    expect(MODELS.filter((m) => m.refused).map((m) => m.id)).toEqual(['rpi5']);
  });

  it('makes the rpi artifact only for a Raspberry Pi model; the Pi examples parse', () => {
    const generic = readFileSync(new URL('../../../examples/debian-bookworm-arm64.yaml', import.meta.url), 'utf8');
    const issues = issuesOf(generic.replace('artifacts: [rootfs-tar]', 'artifacts: [rpi]'));
    expect(issues[0]).toMatchObject({ path: 'artifacts', message: expect.stringContaining('set model to rpi3 or rpi4 (not generic)') });
    const pi3 = readFileSync(new URL('../../../examples/debian-bookworm-rpi3.yaml', import.meta.url), 'utf8');
    expect(issuesOf(pi3.replace('framework: none', 'framework: quay.io/kairos/framework:v2.18.3'))[0]).toMatchObject({ path: 'kairosify.framework', message: expect.stringContaining('plain image for now') });
    for (const model of ['rpi3', 'rpi4']) {
      const result = parseRecipeYaml(readFileSync(new URL(`../../../examples/debian-bookworm-${model}.yaml`, import.meta.url), 'utf8'));
      expect(result.ok && result.recipe.artifacts.includes('rpi') && result.recipe.model === model && result.recipe.arch === 'arm64', model).toBe(true);
    }
  });

  it('ties variant and provider together', () => {
    expect(issuesOf(example.replace('variant: core', 'variant: standard'))[0]?.path).toBe('provider.name');
    const withProvider = example.replace('method: scratch', 'method: kairos-init').replace('framework: none', 'framework: quay.io/kairos/framework:v2.18.3').replace('name: none', 'name: k3s');
    expect(issuesOf(withProvider)[0]).toMatchObject({ path: 'variant', message: expect.stringContaining('set variant: standard') });
  });

  it('rejects framework none with kairos-init, which always installs it', () => {
    expect(issuesOf(example.replace('method: scratch', 'method: kairos-init'))[0]?.path).toBe('kairosify.framework');
  });

  it('checks image references and versions', () => {
    expect(issuesOf(example.replace('baseImage: debian:bookworm', 'baseImage: "Debian Bookworm"'))[0]?.path).toBe('source.baseImage');
    expect(issuesOf(example.replace('version: v0.1.0', 'version: latest'))[0]).toMatchObject({
      path: 'version',
      message: 'must be a semantic version such as v1.0.0',
    });
  });

  it('wants a cloud-config header', () => {
    expect(issuesOf(example.replace('#cloud-config', '# my config'))[0]?.path).toBe('cloudConfig');
  });

  it('reports YAML syntax errors with their line', () => {
    const issues = issuesOf('name: x\nsource: [\n');
    expect(issues[0]?.message).toMatch(/^YAML:/);
    expect(issues[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('refuses a document that is not a mapping', () => {
    expect(issuesOf('- a\n- b\n')[0]?.message).toContain('mapping');
  });

  it('round-trips through YAML', () => {
    const first = parseRecipeYaml(example);
    if (!first.ok) throw new Error('invalid');
    const second = parseRecipeYaml(recipeToYaml(first.recipe));
    expect(second).toEqual(first);
  });
});

describe('cloud-config of a plain image (framework none)', () => {
  it('refuses a template cloud-init cannot render, naming it and the line in the recipe', () => {
    const text = example.replace('hostname: kairos-{{ trunc 4 .MachineID }}', 'hostname: "{{ .Values.site }}-node"');
    const issues = issuesOf(text);
    expect(issues).toEqual([expect.objectContaining({ path: 'cloudConfig', message: expect.stringContaining('the template {{ .Values.site }} needs the Kairos framework to render') as string })]);
    expect(issues[0]?.line).toBe(text.split('\n').findIndex((l) => l.startsWith('cloudConfig:')) + 1);
  });

  it('takes the same template in an image with the framework (Kairos renders it)', () => {
    const text = example.replace('hostname: kairos-{{ trunc 4 .MachineID }}', 'hostname: "{{ .Values.site }}-node"').replace('framework: none', 'framework: quay.io/kairos/framework:v2.20.0');
    expect(parseRecipeYaml(text).ok).toBe(true);
  });
});
