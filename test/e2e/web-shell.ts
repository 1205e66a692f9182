// Starts and stops `kairos-factory web` on a free port with a given data folder: the suite's
// shell (global-setup.ts), and the tests that restart one (history.spec.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface WebShell {
  readonly child: ChildProcess;
  /** The address with the token in its fragment. */
  readonly loginUrl: string;
  readonly origin: string;
  readonly token: string;
}

/** `env`: more variables for the shell (a fixture DOCKER_CONFIG); undefined ones are removed. */
export async function startWebShell(dataDir: string, env: Record<string, string | undefined> = {}): Promise<WebShell> {
  const child = spawn('node', ['bin/kairos-factory.js', 'web', '--port', '0'], {
    env: Object.fromEntries(Object.entries({ ...process.env, KF_DATA_DIR: dataDir, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const loginUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the web shell did not start: ${out}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The token rides in the fragment: browsers never send it to a server.
      const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`the web shell exited (${code}): ${out}`)));
  });
  const url = new URL(loginUrl);
  return { child, loginUrl, origin: url.origin, token: new URLSearchParams(url.hash.slice(1)).get('token') ?? '' };
}

/** SIGINT (it cancels running jobs and cleans up first), SIGKILL after 10 s; resolves once it exited. */
export async function stopWebShell(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
}

/** A test's own folder for a web shell: DIR/data (its KF_DATA_DIR, settings with outputRoot DIR/out). Resolves to DIR. */
export async function shellFolder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'data', 'settings.json'), JSON.stringify({ outputRoot: join(dir, 'out') }));
  return dir;
}
