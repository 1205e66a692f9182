// The Docker engine every job uses: the one the user chose (`--engine`, the engine setting), or
// "automatic": DOCKER_HOST, else the current Docker context, else the known sockets of Docker,
// rootless Docker, Docker Desktop, Podman, colima and Rancher Desktop; the first that answers wins.
// Discovery is in engine-discovery.ts and src-shared/engines/engine-candidates.ts.
import { platform } from 'node:os';
import Docker from 'dockerode';
import { automaticOrder, resolveChoice, type EngineCandidate } from '../../src-shared/engines/engine-candidates.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { HERE, absentSocket, dockerOptions, findEngines } from './engine-discovery.js';
import { currentChoice, type EngineChoiceSource } from './engine-selection.js';

export interface ConnectedEngine {
  readonly docker: Docker;
  readonly candidate: EngineCandidate;
}

/** Connected engines by choice: switching back and forth does not connect again. */
const cache = new Map<string, Promise<ConnectedEngine>>();

/** The chosen engine, connected. */
export async function dockerEngine(): Promise<Docker> {
  return (await connectedEngine()).docker;
}

/** The chosen engine with what it is (for the status line). */
export async function connectedEngine(): Promise<ConnectedEngine> {
  const choice = await currentChoice();
  let found = cache.get(choice.value);
  if (!found) {
    found = connect(choice).catch((error: unknown) => {
      cache.delete(choice.value);
      throw error;
    });
    cache.set(choice.value, found);
  }
  return found;
}

async function connect(choice: EngineChoiceSource): Promise<ConnectedEngine> {
  const place = HERE();
  const discovery = await findEngines(place);
  const resolved = resolveChoice(choice.value, discovery, place.env, place.home);
  if (resolved.kind === 'unknown') {
    throw new AppError('bad-request', `${choice.from}: ${resolved.message}`, { hint: '`kairos-factory engines` lists the engines found here' });
  }
  if (resolved.kind === 'one') {
    const candidate = resolved.candidate;
    const answer = await reach(candidate);
    if ('docker' in answer) return { docker: answer.docker, candidate };
    throw new AppError('docker-unavailable', `The Docker engine ${candidate.id === candidate.host ? candidate.host : `${candidate.id} (${candidate.host})`}, chosen by ${choice.from}, does not answer: ${answer.reason}`, {
      hint: answer.said?.hint ?? 'Start that engine, or choose another (`kairos-factory engines` lists them; --engine automatic takes the first that answers)',
    });
  }
  const tried: string[] = [];
  for (const candidate of automaticOrder(discovery)) {
    const answer = await reach(candidate);
    if ('docker' in answer) return { docker: answer.docker, candidate };
    // The engine DOCKER_HOST or a context names, with a problem of its own (an SSH host key, a
    // TLS file): that, and what to do, rather than a list of sockets tried after it.
    if (answer.said && candidate.source !== 'socket') throw answer.said;
    tried.push(`${candidate.label} (${answer.reason})`);
  }
  throw new AppError('docker-unavailable', `No Docker engine answered (tried ${tried.join(', ') || 'none'})`, { hint: dockerStartHint() });
}

/** A connection that answered a ping within `ms`, or why not. */
export async function reach(candidate: EngineCandidate, ms = 5000): Promise<{ docker: Docker } | { reason: string; said?: AppError }> {
  if (await absentSocket(candidate)) return { reason: 'absent' };
  try {
    const docker = new Docker({ ...(await dockerOptions(candidate)), timeout: 0 });
    await withTimeout(docker.ping(), ms);
    return { docker };
  } catch (error) {
    // An engine's own problem (an unknown SSH host key, no key accepted, unreadable TLS files)
    // says itself what to do: kept whole, for a job to fail with.
    return error instanceof AppError ? { reason: error.message, said: error } : { reason: shortReason(error) };
  }
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

export function shortReason(error: unknown): string {
  const e = error as { code?: string; message?: string; statusCode?: unknown };
  // Something answered HTTP, but not as an engine does (a proxy, another server on that port).
  if (typeof e.statusCode === 'number') return `HTTP ${e.statusCode}${engineMessage(error) ? `: ${engineMessage(error)}` : ''} (not a Docker API there?)`;
  if (e.code === 'ECONNREFUSED') return 'connection refused';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'ENOENT') return 'absent';
  return e.code ?? e.message?.split('\n')[0] ?? 'no answer';
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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
