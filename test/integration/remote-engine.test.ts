// Acceptance of remote engines: the Debian recipe built through DOCKER_HOST=ssh:// to an sshd on
// loopback whose forced command is `docker system dial-stdio` to the second dockerd (own data
// root, a network namespace with loopback only). The ISO must arrive in a LOCAL output folder
// with a matching checksum, no container of that engine may have a bind mount, and the build log
// must show one SSH connection carrying every request.
//
// Why the engine keeps its netns (no network): the images the build needs are loaded from the
// main engine with their whole parent chain (the intermediate images `docker history` lists), so
// `docker load` keeps the parent links and the classic builder's layer cache answers every
// kairosify step; nothing needs the network, and the test proves nothing tries it.
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseRecipeYaml } from '../../src-shared/recipe/parse-recipe.js';
import { requiredImages } from '../../src-shared/plan/required-images.js';
import { builderBaseImage, builderImageTag } from '../../src-main/builder/builder-image.js';
import { inspectImage } from '../../src-main/docker/ensure-image.js';
import { REPO, cli, skipReason, type CliResult } from './support.js';
import { secondEngineMissing, startSecondEngine, type SecondEngine } from './second-engine.js';

const env = inject('integration');
const SSHD = '/usr/sbin/sshd';
const skip =
  skipReason(env, 'docker') ??
  secondEngineMissing() ??
  (existsSync(SSHD) ? undefined : 'sshd is not installed (apt-get install openssh-server)');
if (skip !== undefined && process.env.KF_REQUIRE_INTEGRATION === '1') throw new Error(`KF_REQUIRE_INTEGRATION=1 but: ${skip}`);
if (skip !== undefined) console.warn(`[integration] remote engine skipped: ${skip}`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Image IDs of an image's parent chain on the main engine ("<missing>" ones were pulled, not built here). */
function chain(ref: string): string[] {
  return execSync(`docker history -q ${ref}`, { encoding: 'utf8' })
    .split('\n')
    .filter((id) => /^[0-9a-f]{12,}$/.test(id));
}

describe.skipIf(skip !== undefined)('a build through DOCKER_HOST=ssh:// to an engine elsewhere', () => {
  let engine: SecondEngine;
  let sshd: ChildProcess | undefined;
  let scratch = '';
  let port = 0;
  let result: CliResult;
  const created: Array<{ readonly name: string; readonly mounts: ReadonlyArray<{ readonly Type?: string; readonly Destination?: string }>; readonly binds: ReadonlyArray<string> }> = [];
  const recipeText = async (): Promise<string> => (await readFile(join(REPO, 'examples', 'debian-bookworm.yaml'), 'utf8')).replace(/^artifacts: .*$/m, 'artifacts: [iso]');

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'kf-remote-'));
    engine = await startSecondEngine('remote');

    // 1. What the build needs, from the main engine (global setup built it), with parent chains.
    const parsed = parseRecipeYaml(await recipeText());
    if (!parsed.ok) throw new Error('the example recipe does not parse');
    const main = new Docker();
    const builderTag = await builderImageTag(main);
    const refs = requiredImages(parsed.recipe, { builderBase: builderBaseImage(), ...(builderTag ? { builderTag } : {}) }).map((i) => i.ref);
    const present = await Promise.all(refs.map(async (ref) => ((await inspectImage(main, ref)) ? ref : undefined)));
    const wanted = present.filter((r): r is string => r !== undefined);
    const missingThere = (await Promise.all(wanted.map(async (ref) => ((await inspectImage(engine.docker, ref)) ? undefined : ref)))).filter((r): r is string => r !== undefined);
    if (missingThere.length > 0) {
      const ids = [...new Set(wanted.flatMap(chain))];
      execSync(`docker save ${[...wanted, ...ids].join(' ')} | docker -H ${engine.host} load -q`, { stdio: 'inherit', shell: '/bin/bash' });
    }

    // 2. An sshd of our own on loopback: its host key, our key pair, a forced dial-stdio command.
    port = await freePort();
    const home = join(scratch, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
    execSync(`ssh-keygen -q -t ed25519 -N '' -f ${scratch}/host_key`);
    execSync(`ssh-keygen -q -t ed25519 -N '' -f ${home}/.ssh/id_ed25519`);
    const clientKey = (await readFile(`${home}/.ssh/id_ed25519.pub`, 'utf8')).trim();
    const hostKey = (await readFile(`${scratch}/host_key.pub`, 'utf8')).trim().split(' ').slice(0, 2).join(' ');
    await writeFile(join(scratch, 'authorized_keys'), `command="DOCKER_HOST=${engine.host} docker system dial-stdio",restrict ${clientKey}\n`, { mode: 0o600 });
    await writeFile(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`, { mode: 0o600 });
    await writeFile(
      join(scratch, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${scratch}/host_key`,
        `AuthorizedKeysFile ${scratch}/authorized_keys`,
        `PidFile ${scratch}/sshd.pid`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'LogLevel VERBOSE',
      ].join('\n') + '\n',
    );
    await chmod(join(scratch, 'host_key'), 0o600);
    await mkdir('/run/sshd', { recursive: true });
    sshd = spawn(SSHD, ['-D', '-e', '-f', join(scratch, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let sshdLog = '';
    sshd.stderr?.on('data', (chunk: Buffer) => (sshdLog += chunk.toString()));
    for (let i = 0; i < 50 && !sshdLog.includes('Server listening'); i++) await new Promise((r) => setTimeout(r, 100));
    if (!sshdLog.includes('Server listening')) throw new Error(`sshd did not start:\n${sshdLog}`);

    // 3. Every container the remote engine creates, inspected as it is created.
    const events = (await engine.docker.getEvents({ filters: { type: ['container'], event: ['create'] } })) as NodeJS.ReadableStream;
    events.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const id = (JSON.parse(line) as { id?: string }).id;
        if (!id) continue;
        void engine.docker
          .getContainer(id)
          .inspect()
          .then((info) => created.push({ name: info.Name, mounts: info.Mounts, binds: info.HostConfig.Binds ?? [] }))
          .catch(() => undefined);
      }
    });

    // 4. The build, as a user runs it: the engine over SSH, the output folder here.
    const recipe = join(scratch, 'debian-bookworm.yaml');
    await writeFile(recipe, await recipeText());
    result = await cli(['build', recipe, '--output', join(scratch, 'out')], {
      DOCKER_HOST: `ssh://root@127.0.0.1:${port}`,
      HOME: home,
      SSH_AUTH_SOCK: '',
    });
    (events as unknown as { destroy(): void }).destroy();
    if (result.exitCode !== 0) console.error(result.all.slice(-4000));
    // What the log says of the link and the transfers, for whoever reads the test's output.
    for (const line of result.all.split('\n').filter((l) => /^(ssh: |Downloaded )/.test(l.trim()))) console.log(`[remote] ${line.trim()}`);
  }, 3_600_000);

  afterAll(async () => {
    sshd?.kill('SIGTERM');
    await engine?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('builds, and the ISO arrives in the local output folder with a matching checksum', async () => {
    expect(result.exitCode).toBe(0);
    const iso = join(scratch, 'out', 'debian-bookworm.iso');
    const line = await readFile(`${iso}.sha256`, 'utf8');
    expect(line).toBe(`${await sha256(iso)}  debian-bookworm.iso\n`);
    expect(result.all).toMatch(/Downloaded debian-bookworm\.iso\.partial: .* in [\d.]+ s \(.*\/s\)/);
  });

  it('gave none of the remote engine\'s containers a bind mount', () => {
    // The builder at least, and the kairosify and validation containers.
    expect(created.some((c) => c.mounts.some((m) => m.Destination === '/cache'))).toBe(true);
    for (const c of created) {
      expect(c.binds, c.name).toEqual([]);
      expect(c.mounts.filter((m) => m.Type === 'bind'), c.name).toEqual([]);
    }
  });

  it('used one SSH connection for every request, and said so', () => {
    expect(result.all.match(/ssh: connected to root@127\.0\.0\.1:\d+/g)).toHaveLength(1);
    const counted = /ssh: 1 connection, (\d+) requests/.exec(result.all);
    expect(counted).not.toBeNull();
    expect(Number(counted?.[1])).toBeGreaterThan(10);
  });
});
