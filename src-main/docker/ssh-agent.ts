// DOCKER_HOST=ssh://user@host[:port]: every Docker API request of the process goes through ONE SSH
// connection, on channels that each run `docker system dial-stdio` on the engine's host and carry
// one request after another (HTTP keep-alive: starting the docker CLI there takes about a second),
// a new channel only when all are busy (docker-modem's own ssh mode opens a new connection per
// request, which sshd's MaxStartups then drops in bursts). Keys come from the agent (SSH_AUTH_SOCK) or ~/.ssh/id_*; the host key must be
// in known_hosts. Nothing secret is logged: the log says whom we connected to and how often.
import { Agent, type AgentOptions } from 'node:http';
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AnyAuthMethod, Client, ClientChannel, ParsedKey } from 'ssh2';
import { AppError } from '../../src-shared/errors/app-error.js';
import { parseSshHost, sshTargetLabel, type SshTarget } from '../../src-shared/docker/engine-location.js';
import { hostKeyAlgorithms, hostKeyVerdict, knownHostName, knownKeys, type HostKeyVerdict, type KnownKey } from './known-hosts.js';

/** OpenSSH's default identity files, in the order ssh tries them. */
const IDENTITY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
/** sshd allows 10 sessions per connection (MaxSessions): stay below, the rest wait their turn. */
const MAX_CHANNELS = 8;

type Callback = (error: Error | null, socket?: Duplex) => void;

export interface SshAgentEnv {
  readonly home: string;
  readonly authSock?: string;
}

export class SshEngineAgent extends Agent {
  readonly label: string;
  private client: Promise<Client> | undefined;
  // Not `requests`/`listeners`/`emit`: those are http.Agent's own.
  private connectionCount = 0;
  private channelCount = 0;
  private requestCount = 0;
  private connectedLine: string | undefined;
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(
    readonly target: SshTarget,
    private readonly env: SshAgentEnv = { home: homedir(), ...(process.env.SSH_AUTH_SOCK ? { authSock: process.env.SSH_AUTH_SOCK } : {}) },
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, maxSockets: MAX_CHANNELS, ...options });
    this.label = sshTargetLabel(target);
    // Every request passes here (Node's Agent API), whether it reuses a channel or needs a new one.
    const agent = this as unknown as { addRequest: (...args: unknown[]) => void };
    const addRequest = agent.addRequest.bind(this);
    agent.addRequest = (...args: unknown[]) => {
      this.requestCount++;
      addRequest(...args);
    };
    // http.Agent asks for a socket when no idle one is left: it gets a channel of the one connection.
    (this as unknown as { createConnection: (options: unknown, callback: Callback) => undefined }).createConnection = (_options, callback) => {
      this.openChannel().then(
        (channel) => callback(null, channel),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
      return undefined;
    };
  }

  /** Sends the connection's log lines (the "connected" one again if it is open already); returns the unsubscribe. */
  onLine(listener: (line: string) => void): () => void {
    this.lineListeners.add(listener);
    if (this.connectedLine) listener(this.connectedLine);
    return () => this.lineListeners.delete(listener);
  }

  /** "ssh: 1 connection, 42 requests": what the build log ends with. */
  summary(): string {
    const [c, ch, r] = [this.connectionCount, this.channelCount, this.requestCount];
    return `ssh: ${c} connection${c === 1 ? '' : 's'}, ${r} request${r === 1 ? '' : 's'} on ${ch} channel${ch === 1 ? '' : 's'}`;
  }

  get counts(): { readonly connections: number; readonly channels: number; readonly requests: number } {
    return { connections: this.connectionCount, channels: this.channelCount, requests: this.requestCount };
  }

  override destroy(): void {
    super.destroy();
    void this.client?.then((c) => c.end(), () => undefined);
    this.client = undefined;
  }

  private say(line: string): void {
    for (const l of this.lineListeners) l(line);
  }

  private async openChannel(): Promise<Duplex> {
    const client = await (this.client ??= this.connect().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    }));
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.exec('docker system dial-stdio', (error, ch) => (error ? reject(sshError(this.label, error)) : resolve(ch)));
    });
    this.channelCount++;
    // What dial-stdio says when it cannot start (no docker CLI, no engine there) becomes the error.
    let stderr = '';
    channel.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    channel.on('exit', (code: number | null) => {
      if (code !== 0 && stderr.trim() !== '') {
        (channel as unknown as { destroy(error: Error): void }).destroy(new AppError('docker-unavailable', `docker system dial-stdio on ${this.label} failed: ${stderr.trim().split('\n')[0]}`, {
          hint: 'The engine host needs the docker CLI on the PATH of that user, and a running engine it may use (the docker group)',
        }));
      }
    });
    releaseWhenDone(channel);
    return asSocket(channel);
  }

  private async connect(): Promise<Client> {
    const { user, host, port } = this.target;
    const name = knownHostName(host, port);
    const known = await this.knownKeysFor(name);
    // Loaded on first use (CommonJS, and only SSH engines need it).
    const { default: ssh2 } = await import('ssh2');
    const auth = await this.authMethods(ssh2.utils.parseKey);
    const client = new ssh2.Client();
    // Set once the server showed its key: an error before that is not about the key.
    let verdict: HostKeyVerdict | undefined;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', (error: Error) => reject(verdict === undefined || verdict === 'known' ? sshError(this.label, error, auth) : hostKeyError(this.label, name, verdict)));
      client.connect({
        host,
        port,
        username: user,
        readyTimeout: 20_000,
        keepaliveInterval: 15_000,
        ...(known.length > 0 ? { algorithms: { serverHostKey: hostKeyAlgorithms(known) as never } } : {}),
        hostVerifier: (key: Buffer) => {
          verdict = hostKeyVerdict(known, key);
          return verdict === 'known';
        },
        authHandler: auth.methods,
      });
    });
    this.connectionCount++;
    this.connectedLine = `ssh: connected to ${this.label}`;
    this.say(this.connectedLine);
    // A dropped connection is opened again by the next request (and counted: the summary tells).
    const forget = (): void => {
      this.connectedLine = undefined;
      this.client = undefined;
    };
    client.once('close', forget);
    client.on('error', forget);
    return client;
  }

  private async knownKeysFor(name: string): Promise<KnownKey[]> {
    const files = [join(this.env.home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
    const texts = await Promise.all(files.map((f) => readFile(f, 'utf8').catch(() => '')));
    return texts.flatMap((t) => knownKeys(t, name));
  }

  /** The agent first (as ssh does), then each identity file that opens without a passphrase. */
  private async authMethods(parseKey: (data: Buffer) => ParsedKey | ParsedKey[] | Error): Promise<{ readonly methods: AnyAuthMethod[]; readonly tried: string[] }> {
    const username = this.target.user;
    const methods: AnyAuthMethod[] = [];
    const tried: string[] = [];
    if (this.env.authSock) {
      methods.push({ type: 'agent', username, agent: this.env.authSock });
      tried.push('the ssh-agent');
    }
    for (const file of IDENTITY_FILES) {
      const path = join(this.env.home, '.ssh', file);
      const text = await readFile(path).catch(() => undefined);
      if (!text) continue;
      const key = parseKey(text);
      if (key instanceof Error) {
        // Most likely a passphrase: the agent is where such keys are used from.
        tried.push(`${path} (cannot be read without a passphrase: ssh-add it)`);
        continue;
      }
      methods.push({ type: 'publickey', username, key: text });
      tried.push(path);
    }
    if (methods.length === 0) {
      throw new AppError('docker-unavailable', `ssh: no key to log in to ${this.label} with`, {
        hint: `Start ssh-agent and ssh-add your key, or create one (ssh-keygen -t ed25519) and add its .pub to ${username}'s ~/.ssh/authorized_keys on ${this.target.host}`,
      });
    }
    return { methods, tried };
  }
}

/**
 * A channel emits 'close' only once its readable side was read to the end, but the http module
 * stops reading when a response is complete: the agent would count the channel as open for ever
 * and, at MAX_CHANNELS, every later request would wait. So when dial-stdio has ended its side and
 * the channel is idle, or http ended our side (a "Connection: close" answer), it is destroyed.
 * Not a hijacked one (exec, attach): its reader takes the stream to its end.
 */
function releaseWhenDone(channel: ClientChannel): void {
  let ours = false;
  let theirs = false;
  let hijacked = false;
  const settle = (): void => {
    const idle = !(channel as unknown as { _httpMessage?: unknown })._httpMessage;
    if (theirs && (ours || idle) && !hijacked && !channel.destroyed) channel.destroy();
  };
  channel.once('agentRemove', () => (hijacked = true));
  channel.once('finish', () => {
    ours = true;
    settle();
  });
  for (const event of ['eof', 'exit']) {
    channel.once(event, () => {
      theirs = true;
      settle();
    });
  }
}

/** The http module treats the channel as a socket: it calls these, which a channel lacks. */
function asSocket(channel: ClientChannel): Duplex {
  const socket = channel as unknown as Record<string, unknown>;
  for (const name of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) {
    if (typeof socket[name] !== 'function') socket[name] = () => channel;
  }
  return channel;
}

function hostKeyError(label: string, name: string, verdict: HostKeyVerdict): AppError {
  const [host, port] = name.startsWith('[') ? [name.slice(1, name.indexOf(']')), name.slice(name.indexOf(']:') + 2)] : [name, '22'];
  const connect = `ssh ${port === '22' ? '' : `-p ${port} `}${label.split('@')[0]}@${host}`;
  switch (verdict) {
    case 'unknown':
      return new AppError('docker-unavailable', `ssh: ${name} is not in ~/.ssh/known_hosts, so its identity cannot be checked`, {
        hint: `Run \`${connect}\` once and accept the host key after comparing its fingerprint with the server's, then build again`,
      });
    case 'changed':
      return new AppError('docker-unavailable', `ssh: the host key of ${name} is not the one in ~/.ssh/known_hosts: the connection was refused`, {
        hint: `If the server was reinstalled, remove the old key (\`ssh-keygen -R '${name}'\`) and connect once with \`${connect}\`; otherwise someone may be in between`,
      });
    case 'revoked':
    case 'known':
      return new AppError('docker-unavailable', `ssh: the host key of ${name} is marked @revoked in known_hosts`, { hint: 'Ask the server administrator for its new key' });
  }
}

function sshError(label: string, error: Error, auth?: { readonly tried: ReadonlyArray<string> }): Error {
  const e = error as Error & { level?: string; code?: string };
  if (e.level === 'client-authentication') {
    return new AppError('docker-unavailable', `ssh: ${label} refused every key (tried ${auth?.tried.join(', ') ?? 'none'})`, {
      hint: `Add your public key to ~/.ssh/authorized_keys of that user on the engine host, or load the right key with ssh-add`,
    });
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH' || e.code === 'ENOTFOUND' || e.level === 'client-timeout') {
    return new AppError('docker-unavailable', `ssh: cannot reach ${label} (${e.code ?? 'timed out'})`, { hint: 'Check the host name and port in DOCKER_HOST, and that sshd runs there' });
  }
  return new AppError('docker-unavailable', `ssh to ${label}: ${e.message.split('\n')[0]}`, { hint: 'Check DOCKER_HOST and that `ssh user@host docker version` works' });
}

const agents = new Map<string, SshEngineAgent>();

/** The process's one agent for an ssh:// DOCKER_HOST (one connection, reused by every request). */
export function sshAgentFor(url: string): SshEngineAgent {
  let agent = agents.get(url);
  if (!agent) {
    agent = new SshEngineAgent(parseSshHost(url, userInfo().username));
    agents.set(url, agent);
  }
  return agent;
}
