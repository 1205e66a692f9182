// What an artifact step writes into the output folder goes under a ".partial" name until it is
// complete: hashed, its <file>.sha256 written, then both renamed into place. When the step fails
// or is cancelled, every partial it made is removed (after the builder has stopped writing), so
// the folder never holds a half-written artifact or one without its checksum.
// With a remote engine the partial is made in the builder's own /out: fetch() brings it here (its
// SHA-256 compared with the builder's) before it is hashed and placed, and the builder's copy takes
// its final name too, so later steps (the VHD from the EFI disk) find it as with a bind mount.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import type { BuilderSession } from '../builder/builder-session.js';
import { makeFolder } from '../util/make-folder.js';
import { sha256File } from './checksum.js';

export interface PartialPaths {
  /** On this machine. */
  readonly host: string;
  /** In the builder container (the output folder is /out there). */
  readonly builder: string;
}

export class OutputFiles {
  private readonly pending = new Set<string>();
  /** Partials already brought from a remote builder. */
  private readonly fetched = new Set<string>();

  constructor(
    private readonly session: BuilderSession | undefined,
    readonly outputDir: string,
    private readonly signal: AbortSignal,
  ) {}

  /** `<name>.partial` in the output folder, removed again unless published or placed. */
  partial(name: string): PartialPaths {
    const host = join(this.outputDir, `${name}.partial`);
    this.pending.add(host);
    return { host, builder: `/out/${name}.partial` };
  }

  private get remote(): boolean {
    return this.session?.remote === true;
  }

  /** An empty `<name>.partial` folder, here and (remote engine) in the builder. */
  async folder(name: string): Promise<PartialPaths> {
    const paths = this.partial(name);
    await rm(paths.host, { recursive: true, force: true });
    await makeFolder(paths.host);
    if (this.remote) await this.session?.run(['sh', '-c', 'rm -rf "$1" && mkdir -p "$1"', 'sh', paths.builder], { what: `prepare ${paths.builder}` });
    return paths;
  }

  /**
   * Remote engine: brings `<name>.partial` (file or folder) from the builder into the output
   * folder, once; a file's SHA-256 here must be the builder's. Nothing to do with a local engine.
   */
  async fetch(name: string): Promise<void> {
    const session = this.session;
    if (!session?.remote || this.fetched.has(name)) return;
    const partial = `${name}.partial`;
    const expected = await session.sha256(`/out/${partial}`);
    if (expected === undefined) await rm(join(this.outputDir, partial), { recursive: true, force: true });
    await session.pullOut(partial);
    if (expected !== undefined) {
      const actual = await sha256File(join(this.outputDir, partial), this.signal);
      if (actual !== expected) {
        throw new AppError('artifact-failed', `${name} arrived changed from the engine (SHA-256 ${actual.slice(0, 12)}… here, ${expected.slice(0, 12)}… there)`, {
          hint: 'Build again; if it repeats, check the connection to the engine',
        });
      }
    }
    this.fetched.add(name);
  }

  /** Remote engine: the builder's copy of a partial takes its final name too. */
  private async placeInBuilder(name: string): Promise<void> {
    if (this.remote) await this.session?.run(['mv', '-f', `/out/${name}.partial`, `/out/${name}`], { what: `place /out/${name}` });
  }

  /** A partial the step moved into place itself (or removed): nothing to clean up any more. */
  forget(name: string): void {
    this.pending.delete(join(this.outputDir, `${name}.partial`));
  }

  /** Renames `<name>.partial` to `<name>`, without a checksum (a side file such as a .bmap). */
  async place(name: string): Promise<string> {
    const final = join(this.outputDir, name);
    await this.fetch(name);
    await rename(join(this.outputDir, `${name}.partial`), final);
    await this.placeInBuilder(name);
    this.forget(name);
    return final;
  }

  /**
   * Hashes a finished `<name>.partial`, writes `<name>.sha256`, and moves them into place, with
   * side files made beside it (`<name>.bmap.partial` for side file "bmap") just before.
   */
  async publish(kind: string, name: string, sideFiles: ReadonlyArray<string> = []): Promise<ArtifactInfo> {
    const partial = join(this.outputDir, `${name}.partial`);
    const final = join(this.outputDir, name);
    await this.fetch(name);
    const [sha256, info] = await Promise.all([sha256File(partial, this.signal), stat(partial)]);
    const sum = this.partial(`${name}.sha256`);
    await writeFile(sum.host, `${sha256}  ${basename(final)}\n`);
    for (const side of sideFiles) await this.place(`${name}.${side}`);
    await rename(partial, final);
    await this.placeInBuilder(name);
    this.forget(name);
    await rename(sum.host, join(this.outputDir, `${name}.sha256`));
    this.forget(`${name}.sha256`);
    return { kind, path: final, size: info.size, sha256 };
  }

  /**
   * Removes every partial still there. After a cancel the builder is stopped first: its tools
   * must not write again into a file that was just removed.
   */
  async discard(): Promise<void> {
    if (this.signal.aborted) await this.session?.close();
    // A remote builder's partials go too (it may make more artifacts in this job).
    if (this.remote && !this.signal.aborted && this.pending.size > 0) {
      const names = [...this.pending].map((path) => `/out/${path.slice(this.outputDir.length + 1)}`);
      await this.session?.run(['rm', '-rf', ...names], { what: 'remove partial files' }).catch(() => undefined);
    }
    for (const path of this.pending) {
      await rm(path, { recursive: true, force: true }).catch(async () => {
        // A folder this user may not change, written by the builder's root: the builder can.
        const builderPath = `/out/${path.slice(this.outputDir.length + 1)}`;
        if (!this.signal.aborted) await this.session?.run(['rm', '-rf', builderPath], { what: 'remove a partial file' }).catch(() => undefined);
      });
    }
    this.pending.clear();
  }
}

/** Runs an artifact step with its output files; on failure or cancel (or if forgotten), its partials are removed. */
export async function withOutputFiles<T>(
  session: BuilderSession | undefined,
  outputDir: string,
  signal: AbortSignal,
  work: (files: OutputFiles) => Promise<T>,
): Promise<T> {
  const files = new OutputFiles(session, outputDir, signal);
  try {
    const result = await work(files);
    await files.discard();
    return result;
  } catch (error) {
    await files.discard();
    throw error;
  }
}
