// Snapshot tests of `kairos-factory plan` for every example recipe, against two fixed engines:
// one with nothing, one with everything (the base read as Debian 12). The plans are pinned as
// real files under __snapshots__ (text and --json), reviewed like code; this machine's engine
// plays no part.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../../src-main/cli/plan-view.js';
import { buildPlan, type EngineState } from '../../../src-shared/plan/build-plan.js';
import { requiredImages } from '../../../src-shared/plan/required-images.js';
import { parseOsRelease } from '../../../src-shared/kairosify/os-release.js';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';

const builderBase = 'debian:bookworm';
const builderTag = 'kairos-factory/builder:0123456789ab';
const builderDockerfile = readFileSync('resources/builder/Dockerfile', 'utf8');
const debian12 = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nID=debian\n');
const examples = readdirSync('examples').filter((f) => f.endsWith('.yaml')).sort();
const snapshot = (name: string): string => `./__snapshots__/${name}`;

describe('plan output for the example recipes', () => {
  it('covers every example', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  for (const file of examples) {
    for (const state of ['nothing-here', 'everything-here'] as const) {
      it(`${file}, ${state}`, async () => {
        const parsed = parseRecipeYaml(readFileSync(`examples/${file}`, 'utf8'));
        if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.issues)}`);
        const recipe = parsed.recipe;
        const images = requiredImages(recipe, { builderBase, builderTag });
        const engine: EngineState =
          state === 'nothing-here' ? { present: new Set(), kairosified: false } : { present: new Set(images.map((i) => i.ref)), kairosified: true, osRelease: debian12 };
        const plan = buildPlan({ recipe, images, engine, builderBase, builderDockerfile });
        const name = `plan-${file.replace(/\.yaml$/, '')}-${state}`;
        await expect(formatPlan(plan, `examples/${file}`)).toMatchFileSnapshot(snapshot(`${name}.txt`));
        await expect(`${JSON.stringify(plan, null, 2)}\n`).toMatchFileSnapshot(snapshot(`${name}.json`));
        expect(plan.summary).toBe(state === 'nothing-here' ? `needs the network for: ${plan.network.join('; ')}` : 'everything is here: builds offline');
      });
    }
  }
});
