// Linux /proc/<pid>/stat, the little the flash helper needs from it: whether a process is still
// running (a killed one can linger as a zombie until reaped) and who its parent is now (a process
// whose parent died is handed to init or a subreaper at once, so a changed ppid means "orphaned").

export interface ProcStat {
  /** R, S, D, ... ; Z (zombie) and X (dead) mean it has ended. */
  readonly state: string;
  readonly ppid: number;
}

/** "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields count from the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const [state, ppid] = text.slice(close + 1).trim().split(/\s+/);
  if (!state || !ppid || !/^\d+$/.test(ppid)) return undefined;
  return { state, ppid: Number(ppid) };
}

export function hasEnded(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X' || stat.state === 'x';
}
