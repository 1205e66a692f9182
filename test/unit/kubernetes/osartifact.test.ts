import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { osArtifactToRecipe } from '../../../src-shared/kubernetes/osartifact-to-recipe.js';
import { osArtifactIssues, schemaIssues } from '../../../src-shared/kubernetes/osartifact-validate.js';
import { osArtifactYaml, yamlDocuments } from '../../../src-shared/kubernetes/osartifact-yaml.js';
import { OPERATOR_ARTIFACTS, recipeToOsArtifact } from '../../../src-shared/kubernetes/recipe-to-osartifact.js';
import { parseRecipeYaml, validateRecipe } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe, RecipeInput } from '../../../src-shared/recipe/recipe-schema.js';

const examplesDir = new URL('../../../examples/', import.meta.url);
const exampleRecipe = (file: string): Recipe => {
  const result = parseRecipeYaml(readFileSync(new URL(file, examplesDir), 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.issues)}`);
  return result.recipe;
};
const recipeOf = (input: RecipeInput): Recipe => {
  const result = validateRecipe(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues.map((i) => i.base)));
  return result.recipe;
};

/** What a build is made from: the recipe less where its files go locally. */
const buildInputs = (r: Recipe) => ({
  name: r.name,
  version: r.version,
  source: r.source,
  kairosify: r.kairosify,
  variant: r.variant,
  model: r.model,
  arch: r.arch,
  provider: r.provider,
  fips: r.fips,
  trustedBoot: { enabled: r.trustedBoot.enabled },
  cloudConfig: r.cloudConfig,
  artifacts: [...r.artifacts].sort(),
  diskSizeMiB: r.disk.sizeMiB,
  netboot: r.netboot,
  registry: r.push ? r.registry : undefined,
  push: r.push,
});

/** Through the file and back, as a user does: export, write YAML, read it, make a recipe. */
const roundTrip = (recipe: Recipe) => {
  const exported = recipeToOsArtifact(recipe);
  const text = osArtifactYaml(exported, recipe.name);
  return { exported, text, back: osArtifactToRecipe(yamlDocuments(text, 'osartifact.yaml')) };
};

const debian = exampleRecipe('debian-bookworm-kairos-init.yaml');
const ownDockerfile = recipeOf({
  name: 'my_os',
  version: 'v1.2.3',
  source: { kind: 'dockerfile', dockerfile: 'FROM {{ .Base }}\nRUN apt-get update\n', values: { Base: 'ubuntu:24.04' } },
  kairosify: { method: 'kairos-init', kairosInitVersion: 'v0.17.3' },
  variant: 'standard',
  provider: { name: 'k3s', version: 'v1.33.1+k3s1' },
  arch: 'arm64',
  model: 'rpi4',
  cloudConfig: '#cloud-config\nhostname: pi\n',
  artifacts: ['iso', 'raw-efi'],
  disk: { sizeMiB: 8192 },
});
const release = recipeOf({
  name: 'kairos-release',
  source: { baseImage: 'quay.io/kairos/ubuntu:24.04-core-amd64-generic-v3.6.0' },
  kairosify: { method: 'none' },
  artifacts: ['iso', 'netboot'],
});
const trusted = recipeOf({
  name: 'secure',
  source: { baseImage: 'fedora:42' },
  fips: true,
  trustedBoot: { enabled: true, keysFolder: '/keys' },
  artifacts: ['uki'],
});

describe('recipe -> OSArtifact -> recipe', () => {
  it.each([
    ['the Debian kairos-init example', debian],
    ['an own Dockerfile with template values, k3s, arm64', ownDockerfile],
    ['a Kairos release image', release],
    ['Trusted Boot (UKI with its keys volume), FIPS', trusted],
  ])('%s gives back the same build inputs', (_label, recipe) => {
    const { back } = roundTrip(recipe);
    expect(buildInputs(back.recipe)).toEqual(buildInputs(recipe));
  });

  it('every example recipe the operator can express round-trips; the others are exported with their notes', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));
    expect(files).toContain('debian-bookworm-kairos-init.yaml');
    for (const file of files) {
      const recipe = exampleRecipe(file);
      const exported = recipeToOsArtifact(recipe);
      expect(schemaIssues(exported.artifact), file).toEqual([]);
      if (!recipe.artifacts.some((kind) => kind in OPERATOR_ARTIFACTS)) {
        // Nothing the operator makes (a Pi card, a tarball): refused before writing, by field.
        expect(osArtifactIssues(exported.artifact).map((i) => i.path), file).toEqual(['spec.artifacts']);
        continue;
      }
      const { back } = roundTrip(recipe);
      if (recipe.kairosify.method === 'scratch') {
        // Not expressible: said, by field, and the manifest builds with kairos-init instead.
        expect(exported.notes.map((n) => n.path), file).toContain('kairosify.method');
        expect(back.recipe.kairosify.method).toBe('kairos-init');
      } else {
        expect(buildInputs(back.recipe), file).toEqual(buildInputs(recipe));
      }
    }
  });

  it('maps each image mode and the artifacts onto the v1alpha2 fields', () => {
    const d = recipeToOsArtifact(debian).artifact;
    expect(d.metadata.generateName).toBe('debian-bookworm-kairos-init-');
    expect(d.spec.image).toMatchObject({ buildOptions: { version: 'v0.1.0', baseImage: 'debian:bookworm', model: 'generic', kairosInitImage: 'quay.io/kairos/kairos-init:v0.17.3' }, push: true, buildImage: { registry: 'quay.io', repository: 'example/debian-bookworm-kairos-init', tag: 'v0.1.0-core-generic-amd64' } });
    expect(d.spec.image.ref).toBeUndefined();
    expect(d.spec.artifacts).toMatchObject({ arch: 'amd64', iso: true, cloudImage: true, azureImage: true, gceImage: true, netboot: true, netbootURL: 'http://192.168.1.10:8080/netboot/', cloudConfigRef: { name: 'debian-bookworm-kairos-init-cloud-config', key: 'userdata' } });
    expect(recipeToOsArtifact(release).artifact.spec.image).toEqual({ ref: 'quay.io/kairos/ubuntu:24.04-core-amd64-generic-v3.6.0' });
    const own = recipeToOsArtifact(ownDockerfile);
    expect(own.artifact.metadata.generateName).toBe('my-os-');
    expect(own.artifact.spec.image.ociSpec).toEqual({ ref: { name: 'my-os-dockerfile', key: 'Dockerfile' }, templateValues: { Base: 'ubuntu:24.04' } });
    expect(own.artifact.spec.image.buildOptions).toMatchObject({ kubernetesDistro: 'k3s', kubernetesVersion: 'v1.33.1+k3s1', model: 'rpi4' });
    expect(own.artifact.spec.artifacts?.diskSize).toBe('8192');
    expect(own.secrets.find((s) => s.metadata.name === 'my-os-dockerfile')?.stringData.Dockerfile).toBe('FROM {{ .Base }}\nRUN apt-get update\n');
    const t = recipeToOsArtifact(trusted);
    expect(t.artifact.spec.artifacts?.uki).toEqual({ iso: true, efi: true, keysVolume: 'uki-keys' });
    expect(t.artifact.spec.volumes).toEqual([{ name: 'uki-keys', secret: { secretName: 'secure-uki-keys' } }]);
    // The keys themselves are never written: only named, with how to make the Secret.
    expect(JSON.stringify(t)).not.toMatch(/BEGIN|PRIVATE KEY/);
    expect(t.notes.find((n) => n.path === 'trustedBoot.keysFolder')?.message).toContain('--from-file=db.key=/keys/db.key');
  });

  it('lists what the operator cannot do, in the notes and the YAML comment block', () => {
    const pi = recipeOf({ name: 'pi', source: { baseImage: 'debian:bookworm' }, kairosify: { method: 'scratch', framework: 'none' }, model: 'rpi4', arch: 'arm64', artifacts: ['rpi', 'raw-bios', 'iso', 'rootfs-tar'], disk: { xz: true } });
    const exported = recipeToOsArtifact(pi);
    const paths = exported.notes.map((n) => n.path);
    for (const path of ['kairosify.method', 'artifacts.rpi', 'artifacts.raw-bios', 'artifacts.rootfs-tar', 'disk.xz', 'output']) expect(paths).toContain(path);
    expect(exported.notes.some((n) => /boot tests and flashing/.test(n.message))).toBe(true);
    const text = osArtifactYaml(exported, 'pi');
    expect(text).toMatch(/^# {3}- artifacts\.rpi: the operator makes no Raspberry Pi SD card layout/m);
    expect(osArtifactIssues(exported.artifact)).toEqual([]);
  });

  it('refuses a root filesystem source, naming the field', () => {
    const rootfs = recipeOf({ name: 'r', source: { kind: 'rootfs', path: '/tmp/root' }, kairosify: { method: 'kairos-init' } });
    expect(() => recipeToOsArtifact(rootfs)).toThrow(/^source\.kind: /);
  });

  it('the Debian example manifest is checked in as exported (examples/kubernetes)', async () => {
    const text = osArtifactYaml(recipeToOsArtifact(debian), debian.name);
    await expect(text).toMatchFileSnapshot('../../../examples/kubernetes/debian-bookworm-kairos-init.yaml');
    const docs = yamlDocuments(text, 'x');
    expect(docs.map((d) => (d as { kind: string }).kind)).toEqual(['Secret', 'OSArtifact']);
    expect(osArtifactIssues(docs[1])).toEqual([]);
  });
});

describe('OSArtifact validation (the CRD schema, then the operator rules)', () => {
  // A free-form copy the tests break on purpose, field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const valid = () => JSON.parse(JSON.stringify(recipeToOsArtifact(debian).artifact)) as Record<string, any>;

  it('accepts every export', () => {
    for (const r of [debian, ownDockerfile, release, trusted]) expect(osArtifactIssues(recipeToOsArtifact(r).artifact)).toEqual([]);
  });

  it('refuses two image modes, naming spec.image', () => {
    const m = valid();
    m.spec.image.ref = 'quay.io/kairos/debian:12';
    expect(osArtifactIssues(m)).toContainEqual({ path: 'spec.image', message: expect.stringMatching(/two image modes \(ref and buildOptions\)/) });
  });

  it('refuses no artifacts, naming spec.artifacts', () => {
    const m = valid();
    m.spec.artifacts = { arch: 'amd64' };
    expect(osArtifactIssues(m)).toContainEqual({ path: 'spec.artifacts', message: expect.stringMatching(/^no artifact/) });
  });

  it('refuses a reserved volume name, naming the volume', () => {
    const m = valid();
    m.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'rootfs', emptyDir: {} }];
    expect(osArtifactIssues(m)).toEqual([{ path: 'spec.volumes[1].name', message: expect.stringMatching(/"rootfs" is a volume the operator mounts itself/) }]);
  });

  it('refuses what the CRD schema refuses, by field: a wrong arch, a wrong type, a misspelled field', () => {
    const m = valid();
    m.spec.artifacts.arch = 'riscv64';
    m.spec.artifacts.iso = 'yes';
    m.spec.artifacts.isoo = true;
    const issues = schemaIssues(m);
    expect(issues).toContainEqual({ path: 'spec.artifacts.arch', message: 'must be one of: amd64, arm64' });
    expect(issues).toContainEqual({ path: 'spec.artifacts.iso', message: 'must be boolean' });
    expect(issues).toContainEqual({ path: 'spec.artifacts.isoo', message: expect.stringMatching(/^unknown field/) });
  });

  it('applies int-or-string and int32 from the schema (resources, volume modes)', () => {
    const m = valid();
    m.spec.resources = { iso: { limits: { memory: '4Gi', cpu: 2 } } };
    m.spec.volumes = [{ name: 'cfg', secret: { secretName: 's', defaultMode: 420 } }];
    expect(schemaIssues(m)).toEqual([]);
    m.spec.resources.iso.limits.cpu = true;
    m.spec.volumes[0].secret.defaultMode = 2 ** 40;
    const paths = schemaIssues(m).map((i) => i.path);
    expect(paths).toContain('spec.resources.iso.limits.cpu');
    expect(paths).toContain('spec.volumes[0].secret.defaultMode');
  });

  it('needs a complete buildImage to push, a keys volume for a UKI, and referenced volumes to exist', () => {
    const m = valid();
    delete m.spec.image.buildImage.tag;
    m.spec.artifacts.uki = { iso: true, keysVolume: 'keys' };
    const issues = osArtifactIssues(m);
    expect(issues).toContainEqual({ path: 'spec.image.buildImage.tag', message: expect.stringMatching(/push needs/) });
    expect(issues).toContainEqual({ path: 'spec.artifacts.uki.keysVolume', message: 'names volume "keys", which spec.volumes does not define' });
  });

  it('names v1alpha1 as gone', () => {
    const m = valid();
    m.apiVersion = 'build.kairos.io/v1alpha1';
    expect(osArtifactIssues(m)).toContainEqual({ path: 'apiVersion', message: expect.stringMatching(/v1alpha1 is gone/) });
  });
});

describe('OSArtifact -> recipe', () => {
  it('reads Secrets given apart (base64 data too) and names every field it does not carry', () => {
    const manifest = {
      apiVersion: 'build.kairos.io/v1alpha2',
      kind: 'OSArtifact',
      metadata: { name: 'farm-build' },
      spec: {
        image: { ociSpec: { ref: { name: 'df' }, templateValues: { V: '1' } }, buildEnv: [{ name: 'HTTP_PROXY', value: 'http://proxy:3128' }] },
        artifacts: { arch: 'amd64', iso: true, grubConfig: 'x', cloudConfigRef: { name: 'cc', key: 'userdata' } },
        exporters: [{ template: { spec: { containers: [] } } }],
        nodeSelector: { disk: 'ssd' },
      },
    };
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'df' }, data: { Dockerfile: Buffer.from('FROM quay.io/kairos/debian:12 # é\n').toString('base64') } };
    const { recipe, notCarried } = osArtifactToRecipe([manifest, secret]);
    expect(recipe.name).toBe('farm-build');
    expect(recipe.source).toEqual({ kind: 'dockerfile', dockerfile: 'FROM quay.io/kairos/debian:12 # é\n', values: { V: '1' } });
    expect(recipe.kairosify.method).toBe('none');
    expect(recipe.artifacts).toEqual(['iso']);
    expect(notCarried.map((n) => n.path).sort()).toEqual(['spec.artifacts.cloudConfigRef', 'spec.artifacts.grubConfig', 'spec.exporters[0]', 'spec.image.buildEnv[0]', 'spec.nodeSelector.disk']);
  });

  it('refuses a Dockerfile Secret that was not given, and an invalid manifest, naming the field', () => {
    const manifest = { apiVersion: 'build.kairos.io/v1alpha2', kind: 'OSArtifact', metadata: { name: 'x' }, spec: { image: { ociSpec: { ref: { name: 'df' } } }, artifacts: { iso: true } } };
    expect(() => osArtifactToRecipe([manifest])).toThrow(/spec\.image\.ociSpec\.ref: .*Secret df/);
    expect(() => osArtifactToRecipe([{ ...manifest, spec: { image: { ref: 'a:b' }, artifacts: {} } }])).toThrow(/spec\.artifacts: no artifact/);
  });
});
