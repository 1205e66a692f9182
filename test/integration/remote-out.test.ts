// The builder's /out without bind mounts (remote mode, forced on the local engine, which is quick):
// an artifact with a side file, a folder, a file the next step reuses, and read-only inputs all
// travel through the API; the output folder ends as with a bind mount, the container has no bind.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { JobEvent } from '../../src-shared/jobs/job-events.js';
import { withOutputFiles } from '../../src-main/artifacts/output-files.js';
import { ensureBuilderImage } from '../../src-main/builder/builder-image.js';
import { BuilderSession } from '../../src-main/builder/builder-session.js';
import { dockerEngine } from '../../src-main/docker/docker-engine.js';
import { JobContext } from '../../src-main/jobs/job-context.js';
import { skipReason } from './support.js';

const env = inject('integration');
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

describe.skipIf(skipReason(env, 'docker') !== undefined)('a remote builder\'s /out', () => {
  const events: JobEvent[] = [];
  const abort = new AbortController();
  const ctx = new JobContext('remote-out-test', abort.signal, (e) => events.push(e));
  let docker: Docker;
  let session: BuilderSession;
  let out = '';
  let inputs = '';

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'kf-remote-out-'));
    inputs = await mkdtemp(join(tmpdir(), 'kf-remote-in-'));
    await writeFile(join(inputs, 'in.txt'), 'input\n');
    // An earlier build's file, which a step of this one reuses (as the VHD reuses the EFI disk).
    await writeFile(join(out, 'earlier.raw'), 'earlier disk\n');
    docker = await dockerEngine();
    const builder = await ensureBuilderImage(docker, ctx, out);
    session = await BuilderSession.start(docker, builder, {
      outputDir: out,
      jobId: 'remote-out-test',
      signal: abort.signal,
      remote: true,
      readOnly: { '/in/data': inputs },
      report: { meter: (step, total) => ctx.meter('artifacts', step, 'bytes', total), log: (line) => ctx.log('artifacts', line) },
    });
  });
  afterAll(async () => {
    await session?.close();
    await rm(out, { recursive: true, force: true });
    await rm(inputs, { recursive: true, force: true });
  });

  it('has no bind mount, and the inputs copied in', async () => {
    const info = await session.container.inspect();
    expect(info.Mounts.filter((m) => m.Type === 'bind')).toEqual([]);
    expect(info.HostConfig.Binds ?? []).toEqual([]);
    const lines: string[] = [];
    await session.exec(['cat', '/in/data/in.txt'], { what: 'cat', onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['input']);
  });

  it('brings an artifact, its side file and a folder into the local output folder, checksummed', async () => {
    const info = await withOutputFiles(session, out, abort.signal, async (files) => {
      const disk = files.partial('d.raw').builder;
      const bmap = files.partial('d.raw.bmap').builder;
      await session.script(`printf disk > ${disk}; printf '<bmap/>' > ${bmap}`, { what: 'make' });
      return files.publish('raw-efi', 'd.raw', ['bmap']);
    });
    expect(info).toEqual({ kind: 'raw-efi', path: join(out, 'd.raw'), size: 4, sha256: sha('disk') });
    expect(await readFile(join(out, 'd.raw.sha256'), 'utf8')).toBe(`${sha('disk')}  d.raw\n`);
    expect(await readFile(join(out, 'd.raw.bmap'), 'utf8')).toBe('<bmap/>');
    // The builder's copy took its final name too: a later step finds /out/d.raw.
    expect((await session.exec(['test', '-f', '/out/d.raw'], { what: 'test' })).exitCode).toBe(0);
    expect(events.some((e) => e.kind === 'log' && /^Downloaded d\.raw\.partial: 4 B in [\d.]+ s \(.+\/s\)$/.test(e.line))).toBe(true);

    await withOutputFiles(session, out, abort.signal, async (files) => {
      const stage = await files.folder('net');
      await session.script(`printf a > ${stage.builder}/a; printf b > ${stage.builder}/b`, { what: 'make folder' });
      await files.fetch('net');
      expect((await readdir(stage.host)).sort()).toEqual(['a', 'b']);
    });
    expect((await readdir(out)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('puts an earlier build\'s file at /out for a step that reuses it', async () => {
    await session.pushOut('earlier.raw');
    const lines: string[] = [];
    await session.exec(['cat', '/out/earlier.raw'], { what: 'cat', onLine: (l) => lines.push(l) });
    expect(lines).toEqual(['earlier disk']);
  });

  it('removes the partials of a failed step here and in the builder', async () => {
    await expect(
      withOutputFiles(session, out, abort.signal, async (files) => {
        await session.script(`printf x > ${files.partial('bad.iso').builder}`, { what: 'make' });
        await files.fetch('bad.iso');
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect((await readdir(out)).filter((n) => n.startsWith('bad.iso'))).toEqual([]);
    expect((await session.exec(['test', '-e', '/out/bad.iso.partial'], { what: 'test' })).exitCode).not.toBe(0);
  });
});
