import { describe, expect, it } from 'vitest';
import { KIT_IMAGES_MEMBER, KIT_VERSION, kitImages, memberProblem, offlineImages, offlineMissingLine, parseKitManifest, type KitManifest } from '../../../src-shared/kit/kit-manifest.js';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';

function recipe(yaml: string): Recipe {
  const parsed = parseRecipeYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.recipe;
}
const opts = { builderBase: 'debian:bookworm', builderTag: 'kairos-factory/builder:abc123' };
const refs = (list: ReadonlyArray<{ ref: string }>) => list.map((i) => i.ref);
const scratchPlain = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\nkairosify: { method: scratch, framework: none }\n');

describe('kitImages', () => {
  it("a scratch recipe: its own image and the builder with its base (here also the recipe's base), not what kairosify started from", () => {
    expect(refs(kitImages(scratchPlain, opts))).toEqual(['debian:bookworm', 'kairos-factory/a:v1.0.0-core-generic-amd64', 'kairos-factory/builder:abc123']);
    const ubuntu = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\nkairosify: { method: scratch, framework: none }\n');
    expect(refs(kitImages(ubuntu, opts))).not.toContain('ubuntu:24.04');
    expect(refs(kitImages(ubuntu, opts))).toContain('debian:bookworm');
  });

  it('a kairos-init recipe also carries the tool image; a framework recipe the framework image', () => {
    const init = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\n');
    expect(kitImages(init, opts).map((i) => i.role)).toEqual(['kairos-init', 'kairosified', 'builder-base', 'builder']);
    const framework = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\nkairosify: { method: scratch }\n');
    expect(kitImages(framework, opts).map((i) => i.role)).toEqual(['framework', 'kairosified', 'builder-base', 'builder']);
  });

  it('an offline build needs only the recipe\'s image and the builder with its base', () => {
    const init = recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\n');
    expect(offlineImages(init, opts).map((i) => i.role)).toEqual(['kairosified', 'builder-base', 'builder']);
  });
});

describe('offlineMissingLine', () => {
  it('names every missing image by its role and the kit command, on one line', () => {
    const missing = offlineImages(scratchPlain, opts);
    const line = offlineMissingLine(scratchPlain, missing, opts.builderBase);
    expect(line).toBe(
      "Offline build of a: debian:bookworm (the builder's base), kairos-factory/a:v1.0.0-core-generic-amd64 (the recipe's image), kairos-factory/builder:abc123 (the artifact builder) are not on this engine: import an offline kit made with `kairos-factory kit export a.yaml` where the recipe was built (`kairos-factory kit import FILE`)",
    );
    expect(line).not.toContain('\n');
    expect(offlineMissingLine(scratchPlain, missing.slice(1, 2), opts.builderBase)).toMatch(/^Offline build of a: kairos-factory\/a:\S+ \(the recipe's image\) is not on this engine: /);
  });
});

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);
const manifest: KitManifest = {
  kitVersion: KIT_VERSION,
  created: '2026-12-03T00:00:00.000Z',
  appVersion: '0.1.0',
  recipes: ['a'],
  images: [{ ref: 'debian:bookworm', id: 'sha256:1', size: 1, role: 'builder-base' }],
  members: { 'recipes/a.yaml': SHA_A, [KIT_IMAGES_MEMBER]: SHA_B },
};

describe('parseKitManifest', () => {
  it('reads a manifest back', () => {
    expect(parseKitManifest(JSON.stringify(manifest))).toEqual({ ok: true, manifest });
  });

  it('refuses what is not JSON, another kit version, and a missing field, saying which', () => {
    expect(parseKitManifest('{')).toMatchObject({ ok: false, message: expect.stringMatching(/^manifest\.json is not JSON/) });
    expect(parseKitManifest(JSON.stringify({ ...manifest, kitVersion: 7 }))).toEqual({ ok: false, message: 'the kit is version 7; this app reads version 1' });
    expect(parseKitManifest(JSON.stringify({ ...manifest, members: undefined }))).toMatchObject({ ok: false, message: expect.stringMatching(/^manifest\.json: members: /) });
  });
});

describe('memberProblem', () => {
  it('none when every member is there with its SHA-256', () => {
    expect(memberProblem(manifest, new Map([['recipes/a.yaml', SHA_A], [KIT_IMAGES_MEMBER, SHA_B]]))).toBeUndefined();
  });

  it('names a changed member, a missing one, and one the manifest does not list', () => {
    expect(memberProblem(manifest, new Map([['recipes/a.yaml', SHA_A], [KIT_IMAGES_MEMBER, SHA_A]]))).toBe(`member images.tar is corrupt: its SHA-256 is ${SHA_A}, the manifest says ${SHA_B}`);
    expect(memberProblem(manifest, new Map([['recipes/a.yaml', SHA_A]]))).toBe('member images.tar is missing');
    expect(memberProblem(manifest, new Map([['recipes/a.yaml', SHA_A], ['extra', SHA_A], [KIT_IMAGES_MEMBER, SHA_B]]))).toBe('member extra is not listed in the manifest');
  });

  it('a kit without images is refused even when its manifest lists none', () => {
    expect(memberProblem({ ...manifest, members: { 'recipes/a.yaml': SHA_A } }, new Map([['recipes/a.yaml', SHA_A]]))).toBe('member images.tar is missing');
  });
});
