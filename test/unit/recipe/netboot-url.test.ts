// netboot.url: the same rules in the recipe, in `build --netboot-url` and in the wizard (one
// function), normalized to end with one slash.
import { describe, expect, it } from 'vitest';
import { overrideIssueLine, withBuildOverrides } from '../../../src-main/cli/build-options.js';
import { parseRecipeYaml, validateRecipe } from '../../../src-shared/recipe/parse-recipe.js';
import { netbootUrlProblem, normalizeNetbootUrl } from '../../../src-shared/recipe/netboot-url.js';

const RECIPE = ['name: os', 'source:', '  baseImage: debian:bookworm', 'kairosify:', '  method: scratch', '  framework: none', 'artifacts: [netboot]', ''].join('\n');

describe('netboot URL', () => {
  it.each([
    ['http://10.0.2.2:8080/debian-bookworm-netboot/', 'http://10.0.2.2:8080/debian-bookworm-netboot/'],
    ['http://boot.example.com/os', 'http://boot.example.com/os/'],
    ['HTTPS://boot.example.com', 'https://boot.example.com/'],
    ['  http://[fd00::1]:80/a%20b/c  ', 'http://[fd00::1]:80/a%20b/c/'],
    ['http://host/', 'http://host/'],
  ])('accepts %s as %s', (url, normalized) => {
    expect(netbootUrlProblem(url)).toBeUndefined();
    expect(normalizeNetbootUrl(url)).toBe(normalized);
  });

  it.each([
    ['', /give the URL/],
    ['10.0.2.2:8080/x/', /http:\/\/ or https:\/\//],
    ['ftp://host/x/', /http:\/\/ or https:\/\//],
    ['tftp://host/x/', /http:\/\/ or https:\/\//],
    ['http://host/x/?a=1', /no query/],
    ['http://host/x/#top', /no query/],
    ['http://host/my folder/', /no spaces/],
    ['http://host/${base}/', /\$/],
    ['http://host/a"b/', /quotes/],
    ['http://-host/', /not a host/],
    ['http:///x/', /not a host/],
    ['http://host:99999/', /port 99999/],
    ['http://host:0/', /port 0/],
    [`http://host/${'a'.repeat(600)}/`, /512/],
  ])('refuses %j', (url, message) => {
    expect(netbootUrlProblem(url)).toMatch(message);
  });

  it('is an optional recipe field, normalized, its problems named at netboot.url with their line', () => {
    const plain = parseRecipeYaml(RECIPE);
    expect(plain.ok && plain.recipe.netboot).toEqual({});
    const set = parseRecipeYaml(`${RECIPE}netboot:\n  url: http://10.0.2.2:8080/os-netboot\n`);
    expect(set.ok && set.recipe.netboot.url).toBe('http://10.0.2.2:8080/os-netboot/');
    const bad = parseRecipeYaml(`${RECIPE}netboot:\n  url: ftp://10.0.2.2/os-netboot/\n`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues).toEqual([expect.objectContaining({ path: 'netboot.url', line: 9, message: expect.stringMatching(/http:\/\/ or https:\/\//) as string })]);
    const typo = parseRecipeYaml(`${RECIPE}netboot:\n  uri: http://h/\n`);
    expect(!typo.ok && typo.issues[0]?.message).toMatch(/did you mean "url"/);
  });

  it('build --netboot-url overrides the recipe, is validated the same way and named as the option', () => {
    const parsed = parseRecipeYaml(`${RECIPE}netboot:\n  url: http://old/\n`);
    if (!parsed.ok) throw new Error('example recipe invalid');
    expect(withBuildOverrides(parsed.recipe, {})).toBeUndefined();
    const good = validateRecipe(withBuildOverrides(parsed.recipe, { netbootUrl: 'http://10.0.2.2:8080/new' }));
    expect(good.ok && good.recipe.netboot.url).toBe('http://10.0.2.2:8080/new/');
    const bad = validateRecipe(withBuildOverrides(parsed.recipe, { netbootUrl: 'boot-server/os' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => overrideIssueLine(i.base))).toEqual([expect.stringMatching(/^--netboot-url: an http:\/\/ or https:\/\/ URL/)]);
    const registry = validateRecipe(withBuildOverrides(parsed.recipe, { registry: 'Not A Registry' }));
    if (!registry.ok) expect(overrideIssueLine(registry.issues[0]!.base)).toMatch(/^--registry: /);
  });
});
