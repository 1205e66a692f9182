import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { sshOptions } from '../../../src-main/docker/engine-discovery.js';
import { engineEndpoint, engineIsRemote, logEngineLink } from '../../../src-main/docker/remote-engine.js';
import { SshEngineAgent } from '../../../src-main/docker/ssh-agent.js';

describe('engineIsRemote', () => {
  it('reads where dockerode was told the engine is', () => {
    expect(engineIsRemote(new Docker({ socketPath: '/var/run/docker.sock' }), {})).toBe(false);
    expect(engineIsRemote(new Docker({ host: '127.0.0.1', port: 2375 }), {})).toBe(false);
    expect(engineIsRemote(new Docker({ host: '10.0.0.2', port: 2375 }), {})).toBe(true);
    const ssh = new Docker(sshOptions('ssh://root@127.0.0.1:2222'));
    expect(engineEndpoint(ssh)).toBe('ssh://root@127.0.0.1:2222');
    expect(engineIsRemote(ssh, {})).toBe(true);
  });

  it('follows KF_REMOTE_ENGINE either way', () => {
    expect(engineIsRemote(new Docker({ socketPath: '/var/run/docker.sock' }), { KF_REMOTE_ENGINE: '1' })).toBe(true);
    expect(engineIsRemote(new Docker({ host: '10.0.0.2', port: 2375 }), { KF_REMOTE_ENGINE: '0' })).toBe(false);
  });
});

describe('DOCKER_HOST=ssh://', () => {
  it('gets one agent per URL, so every request of the process shares its connection', () => {
    const a = sshOptions('ssh://ops@build.example.com');
    const b = sshOptions('ssh://ops@build.example.com');
    const agent = (a as { agent?: unknown }).agent;
    expect(agent).toBeInstanceOf(SshEngineAgent);
    expect((b as { agent?: unknown }).agent).toBe(agent);
    expect((agent as SshEngineAgent).target).toEqual({ user: 'ops', host: 'build.example.com', port: 22 });
  });

  it('logs nothing for an engine that is not reached over SSH', () => {
    const lines: string[] = [];
    logEngineLink(new Docker({ socketPath: '/var/run/docker.sock' }), (l) => lines.push(l))();
    expect(lines).toEqual([]);
  });
});
