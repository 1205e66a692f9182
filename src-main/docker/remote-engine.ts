// Where the connected engine is (engine-location.ts has the rule), read from how dockerode was
// told to reach it, and the SSH connection's lines for a build's log.
import type Docker from 'dockerode';
import { engineLocation } from '../../src-shared/docker/engine-location.js';
import { SshEngineAgent } from './ssh-agent.js';

interface ModemFields {
  readonly socketPath?: unknown;
  readonly host?: string;
  readonly port?: string | number;
  readonly protocol?: string;
  readonly agent?: unknown;
}

/** The engine's address as engineLocation reads it. */
export function engineEndpoint(docker: Docker): string | undefined {
  const modem = docker.modem as unknown as ModemFields;
  if (modem.agent instanceof SshEngineAgent) return `ssh://${modem.agent.label}`;
  if (modem.protocol === 'ssh') return `ssh://${modem.host ?? ''}`;
  if (typeof modem.socketPath === 'string') return modem.socketPath;
  if (modem.host) return `tcp://${modem.host}${modem.port ? `:${modem.port}` : ''}`;
  // docker-modem's default socket (a function that finds it).
  return undefined;
}

/** The engine is on another machine (or KF_REMOTE_ENGINE=1 says to treat it so). */
export function engineIsRemote(docker: Docker, env: NodeJS.ProcessEnv = process.env): boolean {
  return engineLocation(engineEndpoint(docker), env.KF_REMOTE_ENGINE) === 'remote';
}

/**
 * Sends an SSH engine's lines ("ssh: connected to …") to `log` until the returned function is
 * called, which logs the count ("ssh: 1 connection, N requests"). Nothing for other engines.
 */
export function logEngineLink(docker: Docker, log: (line: string) => void): () => void {
  const agent = (docker.modem as unknown as ModemFields).agent;
  if (!(agent instanceof SshEngineAgent)) return () => undefined;
  const unsubscribe = agent.onLine(log);
  return () => {
    unsubscribe();
    log(agent.summary());
  };
}
