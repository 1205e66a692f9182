// Stage 0: the recipe's source as an image in the local engine. An image is used or pulled; a
// Dockerfile (with template values) is built; a root filesystem folder or tarball is imported.
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { pack } from 'tar-fs';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../src-shared/errors/app-error.js';
import { sourceImageRef } from '../../src-shared/kairosify/dockerfile-common.js';
import { mergeTemplateValues, renderGoTemplate, type TemplateValue } from '../../src-shared/kairosify/go-template.js';
import type { Recipe } from '../../src-shared/recipe/recipe-schema.js';
import { splitRepositoryTag } from '../../src-shared/util/image-ref.js';
import { buildImage } from '../docker/build-image.js';
import { ensureImage } from '../docker/ensure-image.js';
import { engineLost } from '../docker/docker-engine.js';
import { jsonLines } from '../docker/json-lines.js';
import { cancelledError, type JobContext } from '../jobs/job-context.js';
import { inspectSource, openSourceStream } from '../flash/source/open-source.js';
import { DETECT_BYTES, detectCompression } from '../flash/source/detect-compression.js';

/** Makes the source image exist; returns its reference. */
export async function resolveSource(docker: Docker, recipe: Recipe, outputDir: string, ctx: JobContext): Promise<string> {
  const source = recipe.source;
  const ref = sourceImageRef(recipe);
  switch (source.kind) {
    case 'image':
      await ctx.runPhase('kairosify', 'base image', () => ensureImage(docker, ref, ctx, 'kairosify'));
      return ref;
    case 'dockerfile': {
      const fileValues = source.valuesFile ? await readValuesFile(source.valuesFile) : undefined;
      const dockerfile = renderGoTemplate(source.dockerfile, mergeTemplateValues(fileValues, source.values));
      await ctx.runPhase('kairosify', 'source Dockerfile', () =>
        buildImage(docker, { dockerfile, tag: ref, logFile: join(outputDir, 'logs', `${recipe.name}-source.log`), stage: 'kairosify', what: 'source Dockerfile' }, ctx),
      );
      return ref;
    }
    case 'rootfs':
      await ctx.runPhase('kairosify', 'import rootfs', () => importRootfs(docker, source.path, ref, ctx));
      return ref;
  }
}

export async function readValuesFile(path: string): Promise<Record<string, TemplateValue>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AppError('recipe-invalid', `Cannot read the template values file ${path}: ${(error as Error).message}`, { hint: 'Check source.valuesFile' });
  }
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false });
  } catch (error) {
    // The parser's message quotes the offending line; values files hold secrets, so only the
    // position and the first words of the reason go into the error (and the job history).
    const offset = (error as { pos?: ReadonlyArray<number> }).pos?.[0];
    const before = offset !== undefined ? text.slice(0, offset).split('\n') : undefined;
    const where = before ? `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}` : '';
    const reason = (error as Error).message.split('\n')[0] ?? 'not YAML';
    throw new AppError('recipe-invalid', `${path}${where} is not valid YAML: ${reason}`, { hint: 'Fix the template values file (source.valuesFile)' });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AppError('recipe-invalid', `${path} must hold a mapping of template values (Name: value)`);
  }
  return data as Record<string, TemplateValue>;
}

/** Imports a folder (streamed as tar) or a tarball (gz, xz, bz2, zstd: the engine unpacks them). */
export async function importRootfs(docker: Docker, path: string, ref: string, ctx: JobContext): Promise<void> {
  const { repository, tag } = splitRepositoryTag(ref);
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  if (!info) throw new AppError('source-invalid', `The root filesystem ${full} does not exist`, { hint: 'Check source.path' });
  // A tarball is decompressed here with the flash source's readers (gzip, xz, zstd, bzip2): the
  // engine's import knows only some of them (Docker 20.10 refuses zstd), and a damaged file is
  // named before the engine sees it.
  const compressed = !info.isDirectory() && (await isCompressed(full));
  const source = compressed ? await inspectSource(full) : undefined;
  const body: Readable = source
    ? openSourceStream(source, { signal: ctx.signal })
    : info.isDirectory()
      ? (pack(full) as unknown as Readable)
      : createReadStream(full, { highWaterMark: 1 << 20 });
  const meter = ctx.meter('kairosify', 'import rootfs', 'bytes', source ? source.imageSize : info.isDirectory() ? undefined : info.size);
  let done = 0;
  body.on('data', (chunk: Buffer) => {
    done += chunk.length;
    meter.update(done);
  });
  try {
    const stream = (await docker.importImage(body as unknown as NodeJS.ReadableStream, { repo: repository, tag, abortSignal: ctx.signal } as never)) as unknown as Readable;
    for await (const msg of jsonLines<{ error?: string; errorDetail?: { message?: string } }>(stream)) {
      if (msg.error || msg.errorDetail?.message) throw new Error(msg.errorDetail?.message ?? msg.error);
    }
  } catch (error) {
    if (ctx.signal.aborted) throw cancelledError();
    const lost = engineLost(error);
    if (lost) throw lost;
    throw new AppError('source-invalid', `Importing ${full} failed: ${(error as Error).message}`, {
      hint: 'Give a folder with a root filesystem, or a .tar, .tar.gz, .tar.xz or .tar.zst of one',
    });
  }
  meter.finish();
  const image = await docker.getImage(ref).inspect().catch(() => undefined);
  if (!image) throw new AppError('source-invalid', `Importing ${full} made no image`);
}

/** A compressed tarball (gzip, xz, zstd, bzip2), by its magic bytes; a plain tar is not. */
async function isCompressed(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(DETECT_BYTES);
    const { bytesRead } = await handle.read(head, 0, DETECT_BYTES, 0);
    const detected = detectCompression(head.subarray(0, bytesRead));
    return detected.kind === 'image' && detected.compression !== 'none' && detected.compression !== 'zip';
  } finally {
    await handle.close();
  }
}
