// One builder container per job: started idle, given commands one by one (docker exec), and
// removed at the end, on error and on cancel. It sees the shared cache volume at /cache and the
// job's output folder at /out. Every command's output goes to the current step's log; a failed
// command's error names that log, and a full or read-only folder is said as such.
// With an engine on another machine (engine-location.ts) nothing is bind-mounted: /out is a folder
// of the container, host folders are copied in, and what is finished comes back through the API
// (pullOut/pushOut; output-files.ts calls them), so the output folder stays on this machine.
import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, posix } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/errors/app-error.js';
import { problemInText, toolStorageError, type StoragePlace, type ToolMount } from '../../src-shared/errors/storage-errors.js';
import { cancelledError } from '../jobs/job-context.js';
import { LABEL_JOB } from '../docker/image-files.js';
import { engineIsRemote } from '../docker/remote-engine.js';
import { LineSplitter } from '../util/line-splitter.js';
import type { StepLog } from '../util/step-log.js';
import { fetchFromContainer, uploadToContainer, type TransferReport } from './out-transfer.js';

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

/** What a finished command printed: its exit code, its last lines, and lines naming a storage problem. */
export interface ExecResult {
  readonly exitCode: number;
  readonly tail: string[];
  readonly problems: string[];
}

export class BuilderSession {
  private closing: Promise<void> | undefined;
  private log: StepLog | undefined;

  private constructor(
    private readonly docker: Docker,
    readonly container: Docker.Container,
    private readonly signal: AbortSignal,
    /** The host folder mounted at /out (or mirrored there, with a remote engine), if any. */
    readonly outputDir: string | undefined,
    /** The engine is on another machine: no bind mounts, files travel through the API. */
    readonly remote: boolean,
    private readonly report: TransferReport | undefined,
  ) {}

  /** Sends every command's output to a step's log until the returned function is called. */
  logTo(log: StepLog): () => void {
    const previous = this.log;
    this.log = log;
    return () => {
      this.log = previous;
    };
  }

  /** The current step's log file, if one is kept. */
  get logFile(): string | undefined {
    return this.log?.path;
  }

  static async start(
    docker: Docker,
    image: string,
    options: {
      readonly outputDir?: string;
      readonly jobId: string;
      readonly signal: AbortSignal;
      readonly readOnly?: Readonly<Record<string, string>>;
      /** Decided from the engine's address unless given (engine-location.ts). */
      readonly remote?: boolean;
      /** Progress and speed of downloads from a remote engine. */
      readonly report?: TransferReport;
    },
  ): Promise<BuilderSession> {
    await removeOrphans(docker);
    const remote = options.remote ?? engineIsRemote(docker);
    // The output folder at /out; other host folders read-only where asked ({ '/in': hostDir }).
    // Mounts, not "host:target" binds: a folder name may hold a colon or a comma.
    const binds: Docker.MountSettings[] = remote ? [] : [
      ...(options.outputDir ? [{ Type: 'bind' as const, Source: options.outputDir, Target: '/out' }] : []),
      ...Object.entries(options.readOnly ?? {}).map(([target, host]) => ({ Type: 'bind' as const, Source: host, Target: target, ReadOnly: true })),
    ];
    const container = await docker.createContainer({
      Image: image,
      Cmd: ['sleep', 'infinity'],
      Labels: { [LABEL_JOB]: options.jobId, [LABEL_OWNER]: `${hostname()}:${process.pid}` },
      HostConfig: {
        Mounts: [...binds, { Type: 'volume', Source: CACHE_VOLUME, Target: '/cache' }],
        NetworkMode: 'none',
        Init: true,
      },
    });
    const session = new BuilderSession(docker, container, options.signal, options.outputDir, remote, options.report);
    const onAbort = (): void => {
      void session.close();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    try {
      await container.start();
      if (remote) await session.copyInputs(options.readOnly ?? {});
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Runs a command; resolves with its exit code and the last lines of output. */
  async exec(argv: ReadonlyArray<string>, options: ExecOptions): Promise<ExecResult> {
    if (this.signal.aborted) throw cancelledError();
    const log = this.log;
    log?.line(`$ ${options.what}`);
    const exec = await this.container.exec({
      Cmd: [...argv],
      AttachStdout: true,
      AttachStderr: true,
      Tty: options.tty ?? false,
    });
    const stream = (await exec.start({ hijack: true, stdin: false, Tty: options.tty ?? false })) as unknown as Readable;
    const tail: string[] = [];
    const problems: string[] = [];
    const lines = new PassThrough();
    if (options.tty) stream.pipe(lines);
    else this.docker.modem.demuxStream(stream, lines, lines);
    const splitter = new LineSplitter();
    const emit = (line: string): void => {
      if (line === '') return;
      log?.line(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (problems.length < 5 && problemInText(line, 'output')) problems.push(line);
      options.onLine?.(line);
    };
    lines.on('data', (chunk: Buffer) => {
      for (const line of splitter.push(chunk)) emit(line);
    });
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    for (const line of splitter.end()) emit(line);
    if (this.signal.aborted) throw cancelledError();
    const info = await exec.inspect();
    const exitCode = info.ExitCode ?? -1;
    if (exitCode !== 0) log?.line(`(exit ${exitCode})`);
    return { exitCode, tail, problems };
  }

  /** Runs a command that must succeed. */
  async run(argv: ReadonlyArray<string>, options: ExecOptions): Promise<void> {
    const { exitCode, tail, problems } = await this.exec(argv, options);
    if (exitCode === 0) return;
    const logFile = this.log?.path;
    const storage = toolStorageError([...problems, ...tail], {
      mounts: this.mounts(),
      fallback: this.writesTo(argv),
      what: options.what,
      ...(logFile ? { logFile } : {}),
    });
    if (storage) throw AppError.fromData(storage);
    const last = tail.slice(-3).join(' | ');
    throw new AppError('artifact-failed', `${options.what} failed (exit ${exitCode})${last ? `: ${last}` : ''}`, {
      hint: logFile ? `The full output is in ${logFile}` : "See the tools' output in the job's log (verbose mode shows it as it runs)",
      ...(logFile ? { logFile } : {}),
    });
  }

  /** Remote engine: /out made in the container, and the read-only host folders copied in. */
  private async copyInputs(readOnly: Readonly<Record<string, string>>): Promise<void> {
    const targets = Object.keys(readOnly);
    await this.run(['mkdir', '-p', '/out', ...targets.map((t) => posix.dirname(t))], { what: 'prepare /out' });
    for (const [target, host] of Object.entries(readOnly)) await uploadToContainer(this.container, host, target, this.signal);
  }

  /** Remote engine: brings /out/NAME (file or folder) into the output folder under the same name. */
  async pullOut(name: string): Promise<void> {
    if (!this.remote || !this.outputDir) return;
    const from = `/out/${name}`;
    let total: number | undefined;
    await this.exec(['sh', '-c', 'du -sb "$1" | cut -f1', 'sh', from], { what: `size of ${from}`, onLine: (l) => (total = Number(l) || undefined) });
    await fetchFromContainer(this.container, from, join(this.outputDir, name), { signal: this.signal, ...(total ? { total } : {}), ...(this.report ? { report: this.report } : {}) });
  }

  /** Remote engine: puts NAME of the output folder (an earlier build's file) at /out/NAME, unless there already. */
  async pushOut(name: string): Promise<void> {
    if (!this.remote || !this.outputDir) return;
    const local = join(this.outputDir, name);
    if (!(await access(local).then(() => true, () => false))) return;
    const { exitCode } = await this.exec(['test', '-e', `/out/${name}`], { what: `look for /out/${name}` });
    if (exitCode !== 0) await uploadToContainer(this.container, local, `/out/${name}`, this.signal);
  }

  /** SHA-256 of a file in the builder, or undefined when it is no file. */
  async sha256(path: string): Promise<string | undefined> {
    let sum: string | undefined;
    const { exitCode } = await this.exec(['sh', '-c', 'test -f "$1" && sha256sum "$1"', 'sh', path], { what: `sha256sum ${path}`, onLine: (l) => (sum = l.split(' ')[0]) });
    return exitCode === 0 ? sum : undefined;
  }

  /** The builder's folders as the tools name them, and where they really are. */
  private mounts(): ToolMount[] {
    const docker: StoragePlace = { kind: 'docker' };
    return [
      ...(this.outputDir && !this.remote ? [{ prefix: '/out', place: { kind: 'output', folder: this.outputDir } as const }] : []),
      { prefix: '/cache', place: docker },
      { prefix: '/work', place: docker },
      { prefix: '/tmp', place: docker },
    ];
  }

  /** Where a command whose message names no path wrote: the output folder if it names /out, else Docker's storage. */
  private writesTo(argv: ReadonlyArray<string>): StoragePlace {
    return this.outputDir && !this.remote && argv.some((a) => /(^|[\s'"=])\/out(\/|[\s'"]|$)/m.test(a)) ? { kind: 'output', folder: this.outputDir } : { kind: 'docker' };
  }

  /** Runs a shell script (bash -euo pipefail). */
  async script(text: string, options: ExecOptions): Promise<void> {
    await this.run(['bash', '-euo', 'pipefail', '-c', text], options);
  }

  /** Unpacks a tar stream at a path inside the container (the engine does the unpacking). */
  async putArchive(tar: Readable, path: string): Promise<void> {
    await this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path, abortSignal: this.signal } as { path: string });
  }

  /** Removes the container; resolves once it is gone (also when a cancel started the removal). */
  close(): Promise<void> {
    this.closing ??= this.container.remove({ force: true }).then(
      () => undefined,
      () => undefined,
    );
    return this.closing;
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
