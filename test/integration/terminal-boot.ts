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
}

export async function bootInTerminal(
  command: string,
  env: Readonly<Record<string, string>>,
  logFile: string,
  options: { readonly timeoutMs: number; readonly identity?: RecipeIdentity },
): Promise<TerminalBoot> {
  const started = Date.now();
  const id = options.identity;
  const watcher = new SerialWatcher(id ? { hostname: id.hostname } : {});
  const dialogue = id ? new LoginDialogue({ user: id.user, password: id.password }, { hostname: id.hostname }) : undefined;
  const log = createWriteStream(logFile);
  const qemu = execa('bash', ['-c', `exec ${command}`], { env, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', reject: false });
  const done = (): boolean => watcher.verdict?.status === 'failed' || (watcher.verdict !== undefined && (!dialogue || dialogue.outcome !== undefined));
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
        const keys = dialogue?.feed(chunk).type;
        if (keys !== undefined) qemu.stdin!.write(keys);
        if (done()) finish();
      });
      void qemu.then(finish);
    });
  } finally {
    qemu.kill('SIGKILL');
    await qemu;
    await new Promise((r) => log.end(r));
  }
  return { verdict: watcher.verdict, login: dialogue?.outcome, seconds: (Date.now() - started) / 1000 };
}
