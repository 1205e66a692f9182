// `kairos-factory plan` against the real engine: debian:bookworm is here, the example's own image
// and the builder are here once global-setup has built the example, so the plan says it builds
// offline; a base image that does not exist is planned as a pull, and nothing is pulled or left.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BuildPlan } from '../../src-shared/plan/build-plan.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { inspectImage } from '../../src-main/docker/ensure-image.js';
import { builderImageTag } from '../../src-main/builder/builder-image.js';
import { buildImage } from '../../src-main/docker/build-image.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { cli, skipReason } from './support.js';

const env = inject('integration');
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function planJson(recipe: string, ...more: string[]): Promise<BuildPlan> {
  const result = await cli(['plan', recipe, '--json', ...more]);
  expect(result.exitCode, result.all).toBe(0);
  return JSON.parse(result.all) as BuildPlan;
}

describe.skipIf(skipReason(env, 'docker') !== undefined)('kairos-factory plan on this engine', () => {
  it('examples/debian-bookworm.yaml: the base is here, its packages read from its os-release; what is built is what the engine has', async () => {
    const plan = await planJson('examples/debian-bookworm.yaml');
    const base = plan.images.find((i) => i.role === 'base')!;
    expect(base).toMatchObject({ ref: 'debian:bookworm', state: 'here', network: false });
    // The scratch method's packages, for the distribution the real image says it is.
    const kernel = plan.packages.find((p) => p.step === 'kairosify' && p.what === 'kernel');
    expect(kernel).toMatchObject({ manager: 'apt', names: ['linux-image-amd64', 'firmware-linux-free'] });
    expect(plan.packages.find((p) => p.step === 'kairosify')!.what).toMatch(/^Debian GNU\/Linux 12 \(bookworm\): base system$/);

    const docker = await dockerEngine();
    const own = plan.images.find((i) => i.role === 'kairosified')!;
    expect(own.state).toBe((await inspectImage(docker, own.ref)) ? 'here' : 'build');
    const builder = plan.images.find((i) => i.role === 'builder')!;
    expect(builder.ref).toBe(await builderImageTag(docker));
    expect(builder.state).toBe((await inspectImage(docker, builder.ref)) ? 'here' : 'build');
    if (env.iso) {
      // global-setup built the example: everything it needs is on this engine.
      expect(plan.summary).toBe('everything is here: builds offline');
    }

    const text = await cli(['plan', 'examples/debian-bookworm.yaml']);
    expect(text.exitCode).toBe(0);
    expect(text.all).toMatch(/^debian:bookworm +base +here +- /m);
    expect(text.all.trimEnd().split('\n').at(-1)).toBe(plan.summary);
  });

  it('a base image that does not exist is a pull over the network; planning pulls nothing', async () => {
    const path = join(dir, 'missing-base.yaml');
    // Its own name too: an image under the example's tag is here, and a kit's image is taken at its tag's word.
    const text = (await readFile('examples/debian-bookworm.yaml', 'utf8')).replace('baseImage: debian:bookworm', 'baseImage: debian:no-such-release-plan');
    await writeFile(path, text.replace('name: debian-bookworm', 'name: plan-missing-base'));
    const plan = await planJson(path);
    expect(plan.images[0]).toMatchObject({ ref: 'debian:no-such-release-plan', state: 'pull', network: true });
    expect(plan.network[0]).toBe('pulling debian:no-such-release-plan');
    expect(plan.summary).toMatch(/^needs the network for: pulling debian:no-such-release-plan; /);
    expect(await inspectImage(await dockerEngine(), 'debian:no-such-release-plan')).toBeUndefined();
  });

  it("an image under the recipe's tag made from another base is made again", async (ctx) => {
    // The example's image is made from debian:bookworm; this recipe names the same tag but another
    // base that is here: one made now from debian:bookworm plus a layer of its own (no network), so
    // the example's layers do not start with it. It used to borrow the arm64 base of another test,
    // which made it skip whenever that test ran later.
    const other = 'kairos-factory/test-plan-other-base:latest';
    const docker = await dockerEngine();
    const own = (await planJson('examples/debian-bookworm.yaml')).images.find((i) => i.role === 'kairosified')!;
    if (own.state !== 'here') {
      // global-setup builds the example whenever it builds the ISO: then it must be here.
      expect(env.iso, "global-setup built the example, so its image should be here").toBeFalsy();
      const reason = "the example's image is not here (global-setup did not build it)";
      console.warn(`[integration] skipped: ${reason}`);
      ctx.skip(reason);
    }
    const jobCtx = new JobContext('test-plan-other-base', new AbortController().signal, () => undefined);
    await buildImage(docker, { dockerfile: 'FROM debian:bookworm\nRUN echo kairos-factory-plan-test > /etc/kf-plan-other-base\n', tag: other, logFile: join(dir, 'other-base.log'), stage: 'kairosify', what: 'test-plan-other-base' }, jobCtx);
    try {
      const path = join(dir, 'other-base.yaml');
      await writeFile(path, (await readFile('examples/debian-bookworm.yaml', 'utf8')).replace('baseImage: debian:bookworm', `baseImage: ${other}`));
      const plan = await planJson(path);
      expect(plan.images.find((i) => i.role === 'kairosified')).toMatchObject({ ref: own.ref, state: 'build', network: true });
      expect(plan.images[0]).toMatchObject({ ref: other, state: 'here' });
    } finally {
      await docker.getImage(other).remove({ force: true }).catch(() => undefined);
    }
  });

  it('Trusted Boot: the keys are generated by the first build into --output, then reused', async () => {
    const path = join(dir, 'trusted.yaml');
    const example = await readFile('examples/debian-bookworm.yaml', 'utf8');
    await writeFile(path, example.replace(/trustedBoot:\n {2}enabled: false/, 'trustedBoot:\n  enabled: true').replace(/^artifacts: .*$/m, 'artifacts: [uki]'));
    const out = join(dir, 'out');
    const keys = join(out, 'debian-bookworm-keys');
    expect((await planJson(path, '--output', out)).keys).toMatchObject({ kind: 'generated', folder: keys, exists: false, note: expect.stringContaining('generated by the first build') });
    // What an earlier build leaves there (names only: the plan never reads key material).
    await mkdir(keys, { recursive: true });
    for (const name of ['PK.auth', 'KEK.auth', 'db.auth', 'db.pem', 'db.key', 'tpm2-pcr-private.pem']) await writeFile(join(keys, name), '', { mode: 0o600 });
    expect((await planJson(path, '--output', out)).keys).toMatchObject({ exists: true, missing: [], note: 'generated by an earlier build: reused' });
  });
});

describe('kairos-factory plan without an engine', () => {
  it('says so first, counts nothing as here, and still exits 0 with the whole plan', async () => {
    const result = await cli(['plan', 'examples/debian-bookworm.yaml'], { DOCKER_HOST: `unix://${join(dir, 'no-engine.sock')}` });
    expect(result.exitCode).toBe(0);
    const lines = result.all.split('\n');
    expect(lines[1]).toMatch(/^The Docker engine could not be asked \(No Docker engine answered .*\): nothing is counted as here\.$/);
    expect(result.all).toMatch(/^debian:bookworm +base +pull +needed +pulled from docker\.io$/m);
    expect(result.all.trimEnd().split('\n').at(-1)).toMatch(/^needs the network for: pulling debian:bookworm; /);
  });
});
