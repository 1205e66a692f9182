// The newest lines of a job's log within a byte budget: what the history keeps of a job's log on
// disk (a build can log megabytes of tool output; the history must not grow with it).

/** The bytes of log kept per job (the newest), on disk next to history.json. */
export const LOG_FILE_CAP = 2 * 1024 * 1024;

/** The first line of a log whose older lines were dropped: the file says so itself. */
export const DROPPED_NOTE = '[older lines dropped: the history keeps the newest 2 MiB of a log]';

export class LogTail {
  private lines: string[] = [];
  /** Index of the first kept line in `lines`: dropping from the head is a cursor move, compacted now and then. */
  private head = 0;
  private bytes = 0;
  private total = 0;
  private dropped = false;

  constructor(private readonly cap = LOG_FILE_CAP) {}

  add(line: string): void {
    this.total++;
    const size = Buffer.byteLength(line) + 1;
    this.lines.push(line);
    this.bytes += size;
    while (this.bytes > this.cap && this.head < this.lines.length) {
      this.bytes -= Buffer.byteLength(this.lines[this.head]!) + 1;
      this.head++;
      this.dropped = true;
    }
    if (this.head > 1024 && this.head * 2 > this.lines.length) {
      this.lines = this.lines.slice(this.head);
      this.head = 0;
    }
  }

  /** The kept lines as the file holds them: one per line, each ending in a newline; DROPPED_NOTE first when lines were dropped. */
  text(): string {
    const kept = this.lines.slice(this.head);
    if (this.dropped) kept.unshift(DROPPED_NOTE);
    return kept.length === 0 ? '' : `${kept.join('\n')}\n`;
  }

  /** Lines logged in all, dropped ones included. */
  get count(): number {
    return this.total;
  }

  /** Whether older lines were dropped to stay within the budget. */
  get truncated(): boolean {
    return this.dropped;
  }
}
