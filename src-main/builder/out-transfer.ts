// Files between this machine and a builder container through the engine's API (tar streams), for
// an engine on another machine where a bind mount would name that machine's folders: a finished
// artifact comes back with getArchive, streamed into the local output folder with its progress
// (bytes, speed); a local file or folder goes in with putArchive.
import { basename, dirname } from 'node:path';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Docker from 'dockerode';
import { extract, pack } from 'tar-fs';
import { formatBytes } from '../../src-shared/util/format.js';

/** Where a transfer reports: a byte meter per file, and one line when it is done. */
export interface TransferReport {
  meter(step: string, total: number | undefined): { update(done: number): void; finish(message?: string): void };
  log(line: string): void;
}

/**
 * Copies the file or folder `from` (in the container) to `to` on this machine; `to` may have
 * another name. Entries outside `from` are refused, so a tar from the engine cannot write
 * elsewhere. Resolves with the bytes received.
 */
export async function fetchFromContainer(
  container: Docker.Container,
  from: string,
  to: string,
  options: { readonly signal: AbortSignal; readonly total?: number; readonly report?: TransferReport },
): Promise<number> {
  const source = posix.basename(from);
  const target = basename(to);
  const started = performance.now();
  const meter = options.report?.meter(`download ${target}`, options.total);
  const tar = (await container.getArchive({ path: from, abortSignal: options.signal } as { path: string })) as unknown as Readable;
  let bytes = 0;
  tar.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    meter?.update(options.total !== undefined ? Math.min(bytes, options.total) : bytes);
  });
  await pipeline(
    tar,
    extract(dirname(to), {
      // Files belong to whoever runs the build, as with a local engine's /out.
      ...({ chown: false } as object),
      map: (header) => {
        if (header.name !== source && !header.name.startsWith(`${source}/`)) throw new Error(`unexpected entry ${header.name} in the archive of ${from}`);
        header.name = target + header.name.slice(source.length);
        return header;
      },
    }),
    { signal: options.signal },
  );
  const seconds = (performance.now() - started) / 1000;
  meter?.finish();
  // The size is the content's (du), the speed the stream's (tar headers included).
  options.report?.log(`Downloaded ${target}: ${formatBytes(options.total ?? bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / Math.max(seconds, 0.001))}/s)`);
  return bytes;
}

/** Puts the local file or folder `from` at `to` in the container (its folder must exist). */
export async function uploadToContainer(container: Docker.Container, from: string, to: string, signal: AbortSignal): Promise<void> {
  const source = basename(from);
  const target = posix.basename(to);
  const tar = pack(dirname(from), {
    entries: [source],
    dereference: true,
    map: (header) => {
      header.name = target + header.name.slice(source.length);
      return header;
    },
  }) as unknown as Readable;
  await container.putArchive(tar as unknown as NodeJS.ReadableStream, { path: posix.dirname(to), abortSignal: signal } as { path: string });
}
