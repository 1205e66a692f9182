import { describe, expect, it } from 'vitest';
import { hasEnded, parseProcStat } from '../../../src-main/flash/proc-stat.js';

describe('/proc/<pid>/stat', () => {
  it('reads state and parent, whatever the command name holds', () => {
    expect(parseProcStat('1234 (node) S 1200 1234 1200 0 -1 4194560 ...')).toEqual({ state: 'S', ppid: 1200 });
    expect(parseProcStat('99 (a) b) (c) R 1 99 99 0')).toEqual({ state: 'R', ppid: 1 });
    expect(parseProcStat('5 (Web Content) Z 4 0 0')).toEqual({ state: 'Z', ppid: 4 });
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('5 (x)')).toBeUndefined();
  });

  it('a zombie or dead process has ended', () => {
    expect(hasEnded({ state: 'Z', ppid: 1 })).toBe(true);
    expect(hasEnded({ state: 'X', ppid: 1 })).toBe(true);
    expect(hasEnded({ state: 'D', ppid: 1 })).toBe(false);
    expect(hasEnded({ state: 'S', ppid: 1 })).toBe(false);
  });
});
