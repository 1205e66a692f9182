// How a packaged app starts the flash helper, run as far as this Linux machine allows: the
// AppImage command line root would run, through electron-builder's own AppRun (the AppImage
// runtime and Electron stood in for), and the folder layout electron-builder.yml unpacks, from
// which the helper must load what its bundle leaves out. No root needed.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { generateAppRunScript } from 'app-builder-lib/out/targets/appimage/appImageUtil.js';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { appImageLaunch } from '../../src-main/flash/elevation-appimage.js';
import { elevationCommand } from '../../src-main/flash/elevation.js';
import { HELPER_EXIT, LineSplitter, parseEvent, type HelperEvent } from '../../src-main/flash/helper-protocol.js';
import { HELPER_BUNDLE, withImageFile } from './image-file.js';
import { REPO } from './support.js';

const HELPER = HELPER_BUNDLE;
let dir = '';
let image = '';

withImageFile('kf-helper-launch-', 8 * 1024 * 1024, (made) => ({ dir, image } = made));

function exitCode(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('AppImage launch, the AppImage runtime simulated', () => {
  /**
   * What pkexec runs for an AppImage, run here as is: a script stands in for the AppImage runtime
   * (a folder with a space in its name as the mount; it sets APPDIR and APPIMAGE and starts
   * AppRun), AppRun is electron-builder's own, and node stands in for the Electron binary run as
   * node. `unshare` fails, as it does where user namespaces are off: AppRun then adds --no-sandbox.
   */
  async function fakeAppImage() {
    const root = await mkdtemp(join(dir, 'appimage '));
    const mount = join(root, 'mount dir');
    const inImage = 'resources/app.asar.unpacked/dist/flash-helper/helper.mjs';
    await cp(dirname(HELPER), dirname(join(mount, inImage)), { recursive: true });
    const appRun = generateAppRunScript({ ExecutableName: 'kairos-factory', DesktopFileName: 'kairos-factory.desktop', ProductFilename: 'Kairos Factory', ProductName: 'Kairos Factory', ResourceName: 'kairos-factory' });
    await writeFile(join(mount, 'AppRun'), appRun, { mode: 0o755 });
    await symlink(process.execPath, join(mount, 'kairos-factory'));
    const bin = join(root, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'unshare'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    const file = join(root, 'Kairos Factory-0.1.0.AppImage');
    await writeFile(file, `#!/bin/sh\nAPPDIR='${mount}' APPIMAGE="$0" exec '${mount}/AppRun' "$@"\n`, { mode: 0o755 });
    // The user's own mount, which root could not read: only its layout matters.
    const userMount = '/tmp/.mount_KairosXyZ';
    const launch = appImageLaunch({ APPIMAGE: file, APPDIR: userMount }, `${userMount}/${inImage}`);
    const command = elevationCommand({ platform: 'linux', elevated: false, runtime: `${userMount}/kairos-factory`, runtimeIsElectron: true, helperScript: `${userMount}/${inImage}`, appPid: process.pid, ...(launch ? { appImage: launch } : {}) });
    expect(command.command).toBe('pkexec');
    // pkexec starts its program with an environment of its own: here just a PATH with the failing unshare.
    return { args: command.args, env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` } };
  }

  it('loads the helper from the mount the AppImage runtime made, and does the job', async () => {
    const { args, env } = await fakeAppImage();
    const target = join(dir, 'appimage.img');
    const child = spawn(args[0]!, args.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const events: HelperEvent[] = [];
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const splitter = new LineSplitter();
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) {
        const event = parseEvent(line);
        if (event) events.push(event);
        if (event?.type === 'done' || event?.type === 'error') child.stdin!.end();
      }
    });
    child.stdin!.write(`${JSON.stringify({ type: 'flash', source: image, targets: [target], allowVirtual: true, verify: true })}\n`);
    expect(await exitCode(child), stderr).toBe(HELPER_EXIT.ok);
    expect(events.at(-1)?.type).toBe('done');
    expect((await readFile(target)).equals(await readFile(image))).toBe(true);
  });

  it('would be refused by Node without the --no-sandbox AppRun looks for', async () => {
    const { args, env } = await fakeAppImage();
    const without = args.filter((a) => a !== '--no-sandbox');
    const result = await execa(without[0]!, without.slice(1), { env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(result.exitCode).toBe(9);
    expect(result.stderr).toContain('bad option: --no-sandbox');
  });
});

describe('the packaged helper', () => {
  it("finds what its bundle leaves out (drivelist, for macOS and Windows) in app.asar.unpacked, as electron-builder.yml unpacks it", async () => {
    const { asarUnpack } = parseYaml(await readFile(join(REPO, 'electron-builder.yml'), 'utf8')) as { asarUnpack: string[] };
    const unpacked = join(await mkdtemp(join(dir, 'package-')), 'app.asar.unpacked');
    for (const pattern of asarUnpack) {
      const folder = pattern.replace(/\/\*\*$/, '');
      expect(folder, `${pattern}: only folder/** patterns are rebuilt here`).not.toMatch(/[*?{[]/);
      await cp(join(REPO, folder), join(unpacked, folder), { recursive: true });
    }
    const bundle = join(REPO, 'dist', 'flash-helper');
    const files = (await readdir(bundle, { recursive: true })).filter((f) => f.endsWith('.mjs'));
    const external = new Set<string>();
    for (const file of files) {
      const text = await readFile(join(bundle, file), 'utf8');
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) if (!isBuiltin(m[1]!)) external.add(m[1]!);
    }
    expect([...external]).toContain('drivelist');
    const helper = join(unpacked, 'dist', 'flash-helper', 'helper.mjs');
    const load = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(helper)}); for (const name of ${JSON.stringify([...external])}) require(name);`;
    const result = await execa('node', ['--input-type=module', '-e', load], { reject: false, cwd: unpacked });
    expect(result.exitCode, result.stderr).toBe(0);
  });
});
