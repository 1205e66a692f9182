// One builder container per job: started idle, given commands one by one (docker exec), and
// removed at the end, on error and on cancel. It sees the shared cache volume at /cache and the
// job's output folder at /out.
import { hostname } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import { cancelledError } from '../jobs/job-context.js';
import { LABEL_JOB } from '../docker/image-files.js';

export const CACHE_VOLUME = 'kairos-factory-cache';
const LABEL_OWNER = 'io.kairos-factory.owner';

export interface ExecOptions {
  /** Called for each output line (stdout and stderr, in order). */
  readonly onLine?: (line: string) => void;
  /** A terminal makes tools like mksquashfs print their progress bars. */
  readonly tty?: boolean;
  /** What the command does, for the error message. */
  readonly what: string;
}

export class BuilderSession {
  private closed = false;

  private constructor(
    private readonly docker: Docker,
    readonly container: Docker.Container,
    private readonly signal: AbortSignal,
  ) {}

  static async start(
    docker: Docker,
    image: string,
    options: { readonly outputDir?: string; readonly jobId: string; readonly signal: AbortSignal; readonly readOnly?: Readonly<Record<string, string>> },
  ): Promise<BuilderSession> {
    await removeOrphans(docker);
    // The output folder at /out; other host folders read-only where asked ({ '/in': hostDir }).
    const binds = [
      ...(options.outputDir ? [`${options.outputDir}:/out`] : []),
      ...Object.entries(options.readOnly ?? {}).map(([target, host]) => `${host}:${target}:ro`),
    ];
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      Labels: { [LABEL_JOB]: options.jobId, [LABEL_OWNER]: `${hostname()}:${process.pid}` },
      HostConfig: {
        Binds: binds,
        Mounts: [{ Type: 'volume', Source: CACHE_VOLUME, Target: '/cache' }],
        NetworkMode: 'none',
        Init: true,
      },
    });
    const session = new BuilderSession(docker, container, options.signal);
    const onAbort = (): void => {
      void session.close();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await container.start();
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Runs a command; resolves with its exit code and the last lines of output. */
  async exec(argv: ReadonlyArray<string>, options: ExecOptions): Promise<{ exitCode: number; tail: string[] }> {
    if (this.signal.aborted) throw cancelledError();
    const exec = await this.container.exec({
      Cmd: [...argv],
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty ?? false,
    });
    const stream = (await exec.start({ hijack: true, stdin: false, Tty: options.tty ?? false })) as unknown as Readable;
    const tail: string[] = [];
    const lines = new PassThrough();
    if (options.tty) stream.pipe(lines);
    else this.docker.modem.demuxStream(stream, lines, lines);
    let carry = '';
    const onText = (text: string): void => {
      carry += text;
      const parts = carry.split(/\r\n|\n|\r/);
      carry = parts.pop() ?? '';
      for (const line of parts) emit(line);
    };
    const emit = (line: string): void => {
      if (line === '') return;
      tail.push(line);
      if (tail.length > 20) tail.shift();
      options.onLine?.(line);
    };
    lines.on('data', (chunk: Buffer) => onText(chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    if (carry !== '') emit(carry);
    if (this.signal.aborted) throw cancelledError();
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, tail };
  }

  /** Runs a command that must succeed. */
  async run(argv: ReadonlyArray<string>, options: ExecOptions): Promise<void> {
    const { exitCode, tail } = await this.exec(argv, options);
    if (exitCode !== 0) {
      const last = tail.slice(-3).join(' | ');
      throw new AppError('artifact-failed', `${options.what} failed (exit ${exitCode})${last ? `: ${last}` : ''}`, {
        hint: 'The build log has the full output',
      });
    }
  }

  /** Runs a shell script (bash -euo pipefail). */
  async script(text: string, options: ExecOptions): Promise<void> {
    await this.run(['bash', '-euo', 'pipefail', '-c', text], options);
  }

  /** Unpacks a tar stream at a path inside the container (the engine does the unpacking). */
  async putArchive(tar: Readable, path: string): Promise<void> {
    await this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path, abortSignal: this.signal } as { path: string });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.container.remove({ force: true }).catch(() => undefined);
  }
}

/** Builders of app processes that died without cleaning up (killed, crashed) on this host. */
async function removeOrphans(docker: Docker): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [LABEL_OWNER] } });
  for (const info of list) {
    const [host, pid] = (info.Labels[LABEL_OWNER] ?? '').split(':');
    if (host !== hostname() || !pid || isAlive(Number(pid))) continue;
    await docker.getContainer(info.Id).remove({ force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
