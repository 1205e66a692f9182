// A build into an output folder that cannot take it: a full tmpfs, a read-only one. Each ends with
// one error line that names the folder and what to do, points at the step's log, and leaves no
// partial (nor half-written) artifact and no container behind. Cancelling during an artifact step
// leaves no partial either. Needs root (mount) and Docker; the example image is cached by
// global-setup, so each build is the kairosify check plus the failing step.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { REPO, cli, containerIds, skipReason } from './support.js';

const env = inject('integration');

function rootReason(): string | undefined {
  if (process.getuid?.() === 0) return undefined;
  const reason = 'not root: mounting the small and read-only tmpfs folders needs root';
  console.warn(`[integration] skipped: ${reason}`);
  return reason;
}

const skip = skipReason(env, 'docker') ?? rootReason();

let base = '';
const mounted: string[] = [];

async function mountTmpfs(name: string, options: string): Promise<string> {
  const path = join(base, name);
  await mkdir(path, { recursive: true });
  await execa('mount', ['-t', 'tmpfs', '-o', options, `kf-${name}`, path]);
  mounted.push(path);
  return path;
}

/** Every file and folder under a folder, relative to it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}

function errorLines(output: string): string[] {
  return output.split('\n').filter((l) => l.startsWith('error: '));
}

/** The example recipe with other artifacts. */
/** Builds through the CLI as a user does; the build must fail with exit 1 and exactly one error line, returned. */
async function failedBuild(recipe: string, output: string): Promise<{ readonly all: string; readonly line: string }> {
  const result = await cli(['build', recipe, '--output', output]);
  expect(result.exitCode, result.all.slice(-2000)).toBe(1);
  const lines = errorLines(result.all);
  expect(lines, result.all.slice(-2000)).toHaveLength(1);
  return { all: result.all, line: lines[0]! };
}

async function recipeWith(artifacts: string): Promise<string> {
  const example = await readFile(join(REPO, 'examples/debian-bookworm.yaml'), 'utf8');
  const path = join(base, `recipe-${artifacts.replace(/\W+/g, '-')}.yaml`);
  await writeFile(path, example.replace(/^artifacts: .*$/m, `artifacts: [${artifacts}]`));
  return path;
}

describe.skipIf(skip !== undefined)('building into a folder that cannot take it', () => {
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'kf-outerr-'));
  });

  afterAll(async () => {
    for (const path of mounted.reverse()) await execa('umount', [path]).catch(() => execa('umount', ['-l', path]));
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('a full output folder (8 MiB tmpfs): one line naming the folder, the remedy and the log; no partial ISO', async () => {
    const full = await mountTmpfs('full', 'size=8m,mode=0755');
    const before = await containerIds();
    const result = await failedBuild('examples/debian-bookworm.yaml', full);
    const log = join(full, 'logs', 'debian-bookworm-iso.log');
    expect(result.line).toBe(`error: No space left in ${full} (ISO build). Free space on its drive, or choose another output folder; the full output is in ${log}`);
    expect(result.all).not.toContain('bug in Kairos Factory');
    // The step's log holds the tool's own words.
    expect(await readFile(log, 'utf8')).toMatch(/exceeds free space on media|No space left on device/);
    const files = await tree(full);
    expect(files.filter((f) => f.endsWith('.partial') || f.includes('.partial'))).toEqual([]);
    expect(files).not.toContain('debian-bookworm.iso');
    expect(files).not.toContain('debian-bookworm.iso.sha256');
    expect(await containerIds()).toEqual(before);
  });

  it('a disk that fills up while the artifact is written (rootfs tarball): the half-written partial is removed', async () => {
    const full = await mountTmpfs('fills', 'size=6m,mode=0755');
    const recipe = await recipeWith('rootfs-tar');
    const result = await failedBuild(recipe, full);
    const log = join(full, 'logs', 'debian-bookworm-rootfs-tar.log');
    expect(result.line).toBe(`error: No space left in ${full} (rootfs tarball). Free space on its drive, or choose another output folder; the full output is in ${log}`);
    expect(await readFile(log, 'utf8')).toContain('No space left on device');
    const files = await tree(full);
    expect(files.filter((f) => f.includes('.partial'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('debian-bookworm.rootfs.tar.zst'))).toEqual([]);
  });

  // The preflight finds these before anything runs (no container, no file), as a problem of the
  // option that named the folder: exit 2, as any input the user must fix.
  it('a read-only output folder: one line saying so and what to do; nothing written', async () => {
    const ro = await mountTmpfs('ro', 'ro,size=1m');
    const before = await containerIds();
    const result = await cli(['build', 'examples/debian-bookworm.yaml', '--output', ro]);
    expect(result.exitCode, result.all.slice(-2000)).toBe(2);
    expect(errorLines(result.all)).toEqual([`error: --output: the output folder ${ro} is on a read-only file system: choose a writable output folder (or remount its drive read-write). Fix the option named above`]);
    expect(await tree(ro)).toEqual([]);
    expect(await containerIds()).toEqual(before);
  });

  it('a folder inside a read-only one: the same, for the folder asked for', async () => {
    const ro = mounted.find((m) => m.endsWith('/ro')) ?? (await mountTmpfs('ro', 'ro,size=1m'));
    const result = await cli(['build', 'examples/debian-bookworm.yaml', '--output', join(ro, 'out')]);
    expect(result.exitCode).toBe(2);
    expect(errorLines(result.all)).toEqual([`error: --output: the output folder ${join(ro, 'out')} is on a read-only file system: choose a writable output folder (or remount its drive read-write). Fix the option named above`]);
  });

  it('Ctrl-C while the ISO is written: exit 130, no partial, no container', async () => {
    const out = join(base, 'cancel');
    const before = await containerIds();
    const child = execa('node', ['bin/kairos-factory.js', 'build', await recipeWith('iso'), '--output', out], { cwd: REPO, reject: false, all: true });
    let output = '';
    child.all?.setEncoding('utf8');
    child.all?.on('data', (text: string) => {
      output += text;
    });
    const deadline = Date.now() + 600_000;
    // The ISO's partial file exists: xorriso is writing it.
    const writing = async (): Promise<boolean> => (await readdir(out).catch(() => [] as string[])).includes('debian-bookworm.iso.partial');
    while (!(await writing()) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(await writing(), output.slice(-2000)).toBe(true);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, output.slice(-2000)).toBe(130);
    expect(result.all).toMatch(/error: Cancelled/);
    const files = await tree(out);
    expect(files.filter((f) => f.includes('.partial'))).toEqual([]);
    expect(files).not.toContain('debian-bookworm.iso');
    expect(await containerIds()).toEqual(before);
  });
});
