// /etc/os-release parsing and OS family detection: the family comes from what the base image says
// it is, never from its name.

export const OS_FAMILIES = ['debian', 'ubuntu', 'fedora', 'rhel', 'opensuse', 'alpine'] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];

export interface OsRelease {
  readonly id: string;
  readonly idLike: ReadonlyArray<string>;
  readonly versionId: string;
  readonly versionCodename: string;
  readonly prettyName: string;
}

/** Parses the os-release(5) format: KEY=value lines, values optionally quoted, # comments. */
export function parseOsRelease(text: string): OsRelease {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    fields.set(line.slice(0, eq), unquote(line.slice(eq + 1)));
  }
  return {
    id: (fields.get('ID') ?? '').toLowerCase(),
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    versionId: fields.get('VERSION_ID') ?? '',
    versionCodename: fields.get('VERSION_CODENAME') ?? '',
    prettyName: fields.get('PRETTY_NAME') ?? fields.get('NAME') ?? '',
  };
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    return v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  }
  return v;
}

const BY_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  raspbian: 'debian',
  ubuntu: 'ubuntu',
  fedora: 'fedora',
  rhel: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  centos: 'rhel',
  ol: 'rhel',
  'opensuse-leap': 'opensuse',
  'opensuse-tumbleweed': 'opensuse',
  opensuse: 'opensuse',
  sles: 'opensuse',
  alpine: 'alpine',
};

/** The family of an os-release, or undefined when it is none we support. */
export function detectFamily(release: OsRelease): OsFamily | undefined {
  const direct = BY_ID[release.id];
  if (direct) return direct;
  for (const like of release.idLike) {
    if (like === 'ubuntu') return 'ubuntu';
    const family = BY_ID[like];
    if (family) return family;
  }
  return undefined;
}
