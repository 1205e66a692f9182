// Logging in on a VM's serial console, as a person at a terminal would: the user at the getty's
// `login:` prompt, the password at `Password:`, then a command whose output proves the shell runs
// as that user. Pure: fed the console text as it arrives, it says what to type and, at the end,
// whether the login worked.
import { cleanConsoleText, hostnameMatcher } from './serial-verdict.js';

export interface LoginCredentials {
  readonly user: string;
  readonly password: string;
}

export type LoginOutcome =
  | { readonly status: 'passed'; readonly line: string }
  | { readonly status: 'failed'; readonly line: string; readonly reason: string };

/** What the dialogue waits for next. */
export type LoginStep = 'login prompt' | 'password prompt' | 'shell prompt' | 'marker';

export interface LoginAction {
  /** Text to type on the console now (Enter is a carriage return, as a terminal sends it). */
  readonly type?: string;
  /** Set once the dialogue is over. */
  readonly outcome?: LoginOutcome;
}

const MARKER = 'KF-LOGIN';
/** The command typed at the shell: its output names the user and the host, expanded. */
export const LOGIN_COMMAND = `echo ${MARKER}-$(id -un)-$(hostname)`;
const PROMPT = /(?:^|\s)\S+ login: ?$/;
const PROMPT_LINE = /^\S+ login: /;
const PASSWORD = /Password: ?$/i;
const SHELL = /[$#] ?$/;
/** A shell prompt with other output after it on its line (a late kernel or cloud-init message). */
const SHELL_LINE = /^(?:\S+@\S+:\S*)?[$#] \S/;
const INCORRECT = /Login incorrect/;
// Expanded output only: the echo of the typed command has "$(" right after the marker.
const MARKER_LINE = new RegExp(`${MARKER}-([^\\s$(]+)`);
/** How often a prompt may come back before the dialogue gives up (a getty restart, a garbled line). */
const MAX_TRIES = 3;

export class LoginDialogue {
  private carry = '';
  private stepValue: LoginStep = 'login prompt';
  private outcomeValue: LoginOutcome | undefined;
  /** Whole lines seen since the last typing: a prompt counts only once the console moved on. */
  private linesSinceTyping = 1;
  private tries = 0;
  private readonly hostname: RegExp | undefined;

  /** `hostname`, when given, must also be what the shell's `hostname` prints. */
  constructor(
    private readonly credentials: LoginCredentials,
    options: { readonly hostname?: string | RegExp } = {},
  ) {
    this.hostname = options.hostname === undefined ? undefined : hostnameMatcher(options.hostname);
  }

  get step(): LoginStep {
    return this.stepValue;
  }

  get outcome(): LoginOutcome | undefined {
    return this.outcomeValue;
  }

  /** Feeds console output; returns what to type now, and the outcome once there is one. */
  feed(chunk: string): LoginAction {
    if (this.outcomeValue) return { outcome: this.outcomeValue };
    const lines = (this.carry + cleanConsoleText(chunk)).split('\n');
    this.carry = lines.pop() ?? '';
    let typed: string | undefined;
    for (const raw of lines) {
      const line = raw.trim();
      if (this.judgeLine(line)) return { outcome: this.outcomeValue! };
      this.linesSinceTyping++;
      // A prompt followed by other output on its line (a late systemd message) still asks.
      if (this.stepValue === 'login prompt' && PROMPT_LINE.test(line)) typed = this.answer() ?? typed;
      // The same for the shell's first prompt: cloud-init's final messages land right after it.
      else if (this.stepValue === 'shell prompt' && SHELL_LINE.test(line)) typed = this.answer() ?? typed;
    }
    if (typed === undefined && this.linesSinceTyping > 0 && this.asks(this.carry.trimStart())) typed = this.answer();
    if (this.outcomeValue) return { outcome: this.outcomeValue };
    return typed === undefined ? {} : { type: typed };
  }

  /** A whole line: the end of the dialogue (a failed login, the marker), or nothing. */
  private judgeLine(line: string): boolean {
    if (this.stepValue !== 'login prompt' && INCORRECT.test(line)) {
      this.outcomeValue = { status: 'failed', line, reason: `Login incorrect: ${this.credentials.user} could not log in with the password given` };
      return true;
    }
    const marker = this.stepValue === 'marker' ? MARKER_LINE.exec(line) : null;
    if (!marker) return false;
    const [user, host] = splitMarker(marker[1]!, this.credentials.user);
    if (user !== this.credentials.user) {
      this.outcomeValue = { status: 'failed', line, reason: `logged in, but the shell runs as ${user}, not ${this.credentials.user}` };
    } else if (this.hostname && !this.hostname.test(host)) {
      this.outcomeValue = { status: 'failed', line, reason: `logged in, but the shell's hostname is ${host}` };
    } else {
      this.outcomeValue = { status: 'passed', line };
    }
    return true;
  }

  /** Whether the open line is the prompt the dialogue waits for. */
  private asks(open: string): boolean {
    switch (this.stepValue) {
      case 'login prompt':
        return PROMPT.test(open);
      case 'password prompt':
        return PASSWORD.test(open) || PROMPT.test(open);
      case 'shell prompt':
      case 'marker':
        return SHELL.test(open);
    }
  }

  /** What to type at the prompt just seen, moving to the next step. */
  private answer(): string | undefined {
    const open = this.carry.trim();
    const step = this.stepValue;
    // The getty asking for the user again (it restarted), or the shell's prompt again without
    // the command's output (a garbled line): the same answer once more, a few times at most.
    const again = (step === 'password prompt' && !PASSWORD.test(open)) || step === 'marker';
    if (again && ++this.tries >= MAX_TRIES) {
      this.outcomeValue = { status: 'failed', line: open, reason: `the login did not finish: the console kept asking again ("${open}")` };
      return undefined;
    }
    const [text, next]: readonly [string, LoginStep] =
      step === 'login prompt' || (step === 'password prompt' && again)
        ? [this.credentials.user, 'password prompt']
        : step === 'password prompt'
          ? [this.credentials.password, 'shell prompt']
          : [LOGIN_COMMAND, 'marker'];
    this.stepValue = next;
    this.linesSinceTyping = 0;
    return `${text}\r`;
  }
}

/** "kairos-kairos-3f0a" for user "kairos" -> ["kairos", "kairos-3f0a"]; another user up to its first dash. */
function splitMarker(value: string, expectedUser: string): readonly [string, string] {
  if (value.startsWith(`${expectedUser}-`)) return [expectedUser, value.slice(expectedUser.length + 1)];
  const dash = value.indexOf('-');
  return dash < 0 ? [value, ''] : [value.slice(0, dash), value.slice(dash + 1)];
}
