// How the flash helper is started with the rights to write a drive, per OS. Pure: the command
// lines are unit-tested. The GUI itself never runs elevated. Every line hands the helper the app's
// pid (--watch-pid): it stops when the app is gone, even with sudo or PowerShell in between.
//   Linux:   pkexec (polkit's password prompt). pkexec clears the environment, so an Electron
//            runtime gets ELECTRON_RUN_AS_NODE through env(1); from an AppImage, root re-runs the
//            .AppImage (elevation-appimage.ts). Not needed as root.
//   macOS:   sudo -A with an askpass script that asks through a system dialog (osascript): unlike
//            `do shell script ... with administrator privileges` it keeps the helper's stdio live.
//            ELECTRON_RUN_AS_NODE through env(1) too: sudoers may refuse --preserve-env.
//   Windows: UAC (elevation-windows.ts). An elevated process cannot inherit the app's pipes, so
//            there the helper is given a private folder and reads its job from, and writes its
//            events to, files in it (--io DIR); still no socket.
import { appImageCommand, type AppImageLaunch } from './elevation-appimage.js';
import { UAC_REFUSED_EXIT, uacCommandArgs } from './elevation-windows.js';
import { helperArgs } from './helper-args.js';

export interface ElevationInput {
  readonly platform: NodeJS.Platform;
  /** Effective uid 0 (POSIX) or an elevated token (Windows), or no drive to write. */
  readonly elevated: boolean;
  /** The runtime: node, or the Electron binary (then run as node). */
  readonly runtime: string;
  readonly runtimeIsElectron: boolean;
  readonly helperScript: string;
  /** The app's process id. */
  readonly appPid: number;
  /** Linux: the app runs from this AppImage (appImageLaunch). */
  readonly appImage?: AppImageLaunch;
  /** macOS: the askpass script shipped in resources. */
  readonly askpass?: string;
  /** Windows: the private folder for --io. */
  readonly ioDir?: string;
}

export interface ElevationCommand {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly env: Readonly<Record<string, string>>;
  /** How the helper talks: its stdio, or files in ioDir (Windows UAC). */
  readonly transport: 'stdio' | 'io-dir';
}

/** env(1) is called by its absolute path: pkexec and sudo run it with a reset PATH. */
const ENV = '/usr/bin/env';

export function elevationCommand(i: ElevationInput): ElevationCommand {
  const runAsNode: Record<string, string> = i.runtimeIsElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  const watch = helperArgs({ watchPid: i.appPid });
  const helper = [i.helperScript, ...watch];
  const viaEnv = (runtimeArgs: ReadonlyArray<string>): string[] => (i.runtimeIsElectron ? [ENV, 'ELECTRON_RUN_AS_NODE=1', ...runtimeArgs] : [...runtimeArgs]);
  if (i.elevated) {
    return { command: i.runtime, args: helper, env: runAsNode, transport: 'stdio' };
  }
  switch (i.platform) {
    case 'linux':
      return i.appImage
        ? { command: 'pkexec', args: [ENV, 'ELECTRON_RUN_AS_NODE=1', ...appImageCommand(i.appImage, watch)], env: {}, transport: 'stdio' }
        : { command: 'pkexec', args: viaEnv([i.runtime, ...helper]), env: {}, transport: 'stdio' };
    case 'darwin':
      if (!i.askpass) throw new Error('macOS elevation needs the askpass script');
      return { command: 'sudo', args: ['-A', ...viaEnv([i.runtime, ...helper])], env: { SUDO_ASKPASS: i.askpass }, transport: 'stdio' };
    case 'win32':
      if (!i.ioDir) throw new Error('Windows elevation needs the io folder');
      return {
        command: 'powershell.exe',
        args: uacCommandArgs({ runtime: i.runtime, runtimeIsElectron: i.runtimeIsElectron, args: [i.helperScript, ...helperArgs({ ioDir: i.ioDir, watchPid: i.appPid })] }),
        env: {},
        transport: 'io-dir',
      };
    default:
      return { command: i.runtime, args: helper, env: runAsNode, transport: 'stdio' };
  }
}

/**
 * The exit codes that mean the user said no (or nobody could ask): pkexec's 126 and 127, sudo's 1
 * (askpass cancelled), and ERROR_CANCELLED from the UAC script. Only read when the helper sent no
 * result, so they are not confused with the helper's own exit codes.
 */
export function elevationRefused(platform: NodeJS.Platform, exitCode: number | undefined): boolean {
  if (platform === 'linux') return exitCode === 126 || exitCode === 127;
  if (platform === 'darwin') return exitCode === 1;
  if (platform === 'win32') return exitCode === UAC_REFUSED_EXIT;
  return false;
}
