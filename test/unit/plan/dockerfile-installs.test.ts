import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerfileFetches, fetchesAnything } from '../../../src-shared/plan/dockerfile-installs.js';

describe('dockerfileFetches', () => {
  it('reads package lists over continuation lines, after assignments and options, per manager', () => {
    const text = [
      'FROM debian:bookworm',
      'RUN set -e; apt-get update; \\',
      '    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\',
      '      curl "jq" \\',
      '      ca-certificates && apt-get clean',
      'RUN apt-get download raspi-firmware "$kernel:arm64" ./local.deb',
      'FROM alpine:3.21',
      'RUN apk add --no-cache bash',
      'RUN dnf -y install kernel && zypper --non-interactive in parted',
    ].join('\n');
    expect(dockerfileFetches(text)).toEqual({
      installs: [
        { manager: 'apt', names: ['curl', 'jq', 'ca-certificates', 'raspi-firmware'] },
        { manager: 'apk', names: ['bash'] },
        { manager: 'dnf', names: ['kernel'] },
        { manager: 'zypper', names: ['parted'] },
      ],
      downloads: [],
    });
  });

  it('other downloads count; a Dockerfile that only copies and runs local commands fetches nothing', () => {
    const fetching = dockerfileFetches('FROM x\nADD https://example.com/a.tgz /a\nRUN curl -fsSL https://x | sh\nRUN git clone https://g/r\n');
    expect(fetching.downloads).toEqual(['ADD https://example.com/a.tgz', 'curl', 'git clone']);
    expect(fetchesAnything(fetching)).toBe(true);
    const local = dockerfileFetches('FROM debian:bookworm\nCOPY a /a\nRUN echo apt-get install nothing && apt-get update\nRUN apt-get remove -y nano\n');
    expect(local).toEqual({ installs: [], downloads: [] });
    expect(fetchesAnything(local)).toBe(false);
  });

  it("the builder's Dockerfile: its tools and the arm64 boot files it downloads", () => {
    const { installs, downloads } = dockerfileFetches(readFileSync('resources/builder/Dockerfile', 'utf8'));
    expect(downloads).toEqual([]);
    expect(installs).toHaveLength(1);
    expect(installs[0]!.manager).toBe('apt');
    expect(installs[0]!.names).toEqual(expect.arrayContaining(['xorriso', 'squashfs-tools', 'mtools', 'sbsigntool', 'raspi-firmware', 'u-boot-rpi:arm64']));
    expect(installs[0]!.names.some((n) => n.includes('$'))).toBe(false);
  });
});
