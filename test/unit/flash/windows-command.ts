// Test support: reads back what elevation-windows.ts writes, by Windows' and PowerShell's rules.

/** PowerShell's -EncodedCommand: base64 of UTF-16LE. */
export function decodeCommand(encoded: string): string {
  return Buffer.from(encoded, 'base64').toString('utf16le');
}

/** The value of `NAME = '...'` in a script, its single-quoted literal undone. */
export function psAssignment(script: string, name: string): string {
  const at = script.indexOf(`${name} = '`);
  if (at < 0) throw new Error(`${name} is not assigned a string`);
  let value = '';
  for (let i = at + name.length + 4; i < script.length; i++) {
    if (script[i] === "'") {
      if (script[i + 1] !== "'") return value;
      i++;
    }
    value += script[i];
  }
  throw new Error(`${name}: unterminated string`);
}

/** A command line split as CommandLineToArgvW (and the C runtime since 2008) split it. */
export function parseWindowsCommandLine(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '\\') {
      let n = 0;
      while (line[i] === '\\') {
        n++;
        i++;
      }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else quoted = !quoted;
      } else {
        current += '\\'.repeat(n);
        i--;
      }
      inArg = true;
    } else if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        quoted = !quoted;
      }
      inArg = true;
    } else if ((ch === ' ' || ch === '\t') && !quoted) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}
