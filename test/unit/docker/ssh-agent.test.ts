// The SSH engine agent against an in-process SSH server whose exec requests are piped to a small
// HTTP server (standing in for `docker system dial-stdio`): one connection for many requests, and
// the errors for an unknown or changed host key and a refused key.
import { request, createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshEngineAgent } from '../../../src-main/docker/ssh-agent.js';

const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
const otherHostKey = ssh2.utils.generateKeyPairSync('ed25519');
const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
const strangerKey = ssh2.utils.generateKeyPairSync('ed25519');

let http: HttpServer;
let sshd: InstanceType<typeof ssh2.Server>;
let port = 0;
let sshConnections = 0;
let home = '';

function get(agent: SshEngineAgent, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: 'docker', path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function homeWith(knownKey: string | undefined, key: string): Promise<string> {
  const dir = await mkdtemp(join(home, 'h-'));
  await mkdir(join(dir, '.ssh'));
  await writeFile(join(dir, '.ssh', 'id_ed25519'), key, { mode: 0o600 });
  if (knownKey) await writeFile(join(dir, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${knownKey}\n`);
  return dir;
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kf-ssh-agent-'));
  http = createHttpServer((req, res) => res.end(`ok ${req.url}`));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const httpPort = (http.address() as AddressInfo).port;
  const allowed = ssh2.utils.parseKey(clientKey.public);
  sshd = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    sshConnections++;
    client.on('authentication', (ctx) => {
      const key = !(allowed instanceof Error) && !Array.isArray(allowed) ? allowed : undefined;
      if (ctx.method === 'publickey' && key && ctx.key.algo === key.type && ctx.key.data.equals(key.getPublicSSH())) ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const channel = acceptExec();
          if (info.command !== 'docker system dial-stdio') return channel.exit(127);
          const socket = connect(httpPort, '127.0.0.1');
          channel.pipe(socket).pipe(channel);
          socket.on('close', () => {
            channel.exit(0);
            channel.end();
          });
        });
      });
    });
    client.on('error', () => undefined);
  });
  await new Promise<void>((r) => sshd.listen(0, '127.0.0.1', r));
  port = (sshd.address() as AddressInfo).port;
});

afterAll(async () => {
  sshd?.close();
  http?.close();
  await rm(home, { recursive: true, force: true });
});

describe('SshEngineAgent', () => {
  it('carries many requests over one connection, and says so', async () => {
    const before = sshConnections;
    const agent = new SshEngineAgent({ user: 'builder', host: '127.0.0.1', port }, { home: await homeWith(hostKey.public, clientKey.private) });
    const lines: string[] = [];
    agent.onLine((l) => lines.push(l));
    for (let i = 0; i < 5; i++) expect(await get(agent, `/v1/_ping?${i}`)).toBe(`ok /v1/_ping?${i}`);
    const bodies = await Promise.all([1, 2, 3].map((i) => get(agent, `/parallel/${i}`)));
    expect(bodies).toEqual(['ok /parallel/1', 'ok /parallel/2', 'ok /parallel/3']);
    expect(sshConnections - before).toBe(1);
    expect(lines).toEqual([`ssh: connected to builder@127.0.0.1:${port}`]);
    expect(agent.counts.requests).toBe(8);
    expect(agent.counts.channels).toBeLessThanOrEqual(3);
    expect(agent.summary()).toMatch(/^ssh: 1 connection, 8 requests on [123] channels?$/);
    agent.destroy();
  });

  it('refuses a host that known_hosts does not name, saying what to run', async () => {
    const agent = new SshEngineAgent({ user: 'builder', host: '127.0.0.1', port }, { home: await homeWith(undefined, clientKey.private) });
    const error = await get(agent, '/_ping').then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(error?.message).toBe(`ssh: [127.0.0.1]:${port} is not in ~/.ssh/known_hosts, so its identity cannot be checked`);
    expect(error?.hint).toContain(`ssh -p ${port} builder@127.0.0.1`);
    agent.destroy();
  });

  it('refuses a host whose key changed', async () => {
    const agent = new SshEngineAgent({ user: 'builder', host: '127.0.0.1', port }, { home: await homeWith(otherHostKey.public, clientKey.private) });
    const error = await get(agent, '/_ping').then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(error?.message).toMatch(/host key of \[127\.0\.0\.1\]:\d+ is not the one in ~\/\.ssh\/known_hosts/);
    expect(error?.hint).toContain(`ssh-keygen -R '[127.0.0.1]:${port}'`);
    agent.destroy();
  });

  it('names the keys it tried when the server takes none', async () => {
    const dir = await homeWith(hostKey.public, strangerKey.private);
    const agent = new SshEngineAgent({ user: 'builder', host: '127.0.0.1', port }, { home: dir });
    const error = await get(agent, '/_ping').then(() => undefined, (e: unknown) => e as { message: string });
    expect(error?.message).toBe(`ssh: builder@127.0.0.1:${port} refused every key (tried ${join(dir, '.ssh', 'id_ed25519')})`);
    agent.destroy();
  });
});
