// Whether a Docker engine runs on this machine. It decides how files reach the builder: a local
// engine sees this machine's folders, so bind mounts work (and are the fastest way); a remote
// engine's bind mounts would name folders on its own host, so files travel through the API.
// Unix sockets and named pipes are local, ssh:// is remote, tcp:// is local only to a loopback
// address. KF_REMOTE_ENGINE=1 (or 0) forces the answer: for tests, and for a tcp:// port that is
// forwarded from another machine.

export type EngineLocation = 'local' | 'remote';

/** An engine as docker-modem is told to reach it: DOCKER_HOST's URL, or a socket path. */
export function engineLocation(endpoint: string | undefined, forced?: string): EngineLocation {
  if (forced === '1' || forced === 'true') return 'remote';
  if (forced === '0' || forced === 'false') return 'local';
  if (endpoint === undefined || endpoint === '') return 'local';
  // A bare path is a socket (or a Windows pipe such as //./pipe/docker_engine).
  if (endpoint.startsWith('/') || endpoint.startsWith('\\\\')) return 'local';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(endpoint)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'unix':
    case 'npipe':
      return 'local';
    case 'ssh':
      return 'remote';
    case 'tcp':
    case 'http':
    case 'https':
    case undefined: {
      // "host:port" without a scheme is tcp, as docker-modem reads it.
      const host = hostOf(scheme ? endpoint : `tcp://${endpoint}`);
      return host !== undefined && isLoopback(host) ? 'local' : 'remote';
    }
    default:
      // Something we do not know: the API alone works wherever the engine is.
      return 'remote';
  }
}

/** The host of scheme://[user@]host[:port][/path], IPv6 without its brackets. */
function hostOf(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(url);
  return m?.[1]?.replace(/^\[|\]$/g, '');
}

/** localhost, 127.0.0.0/8 and ::1 (URL hostnames keep IPv6 in brackets). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

export interface SshTarget {
  readonly user: string;
  readonly host: string;
  readonly port: number;
}

/**
 * ssh://user@host[:port] as DOCKER_HOST gives it. The user defaults to `defaultUser` (the local
 * login name, as ssh does); a path after the host is refused, since `docker system dial-stdio`
 * takes none.
 */
export function parseSshHost(url: string, defaultUser: string): SshTarget {
  const m = /^ssh:\/\/(?:([^@/]*)@)?(\[[^\]]*\]|[^:/]*)(?::([^/]*))?(\/.*)?$/i.exec(url);
  if (!m) throw new Error('DOCKER_HOST is not an ssh:// URL: write ssh://user@host or ssh://user@host:port');
  const [, userPart, hostPart = '', portPart, path] = m;
  // The user part is never repeated in a message: it could hold a password.
  if (userPart?.includes(':')) throw new Error('DOCKER_HOST must not carry a password: use a key (ssh-agent or ~/.ssh/id_*)');
  const host = hostPart.replace(/^\[|\]$/g, '');
  if (host === '') throw new Error('DOCKER_HOST names no host: write ssh://user@host or ssh://user@host:port');
  if (path !== undefined && path !== '/') throw new Error(`DOCKER_HOST=ssh://…${path}: a path is not supported, write ssh://user@host:port`);
  const port = portPart === undefined || portPart === '' ? 22 : Number(portPart);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`DOCKER_HOST: port ${portPart} is not a port number (1-65535)`);
  return { user: decodeURIComponent(userPart ?? '') || defaultUser, host, port };
}

/** user@host:port, as the log and the errors name the connection. */
export function sshTargetLabel(target: SshTarget): string {
  return `${target.user}@${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}
