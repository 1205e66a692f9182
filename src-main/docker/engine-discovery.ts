// The files behind engine discovery: config.json's currentContext, each context's meta.json and TLS
// files (~/.docker/contexts/meta/<sha256 of the name>/meta.json, contexts/tls/<sha256>/docker/),
// and which known sockets exist. The rules are in src-shared/engines/engine-candidates.ts.
import { createHash } from 'node:crypto';
import { access, readFile, readdir, stat } from 'node:fs/promises';
import { Agent } from 'node:https';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import {
  discoverEngines,
  dockerConfigDir,
  knownSockets,
  type DockerContextFact,
  type Discovery,
  type EngineCandidate,
} from '../../src-shared/engines/engine-candidates.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import { sshAgentFor } from './ssh-agent.js';

export interface Place {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly home: string;
  readonly uid?: number;
}

export const HERE = (): Place => ({
  env: process.env,
  platform: platform(),
  home: homedir(),
  ...(typeof process.getuid === 'function' ? { uid: process.getuid() } : {}),
});

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

/** The folder name a context's files live under: the docker CLI's sha256 of its name. */
export function contextDigest(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

async function contextFacts(configDir: string, problems: string[]): Promise<DockerContextFact[]> {
  const metaDir = join(configDir, 'contexts', 'meta');
  const dirs = await readdir(metaDir).catch(() => [] as string[]);
  const facts: DockerContextFact[] = [];
  for (const dir of dirs) {
    const path = join(metaDir, dir, 'meta.json');
    let meta: { Name?: unknown; Metadata?: { Description?: unknown }; Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
    try {
      meta = (await readJson(path)) as typeof meta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${path} cannot be read: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    if (typeof meta.Name !== 'string' || meta.Name === '') {
      problems.push(`${path} has no Name`);
      continue;
    }
    const docker = meta.Endpoints?.docker;
    const tlsDir = join(configDir, 'contexts', 'tls', contextDigest(meta.Name), 'docker');
    const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map(async (f) => ((await exists(join(tlsDir, f))) ? join(tlsDir, f) : undefined)));
    const tlsFiles = { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
    facts.push({
      name: meta.Name,
      ...(typeof docker?.Host === 'string' && docker.Host !== '' ? { host: docker.Host } : {}),
      ...(docker?.SkipTLSVerify === true ? { skipTlsVerify: true } : {}),
      ...(typeof meta.Metadata?.Description === 'string' && meta.Metadata.Description !== '' ? { description: meta.Metadata.Description } : {}),
      ...(Object.keys(tlsFiles).length > 0 ? { tlsFiles } : {}),
    });
  }
  return facts;
}

/** Every engine this user has (nothing is connected to). */
export async function findEngines(place: Place = HERE()): Promise<Discovery> {
  const configDir = dockerConfigDir(place.env, place.home);
  const problems: string[] = [];
  let currentContext: string | undefined;
  try {
    const config = (await readJson(join(configDir, 'config.json'))) as { currentContext?: unknown };
    if (typeof config.currentContext === 'string' && config.currentContext !== '') currentContext = config.currentContext;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push(`${join(configDir, 'config.json')} cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
  const sockets = knownSockets(place.platform, place.home, place.env, place.uid);
  const [contexts, present] = await Promise.all([
    contextFacts(configDir, problems),
    // Pipes cannot be stat'ed like files: Windows' are always offered.
    Promise.all(sockets.map(async (s) => (s.path.startsWith('//') || (await stat(s.path).then(() => true, () => false)) ? s.path : undefined))),
  ]);
  return discoverEngines({
    env: place.env,
    platform: place.platform,
    home: place.home,
    ...(place.uid !== undefined ? { uid: place.uid } : {}),
    ...(currentContext !== undefined ? { currentContext } : {}),
    contexts,
    existingSockets: new Set(present.filter((p): p is string => p !== undefined)),
    problems,
  });
}

async function readTlsFile(path: string | undefined, what: string, candidate: EngineCandidate): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    // DOCKER_CERT_PATH's files are all expected; a context may lack some (docker then goes without).
    if (candidate.source === 'context' && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AppError('docker-unavailable', `The TLS ${what} of engine ${candidate.id} cannot be read: ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      hint: 'Check DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem) or the context\'s TLS files (docker context inspect)',
    });
  }
}

/**
 * An ssh:// engine: plain HTTP over the channels of one SSH connection per engine (ssh-agent.ts),
 * not docker-modem's ssh mode, which opens a connection per request.
 */
export function sshOptions(host: string): Docker.DockerOptions {
  return { protocol: 'http', host: 'docker', agent: sshAgentFor(host) } as Docker.DockerOptions;
}

/** How dockerode reaches a candidate; TLS files are read now. */
export async function dockerOptions(candidate: EngineCandidate): Promise<Docker.DockerOptions> {
  const host = candidate.host;
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('npipe://')) return { socketPath: host.slice('npipe://'.length).replace(/\//g, '\\') };
  if (host.startsWith('ssh://')) return sshOptions(host);
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  const tls = candidate.tls ?? (url.protocol === 'https:' ? { verify: true } : undefined);
  if (!tls) return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
  const [ca, cert, key] = await Promise.all([readTlsFile(tls.ca, 'CA', candidate), readTlsFile(tls.cert, 'certificate', candidate), readTlsFile(tls.key, 'key', candidate)]);
  return {
    host: url.hostname,
    port: Number(url.port || 2376),
    protocol: 'https',
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    // Not verifying the server (a context's SkipTLSVerify, DOCKER_TLS without _VERIFY): Node's
    // switch, on an agent of this engine's own; an agent's options win over a request's.
    ...(tls.verify ? {} : { agent: new Agent({ rejectUnauthorized: false, ...(cert ? { cert } : {}), ...(key ? { key } : {}) }) }),
  };
}

/** A local socket that is not there: said without a connection attempt. */
export async function absentSocket(candidate: EngineCandidate): Promise<boolean> {
  return candidate.host.startsWith('unix://') && !(await exists(candidate.host.slice('unix://'.length)));
}
