// Reading a VM's serial console: has the booted system reached userspace, or did the boot fail?
// Pure; fed the console text as it arrives.

export type Verdict =
  | { readonly status: 'passed'; readonly line: string }
  | { readonly status: 'failed'; readonly line: string; readonly reason: string };

// A bare "Reached target" is not enough: the initrd prints those too, also while failing.
const SUCCESS: ReadonlyArray<RegExp> = [
  /^\S+ login: ?/,
  /Reached target .*multi-user\.target/,
  /Reached target Multi-User System/,
];

const FAILURE: ReadonlyArray<readonly [RegExp, string]> = [
  [/Kernel panic - not syncing/, 'kernel panic'],
  [/You are in emergency mode|Entering emergency mode/, 'systemd emergency mode'],
  [/Dropping to debug shell|Starting Dracut Emergency Shell|dracut:\/#/, 'the initrd gave up (dracut emergency shell)'],
  [/Boot has failed/, 'boot failed'],
  [/System halted/, 'system halted'],
  [/No bootable device|Boot failed: could not read the boot disk|No bootable option or device was found/, 'firmware found nothing to boot'],
];

// CSI sequences (parameter bytes 0x30-0x3f include the ?, = and > of firmware consoles), charset
// selections, and the short ESC commands.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>c78]/g;

export function cleanConsoleText(text: string): string {
  return text.replace(ESCAPES, '').replace(/\r/g, '\n');
}

// Prompts that wait for a human: no newline follows them, so they are matched on the open line.
const PROMPT_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^grub> ?$/, 'GRUB found no configuration and stopped at its prompt'],
  [/^grub rescue> ?$/, 'GRUB could not find its files (grub rescue prompt)'],
  [/^dracut:\/# ?$/, 'the initrd gave up (dracut emergency shell)'],
];

export class SerialWatcher {
  private carry = '';
  private verdictValue: Verdict | undefined;

  /** Feeds console output; returns the verdict once there is one. */
  feed(chunk: string): Verdict | undefined {
    if (this.verdictValue) return this.verdictValue;
    const lines = (this.carry + cleanConsoleText(chunk)).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) {
      const v = this.judge(line);
      if (v) return (this.verdictValue = v);
    }
    // A login prompt has no newline after it: look at the unfinished line too.
    const partial = this.judge(this.carry);
    if (partial && partial.status === 'passed') return (this.verdictValue = partial);
    const open = this.carry.trim();
    for (const [pattern, reason] of PROMPT_FAILURES) {
      if (pattern.test(open)) return (this.verdictValue = { status: 'failed', line: open, reason });
    }
    return undefined;
  }

  get verdict(): Verdict | undefined {
    return this.verdictValue;
  }

  private judge(raw: string): Verdict | undefined {
    const line = raw.trim();
    if (line === '') return undefined;
    for (const [pattern, reason] of FAILURE) if (pattern.test(line)) return { status: 'failed', line, reason };
    for (const pattern of SUCCESS) if (pattern.test(line)) return { status: 'passed', line };
    return undefined;
  }
}
