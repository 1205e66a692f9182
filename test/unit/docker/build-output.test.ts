import { describe, expect, it } from 'vitest';
import { BuildOutputReader, describeInstruction } from '../../../src-main/docker/build-output.js';

describe('BuildOutputReader', () => {
  it('reads steps, cache hits, log lines and the image id of a classic build', () => {
    const reader = new BuildOutputReader();
    const messages = [
      { stream: 'Step 1/3 : FROM debian:bookworm\n' },
      { stream: ' ---> 67d897f61b0c\n' },
      { stream: 'Step 2/3 : ARG DEBIAN_FRONTEND=noninteractive\n' },
      { stream: ' ---> Using cache\n ---> 1f2e3d4c5b6a\n' },
      { stream: 'Step 3/3 : RUN apt-get update\n' },
      { stream: ' ---> Running in 0123456789ab\n' },
      { stream: '\u001b[91mdebconf: delaying package configuration\n\u001b[0m' },
      { stream: 'Get:1 http://deb.debian.org/debian bookworm ' },
      { stream: 'InRelease [151 kB]\n' },
      { stream: 'Removing intermediate container 0123456789ab\n' },
      { aux: { ID: 'sha256:abcd' } },
      { stream: 'Successfully built 568855eced0b\n' },
    ].flatMap((m) => reader.read(m));
    expect(messages).toEqual([
      { type: 'step', index: 1, total: 3, instruction: 'FROM debian:bookworm' },
      { type: 'layer', id: '67d897f61b0c' },
      { type: 'step', index: 2, total: 3, instruction: 'ARG DEBIAN_FRONTEND=noninteractive' },
      { type: 'cached' },
      { type: 'layer', id: '1f2e3d4c5b6a' },
      { type: 'step', index: 3, total: 3, instruction: 'RUN apt-get update' },
      { type: 'log', line: 'debconf: delaying package configuration' },
      { type: 'log', line: 'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]' },
      { type: 'image-id', id: 'sha256:abcd' },
      { type: 'image-id', id: '568855eced0b' },
    ]);
  });

  it('reports the error and flushes an unfinished line first', () => {
    const reader = new BuildOutputReader();
    const out = [
      ...reader.read({ stream: 'E: Unable to locate package nope' }),
      ...reader.read({ error: "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100", errorDetail: { message: "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100" } }),
    ];
    expect(out).toEqual([
      { type: 'log', line: 'E: Unable to locate package nope' },
      { type: 'error', message: "The command '/bin/sh -c apt-get install nope' returned a non-zero code: 100" },
    ]);
  });

  it('keeps the last state of a line rewritten with carriage returns', () => {
    const reader = new BuildOutputReader();
    expect(reader.read({ stream: '10%\r50%\r100%\n' })).toEqual([{ type: 'log', line: '100%' }]);
  });

  it('reads pull progress', () => {
    const reader = new BuildOutputReader();
    expect(reader.read({ status: 'Downloading', id: 'abc', progressDetail: { current: 5, total: 10 } })).toEqual([
      { type: 'pull', id: 'abc', status: 'Downloading', current: 5, total: 10 },
    ]);
  });

  it('shortens long instructions', () => {
    expect(describeInstruction('RUN set -e; \\\n    apt-get update', 100)).toBe('RUN set -e; apt-get update');
    expect(describeInstruction('RUN ' + 'x'.repeat(100), 10)).toBe('RUN xxxxx…');
  });
});
