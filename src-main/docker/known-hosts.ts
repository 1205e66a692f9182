// Checking an SSH server's host key against known_hosts, the way OpenSSH does for the lines we
// meet in practice: plain and hashed (|1|salt|hash) host names, [host]:port for other ports than
// 22, comma lists, * and ? wildcards, !negation and @revoked. @cert-authority lines are not
// supported (such hosts read as unknown). Pure but for the hash, so the rules have their tests.
import { createHmac } from 'node:crypto';

export interface KnownKey {
  readonly type: string;
  /** The key blob, as the server sends it. */
  readonly key: Buffer;
  readonly revoked: boolean;
}

/** How known_hosts names a host: the name alone on port 22, else [name]:port. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcard(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return wildcard(pattern, name);
}

/** A line's host field matches when one pattern does and no negated one does. */
function hostsMatch(field: string, name: string): boolean {
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (patternMatches(pattern.slice(1), name)) return false;
    } else if (patternMatches(pattern, name)) matched = true;
  }
  return matched;
}

/** The keys known_hosts text holds for a host name (from knownHostName). */
export function knownKeys(text: string, name: string): KnownKey[] {
  const keys: KnownKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') ? fields.shift() : undefined;
    if (marker === '@cert-authority') continue;
    const [hosts, type, blob] = fields;
    if (!hosts || !type || !blob || !hostsMatch(hosts, name)) continue;
    keys.push({ type, key: Buffer.from(blob, 'base64'), revoked: marker === '@revoked' });
  }
  return keys;
}

export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

/** What known_hosts says of the key a server showed. */
export function hostKeyVerdict(known: ReadonlyArray<KnownKey>, shown: Buffer): HostKeyVerdict {
  if (known.some((k) => k.revoked && k.key.equals(shown))) return 'revoked';
  const trusted = known.filter((k) => !k.revoked);
  if (trusted.some((k) => k.key.equals(shown))) return 'known';
  return trusted.length === 0 ? 'unknown' : 'changed';
}

/** The host-key algorithms to ask for: those of the known keys (RSA keys sign with SHA-2 too). */
export function hostKeyAlgorithms(known: ReadonlyArray<KnownKey>): string[] {
  const out: string[] = [];
  for (const k of known) {
    if (k.revoked) continue;
    const algos = k.type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [k.type];
    for (const a of algos) if (!out.includes(a)) out.push(a);
  }
  return out;
}
