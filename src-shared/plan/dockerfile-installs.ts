// What a Dockerfile fetches while it builds: the packages its RUN steps install with a package
// manager, and whether anything else downloads (curl, wget, git clone, pip, ADD of a URL). The
// plan reads it for the builder's Dockerfile and a source Dockerfile: such a build needs the
// network unless its image is already here.

export type PackageManager = 'apt' | 'dnf' | 'zypper' | 'apk';

export interface DockerfileInstall {
  readonly manager: PackageManager;
  /** Package names as written; words with a shell variable in them are left out (known at build time only). */
  readonly names: ReadonlyArray<string>;
}

export interface DockerfileFetches {
  readonly installs: ReadonlyArray<DockerfileInstall>;
  /** Other downloads, as the command that makes them ("curl", "ADD https://…"). */
  readonly downloads: ReadonlyArray<string>;
}

/** Commands that take package names, by the manager they belong to. */
const INSTALL_COMMANDS: ReadonlyArray<{ readonly manager: PackageManager; readonly pattern: RegExp }> = [
  { manager: 'apt', pattern: /^(?:apt-get|apt)$/ },
  { manager: 'dnf', pattern: /^(?:dnf|yum|microdnf|tdnf)$/ },
  { manager: 'zypper', pattern: /^zypper$/ },
  { manager: 'apk', pattern: /^apk$/ },
];
const INSTALL_VERBS: Readonly<Record<PackageManager, ReadonlyArray<string>>> = {
  apt: ['install', 'download'],
  dnf: ['install'],
  zypper: ['install', 'in'],
  apk: ['add'],
};
const DOWNLOADERS = ['curl', 'wget', 'pip', 'pip3'];

/** The shell words of one command, quotes removed (good enough for package lists). */
function words(command: string): string[] {
  return command
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/^["']|["']$/g, ''));
}

/** A RUN step's commands: split at ;, && and || and |, leading VAR=value assignments dropped. */
function commands(run: string): string[][] {
  return run
    .split(/;|&&|\|\|?/)
    .map(words)
    .map((w) => {
      let i = 0;
      while (i < w.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w[i]!)) i++;
      return w.slice(i);
    })
    .filter((w) => w.length > 0);
}

function installOf(command: ReadonlyArray<string>): DockerfileInstall | undefined {
  const tool = command[0]!.replace(/^.*\//, '');
  const known = INSTALL_COMMANDS.find((c) => c.pattern.test(tool));
  if (!known) return undefined;
  const rest = command.slice(1);
  const verb = rest.findIndex((w) => !w.startsWith('-'));
  if (verb < 0 || !INSTALL_VERBS[known.manager].includes(rest[verb]!)) return undefined;
  const names = rest.slice(verb + 1).filter((w) => !w.startsWith('-') && !w.includes('$') && !w.startsWith('/') && !w.endsWith('.deb') && !w.endsWith('.rpm'));
  return { manager: known.manager, names };
}

export function dockerfileFetches(text: string): DockerfileFetches {
  const installs: DockerfileInstall[] = [];
  const downloads: string[] = [];
  // Continuation lines are joined first: a package list usually spans many.
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const add = /^\s*ADD\s+(?:--\S+\s+)*(https?:\/\/\S+)/i.exec(line);
    if (add) {
      downloads.push(`ADD ${add[1]}`);
      continue;
    }
    const run = /^\s*RUN\s+(?:--\S+\s+)*(.*)$/i.exec(line);
    if (!run) continue;
    for (const command of commands(run[1]!)) {
      const install = installOf(command);
      if (install) {
        const same = installs.find((i) => i.manager === install.manager);
        // One list per manager, each name once: a second install step adds to it.
        if (same) installs[installs.indexOf(same)] = { manager: same.manager, names: [...new Set([...same.names, ...install.names])] };
        else installs.push(install);
        continue;
      }
      const tool = command[0]!.replace(/^.*\//, '');
      const git = tool === 'git' && command[1] === 'clone';
      if ((DOWNLOADERS.includes(tool) || git) && !downloads.includes(git ? 'git clone' : tool)) downloads.push(git ? 'git clone' : tool);
    }
  }
  return { installs, downloads };
}

/** The build fetches something: it needs the network unless its image is here. */
export function fetchesAnything(fetches: DockerfileFetches): boolean {
  return fetches.installs.length > 0 || fetches.downloads.length > 0;
}
