// The flash helper's command line, written by the app (elevation.ts) and read by the helper:
//   --io DIR         talk through files in DIR instead of stdio (Windows UAC, see helper-channel.ts)
//   --watch-pid PID  the app: the helper stops when it is gone, also when sudo or an elevated
//                    PowerShell sits between them and its stdin stays open
// Anything else is ignored: the AppImage launcher passes --no-sandbox (elevation-appimage.ts), and
// under `-e` the arguments start at argv[1] rather than after a script path.

export interface HelperArgs {
  readonly ioDir?: string;
  readonly watchPid?: number;
}

export function helperArgs(args: HelperArgs): string[] {
  return [...(args.ioDir !== undefined ? ['--io', args.ioDir] : []), ...(args.watchPid !== undefined ? ['--watch-pid', String(args.watchPid)] : [])];
}

export function parseHelperArgs(argv: ReadonlyArray<string>): HelperArgs {
  let ioDir: string | undefined;
  let watchPid: number | undefined;
  for (let i = 1; i < argv.length - 1; i++) {
    const value = argv[i + 1]!;
    if (argv[i] === '--io' && value !== '') ioDir = value;
    if (argv[i] === '--watch-pid' && /^[1-9]\d{0,9}$/.test(value)) watchPid = Number(value);
  }
  return { ...(ioDir !== undefined ? { ioDir } : {}), ...(watchPid !== undefined ? { watchPid } : {}) };
}
