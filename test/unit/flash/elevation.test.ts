import { describe, expect, it } from 'vitest';
import { appImageLaunch } from '../../../src-main/flash/elevation-appimage.js';
import { elevationCommand, elevationRefused } from '../../../src-main/flash/elevation.js';
import { parseHelperArgs } from '../../../src-main/flash/helper-args.js';
import { decodeCommand, parseWindowsCommandLine, psAssignment } from './windows-command.js';

const PID = 4242;
const node = { runtime: '/usr/bin/node', runtimeIsElectron: false, helperScript: '/home/Jane Doe/kairos factory/dist/flash-helper/helper.mjs', appPid: PID };
const linuxApp = { runtime: '/opt/Kairos Factory/kairos-factory', runtimeIsElectron: true, helperScript: '/opt/Kairos Factory/resources/app.asar.unpacked/dist/flash-helper/helper.mjs', appPid: PID };
const macApp = {
  runtime: '/Applications/Kairos Factory.app/Contents/MacOS/Kairos Factory',
  runtimeIsElectron: true,
  helperScript: '/Applications/Kairos Factory.app/Contents/Resources/app.asar.unpacked/dist/flash-helper/helper.mjs',
  appPid: PID,
  askpass: '/Applications/Kairos Factory.app/Contents/Resources/resources/macos/askpass.sh',
};
const winApp = {
  runtime: 'C:\\Program Files\\Kairos Factory\\Kairos Factory.exe',
  runtimeIsElectron: true,
  helperScript: 'C:\\Program Files\\Kairos Factory\\resources\\app.asar.unpacked\\dist\\flash-helper\\helper.mjs',
  appPid: PID,
  ioDir: "C:\\Users\\Jane O'Doe\\AppData\\Local\\Temp\\kf-flash-a1b2",
};

describe('elevationCommand', () => {
  it('runs the helper directly when no elevation is needed, on any OS, with the app pid to watch', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(elevationCommand({ ...node, platform, elevated: true })).toEqual({ command: '/usr/bin/node', args: [node.helperScript, '--watch-pid', '4242'], env: {}, transport: 'stdio' });
    }
    expect(elevationCommand({ ...linuxApp, platform: 'linux', elevated: true })).toEqual({ command: linuxApp.runtime, args: [linuxApp.helperScript, '--watch-pid', '4242'], env: { ELECTRON_RUN_AS_NODE: '1' }, transport: 'stdio' });
  });

  it('Linux: pkexec, each path one argument, ELECTRON_RUN_AS_NODE through env(1) since pkexec clears the environment', () => {
    expect(elevationCommand({ ...node, platform: 'linux', elevated: false })).toEqual({
      command: 'pkexec',
      args: ['/usr/bin/node', node.helperScript, '--watch-pid', '4242'],
      env: {},
      transport: 'stdio',
    });
    expect(elevationCommand({ ...linuxApp, platform: 'linux', elevated: false })).toEqual({
      command: 'pkexec',
      args: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/opt/Kairos Factory/kairos-factory', linuxApp.helperScript, '--watch-pid', '4242'],
      env: {},
      transport: 'stdio',
    });
  });

  it('Linux AppImage: root re-runs the .AppImage, which loads the helper from its own mount', () => {
    const mount = '/tmp/.mount_KairosAbC123';
    const helper = `${mount}/resources/app.asar.unpacked/dist/flash-helper/helper.mjs`;
    const appImage = appImageLaunch({ APPIMAGE: '/home/Jane Doe/Apps/Kairos Factory-0.1.0.AppImage', APPDIR: mount }, helper);
    expect(appImage).toEqual({ file: '/home/Jane Doe/Apps/Kairos Factory-0.1.0.AppImage', helperInImage: 'resources/app.asar.unpacked/dist/flash-helper/helper.mjs' });
    const cmd = elevationCommand({ ...linuxApp, runtime: `${mount}/kairos-factory`, helperScript: helper, platform: 'linux', elevated: false, ...(appImage ? { appImage } : {}) });
    expect(cmd.command).toBe('pkexec');
    const [env, runAsNode, runtime, e, loader, dashes, ...rest] = cmd.args;
    expect([env, runAsNode, runtime, e, dashes]).toEqual(['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', '/home/Jane Doe/Apps/Kairos Factory-0.1.0.AppImage', '-e', '--']);
    // Nothing of the user's mount in root's command line: root cannot read it.
    expect(cmd.args.some((a) => a.includes(mount))).toBe(false);
    expect(loader).toContain('process.env.APPDIR');
    expect(loader).toContain('"resources/app.asar.unpacked/dist/flash-helper/helper.mjs"');
    // --no-sandbox stops electron-builder's AppRun from adding it where Node would reject it.
    expect(rest).toEqual(['--no-sandbox', '--watch-pid', '4242']);
    expect(parseHelperArgs(['runtime', ...rest])).toEqual({ watchPid: PID });
  });

  it('AppImage: only when the helper really is inside the mounted image', () => {
    expect(appImageLaunch({}, '/tmp/.mount_x/helper.mjs')).toBeUndefined();
    expect(appImageLaunch({ APPIMAGE: '/a/K.AppImage' }, '/tmp/.mount_x/helper.mjs')).toBeUndefined();
    expect(appImageLaunch({ APPIMAGE: '/a/K.AppImage', APPDIR: '/tmp/.mount_x' }, '/home/dev/kf/dist/flash-helper/helper.mjs')).toBeUndefined();
    expect(appImageLaunch({ APPIMAGE: '/a/K.AppImage', APPDIR: '/tmp/.mount_x' }, '/tmp/.mount_xy/helper.mjs')).toBeUndefined();
  });

  it('macOS: sudo -A with the askpass dialog, ELECTRON_RUN_AS_NODE through env(1) (no --preserve-env for sudoers to refuse)', () => {
    expect(elevationCommand({ ...macApp, platform: 'darwin', elevated: false })).toEqual({
      command: 'sudo',
      args: ['-A', '/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', macApp.runtime, macApp.helperScript, '--watch-pid', '4242'],
      env: { SUDO_ASKPASS: macApp.askpass },
      transport: 'stdio',
    });
    expect(elevationCommand({ ...node, platform: 'darwin', elevated: false, askpass: macApp.askpass }).args).toEqual(['-A', '/usr/bin/node', node.helperScript, '--watch-pid', '4242']);
    expect(() => elevationCommand({ ...node, platform: 'darwin', elevated: false })).toThrow(/askpass/);
  });

  it('Windows: an encoded PowerShell script asks UAC to run an encoded elevated script, which sets the environment and quotes every path', () => {
    const cmd = elevationCommand({ ...winApp, platform: 'win32', elevated: false });
    expect(cmd.command).toBe('powershell.exe');
    expect(cmd.transport).toBe('io-dir');
    expect(cmd.env).toEqual({});
    expect(cmd.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    expect(cmd.args).toHaveLength(4);
    expect(cmd.args.join(' ').length).toBeLessThan(32_767);

    const outer = decodeCommand(cmd.args[3]!);
    expect(psAssignment(outer, '$si.Verb')).toBe('runas');
    expect(outer).toContain("$si.FileName = Join-Path $PSHOME 'powershell.exe'");
    // The user saying no to UAC: exit 1223, which elevationRefused reads as "permission not given".
    expect(outer).toMatch(/catch \{[\s\S]*NativeErrorCode -eq 1223\) \{ exit 1223 \}/);
    expect(outer).toMatch(/\$p\.WaitForExit\(\)\nexit \$p\.ExitCode$/);
    const elevatedArgs = parseWindowsCommandLine(psAssignment(outer, '$si.Arguments'));
    expect(elevatedArgs.slice(0, -1)).toEqual(['-NoProfile', '-NonInteractive', '-WindowStyle', 'Hidden', '-EncodedCommand']);

    const inner = decodeCommand(elevatedArgs.at(-1)!);
    // Set inside the elevated process: UAC does not pass the caller's environment on.
    expect(inner).toContain("$env:ELECTRON_RUN_AS_NODE = '1'");
    expect(psAssignment(inner, '$si.FileName')).toBe('C:\\Program Files\\Kairos Factory\\Kairos Factory.exe');
    expect(parseWindowsCommandLine(psAssignment(inner, '$si.Arguments'))).toEqual([winApp.helperScript, '--io', winApp.ioDir, '--watch-pid', '4242']);
    expect(inner).toContain('$si.UseShellExecute = $false');
    expect(inner).toMatch(/\$p\.WaitForExit\(\)\nexit \$p\.ExitCode$/);

    expect(() => elevationCommand({ ...winApp, ioDir: undefined, platform: 'win32', elevated: false } as never)).toThrow(/io folder/);
  });

  it('Windows with node as the runtime: no ELECTRON_RUN_AS_NODE', () => {
    const cmd = elevationCommand({ ...winApp, runtime: 'C:\\Program Files\\nodejs\\node.exe', runtimeIsElectron: false, platform: 'win32', elevated: false });
    const outer = decodeCommand(cmd.args[3]!);
    const inner = decodeCommand(parseWindowsCommandLine(psAssignment(outer, '$si.Arguments')).at(-1)!);
    expect(inner).not.toContain('ELECTRON_RUN_AS_NODE');
    expect(psAssignment(inner, '$si.FileName')).toBe('C:\\Program Files\\nodejs\\node.exe');
  });
});

describe('elevationRefused', () => {
  it('knows when the user refused the prompt, per OS', () => {
    expect(elevationRefused('linux', 126)).toBe(true);
    expect(elevationRefused('linux', 127)).toBe(true);
    expect(elevationRefused('linux', 1)).toBe(false);
    expect(elevationRefused('darwin', 1)).toBe(true);
    expect(elevationRefused('win32', 1223)).toBe(true);
    expect(elevationRefused('win32', 1)).toBe(false);
    expect(elevationRefused('win32', undefined)).toBe(false);
  });
});
