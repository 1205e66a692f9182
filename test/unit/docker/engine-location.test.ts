import { describe, expect, it } from 'vitest';
import { engineLocation, isLoopback, parseSshHost, sshTargetLabel } from '../../../src-shared/docker/engine-location.js';

describe('engineLocation', () => {
  it('calls sockets and named pipes local', () => {
    expect(engineLocation(undefined)).toBe('local');
    expect(engineLocation('unix:///var/run/docker.sock')).toBe('local');
    expect(engineLocation('/run/user/1000/podman/podman.sock')).toBe('local');
    expect(engineLocation('npipe:////./pipe/docker_engine')).toBe('local');
    expect(engineLocation('//./pipe/docker_engine')).toBe('local');
  });

  it('calls ssh:// remote, even to this machine', () => {
    expect(engineLocation('ssh://builder@build.example.com')).toBe('remote');
    expect(engineLocation('ssh://root@127.0.0.1:2222')).toBe('remote');
  });

  it('calls tcp:// local only to a loopback address', () => {
    expect(engineLocation('tcp://127.0.0.1:2375')).toBe('local');
    expect(engineLocation('tcp://localhost:2376')).toBe('local');
    expect(engineLocation('tcp://[::1]:2375')).toBe('local');
    expect(engineLocation('tcp://10.0.0.2:2375')).toBe('remote');
    expect(engineLocation('tcp://docker.example.com:2376')).toBe('remote');
    expect(engineLocation('10.1.2.3:2375')).toBe('remote');
    expect(engineLocation('localhost:2375')).toBe('local');
  });

  it('treats a scheme it does not know as remote: the API works anywhere', () => {
    expect(engineLocation('fd://3')).toBe('remote');
  });

  it('lets KF_REMOTE_ENGINE force either answer', () => {
    expect(engineLocation('unix:///var/run/docker.sock', '1')).toBe('remote');
    expect(engineLocation('tcp://10.0.0.2:2375', '0')).toBe('local');
    expect(engineLocation('unix:///var/run/docker.sock', '')).toBe('local');
  });

  it('knows the loopback names', () => {
    expect(isLoopback('127.10.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('128.0.0.1')).toBe(false);
    expect(isLoopback('localhost.example.com')).toBe(false);
  });
});

describe('parseSshHost', () => {
  it('reads user, host and port, port 22 by default', () => {
    expect(parseSshHost('ssh://root@127.0.0.1:2222', 'me')).toEqual({ user: 'root', host: '127.0.0.1', port: 2222 });
    expect(parseSshHost('ssh://build.example.com', 'me')).toEqual({ user: 'me', host: 'build.example.com', port: 22 });
    expect(parseSshHost('ssh://ops@[fd00::5]:2200/', 'me')).toEqual({ user: 'ops', host: 'fd00::5', port: 2200 });
  });

  it('refuses a password without repeating it, a path, a bad port and no host', () => {
    expect(() => parseSshHost('ssh://root:hunter2@host', 'me')).toThrow(/must not carry a password/);
    try {
      parseSshHost('ssh://root:hunter2@host', 'me');
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
    expect(() => parseSshHost('ssh://root@host/var/run', 'me')).toThrow(/path is not supported/);
    expect(() => parseSshHost('ssh://root@host:99999', 'me')).toThrow(/not a port number/);
    expect(() => parseSshHost('ssh://root@', 'me')).toThrow(/names no host/);
    expect(() => parseSshHost('tcp://host', 'me')).toThrow(/not an ssh:\/\/ URL/);
  });

  it('labels a target as the log names it', () => {
    expect(sshTargetLabel({ user: 'root', host: '127.0.0.1', port: 2222 })).toBe('root@127.0.0.1:2222');
    expect(sshTargetLabel({ user: 'ops', host: 'fd00::5', port: 22 })).toBe('ops@[fd00::5]:22');
  });
});
