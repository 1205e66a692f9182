import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { parseRecipeYaml } from '../../../src-shared/recipe/parse-recipe.js';
import type { Recipe } from '../../../src-shared/recipe/recipe-schema.js';
import { builderImageTag } from '../../../src-main/builder/builder-image.js';
import { ensureImage } from '../../../src-main/docker/ensure-image.js';
import { JobContext } from '../../../src-main/jobs/job-context.js';
import { checkOfflineImages } from '../../../src-main/pipeline/offline-build.js';

function recipe(yaml: string): Recipe {
  const parsed = parseRecipeYaml(yaml);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.recipe;
}
const example = recipe('name: ex\nversion: v1.0.0\nsource: { baseImage: "debian:bookworm" }\nkairosify: { method: scratch, framework: none }\n');

/** An engine holding these images (by ref), counting pulls. */
function engine(present: ReadonlyArray<string>): { docker: Docker; pulls: string[] } {
  const pulls: string[] = [];
  const docker = {
    getImage: (ref: string) => ({
      inspect: async () => {
        if (present.includes(ref)) return { Id: `sha256:${'1'.repeat(64)}`, Size: 1 };
        throw Object.assign(new Error('no such image'), { statusCode: 404 });
      },
    }),
    pull: async (ref: string) => {
      pulls.push(ref);
      throw new Error('network');
    },
  } as unknown as Docker;
  return { docker, pulls };
}

describe('checkOfflineImages', () => {
  it('passes when the recipe\'s image, the builder and its base are on the engine', async () => {
    const base = engine(['debian:bookworm']);
    const builder = (await builderImageTag(base.docker))!;
    await expect(checkOfflineImages(engine(['debian:bookworm', 'kairos-factory/ex:v1.0.0-core-generic-amd64', builder]).docker, example)).resolves.toBeUndefined();
  });

  it("fails naming only what is missing, in one line that names the kit", async () => {
    const base = engine(['debian:bookworm']);
    const builder = (await builderImageTag(base.docker))!;
    const error = await checkOfflineImages(engine(['debian:bookworm', builder]).docker, example).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'image-not-found',
      message: "Offline build of ex: kairos-factory/ex:v1.0.0-core-generic-amd64 (the recipe's image) is not on this engine: import an offline kit made with `kairos-factory kit export ex.yaml` where the recipe was built (`kairos-factory kit import FILE`)",
    });
  });

  it('on an empty engine names the builder\'s base, the recipe\'s image and the builder', async () => {
    const error = (await checkOfflineImages(engine([]).docker, example).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^Offline build of ex: debian:bookworm \(the builder's base\), kairos-factory\/ex:\S+ \(the recipe's image\), kairos-factory\/builder \(the artifact builder\) are not on this engine/);
  });

  it('refuses a recipe that pushes: pushing needs the network', async () => {
    await expect(checkOfflineImages(engine([]).docker, { ...example, push: true })).rejects.toMatchObject({ message: expect.stringMatching(/pushing needs the network/) });
  });
});

describe('ensureImage offline', () => {
  it('never pulls: a missing image fails at once', async () => {
    const { docker, pulls } = engine([]);
    const ctx = new JobContext('t', new AbortController().signal, () => undefined);
    ctx.offline = true;
    await expect(ensureImage(docker, 'quay.io/kairos/framework:v2', ctx, 'artifacts')).rejects.toMatchObject({ code: 'image-not-found', message: 'Image "quay.io/kairos/framework:v2" is not on this engine and the build is offline (no pull)' });
    expect(pulls).toEqual([]);
    ctx.offline = false;
    await expect(ensureImage(docker, 'quay.io/kairos/framework:v2', ctx, 'artifacts')).rejects.toThrow();
    expect(pulls).toEqual(['quay.io/kairos/framework:v2']);
  });
});
