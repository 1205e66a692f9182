// `kairos-factory web`: the web shell, serving the app's UI and the handler table on loopback
// until Ctrl-C, which cancels the running jobs and waits for their cleanup.
import { dirname, join } from 'node:path';
import { AppError } from '../../src-shared/errors/app-error.js';
import { createApiServer } from '../api/handlers.js';
import { defaultDataDir } from '../api/data-dir.js';
import { startWebServer } from '../web/web-server.js';
import { resourcesDir } from '../util/resources.js';

/** The built renderer: dist/renderer next to the compiled engine. */
async function rendererDir(): Promise<string> {
  return join(dirname(await resourcesDir()), 'dist', 'renderer');
}

/** A port that cannot be had is the user's to change, not a bug: say which and what to do. */
export function listenError(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new AppError('bad-request', `Port ${port} is in use by another program (perhaps another kairos-factory web)`, {
      hint: `Stop that program, or choose another port: --port ${port === 65535 ? 8734 : port + 1} (or --port 0 for any free one)`,
    });
  }
  if (code === 'EACCES') {
    return new AppError('bad-request', `Port ${port} needs administrator rights on this system`, { hint: 'Choose a port above 1023, e.g. --port 8734' });
  }
  return error;
}

export async function serveWeb(portText: string, engine?: string): Promise<void> {
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('bad-request', `--port must be a port number, not "${portText}"`);
  const api = createApiServer({ dataDir: defaultDataDir(), shell: 'web', ...(engine !== undefined ? { engine } : {}) });
  const server = await startWebServer({ api, port, staticDir: await rendererDir() }).catch(async (error: unknown) => {
    await api.close();
    throw listenError(error, port);
  });
  process.stdout.write(`Kairos Factory is serving its UI at ${server.url}\nOpen this address (it carries the access token):\n  ${server.loginUrl}\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stdout.write('Stopping: cancelling running jobs…\n');
  await server.close();
  await api.close();
}
