import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imagesInDockerfile, requiredImages } from '../../../src-shared/plan/required-images.js';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';

function recipe(yaml: string): Recipe {
  const parsed = parseRecipeYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.recipe;
}
const opts = { builderBase: 'debian:bookworm', builderTag: 'kairos-factory/builder:abc123' };
const roles = (r: Recipe) => requiredImages(r, opts).map((i) => `${i.role} ${i.origin} ${i.ref}`);

describe('requiredImages', () => {
  it('a kairos-init recipe: its base, the kairos-init tool, its own image and the builder', () => {
    expect(roles(recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "ubuntu:24.04" }\n'))).toEqual([
      'base pull ubuntu:24.04',
      expect.stringMatching(/^kairos-init pull quay\.io\/kairos\/kairos-init:v/),
      expect.stringMatching(/^kairosified build .*\/a:v1\.0\.0-core-generic-amd64$/),
      'builder-base pull debian:bookworm',
      'builder build kairos-factory/builder:abc123',
    ]);
  });

  it('a scratch recipe with a framework copies from it; without one it does not', () => {
    const withFramework = roles(recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\nkairosify: { method: scratch }\n'));
    expect(withFramework.filter((l) => l.startsWith('framework pull quay.io/kairos/framework'))).toHaveLength(1);
    // debian:bookworm is both the base and the builder's base: listed once.
    expect(withFramework.filter((l) => l.endsWith(' debian:bookworm'))).toEqual(['base pull debian:bookworm']);
    const plain = roles(recipe('name: a\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\nkairosify: { method: scratch, framework: none }\n'));
    expect(plain.some((l) => l.startsWith('framework') || l.startsWith('kairos-init'))).toBe(false);
  });

  it("a Dockerfile source: the images its rendered template names, then the built source", () => {
    const r = recipe(
      'name: a\nversion: v1.0.0\nsource:\n  kind: dockerfile\n  dockerfile: |\n    FROM {{ .Base }} AS base\n    FROM base\n    COPY --from=busybox:1.36 /bin/busybox /bin/\n  values: { Base: "fedora:41" }\n',
    );
    expect(roles(r).slice(0, 2)).toEqual(['from pull fedora:41', 'from pull busybox:1.36']);
    expect(roles(r)[2]).toMatch(/^source build kairos-factory\/a-source:v1\.0\.0$/);
  });

  it('every example recipe has exactly one kairosified image and one builder', () => {
    for (const file of readdirSync('examples').filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(`examples/${file}`, 'utf8');
      const parsed = parseRecipeYaml(text);
      expect(parsed.ok, file).toBe(true);
      if (!parsed.ok) continue;
      const list = requiredImages(parsed.recipe, opts);
      expect(list.filter((i) => i.role === 'kairosified'), file).toHaveLength(1);
      expect(list.filter((i) => i.role === 'builder'), file).toHaveLength(1);
      expect(new Set(list.map((i) => i.ref)).size, file).toBe(list.length);
    }
  });
});

describe('imagesInDockerfile', () => {
  it('skips stage names, stage numbers and scratch; keeps --platform pins out of the name', () => {
    const text = 'FROM --platform=linux/arm64 alpine:3.21 AS build\nRUN --mount=type=cache,from=tools:1,target=/x true\nFROM scratch\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nFROM \\\n  debian:bookworm\n';
    expect(imagesInDockerfile(text)).toEqual(['alpine:3.21', 'tools:1', 'debian:bookworm']);
  });
});
