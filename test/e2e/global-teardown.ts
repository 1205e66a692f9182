// Stops the web shell (SIGINT: it cancels running jobs and cleans up first).
import { stopWebShell } from './web-shell.js';

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.KF_E2E_PID);
  if (pid) await stopWebShell(pid);
}
