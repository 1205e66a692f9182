import { describe, expect, it } from 'vitest';
import { elevationCommand, elevationRefused } from '../../../src-main/flash/elevation.js';

const base = { runtime: '/usr/bin/node', runtimeIsElectron: false, helperScript: '/app/dist/flash-helper/helper.mjs' };

describe('elevationCommand', () => {
  it('runs the helper directly when already root, on any OS', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(elevationCommand({ ...base, platform, elevated: true })).toEqual({ command: '/usr/bin/node', args: ['/app/dist/flash-helper/helper.mjs'], env: {}, transport: 'stdio' });
    }
  });

  it('Linux: pkexec, with ELECTRON_RUN_AS_NODE through env(1) since pkexec clears the environment', () => {
    expect(elevationCommand({ ...base, platform: 'linux', elevated: false })).toEqual({
      command: 'pkexec',
      args: ['/usr/bin/node', '/app/dist/flash-helper/helper.mjs'],
      env: {},
      transport: 'stdio',
    });
    expect(elevationCommand({ ...base, runtime: '/opt/Kairos Factory/kairos-factory', runtimeIsElectron: true, platform: 'linux', elevated: false })).toEqual({
      command: 'pkexec',
      args: ['env', 'ELECTRON_RUN_AS_NODE=1', '/opt/Kairos Factory/kairos-factory', '/app/dist/flash-helper/helper.mjs'],
      env: {},
      transport: 'stdio',
    });
  });

  it('macOS: sudo -A with the askpass dialog, stdio kept', () => {
    expect(elevationCommand({ ...base, runtimeIsElectron: true, runtime: '/Applications/Kairos Factory.app/Contents/MacOS/Kairos Factory', platform: 'darwin', elevated: false, askpass: '/res/macos/askpass.sh' })).toEqual({
      command: 'sudo',
      args: ['-A', '--preserve-env=ELECTRON_RUN_AS_NODE', '/Applications/Kairos Factory.app/Contents/MacOS/Kairos Factory', '/app/dist/flash-helper/helper.mjs'],
      env: { SUDO_ASKPASS: '/res/macos/askpass.sh', ELECTRON_RUN_AS_NODE: '1' },
      transport: 'stdio',
    });
    expect(() => elevationCommand({ ...base, platform: 'darwin', elevated: false })).toThrow(/askpass/);
  });

  it("Windows: UAC through Start-Process -Verb RunAs, the helper talking through its io folder, quotes escaped", () => {
    const cmd = elevationCommand({ ...base, runtime: "C:\\Program Files\\Kairos Factory\\Kairos Factory.exe", runtimeIsElectron: true, helperScript: "C:\\app\\helper.mjs", platform: 'win32', elevated: false, ioDir: "C:\\Temp\\kf-flash-a'b" });
    expect(cmd.command).toBe('powershell.exe');
    expect(cmd.transport).toBe('io-dir');
    expect(cmd.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(cmd.args[3]).toBe(
      "$env:ELECTRON_RUN_AS_NODE='1'; $p = Start-Process -FilePath 'C:\\Program Files\\Kairos Factory\\Kairos Factory.exe' -ArgumentList 'C:\\app\\helper.mjs','--io','C:\\Temp\\kf-flash-a''b' -Verb RunAs -WindowStyle Hidden -Wait -PassThru; exit $p.ExitCode",
    );
  });

  it('knows when the user refused the prompt', () => {
    expect(elevationRefused('linux', 126)).toBe(true);
    expect(elevationRefused('linux', 127)).toBe(true);
    expect(elevationRefused('linux', 1)).toBe(false);
  });
});
