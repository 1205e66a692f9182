// The one per-user data folder (settings, saved recipes, history) of every shell: Electron, the
// web shell and the CLI read and write the same one, so a job started from the CLI is in the
// app's Recent list. KF_DATA_DIR overrides it.
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.KF_DATA_DIR) return env.KF_DATA_DIR;
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Kairos Factory');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Kairos Factory');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'kairos-factory');
  }
}
