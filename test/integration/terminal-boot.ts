// Runs a qemu command line as a person runs it in a terminal (the serial console on stdin and
// stdout, `-serial stdio`), keeps the console in a log file, and reads it with the boot test's own
// pure readers: userspace reached, and when expected the hostname and a login.
import { createWriteStream } from 'node:fs';
import { execa } from 'execa';
import { LoginDialogue, type LoginOutcome } from '../../src-main/boot-test/login-dialogue.js';
import { SerialWatcher, type Verdict } from '../../src-main/boot-test/serial-verdict.js';
import type { RecipeIdentity } from './boot-expect.js';

export interface TerminalBoot {
  readonly verdict: Verdict | undefined;
  readonly login: LoginOutcome | undefined;
  readonly seconds: number;
  /** What the console printed after `afterLogin` was typed, up to its end marker; undefined if it never ended. */
  readonly afterLogin?: string;
}

/** Printed after the `afterLogin` commands: computed by the shell, so the echoed input never matches. */
const AFTER_MARK = 'KF-AFTER-LOGIN-DONE-42';
const AFTER_ECHO = 'echo KF-AFTER-LOGIN-DONE-$((6*7))';

export async function bootInTerminal(
  command: string,
  env: Readonly<Record<string, string>>,
  logFile: string,
  options: { readonly timeoutMs: number; readonly identity?: RecipeIdentity; readonly afterLogin?: string },
): Promise<TerminalBoot> {
  const started = Date.now();
  const id = options.identity;
  const watcher = new SerialWatcher(id ? { hostname: id.hostname } : {});
  const dialogue = id ? new LoginDialogue({ user: id.user, password: id.password }, { hostname: id.hostname }) : undefined;
  const log = createWriteStream(logFile);
  const qemu = execa('bash', ['-c', `exec ${command}`], { env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false });
  // After a passed login, the commands are typed once; their output is kept until the marker.
  let after: string | undefined;
  let afterDone = false;
  const loggedIn = (): boolean => dialogue?.outcome?.status === 'passed';
  const waitingForAfter = (): boolean => options.afterLogin !== undefined && loggedIn() && !afterDone;
  const done = (): boolean =>
    watcher.verdict?.status === 'failed' || (watcher.verdict !== undefined && (!dialogue || dialogue.outcome !== undefined) && !waitingForAfter());
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      qemu.stdout!.setEncoding('utf8');
      qemu.stdout!.on('data', (chunk: string) => {
        log.write(chunk);
        watcher.feed(chunk);
        if (after !== undefined) {
          after += chunk;
          // The marker on a line of its own: the echoed command line holds $((6*7)), not 42.
          afterDone = new RegExp(`(^|\\n)${AFTER_MARK}\\r?(\\n|$)`).test(after);
        } else {
          const keys = dialogue?.feed(chunk).type;
          if (keys !== undefined) qemu.stdin!.write(keys);
          if (options.afterLogin !== undefined && loggedIn()) {
            after = '';
            qemu.stdin!.write(`${options.afterLogin}; ${AFTER_ECHO}\r`);
          }
        }
        if (done()) finish();
      });
      void qemu.then(finish);
    });
  } finally {
    qemu.kill('SIGKILL');
    await qemu;
    await new Promise((r) => log.end(r));
  }
  return {
    verdict: watcher.verdict,
    login: dialogue?.outcome,
    seconds: (Date.now() - started) / 1000,
    ...(afterDone && after !== undefined ? { afterLogin: after.slice(0, after.lastIndexOf(AFTER_MARK)) } : {}),
  };
}
