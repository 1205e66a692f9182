// `kairos-factory engines` and `--engine` against this machine's real engine.
import Docker from 'dockerode';
import { describe, expect, inject, it } from 'vitest';
import type { EngineList } from '../../src-shared/api/contract.js';
import { cli, skipReason } from './support.js';

const env = inject('integration');

describe.skipIf(skipReason(env, 'docker') !== undefined)('engines', () => {
  it('lists the local engine with its OS, architecture and version, marked in use', async () => {
    const real = await new Docker().version();
    const json = await cli(['--json', 'engines']);
    expect(json.exitCode).toBe(0);
    const list = JSON.parse(json.all) as EngineList;
    const local = list.engines.find((e) => e.id === list.active);
    expect(local).toMatchObject({ version: real.Version, os: real.Os, arch: real.Arch });
    expect(local?.error).toBeUndefined();
    const table = await cli(['engines']);
    expect(table.exitCode).toBe(0);
    const row = table.all.split('\n').find((l) => l.startsWith('*'));
    expect(row).toContain(`${real.Os}/${real.Arch}`);
    expect(row).toContain(real.Version);
  });

  it('--engine with an address that does not answer: exit 1, one line naming it', async () => {
    const result = await cli(['--engine', 'unix:///nonexistent', 'check', 'examples/debian-bookworm.yaml']);
    expect(result.exitCode).toBe(1);
    expect(result.all.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringMatching(/^error: The Docker engine unix:\/\/\/nonexistent, chosen by --engine, does not answer: absent\. Start that engine, or choose another/),
    ]);
  });

  it('--engine with a name that is no engine here: exit 2, naming it and the known ones', async () => {
    const result = await cli(['--engine', 'no-such-engine', 'dockerfile', 'examples/debian-bookworm.yaml']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/error: --engine: no engine named "no-such-engine" here \(known: [^)]*\)/);
  });

  it('--engine with the local engine by its address works as automatic does', async () => {
    const list = JSON.parse((await cli(['--json', 'engines'])).all) as EngineList;
    const local = list.engines.find((e) => e.id === list.active)!;
    const result = await cli(['--engine', local.host, '--json', 'engines']);
    expect((JSON.parse(result.all) as EngineList)).toMatchObject({ choice: local.host, choiceFrom: '--engine', active: local.id });
  });
});
