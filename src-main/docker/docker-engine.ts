// Finding a Docker engine: DOCKER_HOST first, then the usual sockets of Docker, rootless Docker,
// Docker Desktop and Podman (its Docker-compatible API). The first one that answers a ping wins.
import { access } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import { sshAgentFor } from './ssh-agent.js';

export interface EngineCandidate {
  /** What we tell the user ("DOCKER_HOST=tcp://...", "/var/run/docker.sock"). */
  readonly label: string;
  readonly options: Docker.DockerOptions;
}

export function engineCandidates(env: NodeJS.ProcessEnv = process.env, os: NodeJS.Platform = platform()): EngineCandidate[] {
  const list: EngineCandidate[] = [];
  const host = env.DOCKER_HOST;
  if (host) {
    // DOCKER_HOST alone decides, as it does for the docker CLI.
    return [{ label: `DOCKER_HOST=${host}`, options: optionsFromHost(host) }];
  }
  if (os === 'win32') {
    list.push({ label: '//./pipe/docker_engine', options: { socketPath: '//./pipe/docker_engine' } });
    list.push({ label: '//./pipe/podman-machine-default', options: { socketPath: '//./pipe/podman-machine-default' } });
    return list;
  }
  const home = homedir();
  const runtime = env.XDG_RUNTIME_DIR ?? (typeof process.getuid === 'function' ? `/run/user/${process.getuid()}` : undefined);
  const sockets = [
    '/var/run/docker.sock',
    ...(runtime ? [join(runtime, 'docker.sock')] : []),
    join(home, '.docker', 'run', 'docker.sock'),
    join(home, '.docker', 'desktop', 'docker.sock'),
    ...(runtime ? [join(runtime, 'podman', 'podman.sock')] : []),
    '/run/podman/podman.sock',
    join(home, '.colima', 'default', 'docker.sock'),
    join(home, '.rd', 'docker.sock'),
  ];
  for (const socketPath of sockets) list.push({ label: socketPath, options: { socketPath } });
  return list;
}

function optionsFromHost(host: string): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') };
  // Plain HTTP over the channels of one SSH connection (ssh-agent.ts), not docker-modem's ssh mode.
  if (host.startsWith('ssh://')) return { protocol: 'http', host: 'docker', agent: sshAgentFor(host) } as Docker.DockerOptions;
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  const tls = process.env.DOCKER_TLS_VERIFY === '1';
  return { host: url.hostname, port: Number(url.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http' };
}

let cached: Promise<Docker> | undefined;

/** A connected engine, found once per process. */
export function dockerEngine(): Promise<Docker> {
  cached ??= findEngine().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function findEngine(): Promise<Docker> {
  const tried: string[] = [];
  for (const candidate of engineCandidates()) {
    const socket = candidate.options.socketPath;
    if (socket && !socket.startsWith('//') && !socket.startsWith('\\\\')) {
      try {
        await access(socket);
      } catch {
        tried.push(`${candidate.label} (absent)`);
        continue;
      }
    }
    const docker = new Docker({ ...candidate.options, timeout: 0 });
    try {
      await withTimeout(docker.ping(), 5000);
      return docker;
    } catch (error) {
      // An SSH engine's own problem (unknown host key, no key accepted) says itself what to do.
      if (error instanceof AppError) throw error;
      tried.push(`${candidate.label} (${shortReason(error)})`);
    }
  }
  throw new AppError('docker-unavailable', `No Docker engine answered (tried ${tried.join(', ')})`, {
    hint: dockerStartHint(),
  });
}

export function dockerStartHint(os: NodeJS.Platform = platform()): string {
  switch (os) {
    case 'darwin':
    case 'win32':
      return 'Start Docker Desktop (or Podman Desktop), wait until it says it is running, then try again; or set DOCKER_HOST';
    default:
      return 'Start the Docker engine (`sudo systemctl start docker`, or `dockerd &`), make sure your user may use it (the docker group), or set DOCKER_HOST';
  }
}

function shortReason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'ENOENT') return 'absent';
  return e.code ?? e.message?.split('\n')[0] ?? 'no answer';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'timeout' })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * The engine's own words for a failed request: its JSON message when it sent one, first line
 * only, without dockerode's "(HTTP code 500) server error - " prefix.
 */
export function engineMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string } | undefined;
  return (e?.json?.message ?? e?.message ?? String(error))
    .split('\n')[0]!
    .replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '')
    .trim();
}

/** Maps an error from dockerode to an AppError when the engine went away mid-work. */
export function engineLost(error: unknown): AppError | undefined {
  const code = (error as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET' || code === 'EPIPE') {
    return new AppError('docker-unavailable', `The Docker engine stopped answering (${code})`, { hint: dockerStartHint() });
  }
  return undefined;
}
