// One folder of the engine's machine as the web shell's file browser shows it: sub-folders and
// regular files, names, sizes and dates only (never a byte of content). Hidden entries (dot names:
// ~/.ssh, ~/.gnupg, ~/.config), private key files and the app's own data folder (its settings, the
// saved recipes, history; where builds write excepted) are left out, so the browser offers images, not secrets.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { FolderEntry, FolderListing } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';

/** A folder with more entries is cut: the browser is for finding an image, not for listing /usr/lib. */
export const MAX_ENTRIES = 2000;

/** Names that hold private keys: never offered, even in a folder the user opens on purpose. */
const SECRET_NAME = /\.(key|pem|p12|pfx|gpg|asc)$|^id_(rsa|dsa|ecdsa|ed25519)$|^(token|secrets?)(\.|$)/i;

const inside = (path: string, folder: string): boolean => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

export interface ListOptions {
  /** The app's data folder: never listed, and left out of its parent's listing. */
  readonly dataDir: string;
  /** Where builds write: browsable even when it lies inside the data folder. */
  readonly outputRoot?: string | undefined;
  /** Lowercase extensions without the dot ("iso", "img.xz" is matched by "xz"); folders always show. */
  readonly extensions?: ReadonlyArray<string> | undefined;
}

export async function listFolder(folder: string, options: ListOptions): Promise<FolderListing> {
  const path = resolve(folder);
  const dataDir = resolve(options.dataDir);
  const outputs = options.outputRoot !== undefined && inside(path, resolve(options.outputRoot));
  if (inside(path, dataDir) && !outputs) {
    throw new AppError('permission-denied', `${path} is Kairos Factory's own data folder (settings, saved recipes, history): it is not browsed`, {
      hint: 'Open the folder that holds your image',
    });
  }
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new AppError('folder-missing', `The folder ${path} does not exist`, { hint: 'Check the path, or go up to a folder that exists' });
  if (!info.isDirectory()) throw new AppError('bad-request', `${path} is a file, not a folder`, { hint: 'Give the folder that holds it' });
  const names = await readdir(path).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('permission-denied', `The folder ${path} cannot be read (${error.code ?? error.message})`, { hint: 'Pick a folder your user can read' });
  });
  const wanted = options.extensions?.map((e) => e.toLowerCase());
  const entries: FolderEntry[] = [];
  for (const name of names.filter((n) => !n.startsWith('.')).sort((a, b) => a.localeCompare(b))) {
    const full = join(path, name);
    if (full === dataDir) continue;
    // stat follows links: a link to an image is offered as the image; sockets, FIFOs and devices are not.
    const entry = await stat(full).catch(() => undefined);
    if (entry?.isDirectory()) entries.push({ name, path: full, kind: 'folder', modified: entry.mtime.toISOString() });
    else if (entry?.isFile() && !SECRET_NAME.test(name) && (!wanted || wanted.some((e) => name.toLowerCase().endsWith(`.${e}`)))) {
      entries.push({ name, path: full, kind: 'file', size: entry.size, modified: entry.mtime.toISOString() });
    }
  }
  entries.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'folder' ? -1 : 1));
  const parent = dirname(path);
  return {
    folder: path,
    ...(parent !== path ? { parent } : {}),
    separator: sep,
    entries: entries.slice(0, MAX_ENTRIES),
    ...(entries.length > MAX_ENTRIES ? { truncated: true } : {}),
  };
}
