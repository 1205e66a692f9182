// Every CLI command is a request of the one handler table: the CLI is run in-process as a user
// runs it (argv), and the requests it dispatches are recorded at the handler table itself.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as Handlers from '../../../src-main/api/handlers.js';
import type { ApiOptions } from '../../../src-main/api/handlers.js';
import { captureCli, useCliDataDir } from './cli-capture.js';

type HandlersModule = typeof Handlers;

const dispatched: string[] = [];

vi.mock('../../../src-main/api/handlers.js', async (importOriginal) => {
  const original = await importOriginal<HandlersModule>();
  return {
    ...original,
    createApiServer: (options: ApiOptions) => {
      const api = original.createApiServer(options);
      return {
        ...api,
        dispatch: (name: string, payload: unknown) => {
          dispatched.push(name);
          return api.dispatch(name, payload);
        },
      };
    },
  };
});

const { main } = await import('../../../src-main/cli/main.js');

const folderPath = useCliDataDir('kf-cli-shell-');
let out = '';
let err = '';

async function run(...argv: string[]): Promise<number> {
  const result = await captureCli(main, argv);
  ({ out, err } = result);
  return result.code;
}

beforeEach(() => {
  dispatched.length = 0;
});

describe('each CLI command goes through the handler table', () => {
  it('validate -> recipe.validate, with file positions in its errors', async () => {
    expect(await run('validate', 'examples/debian-bookworm.yaml')).toBe(0);
    expect(out).toContain('examples/debian-bookworm.yaml: valid (scratch, core, generic/amd64)');
    expect(dispatched).toEqual(['recipe.validate']);
    const typo = join(folderPath(), 'typo.yaml');
    await writeFile(typo, (await readFile('examples/debian-bookworm.yaml', 'utf8')).replace(/^variant:/m, 'varient:'));
    expect(await run('validate', typo)).toBe(2);
    expect(err).toMatch(/typo\.yaml:\d+:1: varient: unknown field; did you mean "variant"\?/);
  });

  it('validate refuses a Raspberry Pi 5 naming model and the reason, and a Pi 4 on amd64 naming arch', async () => {
    const example = await readFile('examples/debian-bookworm.yaml', 'utf8');
    const pi5 = join(folderPath(), 'pi5.yaml');
    await writeFile(pi5, example.replace('model: generic', 'model: rpi5').replace('arch: amd64', 'arch: arm64'));
    expect(await run('validate', pi5)).toBe(2);
    expect(err).toMatch(/^error: .*pi5\.yaml:\d+:\d+: model: Raspberry Pi 5 is not supported: .*kairos-init rejects -m rpi5.*; build for a Raspberry Pi 4 \(model: rpi4\)/m);
    const pi4 = join(folderPath(), 'pi4-amd64.yaml');
    await writeFile(pi4, example.replace('model: generic', 'model: rpi4'));
    expect(await run('validate', pi4)).toBe(2);
    expect(err).toMatch(/^error: .*pi4-amd64\.yaml:\d+:\d+: arch: model rpi4 runs only on arm64; set arch: arm64\. /m);
    expect(out).toBe('');
  });

  it('validate names the cloud-config keys a plain image does not apply', async () => {
    const recipe = join(folderPath(), 'plain.yaml');
    await writeFile(recipe, (await readFile('examples/debian-bookworm.yaml', 'utf8')).replace('cloudConfig: |\n  #cloud-config\n', 'cloudConfig: |\n  #cloud-config\n  install:\n    auto: true\n'));
    expect(await run('validate', recipe)).toBe(0);
    expect(out).toMatch(/^note: cloudConfig\.install: applied only with the Kairos framework \(line 2 of the cloud-config\)$/m);
  });

  it('dockerfile -> recipe.validate, recipe.dockerfile', async () => {
    expect(await run('dockerfile', 'examples/debian-bookworm.yaml', '--os-release', 'test/fixtures/os-release/debian-12')).toBe(0);
    expect(out).toMatch(/^FROM /m);
    expect(dispatched).toEqual(['recipe.validate', 'recipe.dockerfile']);
  });

  it('drives -> drives.list, as JSON for scripts', async () => {
    expect(await run('--json', 'drives', '--all')).toBe(0);
    expect(JSON.parse(out)).toHaveProperty('drives');
    expect(dispatched).toEqual(['drives.list']);
  });

  it('flash -> flash.start, and its job events are printed', { timeout: 30_000 }, async () => {
    const image = join(folderPath(), 'a.img');
    await writeFile(image, Buffer.alloc(1 << 20, 7));
    expect(await run('flash', image, join(folderPath(), 'b.img'), '--yes')).toBe(0);
    expect(dispatched[0], err).toBe('flash.start');
    expect(err).toContain('▶ write');
    expect(out).toMatch(/1\.00 MiB written to .*b\.img and verified/);
    expect(await readFile(join(folderPath(), 'b.img'))).toEqual(await readFile(image));
  });

  it('flash refuses a target that is the image through the same rules', async () => {
    const image = join(folderPath(), 'self.img');
    await writeFile(image, Buffer.alloc(4096, 1));
    expect(await run('flash', image, image, '--yes')).toBe(1);
    expect(err).toContain('is the image itself');
    expect(dispatched).toEqual(['flash.start']);
  });

  it('iso-config -> iso.config, its failure one error line', async () => {
    const config = join(folderPath(), 'config.yaml');
    await writeFile(config, '#cloud-config\nhostname: x\n');
    expect(await run('iso-config', join(folderPath(), 'missing.iso'), config)).not.toBe(0);
    expect(dispatched).toEqual(['iso.config']);
    expect(err.split('\n').filter((l) => l.startsWith('error: '))).toHaveLength(1);
  });

  it('boot-test -> bootTest.start; hints are shell-neutral', async () => {
    expect(await run('boot-test', join(folderPath(), 'missing.iso'), '--timeout', '5')).not.toBe(0);
    expect(dispatched).toEqual(['bootTest.start']);
    expect(err).not.toContain('--timeout');
  });

  it('boot-test --expect-hostname/--login: a bad pattern or a login without a password is a usage error', async () => {
    expect(await run('boot-test', join(folderPath(), 'x.iso'), '--login', 'kairos')).toBe(2);
    expect(err).toMatch(/^error: --login must be USER:PASSWORD, not "kairos"/m);
    expect(dispatched).toEqual([]);
    expect(await run('boot-test', join(folderPath(), 'x.iso'), '--expect-hostname', 'kairos-[')).toBe(2);
    expect(err).toMatch(/^error: .*expect\.hostname.*regular expression/m);
    expect(await run('boot-test', join(folderPath(), 'missing.iso'), '--expect-hostname', 'kairos-[0-9a-f]{4}', '--login', 'kairos:pa:ss')).toBe(1);
    expect(err).toMatch(/^error: Cannot read /m);
  });

  it('check -> recipe.validate, image.check', async () => {
    const code = await run('check', 'examples/debian-bookworm.yaml', '--image', 'kairos-factory/none-such:v0');
    expect(code).toBe(1);
    expect(dispatched).toEqual(['recipe.validate', 'image.check']);
  });

  it('build -> recipe.validate, build.start; a missing rootfs is refused by the preflight; a bad --registry is named as the option', async () => {
    const recipe = join(folderPath(), 'rootfs.yaml');
    const rootfs = join(folderPath(), 'no-such-rootfs');
    await writeFile(recipe, ['name: from-rootfs', 'version: v0.1.0', 'source:', '  kind: rootfs', `  path: ${rootfs}`, 'kairosify:', '  method: scratch', '  framework: none', ''].join('\n'));
    expect(await run('build', recipe, '--output', join(folderPath(), 'out'))).toBe(2);
    expect(dispatched).toEqual(['recipe.validate']);
    expect(err).toMatch(/rootfs\.yaml:5:9: source\.path: the root filesystem .*no-such-rootfs does not exist: check the path/);
    // With the path there, the build starts (and fails in its job: this file is no tarball).
    await writeFile(rootfs, 'not a tarball');
    dispatched.length = 0;
    expect(await run('build', recipe, '--output', join(folderPath(), 'out'))).toBe(1);
    expect(err).not.toContain('source.path');
    expect(dispatched).toEqual(['recipe.validate', 'build.start']);
    dispatched.length = 0;
    expect(await run('build', recipe, '--registry', 'Not A Registry')).toBe(2);
    expect(err).toMatch(/^error: --registry: /m);
    expect(dispatched).toEqual(['recipe.validate', 'recipe.validate']);
  });
});
