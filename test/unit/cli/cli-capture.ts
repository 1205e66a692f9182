// Running the CLI in-process as a user runs it (argv), with what it prints captured, and a
// temporary data folder (KF_DATA_DIR) for a test file's commands.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, vi } from 'vitest';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function captureCli(main: (argv: ReadonlyArray<string>) => Promise<number>, argv: ReadonlyArray<string>): Promise<CliRun> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

/** Registers the hooks; the returned function gives the folder (its data/ is KF_DATA_DIR) once the tests run. */
export function useCliDataDir(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    process.env.KF_DATA_DIR = join(dir, 'data');
  });
  afterAll(async () => {
    delete process.env.KF_DATA_DIR;
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
