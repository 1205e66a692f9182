// Reading a VM's serial console: has the booted system reached userspace, or did the boot fail?
// And, when a hostname is expected, did it boot under that name? Pure; fed the console text as it
// arrives.

export type Verdict =
  | { readonly status: 'passed'; readonly line: string }
  | { readonly status: 'failed'; readonly line: string; readonly reason: string };

export interface SerialExpectations {
  /**
   * The name the login prompt must show (`<hostname> login:`): a regular expression the whole
   * name must match (a plain name matches itself), e.g. `kairos-[0-9a-f]{4}` for a recipe's
   * `kairos-{{ trunc 4 .MachineID }}`. With it, only the login prompt passes (it shows the name).
   */
  readonly hostname?: string | RegExp;
}

/** The getty's prompt; its first word is the machine's hostname. */
const LOGIN_PROMPT = /^(\S+) login: ?/;
// A bare "Reached target" is not enough: the initrd prints those too, also while failing.
const USERSPACE: ReadonlyArray<RegExp> = [/Reached target .*multi-user\.target/, /Reached target Multi-User System/];

/** A hostname expectation as a pattern the whole name must match; throws on a bad expression. */
export function hostnameMatcher(hostname: string | RegExp): RegExp {
  const source = typeof hostname === 'string' ? hostname : hostname.source;
  return new RegExp(`^(?:${source})$`, typeof hostname === 'string' ? '' : hostname.flags.replace(/[gy]/g, ''));
}

/** The verdict on the hostname a login prompt shows. */
export function judgeHostname(name: string, expected: string | RegExp, line: string): Verdict {
  if (hostnameMatcher(expected).test(name)) return { status: 'passed', line };
  if (name === 'localhost') return { status: 'failed', line, reason: "booted as localhost: the cloud-config's hostname was not applied" };
  const shown = typeof expected === 'string' ? expected : expected.source;
  return { status: 'failed', line, reason: `booted as ${name}, not as the expected hostname (${shown})` };
}

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
  private readonly hostname: string | RegExp | undefined;

  constructor(expect: SerialExpectations = {}) {
    // A bad expression fails here, before any boot.
    if (expect.hostname !== undefined) hostnameMatcher(expect.hostname);
    this.hostname = expect.hostname;
  }

  /** Feeds console output; returns the verdict once there is one. */
  feed(chunk: string): Verdict | undefined {
    if (this.verdictValue) return this.verdictValue;
    const lines = (this.carry + cleanConsoleText(chunk)).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) {
      const v = this.judge(line);
      if (v) return (this.verdictValue = v);
    }
    // A login prompt has no newline after it: look at the unfinished line too (other failures
    // wait for their whole line).
    const partial = this.judge(this.carry);
    if (partial && (partial.status === 'passed' || LOGIN_PROMPT.test(this.carry.trim()))) return (this.verdictValue = partial);
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
    // The prompt alone: a late message (cloud-init's) may follow it on its line.
    const prompt = LOGIN_PROMPT.exec(line);
    const shown = prompt?.[0].trim() ?? '';
    if (prompt) return this.hostname !== undefined ? judgeHostname(prompt[1]!, this.hostname, shown) : { status: 'passed', line: shown };
    // Userspace without a name: enough unless a hostname is expected, which only the prompt shows.
    if (this.hostname === undefined) for (const pattern of USERSPACE) if (pattern.test(line)) return { status: 'passed', line };
    return undefined;
  }
}
