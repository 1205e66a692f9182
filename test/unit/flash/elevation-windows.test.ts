import { describe, expect, it } from 'vitest';
import { encodeCommand, psQuote, windowsArg, windowsCommandLine } from '../../../src-main/flash/elevation-windows.js';
import { decodeCommand, parseWindowsCommandLine, psAssignment } from './windows-command.js';

describe('Windows command lines', () => {
  it('quotes only what needs it', () => {
    expect(windowsArg('--io')).toBe('--io');
    expect(windowsArg('C:\\app\\helper.mjs')).toBe('C:\\app\\helper.mjs');
    expect(windowsArg('C:\\Program Files\\Kairos Factory\\Kairos Factory.exe')).toBe('"C:\\Program Files\\Kairos Factory\\Kairos Factory.exe"');
    expect(windowsArg('')).toBe('""');
  });

  it('reads back as the same arguments: spaces, quotes, backslashes before quotes and at the end', () => {
    const args = [
      'C:\\Users\\Jane Doe\\AppData\\Local\\Temp\\kf-flash-x',
      'C:\\dir with space\\',
      'C:\\trailing\\\\',
      'say "hi"',
      'back\\"slash',
      'a\\\\"b',
      '',
      "Jane O'Doe",
      'tab\there',
      'plain',
    ];
    expect(parseWindowsCommandLine(windowsCommandLine(args))).toEqual(args);
  });

  it('PowerShell literals and encoded commands round-trip', () => {
    const script = `$x = ${psQuote("C:\\Users\\Jane O'Doe\\x")}`;
    expect(psAssignment(script, '$x')).toBe("C:\\Users\\Jane O'Doe\\x");
    expect(decodeCommand(encodeCommand('Write-Output "é ✓"'))).toBe('Write-Output "é ✓"');
    expect(encodeCommand('a')).toBe(Buffer.from([0x61, 0]).toString('base64'));
  });
});
