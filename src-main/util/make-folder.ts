// mkdir -p that fails with the file system's real reason. Node's recursive mkdir reports ENOENT
// when a folder cannot be made on a read-only file system (EROFS) and in other cases; the user
// must hear "read-only", not "does not exist".
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export async function makeFolder(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // Down from the deepest folder that exists, one level at a time: the first refusal is the true one.
  const missing: string[] = [];
  for (let at = resolve(path); ; at = dirname(at)) {
    if (await stat(at).then(() => true, () => false)) break;
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
