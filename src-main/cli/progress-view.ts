// Shows job events in a terminal: log lines scroll, one progress line redraws under them. Without
// a terminal (CI, pipes) it prints plain lines, and progress only every 10 % or 15 s.
import type { JobEvent, ProgressEvent } from '../../src-shared/jobs/job-events.js';
import { formatDuration, formatProgress } from '../../src-shared/util/format.js';

export interface ProgressViewOptions {
  readonly verbose: boolean;
  readonly json: boolean;
  readonly out?: NodeJS.WriteStream;
}

export class ProgressView {
  private readonly out: NodeJS.WriteStream;
  private readonly tty: boolean;
  private statusLine = '';
  private lastPlain = new Map<string, { percent: number; time: number }>();

  constructor(private readonly options: ProgressViewOptions) {
    this.out = options.out ?? process.stderr;
    this.tty = Boolean(this.out.isTTY) && !options.json;
  }

  handle = (event: JobEvent): void => {
    if (this.options.json) {
      process.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    switch (event.kind) {
      case 'log':
        if (event.level === 'info' || this.options.verbose) this.print(event.line);
        break;
      case 'phase':
        if (event.state === 'started') this.print(`▶ ${event.phase}`);
        else if (event.state === 'cached') this.print(`✓ ${event.phase} (cached)`);
        else if (event.state === 'done') this.print(`✓ ${event.phase}${event.seconds !== undefined ? ` (${formatDuration(event.seconds)})` : ''}`);
        else if (event.state === 'failed') this.print(`✗ ${event.phase}`);
        break;
      case 'progress':
        this.progress(event);
        break;
      case 'done':
      case 'error':
        this.clearStatus();
        break;
    }
  };

  private progress(event: ProgressEvent): void {
    const line = formatProgress(event);
    if (this.tty) {
      const width = this.out.columns ?? 100;
      this.statusLine = line.length > width - 1 ? line.slice(0, width - 1) : line;
      this.out.write(`\r\x1b[2K${this.statusLine}`);
      return;
    }
    const percent = event.total ? Math.floor((event.done / event.total) * 10) * 10 : -1;
    const last = this.lastPlain.get(event.step);
    const now = Date.now();
    if (last && last.percent === percent && now - last.time < 15000) return;
    this.lastPlain.set(event.step, { percent, time: now });
    this.out.write(`  ${line}\n`);
  }

  print(line: string): void {
    if (this.tty && this.statusLine) {
      this.out.write(`\r\x1b[2K${line}\n${this.statusLine}`);
    } else {
      this.out.write(`${line}\n`);
    }
  }

  clearStatus(): void {
    if (this.tty && this.statusLine) this.out.write('\r\x1b[2K');
    this.statusLine = '';
  }
}
