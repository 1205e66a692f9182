// Stops the web shell (SIGINT: it cancels running jobs and cleans up first).
export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env.KF_E2E_PID);
  if (!pid) return;
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
