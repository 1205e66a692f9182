// Discovery on a fixture home: config.json, contexts/meta/<sha256>/meta.json with TLS files, and a
// sockets folder where a small HTTP server answers like an engine (/_ping, /version, /info).
import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextDigest, dockerOptions, findEngines, type Place } from '../../../src-main/docker/engine-discovery.js';
import { probeEngine } from '../../../src-main/docker/engine-probe.js';
import { connectedEngine } from '../../../src-main/docker/docker-engine.js';
import { useEngineChoice } from '../../../src-main/docker/engine-selection.js';
import { useTempFolder } from '../temp-folder.js';

const folder = useTempFolder('kf-engines-');
let home = '';
let runtime = '';
const servers: Server[] = [];

async function context(name: string, meta: unknown, tls?: Record<string, string>): Promise<void> {
  const dir = join(home, '.docker', 'contexts', 'meta', contextDigest(name));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'meta.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  if (tls) {
    const tlsDir = join(home, '.docker', 'contexts', 'tls', contextDigest(name), 'docker');
    await mkdir(tlsDir, { recursive: true });
    for (const [file, text] of Object.entries(tls)) await writeFile(join(tlsDir, file), text);
  }
}

/** An engine look-alike on a unix socket: what probing reads. */
async function fakeEngine(path: string, version: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const server = createServer((req, res) => {
    const body = req.url?.endsWith('/_ping') ? 'OK' : req.url?.endsWith('/version') ? JSON.stringify({ Version: version, Os: 'linux', Arch: 'arm64', Components: [{ Name: 'Podman Engine' }] }) : JSON.stringify({ OperatingSystem: 'Fedora CoreOS 40' });
    res.writeHead(200, { 'content-type': req.url?.endsWith('/_ping') ? 'text/plain' : 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  servers.push(server);
}

const place = (env: NodeJS.ProcessEnv = {}): Place => ({ env: { XDG_RUNTIME_DIR: runtime, ...env }, platform: 'linux', home, uid: 4242 });

beforeAll(async () => {
  home = join(folder(), 'home');
  runtime = join(folder(), 'run');
  await mkdir(join(home, '.docker'), { recursive: true });
  await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: {}, currentContext: 'podman-box' }));
  await context('podman-box', { Name: 'podman-box', Metadata: { Description: 'Podman in a VM' }, Endpoints: { docker: { Host: `unix://${runtime}/podman/podman.sock`, SkipTLSVerify: false } } });
  await context('build-server', { Name: 'build-server', Metadata: {}, Endpoints: { docker: { Host: 'tcp://10.0.0.5:2376', SkipTLSVerify: false } } }, { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' });
  await context('lab', { Name: 'lab', Endpoints: { docker: { Host: 'tcp://lab.local:2376', SkipTLSVerify: true } } });
  await context('broken', '{ not json');
  await fakeEngine(join(runtime, 'podman', 'podman.sock'), '5.2.1');
  await fakeEngine(join(home, '.colima', 'default', 'docker.sock'), '27.3.1');
});

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('findEngines on a fixture home', () => {
  it('reads the current context from config.json, every context with its TLS files, and the sockets that exist', async () => {
    const d = await findEngines(place());
    const ids = d.candidates.map((c) => c.id);
    // The current context first, the others by name; the podman socket is the context's, so not listed twice.
    // (/var/run/docker.sock is listed too where it exists: this machine's own.)
    expect(ids.slice(0, 3)).toEqual(['podman-box', 'build-server', 'lab']);
    expect(ids.filter((id) => id !== 'docker').slice(3)).toEqual(['colima']);
    expect(d.candidates[0]).toMatchObject({ current: true, label: 'context podman-box (Podman in a VM)' });
    const tlsDir = join(home, '.docker', 'contexts', 'tls', contextDigest('build-server'), 'docker');
    expect(d.candidates[1]?.tls).toEqual({ verify: true, ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem') });
    expect(d.problems).toEqual([expect.stringMatching(new RegExp(`^${join(home, '.docker', 'contexts', 'meta', contextDigest('broken'), 'meta.json')} cannot be read`))]);
  });

  it('DOCKER_CONTEXT beats config.json; DOCKER_HOST beats both', async () => {
    expect((await findEngines(place({ DOCKER_CONTEXT: 'lab' }))).candidates.find((c) => c.current)?.id).toBe('lab');
    const d = await findEngines(place({ DOCKER_CONTEXT: 'lab', DOCKER_HOST: 'tcp://127.0.0.1:1' }));
    expect(d.candidates.filter((c) => c.current).map((c) => c.id)).toEqual(['DOCKER_HOST']);
  });

  it('DOCKER_CONFIG moves the whole folder', async () => {
    const d = await findEngines({ ...place({ DOCKER_CONFIG: join(folder(), 'nowhere') }) });
    expect(d.candidates.some((c) => c.source === 'context')).toBe(false);
  });

  it('reads TLS files into the connection; SkipTLSVerify gets an agent that does not verify', async () => {
    const d = await findEngines(place());
    const build = await dockerOptions(d.candidates.find((c) => c.id === 'build-server')!);
    expect(build).toMatchObject({ host: '10.0.0.5', port: 2376, protocol: 'https' });
    expect([String(build.ca), String(build.cert), String(build.key)]).toEqual(['CA', 'CERT', 'KEY']);
    const lab = await dockerOptions(d.candidates.find((c) => c.id === 'lab')!);
    expect(lab.protocol).toBe('https');
    expect((lab as { agent?: { options?: { rejectUnauthorized?: boolean } } }).agent?.options?.rejectUnauthorized).toBe(false);
  });

  it('plain tcp, unix, named pipes and ssh addresses', async () => {
    const options = (host: string) => dockerOptions({ id: host, label: host, source: 'chosen', host });
    expect(await options('tcp://10.0.0.2:2375')).toEqual({ host: '10.0.0.2', port: 2375, protocol: 'http' });
    expect(await options('unix:///run/x.sock')).toEqual({ socketPath: '/run/x.sock' });
    expect(await options('npipe:////./pipe/docker_engine')).toEqual({ socketPath: '\\\\.\\pipe\\docker_engine' });
    // ssh: plain HTTP through the one SSH connection's agent (ssh-agent.ts), not docker-modem's ssh mode.
    const ssh = (await options('ssh://builder@build.lan:2222')) as { protocol?: string; agent?: { target?: unknown } };
    expect(ssh.protocol).toBe('http');
    expect(ssh.agent?.target).toEqual({ user: 'builder', host: 'build.lan', port: 2222 });
  });

  it('names the missing file when DOCKER_CERT_PATH lacks one', async () => {
    const d = await findEngines(place({ DOCKER_HOST: 'tcp://10.0.0.7:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(folder(), 'no-certs') }));
    await expect(dockerOptions(d.candidates[0]!)).rejects.toThrow(`The TLS CA of engine DOCKER_HOST cannot be read: ${join(folder(), 'no-certs', 'ca.pem')} (ENOENT)`);
  });

  it('probes each engine: OS, architecture, engine and version, or why it does not answer', async () => {
    const d = await findEngines(place());
    const [podman, lab] = await Promise.all([probeEngine(d.candidates[0]!), probeEngine({ id: 'gone', label: 'gone', source: 'chosen', host: `unix://${folder()}/gone.sock` })]);
    expect(podman).toMatchObject({ id: 'podman-box', os: 'linux', arch: 'arm64', engine: 'Podman Engine', version: '5.2.1', osName: 'Fedora CoreOS 40' });
    expect(podman.error).toBeUndefined();
    expect(lab).toMatchObject({ id: 'gone', error: 'absent' });
  });
});

describe('dockerEngine follows the choice without a restart', () => {
  it('switches between engines per call, and names a chosen engine that does not answer', async () => {
    const saved = { config: process.env.DOCKER_CONFIG, host: process.env.DOCKER_HOST, ctx: process.env.DOCKER_CONTEXT };
    process.env.DOCKER_CONFIG = join(home, '.docker');
    delete process.env.DOCKER_HOST;
    delete process.env.DOCKER_CONTEXT;
    let choice = 'podman-box';
    useEngineChoice(() => Promise.resolve({ value: choice, from: 'the engine setting' }));
    try {
      expect((await connectedEngine()).candidate.id).toBe('podman-box');
      choice = `unix://${join(home, '.colima', 'default', 'docker.sock')}`;
      const colima = await connectedEngine();
      expect(((await colima.docker.version()) as { Version: string }).Version).toBe('27.3.1');
      choice = `unix://${folder()}/gone.sock`;
      await expect(connectedEngine()).rejects.toThrow(`The Docker engine unix://${folder()}/gone.sock, chosen by the engine setting, does not answer: absent`);
      choice = 'no-such';
      await expect(connectedEngine()).rejects.toThrow(/^the engine setting: no engine named "no-such" here \(known: podman-box, build-server, lab, /);
    } finally {
      useEngineChoice(() => Promise.resolve({ value: 'automatic', from: 'the default' }));
      for (const [key, value] of [['DOCKER_CONFIG', saved.config], ['DOCKER_HOST', saved.host], ['DOCKER_CONTEXT', saved.ctx]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
