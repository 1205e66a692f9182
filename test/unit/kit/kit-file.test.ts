import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { open, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { KIT_IMAGES_MEMBER, KIT_MANIFEST_MEMBER, KIT_VERSION, type KitManifest } from '../../../src-shared/kit/kit-manifest.js';
import { JobContext } from '../../../src-main/jobs/job-context.js';
import type { JobEvent } from '../../../src-shared/jobs/job-events.js';
import { KitWriter, hashKit, tarHeader } from '../../../src-main/kit/kit-file.js';
import { importKit, verifyKit } from '../../../src-main/kit/kit-import.js';
import { useTempFolder } from '../temp-folder.js';

const folder = useTempFolder('kf-kit-');
const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** A kit as export writes it, with a stand-in for the docker save stream (3 chunks, not a multiple of 512). */
async function writeKit(path: string, images: Buffer): Promise<KitWriter> {
  const writer = await KitWriter.create(path, new Date('2026-12-03T00:00:00Z'));
  await writer.addBuffer('recipes/a.yaml', Buffer.from('name: a\n'));
  const chunks = [images.subarray(0, 1000), images.subarray(1000, 5000), images.subarray(5000)];
  await writer.addStream(KIT_IMAGES_MEMBER, Readable.from(chunks), () => undefined);
  const manifest: KitManifest = { kitVersion: KIT_VERSION, created: 'now', appVersion: 'test', recipes: ['a'], images: [], members: Object.fromEntries(writer.members) };
  await writer.finish(KIT_MANIFEST_MEMBER, Buffer.from(JSON.stringify(manifest)));
  return writer;
}

function context(): { ctx: JobContext; events: JobEvent[] } {
  const events: JobEvent[] = [];
  return { ctx: new JobContext('t', new AbortController().signal, (e) => events.push(e)), events };
}

describe('the kit file', () => {
  const images = Buffer.alloc(7777, 0);
  for (let i = 0; i < images.length; i++) images[i] = (i * 7) % 251;

  it('is a tar any tar reads, its streamed member whole, the manifest last, under its name only once whole', async () => {
    const path = join(folder(), 'a.kit.tar');
    await writeKit(path, images);
    await expect(stat(`${path}.part`)).rejects.toThrow();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // GNU tar, not our reader: the format is plain tar.
    expect(execFileSync('tar', ['tf', path], { encoding: 'utf8' }).trim().split('\n')).toEqual(['recipes/a.yaml', KIT_IMAGES_MEMBER, KIT_MANIFEST_MEMBER]);
    expect(sha(execFileSync('tar', ['xOf', path, KIT_IMAGES_MEMBER]))).toBe(sha(images));
    const { sums, kept } = await hashKit(path, KIT_MANIFEST_MEMBER, () => undefined);
    expect(sums.get(KIT_IMAGES_MEMBER)).toBe(sha(images));
    expect(JSON.parse(kept ?? '{}').members).toEqual({ 'recipes/a.yaml': sha('name: a\n'), [KIT_IMAGES_MEMBER]: sha(images) });
  });

  it('verifies a whole kit, with byte progress to the end of the file', async () => {
    const path = join(folder(), 'ok.kit.tar');
    await writeKit(path, images);
    const { ctx, events } = context();
    const manifest = await verifyKit(path, ctx);
    expect(manifest.recipes).toEqual(['a']);
    const last = events.filter((e) => e.kind === 'progress').at(-1);
    expect(last).toMatchObject({ step: 'verify', done: (await stat(path)).size, total: (await stat(path)).size });
  });

  it('refuses a kit with one changed byte, naming the member, before loading anything', async () => {
    const path = join(folder(), 'bad.kit.tar');
    await writeKit(path, images);
    const file = await open(path, 'r+');
    // A byte inside images.tar's data: after the recipe's header and block, and the images header.
    await file.write(Buffer.from([0xff]), 0, 1, 512 + 512 + 512 + 4000);
    await file.close();
    const recipes: string[] = [];
    const { ctx } = context();
    const refused = importKit({ file: path, onRecipe: async (name) => void recipes.push(name) }, ctx);
    await expect(refused).rejects.toMatchObject({ code: 'source-invalid', message: expect.stringMatching(/^The kit .*bad\.kit\.tar is refused: member images\.tar is corrupt: its SHA-256 is [0-9a-f]{64}, the manifest says [0-9a-f]{64}$/) });
    expect(recipes).toEqual([]);
  });

  it('refuses a cut kit and one without a manifest', async () => {
    const path = join(folder(), 'cut.kit.tar');
    await writeKit(path, images);
    const whole = await readFile(path);
    await writeFile(path, whole.subarray(0, 512 * 5));
    await expect(verifyKit(path, context().ctx)).rejects.toMatchObject({ code: 'source-invalid', message: expect.stringMatching(/is refused: it is not a whole kit/) });
    await writeFile(path, execFileSync('tar', ['cf', '-', '-C', folder(), 'ok.kit.tar']));
    await expect(verifyKit(path, context().ctx)).rejects.toMatchObject({ message: expect.stringMatching(/is refused: it has no manifest\.json$/) });
  });

  it('a stream cut short (a cancel, the engine gone) leaves neither the kit nor its .part once discarded', async () => {
    const path = join(folder(), 'cut-short.kit.tar');
    const writer = await KitWriter.create(path);
    await writer.addBuffer('recipes/a.yaml', Buffer.from('name: a\n'));
    async function* cut(): AsyncGenerator<Buffer> {
      yield Buffer.alloc(1000);
      throw new Error('aborted');
    }
    await expect(writer.addStream(KIT_IMAGES_MEMBER, cut(), () => undefined)).rejects.toThrow('aborted');
    await expect(stat(`${path}.part`)).resolves.toBeDefined();
    await writer.discard();
    await expect(stat(`${path}.part`)).rejects.toThrow();
    await expect(stat(path)).rejects.toThrow();
  });

  it('writes sizes past 8 GiB in base-256, as GNU tar reads them', () => {
    const header = tarHeader('images.tar', 9 * 2 ** 30, new Date(0));
    expect(header[124]).toBe(0x80);
    let size = 0;
    for (let i = 125; i < 136; i++) size = size * 256 + header[i]!;
    expect(size).toBe(9 * 2 ** 30);
    expect(tarHeader('x', 1234, new Date(0)).subarray(124, 136).toString('ascii')).toBe('00000002322\0');
  });
});
