// The image as the drive rules see it: its path with links followed, the file and file system it
// lives on, and its size once decompressed where that is known without decompressing it all
// (plain, xz index, zstd frame sizes, zip directory, gzip ISIZE). Cached by path, size and mtime:
// the drive list asks again every time a stick comes or goes.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImageFacts } from '../../src-shared/drives/drive-constraints.js';

export interface ImageSizeFacts {
  readonly image: ImageFacts;
}

const cache = new Map<string, ImageSizeFacts>();
const CACHE_LIMIT = 32;

/** Throws AppError('source-invalid') for a file that is not a usable image. */
export async function imageSizeFacts(path: string): Promise<ImageSizeFacts> {
  const full = resolve(path);
  const info = await stat(full).catch(() => undefined);
  const key = info ? `${full}\0${info.size}\0${info.mtimeMs}` : undefined;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;
  const [{ inspectSource }, { imageFacts }] = await Promise.all([import('../flash/source/open-source.js'), import('../flash/target-check.js')]);
  const source = await inspectSource(full);
  const facts = { image: await imageFacts(full, source.imageSize) };
  if (key) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, facts);
  }
  return facts;
}
