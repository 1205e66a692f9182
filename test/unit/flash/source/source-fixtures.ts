// Real images for the source tests: 3 MiB of reproducible bytes shaped like a disk (text-like
// runs, incompressible stretches, zero runs), compressed with the system tools.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';

export const IMAGE_SIZE = 3 * 1024 * 1024;

/** xorshift32: the same bytes on every machine. */
function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export function imageBytes(size = IMAGE_SIZE, seed = 12345): Buffer {
  const bytes = Buffer.alloc(size);
  const next = generator(seed);
  const words = ['kairos', 'boot', 'grub', 'efi', 'linux', 'root', 'init', 'ext4', '0000', '\n', '  ', '/usr/lib/'];
  for (let block = 0; block < size; block += 4096) {
    const end = Math.min(block + 4096, size);
    const kind = next() % 20;
    if (kind < 3) {
      for (let i = block; i < end; i++) bytes[i] = next() & 255;
    } else if (kind < 15) {
      let i = block;
      while (i < end) {
        const word = words[next() % words.length]!;
        i += bytes.write(word, i, Math.min(word.length, end - i));
        if (next() % 5 === 0 && i < end) bytes[i++] = next() & 255;
      }
    } // else: a 4 KiB run of zeros
  }
  return bytes;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kf-source-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export type Kind = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'zip';

/** Compresses `image` with the system tool into `out` (any name: detection ignores it). */
export async function compress(kind: Kind, image: string, out: string): Promise<string> {
  const command: Record<Exclude<Kind, 'zip'>, [string, string[]]> = {
    gzip: ['gzip', ['-c', image]],
    xz: ['xz', ['-T2', '--block-size=1MiB', '-c', image]],
    zstd: ['zstd', ['-q', '-c', image]],
    bzip2: ['bzip2', ['-c', image]],
  };
  if (kind === 'zip') {
    await execa('zip', ['-q', '-j', `${out}.tmp.zip`, image]);
    await execa('mv', [`${out}.tmp.zip`, out]);
    return out;
  }
  const [tool, args] = command[kind];
  const { stdout } = await execa(tool, args, { encoding: 'buffer', stripFinalNewline: false });
  await writeFile(out, stdout);
  return out;
}

/** A copy without its last 10%. */
export async function truncated(path: string): Promise<string> {
  const bytes = await readFile(path);
  const out = `${path}.cut`;
  await writeFile(out, bytes.subarray(0, Math.floor(bytes.length * 0.9)));
  return out;
}

/** A copy with its middle byte flipped. */
export async function corrupted(path: string): Promise<string> {
  const bytes = await readFile(path);
  const middle = bytes.length >> 1;
  bytes[middle] = bytes[middle]! ^ 0x55;
  const out = `${path}.bad`;
  await writeFile(out, bytes);
  return out;
}

/** All of a stream's bytes, hashed; rejects with the stream's error. */
export async function drain(stream: Readable): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** The error a stream fails with (fails the test when it ends cleanly). */
export async function streamError(stream: Readable): Promise<Error & { code?: string }> {
  try {
    await drain(stream);
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('the stream ended without an error');
}

/** Child processes of `pid` from /proc, zombies included (state "Z"). */
export async function childrenOf(pid: number): Promise<Array<{ pid: number; name: string; state: string }>> {
  const found: Array<{ pid: number; name: string; state: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state = '', ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === pid) found.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close), state });
  }
  return found;
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return check();
}
