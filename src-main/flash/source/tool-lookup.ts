// Which decompressor programs this machine has. System tools are preferred (xz decodes blocks in
// parallel, all are faster than JS/WASM); the JS decoders are the fallback. Injectable, so tests
// can force the fallback on a machine that has the tools.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** The absolute path of a program, or undefined when it is not installed. */
export type ToolLookup = (name: string) => Promise<string | undefined>;

export async function findOnPath(name: string, pathVariable = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of pathVariable.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  return undefined;
}

const found = new Map<string, string>();

/** The default lookup: PATH. Found programs are remembered; a missing one is looked for again next
 *  time (it may have been installed since). */
export const systemTools: ToolLookup = async (name) => {
  const known = found.get(name);
  if (known !== undefined) return known;
  const path = await findOnPath(name);
  if (path !== undefined) found.set(name, path);
  return path;
};

/** A lookup that finds nothing: every decoder falls back to JS. */
export const noTools: ToolLookup = () => Promise.resolve(undefined);

/** The first of the programs that is installed, with its path. */
export async function firstTool(lookup: ToolLookup, names: ReadonlyArray<string>): Promise<{ name: string; path: string } | undefined> {
  for (const name of names) {
    const path = await lookup(name);
    if (path !== undefined) return { name, path };
  }
  return undefined;
}
