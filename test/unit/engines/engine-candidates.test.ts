import { describe, expect, it } from 'vitest';
import {
  automaticOrder,
  currentContextName,
  discoverEngines,
  envTls,
  hostProblem,
  knownSockets,
  resolveChoice,
  type DockerContextFact,
  type EngineFacts,
} from '../../../src-shared/engines/engine-candidates.js';

const HOME = '/home/ada';

function facts(change: Partial<EngineFacts> = {}): EngineFacts {
  return { env: {}, platform: 'linux', home: HOME, uid: 1000, contexts: [], existingSockets: new Set(['/var/run/docker.sock']), ...change };
}

const build: DockerContextFact = { name: 'build-server', host: 'tcp://10.0.0.5:2376', description: 'rack 3', tlsFiles: { ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' } };
const desktop: DockerContextFact = { name: 'desktop-linux', host: `unix://${HOME}/.docker/desktop/docker.sock`, description: 'Docker Desktop' };
const ssh: DockerContextFact = { name: 'pi', host: 'ssh://pi@10.0.0.9' };

describe('currentContextName: the docker CLI precedence', () => {
  it('DOCKER_HOST means the default context, even with DOCKER_CONTEXT set', () => {
    expect(currentContextName({ DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'pi' }, 'build-server')).toBe('default');
  });
  it('DOCKER_CONTEXT beats config.json, which beats default', () => {
    expect(currentContextName({ DOCKER_CONTEXT: 'pi' }, 'build-server')).toBe('pi');
    expect(currentContextName({}, 'build-server')).toBe('build-server');
    expect(currentContextName({})).toBe('default');
    expect(currentContextName({ DOCKER_CONTEXT: '' }, undefined)).toBe('default');
  });
});

describe('discoverEngines', () => {
  it('lists DOCKER_HOST first and marks it current; contexts and sockets follow', () => {
    const d = discoverEngines(facts({ env: { DOCKER_HOST: 'unix:///tmp/other.sock', DOCKER_CONTEXT: 'pi' }, contexts: [ssh], currentContext: 'pi' }));
    expect(d.candidates.map((c) => [c.id, c.source, c.current ?? false])).toEqual([
      ['DOCKER_HOST', 'DOCKER_HOST', true],
      ['pi', 'context', false],
      ['docker', 'socket', false],
    ]);
    expect(d.currentContext).toBe('default');
    expect(automaticOrder(d).map((c) => c.id)).toEqual(['DOCKER_HOST']);
  });

  it('puts the current context first (from DOCKER_CONTEXT), others by name, and keeps its TLS files', () => {
    const d = discoverEngines(facts({ env: { DOCKER_CONTEXT: 'pi' }, contexts: [desktop, build, ssh] }));
    expect(d.candidates.map((c) => c.id)).toEqual(['pi', 'build-server', 'desktop-linux', 'docker']);
    expect(d.candidates[0]).toMatchObject({ current: true, host: 'ssh://pi@10.0.0.9', source: 'context' });
    expect(d.candidates[1]).toMatchObject({ label: 'context build-server (rack 3)', tls: { verify: true, ca: '/c/ca.pem', cert: '/c/cert.pem', key: '/c/key.pem' } });
    expect(d.candidates[2]?.tls).toBeUndefined();
    // automatic: the current context, then the sockets; never another context (it may be a remote machine)
    expect(automaticOrder(d).map((c) => c.id)).toEqual(['pi', 'docker']);
  });

  it('takes the current context from config.json without DOCKER_CONTEXT', () => {
    const d = discoverEngines(facts({ contexts: [desktop, build], currentContext: 'desktop-linux' }));
    expect(d.candidates.find((c) => c.current)?.id).toBe('desktop-linux');
  });

  it('marks the system socket current when nothing chose a context', () => {
    const d = discoverEngines(facts({ contexts: [build] }));
    expect(d.candidates.find((c) => c.current)?.id).toBe('docker');
    expect(automaticOrder(d).map((c) => c.id)).toEqual(['docker']);
  });

  it('SkipTLSVerify without files still means TLS, unverified', () => {
    const d = discoverEngines(facts({ contexts: [{ name: 'lab', host: 'tcp://lab:2376', skipTlsVerify: true }] }));
    expect(d.candidates[0]?.tls).toEqual({ verify: false });
  });

  it('says when DOCKER_CONTEXT or config.json names a context that does not exist', () => {
    expect(discoverEngines(facts({ env: { DOCKER_CONTEXT: 'gone' } })).problems).toEqual([expect.stringMatching(/^DOCKER_CONTEXT names the Docker context "gone", which does not exist/)]);
    expect(discoverEngines(facts({ currentContext: 'gone' })).problems[0]).toMatch(/^currentContext in config\.json names/);
  });

  it('reports a malformed DOCKER_HOST and a context without a docker endpoint instead of listing them', () => {
    const d = discoverEngines(facts({ env: { DOCKER_HOST: 'localhost:2375' }, contexts: [{ name: 'k8s-only' }] }));
    expect(d.candidates.map((c) => c.id)).toEqual(['docker']);
    expect(d.problems).toEqual([expect.stringMatching(/^DOCKER_HOST: "localhost:2375" is not an engine address/), 'Docker context "k8s-only" has no docker endpoint']);
  });

  it('offers the known sockets that exist, each once: a context naming a socket hides it', () => {
    const sockets = knownSockets('linux', HOME, { XDG_RUNTIME_DIR: '/run/user/1000' }).map((s) => s.path);
    const d = discoverEngines(facts({ env: { XDG_RUNTIME_DIR: '/run/user/1000' }, contexts: [desktop], existingSockets: new Set(sockets) }));
    expect(d.candidates.map((c) => c.id)).toEqual(['desktop-linux', 'docker', 'rootless-docker', 'docker-desktop', 'podman', 'podman-root', 'colima', 'rancher-desktop']);
    expect(d.candidates.find((c) => c.id === 'colima')?.host).toBe(`unix://${HOME}/.colima/default/docker.sock`);
    expect(d.candidates.find((c) => c.id === 'podman')?.host).toBe('unix:///run/user/1000/podman/podman.sock');
    expect(d.candidates.find((c) => c.id === 'rancher-desktop')?.label).toBe(`Rancher Desktop (${HOME}/.rd/docker.sock)`);
    // Docker Desktop's socket is the context's: automatic still tries it, after the sockets.
    expect(d.candidates[0]).toMatchObject({ id: 'desktop-linux', knownSocket: true });
    expect(automaticOrder(d).map((c) => c.id)).toEqual(['docker', 'rootless-docker', 'docker-desktop', 'podman', 'podman-root', 'colima', 'rancher-desktop', 'desktop-linux']);
  });

  it('keeps the system socket (the default context) when contexts name it too', () => {
    const a: DockerContextFact = { name: 'a', host: 'unix:///var/run/docker.sock' };
    const d = discoverEngines(facts({ contexts: [a, { ...a, name: 'b' }] }));
    expect(d.candidates.map((c) => [c.id, c.current ?? false])).toEqual([['a', false], ['b', false], ['docker', true]]);
    expect(automaticOrder(d).map((c) => c.id)).toEqual(['docker']);
    expect(resolveChoice('unix:///var/run/docker.sock', d, {}, HOME)).toMatchObject({ candidate: { id: 'docker' } });
  });

  it('renames a socket whose id a context already has (colima makes a context called colima)', () => {
    const colimaContext: DockerContextFact = { name: 'colima', host: 'unix:///elsewhere.sock' };
    const d = discoverEngines(facts({ contexts: [colimaContext], existingSockets: new Set([`${HOME}/.colima/default/docker.sock`]) }));
    expect(d.candidates.map((c) => c.id)).toEqual(['colima', 'socket:colima']);
  });

  it('offers the system socket even when nothing exists, so there is one to name', () => {
    expect(discoverEngines(facts({ existingSockets: new Set() })).candidates.map((c) => c.host)).toEqual(['unix:///var/run/docker.sock']);
  });

  it("uses Windows' named pipes", () => {
    const d = discoverEngines(facts({ platform: 'win32', existingSockets: new Set(knownSockets('win32', HOME, {}).map((s) => s.path)) }));
    expect(d.candidates.map((c) => c.host)).toEqual(['npipe:////./pipe/docker_engine', 'npipe:////./pipe/dockerDesktopLinuxEngine', 'npipe:////./pipe/podman-machine-default']);
  });

  it('uses the uid for rootless sockets when XDG_RUNTIME_DIR is unset', () => {
    expect(knownSockets('linux', HOME, {}, 1234).map((s) => s.path)).toContain('/run/user/1234/podman/podman.sock');
  });
});

describe('TLS from the environment, as the docker CLI reads it', () => {
  it('DOCKER_TLS_VERIFY with DOCKER_CERT_PATH, else the config folder', () => {
    expect(envTls({ DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, HOME)).toEqual({ verify: true, ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' });
    expect(envTls({ DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: '/cfg' }, HOME)?.ca).toBe('/cfg/ca.pem');
    expect(envTls({ DOCKER_TLS: '1' }, HOME)).toMatchObject({ verify: false, ca: `${HOME}/.docker/ca.pem` });
    expect(envTls({}, HOME)).toBeUndefined();
  });

  it('applies to a tcp DOCKER_HOST only', () => {
    const env = { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' };
    expect(discoverEngines(facts({ env: { ...env, DOCKER_HOST: 'tcp://10.1.1.1:2376' } })).candidates[0]?.tls?.verify).toBe(true);
    expect(discoverEngines(facts({ env: { ...env, DOCKER_HOST: 'unix:///x.sock' } })).candidates[0]?.tls).toBeUndefined();
  });
});

describe('hostProblem', () => {
  it('accepts the engine addresses and names what is wrong with others', () => {
    for (const ok of ['unix:///var/run/docker.sock', 'tcp://10.0.0.1:2376', 'tcp://[::1]:2375', 'ssh://me@build:2222', 'npipe:////./pipe/docker_engine', 'https://h']) expect(hostProblem(ok)).toBeUndefined();
    expect(hostProblem('/var/run/docker.sock')).toMatch(/is not an engine address/);
    expect(hostProblem('ftp://x')).toMatch(/is not an engine address/);
    expect(hostProblem('unix://')).toMatch(/names no socket/);
    expect(hostProblem('tcp://host:99999')).toMatch(/no valid port/);
    expect(hostProblem('tcp://')).toMatch(/not a valid address/);
  });
});

describe('resolveChoice', () => {
  const d = discoverEngines(facts({ contexts: [build, ssh] }));
  it('automatic, an id, or an address (a known one maps to its candidate)', () => {
    expect(resolveChoice(undefined, d, {}, HOME)).toEqual({ kind: 'automatic' });
    expect(resolveChoice('automatic', d, {}, HOME)).toEqual({ kind: 'automatic' });
    expect(resolveChoice('pi', d, {}, HOME)).toMatchObject({ kind: 'one', candidate: { id: 'pi', source: 'context' } });
    expect(resolveChoice('unix:///var/run/docker.sock', d, {}, HOME)).toMatchObject({ kind: 'one', candidate: { id: 'docker' } });
    expect(resolveChoice('unix:///nonexistent', d, {}, HOME)).toMatchObject({ kind: 'one', candidate: { id: 'unix:///nonexistent', source: 'chosen' } });
    expect(resolveChoice('tcp://h:2376', d, { DOCKER_TLS_VERIFY: '1' }, HOME)).toMatchObject({ kind: 'one', candidate: { tls: { verify: true } } });
  });
  it('names the unknown and lists the known', () => {
    const r = resolveChoice('nope', d, {}, HOME);
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.message).toBe('no engine named "nope" here (known: build-server, pi, docker); give one of those, "automatic", or an address such as unix:///var/run/docker.sock');
    expect(resolveChoice('ftp://x', d, {}, HOME).kind).toBe('unknown');
  });
});
