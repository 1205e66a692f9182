import { describe, expect, it } from 'vitest';
import type { EngineList } from '../../../src-shared/api/contract.js';
import { formatEngineList } from '../../../src-main/cli/engines-view.js';
import { choiceSource } from '../../../src-main/api/engine-choice.js';

const list: EngineList = {
  choice: 'automatic',
  choiceFrom: 'the engine setting',
  active: 'docker',
  engines: [
    { id: 'docker', label: 'Docker (/var/run/docker.sock)', source: 'socket', host: 'unix:///var/run/docker.sock', current: true, os: 'linux', arch: 'amd64', engine: 'Docker Engine - Community', version: '27.3.1', osName: 'Ubuntu 24.04' },
    { id: 'build', label: 'context build', source: 'context', host: 'tcp://10.0.0.5:2376', error: 'ECONNREFUSED' },
  ],
  problems: ['DOCKER_CONTEXT names the Docker context "x", which does not exist (docker context ls lists them)'],
};

describe('formatEngineList', () => {
  it('marks the engine in use, says where each came from and what it answered', () => {
    expect(formatEngineList(list).split('\n')).toEqual([
      '   ENGINE  FROM                         ADDRESS                      ANSWER',
      '*  docker  socket (docker CLI default)  unix:///var/run/docker.sock  linux/amd64 · Docker Engine - Community 27.3.1 · Ubuntu 24.04',
      '   build   Docker context               tcp://10.0.0.5:2376          does not answer: ECONNREFUSED',
      "Choice: automatic (the engine setting); in use: docker. Choose with --engine NAME or in the app's engine picker.",
      'warning: DOCKER_CONTEXT names the Docker context "x", which does not exist (docker context ls lists them)',
      '',
    ]);
  });

  it('says when the chosen engine does not answer, and when none is found', () => {
    expect(formatEngineList({ ...list, choice: 'build', choiceFrom: '--engine', active: 'build' })).toContain('Choice: build (--engine); build, which does not answer.');
    expect(formatEngineList({ ...list, engines: [], active: undefined, problems: [] })).toContain('No Docker engine found: start Docker, Podman, colima or Rancher Desktop, or set DOCKER_HOST.\nChoice: automatic (the engine setting); none answers.');
  });
});

describe('choiceSource', () => {
  it('--engine beats the setting; the setting is read at each call', async () => {
    let setting = 'automatic';
    const fromSetting = choiceSource(undefined, () => Promise.resolve(setting));
    expect(await fromSetting()).toEqual({ value: 'automatic', from: 'the engine setting' });
    setting = 'podman';
    expect(await fromSetting()).toEqual({ value: 'podman', from: 'the engine setting' });
    expect(await choiceSource('colima', () => Promise.resolve(setting))()).toEqual({ value: 'colima', from: '--engine' });
  });
});
