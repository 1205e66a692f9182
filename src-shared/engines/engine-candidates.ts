// Which Docker engines a user has, from facts gathered elsewhere (src-main/docker/engine-discovery.ts
// reads the files): DOCKER_HOST, the Docker contexts (with the docker CLI's precedence) and the
// known sockets of Docker, rootless Docker, Docker Desktop, Podman, colima and Rancher Desktop.
// Pure, so every rule is tested on fixtures.

/** Where a candidate came from. */
export type EngineSource = 'DOCKER_HOST' | 'context' | 'socket' | 'chosen';

/** TLS for a tcp:// engine: file paths (read when connecting), and whether the server is verified. */
export interface EngineTls {
  readonly verify: boolean;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export interface EngineCandidate {
  /** What `--engine` and the engine setting name it by: a context's name, DOCKER_HOST, or the socket's kind. */
  readonly id: string;
  /** What the user reads ("Docker Desktop (Linux)", "context build-server"). */
  readonly label: string;
  readonly source: EngineSource;
  /** The endpoint: unix:///…, npipe:////./pipe/…, tcp://host:port or ssh://user@host. */
  readonly host: string;
  readonly tls?: EngineTls;
  /** The one the docker CLI would use here (DOCKER_HOST, else the current context). */
  readonly current?: boolean;
  /** A context whose endpoint is one of the known sockets: automatic tries it as it tries those. */
  readonly knownSocket?: boolean;
}

export interface DockerContextFact {
  readonly name: string;
  /** Endpoints.docker.Host; absent when the context has no docker endpoint. */
  readonly host?: string;
  readonly skipTlsVerify?: boolean;
  readonly description?: string;
  /** TLS files found in contexts/tls/<sha256 of the name>/docker/. */
  readonly tlsFiles?: { readonly ca?: string; readonly cert?: string; readonly key?: string };
}

export interface EngineFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: string;
  readonly home: string;
  readonly uid?: number;
  /** currentContext of config.json. */
  readonly currentContext?: string;
  readonly contexts: ReadonlyArray<DockerContextFact>;
  /** Which of knownSockets()' paths exist. */
  readonly existingSockets: ReadonlySet<string>;
  /** What went wrong reading the contexts (a meta.json that is not JSON), said to the user. */
  readonly problems?: ReadonlyArray<string>;
}

export interface Discovery {
  readonly candidates: ReadonlyArray<EngineCandidate>;
  /** The docker CLI's current context ("default" when DOCKER_HOST or nothing chose one). */
  readonly currentContext: string;
  readonly problems: ReadonlyArray<string>;
}

const join = (...parts: string[]): string => parts.join('/').replace(/\/+/g, '/');

/** The docker CLI's folder of config.json and contexts: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(env: EngineFacts['env'], home: string): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}

export interface KnownSocket {
  readonly id: string;
  readonly label: string;
  /** A file path (unix) or a pipe (Windows). */
  readonly path: string;
}

/** Where Docker and its look-alikes put their sockets, the system engine first. */
export function knownSockets(platform: string, home: string, env: EngineFacts['env'], uid?: number): KnownSocket[] {
  if (platform === 'win32') {
    return [
      { id: 'docker', label: 'Docker Desktop', path: '//./pipe/docker_engine' },
      { id: 'docker-desktop-linux', label: 'Docker Desktop (Linux engine)', path: '//./pipe/dockerDesktopLinuxEngine' },
      { id: 'podman', label: 'Podman machine', path: '//./pipe/podman-machine-default' },
    ];
  }
  const runtime = env.XDG_RUNTIME_DIR || (uid !== undefined ? `/run/user/${uid}` : undefined);
  return [
    { id: 'docker', label: 'Docker', path: '/var/run/docker.sock' },
    ...(runtime ? [{ id: 'rootless-docker', label: 'rootless Docker', path: join(runtime, 'docker.sock') }] : []),
    { id: 'docker-desktop', label: 'Docker Desktop (macOS)', path: join(home, '.docker', 'run', 'docker.sock') },
    { id: 'docker-desktop-linux', label: 'Docker Desktop (Linux)', path: join(home, '.docker', 'desktop', 'docker.sock') },
    ...(runtime ? [{ id: 'podman', label: 'Podman', path: join(runtime, 'podman', 'podman.sock') }] : []),
    { id: 'podman-root', label: 'Podman (root)', path: '/run/podman/podman.sock' },
    { id: 'colima', label: 'colima', path: join(home, '.colima', 'default', 'docker.sock') },
    { id: 'rancher-desktop', label: 'Rancher Desktop', path: join(home, '.rd', 'docker.sock') },
  ];
}

/** A socket or pipe path as an endpoint URL. */
export function socketHost(path: string): string {
  return path.startsWith('//') ? `npipe://${path}` : `unix://${path}`;
}

/** The docker CLI's current context: DOCKER_HOST means "default", then DOCKER_CONTEXT, then config.json. */
export function currentContextName(env: EngineFacts['env'], configCurrent?: string): string {
  if (env.DOCKER_HOST) return 'default';
  return env.DOCKER_CONTEXT || configCurrent || 'default';
}

/** TLS as the docker CLI takes it from the environment for a tcp:// host (any non-empty value counts, as there). */
export function envTls(env: EngineFacts['env'], home: string): EngineTls | undefined {
  const verify = Boolean(env.DOCKER_TLS_VERIFY);
  if (!verify && !env.DOCKER_TLS) return undefined;
  const dir = env.DOCKER_CERT_PATH || dockerConfigDir(env, home);
  return { verify, ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
}

const SCHEMES = ['unix', 'npipe', 'tcp', 'ssh', 'http', 'https'] as const;

/** Why an endpoint URL cannot be used, or undefined when it can. */
export function hostProblem(host: string): string | undefined {
  const scheme = /^([a-z]+):\/\//.exec(host)?.[1];
  if (!scheme || !(SCHEMES as ReadonlyArray<string>).includes(scheme)) {
    return `"${host}" is not an engine address: use unix:///path/docker.sock, tcp://host:2376, ssh://user@host or npipe:////./pipe/name`;
  }
  if (scheme === 'unix' || scheme === 'npipe') {
    return host.length > `${scheme}://`.length ? undefined : `"${host}" names no socket`;
  }
  // scheme://[user@]host[:port][/]: no URL class here (this module runs anywhere).
  const match = /^[a-z]+:\/\/(?:[^@/\s]+@)?(\[[0-9a-fA-F:.]+\]|[^:/@\s[\]]+)(?::(\d{1,5}))?\/?$/.exec(host);
  if (!match) return `"${host}" is not a valid address: ${scheme}://HOST[:PORT]`;
  return match[2] !== undefined && Number(match[2]) > 65535 ? `"${host}" has no valid port` : undefined;
}

function contextCandidate(context: DockerContextFact, current: boolean): EngineCandidate | undefined {
  if (!context.host) return undefined;
  const files = context.tlsFiles ?? {};
  const hasFiles = files.ca !== undefined || files.cert !== undefined || files.key !== undefined;
  // The docker CLI builds a TLS setup when the context stores TLS files or skips verification.
  const tls = hasFiles || context.skipTlsVerify ? { verify: !context.skipTlsVerify, ...files } : undefined;
  return {
    id: context.name,
    label: `context ${context.name}${context.description ? ` (${context.description})` : ''}`,
    source: 'context',
    host: context.host,
    ...(tls ? { tls } : {}),
    ...(current ? { current } : {}),
  };
}

/**
 * Every engine the user has, the docker CLI's own first: DOCKER_HOST, the contexts (the current one
 * first, then by name), then the known sockets that exist and no context already names.
 */
export function discoverEngines(facts: EngineFacts): Discovery {
  const { env, home } = facts;
  const problems = [...(facts.problems ?? [])];
  const current = currentContextName(env, facts.currentContext);
  const list: EngineCandidate[] = [];
  if (env.DOCKER_HOST) {
    const problem = hostProblem(env.DOCKER_HOST);
    if (problem) problems.push(`DOCKER_HOST: ${problem}`);
    else {
      const tls = env.DOCKER_HOST.startsWith('tcp://') ? envTls(env, home) : undefined;
      list.push({ id: 'DOCKER_HOST', label: `DOCKER_HOST=${env.DOCKER_HOST}`, source: 'DOCKER_HOST', host: env.DOCKER_HOST, ...(tls ? { tls } : {}), current: true });
    }
  }
  if (current !== 'default' && !facts.contexts.some((c) => c.name === current)) {
    const from = env.DOCKER_CONTEXT ? 'DOCKER_CONTEXT' : 'currentContext in config.json';
    problems.push(`${from} names the Docker context "${current}", which does not exist (docker context ls lists them)`);
  }
  const contexts = [...facts.contexts].sort((a, b) => Number(b.name === current) - Number(a.name === current) || a.name.localeCompare(b.name));
  for (const context of contexts) {
    if (context.name === 'default') continue;
    const candidate = contextCandidate(context, context.name === current);
    if (candidate) list.push(candidate);
    else problems.push(`Docker context "${context.name}" has no docker endpoint`);
  }
  const ids = new Set(list.map((c) => c.id));
  const sockets = knownSockets(facts.platform, home, env, facts.uid);
  // Sockets that exist; with none at all, the system engine's, so there is always one to name.
  const present = sockets.filter((s) => facts.existingSockets.has(s.path));
  for (const socket of present.length > 0 || list.length > 0 ? present : sockets.slice(0, 1)) {
    const host = socketHost(socket.path);
    // The system engine is the docker CLI's default context: listed even when a context names it too.
    const isDefault = socket.id === 'docker';
    const naming = list.findIndex((c) => c.host === host);
    if (naming >= 0 && !isDefault) {
      // A context for a known socket (Docker Desktop's desktop-linux): one entry, tried by automatic as the socket was.
      list[naming] = { ...list[naming]!, knownSocket: true };
      continue;
    }
    // A context may carry a socket's name (colima makes one called colima): the socket steps aside.
    const id = ids.has(socket.id) ? `socket:${socket.id}` : socket.id;
    ids.add(id);
    const isCurrent = isDefault && current === 'default' && !env.DOCKER_HOST;
    list.push({ id, label: `${socket.label} (${socket.path})`, source: 'socket', host, ...(isCurrent ? { current: true } : {}) });
  }
  return { candidates: list, currentContext: current, problems };
}

/**
 * What "automatic" tries, in order, the first that answers winning: DOCKER_HOST alone when set (as
 * the docker CLI does); else the current context, then the known sockets. Other contexts only when
 * chosen: they may be remote machines.
 */
export function automaticOrder(discovery: Discovery): EngineCandidate[] {
  const env = discovery.candidates.find((c) => c.source === 'DOCKER_HOST');
  if (env) return [env];
  // The current one, then the sockets in their order, then contexts that name a known socket.
  const rank = (c: EngineCandidate): number => (c.current ? 0 : c.source === 'socket' ? 1 : 2);
  return discovery.candidates.filter((c) => c.current || c.source === 'socket' || c.knownSocket).sort((a, b) => rank(a) - rank(b));
}

export const AUTOMATIC = 'automatic';

export type EngineChoice = { readonly kind: 'automatic' } | { readonly kind: 'one'; readonly candidate: EngineCandidate } | { readonly kind: 'unknown'; readonly message: string };

/**
 * The engine a user's choice (`--engine`, the engine setting) names: "automatic", a candidate's id,
 * or an endpoint URL (tcp:// takes TLS from the environment, as `docker -H` does).
 */
export function resolveChoice(choice: string | undefined, discovery: Discovery, env: EngineFacts['env'], home: string): EngineChoice {
  if (!choice || choice === AUTOMATIC) return { kind: 'automatic' };
  const byId = discovery.candidates.find((c) => c.id === choice);
  if (byId) return { kind: 'one', candidate: byId };
  if (/^[a-z]+:\/\//.test(choice)) {
    const problem = hostProblem(choice);
    if (problem) return { kind: 'unknown', message: problem };
    const known = discovery.candidates.find((c) => c.host === choice && c.source === 'socket') ?? discovery.candidates.find((c) => c.host === choice);
    if (known) return { kind: 'one', candidate: known };
    const tls = choice.startsWith('tcp://') ? envTls(env, home) : undefined;
    return { kind: 'one', candidate: { id: choice, label: choice, source: 'chosen', host: choice, ...(tls ? { tls } : {}) } };
  }
  const names = discovery.candidates.map((c) => c.id);
  return {
    kind: 'unknown',
    message: `no engine named "${choice}" here (${names.length > 0 ? `known: ${names.join(', ')}` : 'none found'}); give one of those, "automatic", or an address such as unix:///var/run/docker.sock`,
  };
}
