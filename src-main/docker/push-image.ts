// Pushes the kairosified image to its registry with the credentials `docker login` stored for it
// (~/.docker/config.json, or the credential helper it names), with byte progress. Credentials are
// passed to the engine only; they are never logged.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { execa } from 'execa';
import { AppError } from '../../src-shared/errors/app-error.js';
import { DOCKER_HUB, registryHost } from '../../src-shared/util/image-ref.js';
import type { JobContext } from '../jobs/job-context.js';
import { cancelledError } from '../jobs/job-context.js';
import { engineLost, engineMessage } from './docker-engine.js';
import { followLayerProgress } from './layer-progress.js';

export interface RegistryAuth {
  readonly username: string;
  readonly password: string;
  readonly serveraddress: string;
}

interface DockerConfig {
  readonly auths?: Record<string, { readonly auth?: string; readonly identitytoken?: string }>;
  readonly credsStore?: string;
  readonly credHelpers?: Record<string, string>;
}

/** The keys Docker's config may file a registry's credentials under. */
function configKeys(host: string): string[] {
  return host === DOCKER_HUB ? ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io'] : [host, `https://${host}`, `http://${host}`];
}

/**
 * The credentials `docker login` stored for the registry of `ref`, or undefined (anonymous).
 * Reads $DOCKER_CONFIG/config.json; asks docker-credential-<helper> when one is configured.
 */
export async function registryAuth(ref: string, configDir = process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker')): Promise<RegistryAuth | undefined> {
  const host = registryHost(ref);
  const text = await readFile(join(configDir, 'config.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let config: DockerConfig;
  try {
    config = JSON.parse(text) as DockerConfig;
  } catch {
    throw new AppError('push-failed', `${join(configDir, 'config.json')} is not valid JSON`, { hint: 'Fix or remove it, then `docker login` again' });
  }
  const keys = configKeys(host);
  const helper = keys.map((k) => config.credHelpers?.[k]).find((h) => h !== undefined) ?? config.credsStore;
  if (helper) {
    for (const key of keys) {
      const got = await execa(`docker-credential-${helper}`, ['get'], { input: key, reject: false });
      if (got.exitCode === 0) {
        const creds = JSON.parse(got.stdout) as { Username?: string; Secret?: string };
        if (creds.Username !== undefined && creds.Secret !== undefined) return { username: creds.Username, password: creds.Secret, serveraddress: key };
      }
    }
  }
  for (const key of keys) {
    const entry = config.auths?.[key];
    if (!entry?.auth) continue;
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), serveraddress: key };
  }
  return undefined;
}

export async function pushImage(docker: Docker, tag: string, ctx: JobContext): Promise<void> {
  const auth = await registryAuth(tag);
  ctx.log('kairosify', `Pushing ${tag} to ${registryHost(tag)}${auth ? ` as ${auth.username}` : ' (no stored login: anonymous)'}`);
  const meter = ctx.meter('kairosify', 'push', 'bytes');
  try {
    // The engine wants the auth header even for an anonymous push: an empty one is "no login".
    const stream = (await docker.getImage(tag).push({ authconfig: auth ?? {}, abortSignal: ctx.signal })) as unknown as Readable;
    await followLayerProgress(stream, meter);
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    const lost = engineLost(error);
    if (lost) throw lost;
    const reason = engineMessage(error);
    throw new AppError('push-failed', `Could not push ${tag}: ${reason}`, {
      hint: /denied|unauthorized|authentication/i.test(reason)
        ? `Log in first: \`docker login ${registryHost(tag)}\``
        : 'Check the registry address in the recipe (registry) and that the registry is reachable',
      cause: error,
    });
  }
  meter.finish('pushed');
  ctx.log('kairosify', `Pushed ${tag}`);
}
