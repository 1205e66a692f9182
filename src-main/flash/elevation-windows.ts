// Windows: the helper started through UAC. Pure; the scripts are unit-tested (decoded), not run here.
//
// Two PowerShell scripts, each handed over as -EncodedCommand (base64 of UTF-16LE), so no
// quoting layer between Node, CreateProcess and PowerShell can break a path with spaces:
//   outer (the user's rights): starts the inner one elevated (ShellExecute verb "runas", the UAC
//     prompt), waits, and exits with its exit code; the user saying no is a Win32Exception with
//     code 1223 (ERROR_CANCELLED), turned into exit 1223 (elevationRefused).
//   inner (elevated): sets ELECTRON_RUN_AS_NODE in its own environment (an elevated process does
//     not get the caller's environment, whatever the caller set) and starts the runtime with a
//     command line quoted by the C runtime's rules, waits, and exits with the helper's exit code.
// Process.Start rather than `& 'exe' 'args'`: PowerShell does not wait for a GUI-subsystem program
// (Electron's exe is one), and Windows PowerShell 5.1 mis-quotes arguments holding `"` or ending
// in `\`. Process.Start rather than Start-Process: its exception carries the Win32 error code.

/** A PowerShell string literal: single quotes, a ' inside doubled. */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** One argument for a Windows command line, as CommandLineToArgvW and the C runtime read it back. */
export function windowsArg(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

export function windowsCommandLine(args: ReadonlyArray<string>): string {
  return args.map(windowsArg).join(' ');
}

/** PowerShell's -EncodedCommand form of a script. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export const UAC_REFUSED_EXIT = 1223;

export interface WindowsLaunch {
  readonly runtime: string;
  readonly runtimeIsElectron: boolean;
  /** The helper script and its arguments. */
  readonly args: ReadonlyArray<string>;
}

/** The elevated script: runs the helper and passes its exit code on. */
export function elevatedScript(launch: WindowsLaunch): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    ...(launch.runtimeIsElectron ? ["$env:ELECTRON_RUN_AS_NODE = '1'"] : []),
    '$si = New-Object System.Diagnostics.ProcessStartInfo',
    `$si.FileName = ${psQuote(launch.runtime)}`,
    `$si.Arguments = ${psQuote(windowsCommandLine(launch.args))}`,
    '$si.UseShellExecute = $false',
    '$si.CreateNoWindow = $true',
    '$p = [System.Diagnostics.Process]::Start($si)',
    '$p.WaitForExit()',
    'exit $p.ExitCode',
  ].join('\n');
}

/** The script run with the user's rights: asks UAC to run the elevated one. */
export function uacScript(elevated: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    '$si = New-Object System.Diagnostics.ProcessStartInfo',
    "$si.FileName = Join-Path $PSHOME 'powershell.exe'",
    `$si.Arguments = ${psQuote(`-NoProfile -NonInteractive -WindowStyle Hidden -EncodedCommand ${encodeCommand(elevated)}`)}`,
    "$si.Verb = 'runas'",
    '$si.UseShellExecute = $true',
    "$si.WindowStyle = 'Hidden'",
    'try {',
    '  $p = [System.Diagnostics.Process]::Start($si)',
    '} catch {',
    '  $e = $_.Exception',
    `  while ($e) { if ($e -is [System.ComponentModel.Win32Exception] -and $e.NativeErrorCode -eq ${UAC_REFUSED_EXIT}) { exit ${UAC_REFUSED_EXIT} }; $e = $e.InnerException }`,
    '  [Console]::Error.WriteLine($_.Exception.Message)',
    '  exit 1',
    '}',
    '$p.WaitForExit()',
    'exit $p.ExitCode',
  ].join('\n');
}

/** powershell.exe's arguments: the UAC script, encoded. */
export function uacCommandArgs(launch: WindowsLaunch): string[] {
  return ['-NoProfile', '-NonInteractive', '-EncodedCommand', encodeCommand(uacScript(elevatedScript(launch)))];
}
