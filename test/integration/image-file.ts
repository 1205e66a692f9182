// The flash helper tests' common start: the built helper, and a folder holding an image of random
// bytes, made before the tests of a file and removed after them.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { REPO } from './support.js';

export const HELPER_BUNDLE = join(REPO, 'dist', 'flash-helper', 'helper.mjs');

export interface ImageFile {
  readonly dir: string;
  readonly image: string;
  readonly data: Buffer;
}

/** Registers the hooks; `use` receives the folder and image once they exist. */
export function withImageFile(prefix: string, bytes: number, use: (made: ImageFile) => void): void {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    const image = join(dir, 'image.img');
    const data = randomBytes(bytes);
    await writeFile(image, data);
    use({ dir, image, data });
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });
}
