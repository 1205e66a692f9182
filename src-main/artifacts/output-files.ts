// What an artifact step writes into the output folder goes under a ".partial" name until it is
// complete: hashed, its <file>.sha256 written, then both renamed into place. When the step fails
// or is cancelled, every partial it made is removed (after the builder has stopped writing), so
// the folder never holds a half-written artifact or one without its checksum.
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ArtifactInfo } from '../../src-shared/jobs/job-events.js';
import type { BuilderSession } from '../builder/builder-session.js';
import { sha256File } from './checksum.js';

export interface PartialPaths {
  /** On this machine. */
  readonly host: string;
  /** In the builder container (the output folder is /out there). */
  readonly builder: string;
}

export class OutputFiles {
  private readonly pending = new Set<string>();

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

  /** A partial the step moved into place itself (or removed): nothing to clean up any more. */
  forget(name: string): void {
    this.pending.delete(join(this.outputDir, `${name}.partial`));
  }

  /** Renames `<name>.partial` to `<name>`, without a checksum (a side file such as a .bmap). */
  async place(name: string): Promise<string> {
    const final = join(this.outputDir, name);
    await rename(join(this.outputDir, `${name}.partial`), final);
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
    const [sha256, info] = await Promise.all([sha256File(partial, this.signal), stat(partial)]);
    const sum = this.partial(`${name}.sha256`);
    await writeFile(sum.host, `${sha256}  ${basename(final)}\n`);
    for (const side of sideFiles) await this.place(`${name}.${side}`);
    await rename(partial, final);
    this.forget(name);
    await this.place(`${name}.sha256`);
    return { kind, path: final, size: info.size, sha256 };
  }

  /**
   * Removes every partial still there. After a cancel the builder is stopped first: its tools
   * must not write again into a file that was just removed.
   */
  async discard(): Promise<void> {
    if (this.signal.aborted) await this.session?.close();
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
