import { describe, expect, it } from 'vitest';
import { dockerStartHint, engineCandidates } from '../../../src-main/docker/docker-engine.js';

describe('engineCandidates', () => {
  it('uses DOCKER_HOST alone when it is set', () => {
    expect(engineCandidates({ DOCKER_HOST: 'unix:///tmp/x.sock' }, 'linux')).toEqual([{ label: 'DOCKER_HOST=unix:///tmp/x.sock', options: { socketPath: '/tmp/x.sock' } }]);
    expect(engineCandidates({ DOCKER_HOST: 'tcp://10.0.0.2:2375' }, 'linux')[0]?.options).toMatchObject({ host: '10.0.0.2', port: 2375, protocol: 'http' });
  });

  it('tries Docker, rootless Docker, Docker Desktop and Podman sockets on Linux', () => {
    const labels = engineCandidates({ XDG_RUNTIME_DIR: '/run/user/1000' }, 'linux').map((c) => c.label);
    expect(labels[0]).toBe('/var/run/docker.sock');
    expect(labels).toContain('/run/user/1000/docker.sock');
    expect(labels).toContain('/run/user/1000/podman/podman.sock');
    expect(labels.some((l) => l.endsWith('.docker/desktop/docker.sock'))).toBe(true);
  });

  it('uses the named pipes on Windows', () => {
    expect(engineCandidates({}, 'win32').map((c) => c.label)).toEqual(['//./pipe/docker_engine', '//./pipe/podman-machine-default']);
  });

  it('tells what to do per platform', () => {
    expect(dockerStartHint('linux')).toContain('systemctl start docker');
    expect(dockerStartHint('darwin')).toContain('Docker Desktop');
  });
});
