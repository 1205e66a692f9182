// How the flash helper is started with the rights to write a drive, per OS. Pure: the command
// lines are unit-tested. The GUI itself never runs elevated.
//   Linux:   pkexec (polkit's password prompt); pkexec clears the environment, so an Electron
//            binary gets ELECTRON_RUN_AS_NODE through env(1). Not needed as root.
//   macOS:   sudo -A with an askpass script that asks through a system dialog (osascript): unlike
//            `do shell script ... with administrator privileges` it keeps the helper's stdio live.
//   Windows: UAC (Start-Process -Verb RunAs). An elevated process cannot inherit the app's pipes,
//            so there the helper is given a private folder and reads its job from, and writes its
//            events to, files in it (--io DIR); still no socket.

export interface ElevationInput {
  readonly platform: NodeJS.Platform;
  /** Effective uid 0 (POSIX) or an elevated token (Windows). */
  readonly elevated: boolean;
  /** The runtime: node, or the Electron binary (then run as node). */
  readonly runtime: string;
  readonly runtimeIsElectron: boolean;
  readonly helperScript: string;
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

function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function elevationCommand(i: ElevationInput): ElevationCommand {
  const runAsNode: Record<string, string> = i.runtimeIsElectron ? { ELECTRON_RUN_AS_NODE: '1' } : {};
  if (i.elevated) {
    return { command: i.runtime, args: [i.helperScript], env: runAsNode, transport: 'stdio' };
  }
  switch (i.platform) {
    case 'linux':
      return i.runtimeIsElectron
        ? { command: 'pkexec', args: ['env', 'ELECTRON_RUN_AS_NODE=1', i.runtime, i.helperScript], env: {}, transport: 'stdio' }
        : { command: 'pkexec', args: [i.runtime, i.helperScript], env: {}, transport: 'stdio' };
    case 'darwin':
      if (!i.askpass) throw new Error('macOS elevation needs the askpass script');
      return {
        command: 'sudo',
        args: ['-A', '--preserve-env=ELECTRON_RUN_AS_NODE', i.runtime, i.helperScript],
        env: { SUDO_ASKPASS: i.askpass, ...runAsNode },
        transport: 'stdio',
      };
    case 'win32': {
      if (!i.ioDir) throw new Error('Windows elevation needs the io folder');
      const args = [i.helperScript, '--io', i.ioDir].map(psQuote).join(',');
      const script = [
        i.runtimeIsElectron ? "$env:ELECTRON_RUN_AS_NODE='1';" : '',
        `$p = Start-Process -FilePath ${psQuote(i.runtime)} -ArgumentList ${args} -Verb RunAs -WindowStyle Hidden -Wait -PassThru;`,
        'exit $p.ExitCode',
      ].join(' ');
      return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script], env: {}, transport: 'io-dir' };
    }
    default:
      return { command: i.runtime, args: [i.helperScript], env: runAsNode, transport: 'stdio' };
  }
}

/** pkexec's exit codes when the user said no (126) or no agent could ask (127). */
export function elevationRefused(platform: NodeJS.Platform, exitCode: number | undefined): boolean {
  if (platform === 'linux') return exitCode === 126 || exitCode === 127;
  if (platform === 'darwin') return exitCode === 1;
  return false;
}
