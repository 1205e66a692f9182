// Starts `kairos-factory web` on a free port with its own data folder, and hands its address and
// token to the tests through the environment.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebShell } from './web-shell.js';

export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kf-e2e-'));
  await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ outputRoot: join(dataDir, 'out'), showVirtualTargets: true }));
  const shell = await startWebShell(dataDir);
  process.env.KF_E2E_LOGIN = shell.loginUrl;
  process.env.KF_E2E_ORIGIN = shell.origin;
  process.env.KF_E2E_TOKEN = shell.token;
  process.env.KF_E2E_DATA = dataDir;
  process.env.KF_E2E_PID = String(shell.child.pid);
  shell.child.unref();
}
