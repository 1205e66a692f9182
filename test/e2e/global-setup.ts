// Starts `kairos-factory web` on a free port with its own data folder, and hands its address and
// token to the tests through the environment.
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kf-e2e-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ outputRoot: join(dataDir, 'out'), showVirtualTargets: true }));
  const child = spawn('node', ['bin/kairos-factory.js', 'web', '--port', '0'], {
    env: { ...process.env, KF_DATA_DIR: dataDir },
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
  process.env.KF_E2E_LOGIN = loginUrl;
  process.env.KF_E2E_ORIGIN = url.origin;
  process.env.KF_E2E_TOKEN = new URLSearchParams(url.hash.slice(1)).get('token') ?? '';
  process.env.KF_E2E_DATA = dataDir;
  process.env.KF_E2E_PID = String(child.pid);
  child.unref();
}
