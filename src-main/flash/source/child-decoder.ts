// A system decompressor (xz, zstd, bzip2...) as a stream. The child reads the file itself through
// an inherited descriptor on its stdin (no copy through Node, and a file name starting with "-"
// cannot be taken for an option); we read its stdout. Success is exit code 0 AFTER the last byte:
// a cut file makes xz print most of the image and then fail, so the stream must not end before
// the exit code is known. stop() kills the child (TERM, then KILL if it lingers); Node reaps it.
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { AppError } from '../../../src-shared/errors/app-error.js';
import type { Decoder } from './relay-stream.js';
import { summarizeToolStderr, unreadableSource } from './source-errors.js';

const STDERR_LIMIT = 16 * 1024;
const KILL_GRACE_MS = 2000;

export interface Tool {
  /** The program's name for messages ("xz"). */
  readonly name: string;
  readonly path: string;
}

export async function spawnDecoder(path: string, tool: Tool, args: ReadonlyArray<string>): Promise<Decoder> {
  const file = await open(path, 'r').catch((error: unknown) => {
    throw unreadableSource(path, error);
  });
  let running;
  try {
    // spawn() returns once the child has exec'd, holding its own copy of the descriptor.
    running = spawn(tool.path, [...args], { argv0: tool.name, stdio: [file.fd, 'pipe', 'pipe'] });
  } catch (error) {
    await file.close();
    throw cannotRun(path, tool, error);
  }
  const child = running;
  // Listeners first, before any await: a failed spawn reports on the next tick.
  const done = new Promise<void>((resolve, reject) => {
    child.once('error', (error) => reject(cannotRun(path, tool, error)));
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const detail = summarizeToolStderr(stderr) || (signal !== null ? `killed by ${signal}` : `exit code ${code}`);
      reject(new Error(detail));
    });
  });
  // The relay watches `done`; after a stop nobody needs to, and that is no unhandled rejection.
  done.catch(() => undefined);

  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => {
    if (stderr.length < STDERR_LIMIT) stderr += text;
  });
  await file.close();
  const { stdout } = child;
  if (stdout === null) throw new Error('spawn gave no stdout pipe');

  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    stdout.destroy();
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  };

  return { name: tool.name, output: stdout, done, stop };
}

function cannotRun(path: string, tool: Tool, error: unknown): AppError {
  return new AppError('flash-failed', `Could not run ${tool.path} to decompress ${path}: ${(error as Error).message}`, {
    hint: `Reinstall ${tool.name}, or take it off the PATH so that the built-in decoder is used`,
    cause: error,
  });
}
