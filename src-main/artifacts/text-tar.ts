// Small text files for the builder, as one tar stream (putArchive unpacks it in place).
import type { Readable } from 'node:stream';
import { pack } from 'tar-stream';

export function textTar(files: ReadonlyArray<readonly [string, string]>, mode = 0o644): Readable {
  const tar = pack();
  for (const [name, content] of files) tar.entry({ name, mode, mtime: new Date(0) }, content);
  tar.finalize();
  return tar as unknown as Readable;
}
