// Runs a shell script in a throwaway container of an image (no network, removed afterwards, also
// when the job is cancelled) and returns its exit code and output: the image checks and the
// cross-arch probe use it. Reading files without running anything is image-files.ts.
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import type Docker from 'dockerode';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { LABEL_JOB } from './image-files.js';

export interface ScriptRun {
  readonly exitCode: number;
  /** stdout and stderr, as the script wrote them. */
  readonly output: string;
}

/** A TTY-less container's logs come multiplexed (stdout and stderr frames): dockerode splits them. */
async function demuxed(docker: Docker, logs: Buffer): Promise<string> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const source = new PassThrough();
  const ended = once(source, 'end');
  docker.modem.demuxStream(source, sink, sink);
  source.end(logs);
  await ended;
  return Buffer.concat(chunks).toString('utf8');
}

export async function runScript(docker: Docker, image: string, script: string, ctx: JobContext): Promise<ScriptRun> {
  ctx.throwIfCancelled();
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/sh', '-c', script],
    Cmd: [],
    User: '0:0',
    WorkingDir: '/',
    Labels: { [LABEL_JOB]: ctx.jobId },
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none', AutoRemove: false },
  });
  const onAbort = (): void => {
    void container.remove({ force: true }).catch(() => undefined);
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // Cancelled while the container was being made: the listener came too late for it.
    if (ctx.signal.aborted) throw cancelledError();
    await container.start();
    const waited = (await container.wait()) as { StatusCode?: number };
    if (ctx.signal.aborted) throw cancelledError();
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: waited.StatusCode ?? -1, output: await demuxed(docker, Buffer.isBuffer(logs) ? logs : Buffer.from(String(logs))) };
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    throw error;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    await container.remove({ force: true }).catch(() => undefined);
  }
}
