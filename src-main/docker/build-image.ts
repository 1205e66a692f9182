// Building a Dockerfile through the engine: streamed step progress, every line kept in a log
// file, cancel that leaves nothing behind, and errors that name the failing step.
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { pack } from 'tar-stream';
import { AppError } from '../../src-shared/errors/app-error.js';
import { engineStorageError } from '../../src-shared/errors/storage-errors.js';
import type { Stage } from '../../src-shared/jobs/job-events.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { BuildOutputReader, describeInstruction, type RawBuildMessage } from './build-output.js';
import { engineLost } from './docker-engine.js';
import { jsonLines } from './json-lines.js';
import { StepLog } from '../util/step-log.js';

export interface BuildImageOptions {
  readonly dockerfile: string;
  readonly tag: string;
  /** Extra files of the build context, by path. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly stage: Stage;
  /** The name of this build in messages ("kairosify", "builder image"). */
  readonly what: string;
}

export interface BuiltImage {
  readonly imageId: string;
  readonly tag: string;
  readonly steps: number;
  readonly cachedSteps: number;
}

export function buildContext(dockerfile: string, files: Readonly<Record<string, string | Buffer>> = {}): Readable {
  const tar = pack();
  tar.entry({ name: 'Dockerfile', mode: 0o644, mtime: new Date(0) }, dockerfile);
  for (const [name, content] of Object.entries(files)) {
    tar.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  }
  tar.finalize();
  return tar as unknown as Readable;
}

export async function buildImage(docker: Docker, options: BuildImageOptions, ctx: JobContext): Promise<BuiltImage> {
  const log = await StepLog.open(options.logFile);
  const reader = new BuildOutputReader();
  const meter = ctx.meter(options.stage, options.what, 'steps');
  let current: { index: number; total: number; instruction: string } | undefined;
  let cachedSteps = 0;
  let imageId: string | undefined;
  let lastLayer: string | undefined;
  const recent: string[] = [];

  const write = (line: string): void => log.line(line);

  const handle = (msg: ReturnType<BuildOutputReader['read']>[number]): void => {
    switch (msg.type) {
      case 'step':
        current = { index: msg.index, total: msg.total, instruction: msg.instruction };
        meter.setTotal(msg.total);
        meter.update(msg.index - 1, describeInstruction(msg.instruction), true);
        write(`Step ${msg.index}/${msg.total} : ${msg.instruction}`);
        ctx.log(options.stage, `Step ${msg.index}/${msg.total}: ${describeInstruction(msg.instruction)}`);
        break;
      case 'cached':
        cachedSteps++;
        write(' ---> Using cache');
        if (current) ctx.log(options.stage, `Step ${current.index}/${current.total}: cached`);
        break;
      case 'log':
        write(msg.line);
        recent.push(msg.line);
        if (recent.length > 12) recent.shift();
        ctx.detail(options.stage, msg.line);
        break;
      case 'image-id':
        imageId = msg.id;
        break;
      case 'layer':
        lastLayer = msg.id;
        break;
      case 'pull':
        write(`${msg.id ? `${msg.id}: ` : ''}${msg.status}`);
        break;
      case 'error':
        write(`ERROR: ${msg.message}`);
        throw stepFailed(options, current, msg.message, recent);
    }
  };

  try {
    const stream = (await docker.buildImage(buildContext(options.dockerfile, options.files), {
      t: options.tag,
      rm: true,
      forcerm: true,
      buildargs: options.buildArgs ?? {},
      labels: options.labels ?? {},
      abortSignal: ctx.signal,
    } as Docker.ImageBuildOptions)) as unknown as Readable;
    for await (const raw of jsonLines<RawBuildMessage>(stream)) {
      for (const msg of reader.read(raw)) handle(msg);
    }
    for (const msg of reader.end()) handle(msg);
  } catch (error) {
    if (ctx.signal.aborted) {
      await removeStepContainers(docker, lastLayer);
      throw cancelledError();
    }
    if (error instanceof AppError) throw error;
    const lost = engineLost(error);
    if (lost) throw lost;
    throw stepFailed(options, current, (error as Error).message, recent);
  } finally {
    await log.close();
  }
  if (ctx.signal.aborted) throw cancelledError();
  if (!imageId) {
    // Older engines only print "Successfully built <short id>"; the tag resolves it either way.
    const info = await docker.getImage(options.tag).inspect();
    imageId = info.Id;
  }
  const info = await docker.getImage(imageId).inspect();
  meter.finish(`${current?.total ?? 0} steps, ${cachedSteps} cached`);
  return { imageId: info.Id, tag: options.tag, steps: current?.total ?? 0, cachedSteps };
}

/**
 * After a cancel the engine stops the running step on its own, but not always before we return:
 * remove what still runs from the step's parent layer so nothing is left behind.
 */
async function removeStepContainers(docker: Docker, parentLayer: string | undefined): Promise<void> {
  if (!parentLayer) return;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const left = await docker.listContainers({ all: true, filters: { ancestor: [parentLayer] } }).catch(() => []);
    const steps = left.filter((c) => c.ImageID.replace(/^sha256:/, '').startsWith(parentLayer));
    if (steps.length === 0) return;
    await Promise.all(steps.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
  }
}

function stepFailed(
  options: BuildImageOptions,
  step: { index: number; total: number; instruction: string } | undefined,
  message: string,
  recent: ReadonlyArray<string>,
): AppError {
  // A step that filled the engine's own storage: say where to make room. (A read-only file
  // system in a RUN step is the image's business, /proc/sys say, not the engine's storage.)
  const storage = [message, ...recent]
    .map((text) => engineStorageError(text, { what: `the ${options.what} build`, logFile: options.logFile }))
    .find((e) => e?.code === 'disk-full');
  if (storage) return AppError.fromData(storage);
  const where = step ? ` at step ${step.index}/${step.total} (${describeInstruction(step.instruction, 60)})` : '';
  const tail = recent.length > 0 ? `; last output: ${recent[recent.length - 1]}` : '';
  return new AppError('build-failed', `The ${options.what} build failed${where}: ${message.trim()}${tail}`, {
    hint: `The full build log is in ${options.logFile}`,
    logFile: options.logFile,
  });
}
