// Reading a file out of an image without running it: create a container (never started), fetch
// the file with the archive API, remove the container. Works for any arch and for images
// without a shell.
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { extract } from 'tar-stream';
import { parseOsRelease, type OsRelease } from '../../src-shared/kairosify/os-release.js';
import { AppError } from '../../src-shared/errors/app-error.js';

export const LABEL_JOB = 'io.kairos-factory.job';

export async function withCreatedContainer<T>(
  docker: Docker,
  image: string,
  jobId: string,
  work: (container: Docker.Container) => Promise<T>,
): Promise<T> {
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['/bin/true'],
    Labels: { [LABEL_JOB]: jobId },
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    return await work(container);
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

type Entry = { kind: 'file'; content: Buffer } | { kind: 'link'; target: string } | undefined;

async function readEntry(container: Docker.Container, path: string): Promise<Entry> {
  let stream: Readable;
  try {
    stream = (await container.getArchive({ path })) as unknown as Readable;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
  return new Promise<Entry>((resolve, reject) => {
    const tar = extract();
    let found: Entry;
    tar.on('entry', (header, body, next) => {
      if (header.type === 'symlink' && found === undefined) {
        found = { kind: 'link', target: header.linkname ?? '' };
        body.resume();
        body.on('end', next);
        return;
      }
      const chunks: Buffer[] = [];
      body.on('data', (c: unknown) => chunks.push(c as Buffer));
      body.on('end', () => {
        if (found === undefined && header.type === 'file') found = { kind: 'file', content: Buffer.concat(chunks) };
        next();
      });
    });
    tar.on('finish', () => resolve(found));
    tar.on('error', reject);
    stream.on('error', reject);
    stream.pipe(tar);
  });
}

/** A file's content, following symlinks inside the image (at most 8 hops). */
export async function readImageFile(container: Docker.Container, path: string): Promise<Buffer | undefined> {
  let current = path;
  for (let hop = 0; hop < 8; hop++) {
    const entry = await readEntry(container, current);
    if (!entry) return undefined;
    if (entry.kind === 'file') return entry.content;
    current = entry.target.startsWith('/') ? entry.target : posix.join(posix.dirname(current), entry.target);
  }
  return undefined;
}

export async function imageOsRelease(docker: Docker, image: string, jobId: string): Promise<OsRelease> {
  return withCreatedContainer(docker, image, jobId, async (container) => {
    const text = (await readImageFile(container, '/etc/os-release')) ?? (await readImageFile(container, '/usr/lib/os-release'));
    if (!text) {
      throw new AppError('unsupported-family', `Image "${image}" has no /etc/os-release, so its distribution is unknown`, {
        hint: 'Use a base image of a Linux distribution (Debian, Ubuntu, Fedora, Rocky, openSUSE, Alpine)',
      });
    }
    return parseOsRelease(text.toString('utf8'));
  });
}
