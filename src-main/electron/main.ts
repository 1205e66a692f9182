// The Electron shell: one window, sandboxed, showing the renderer; the engine's API answered over
// IPC for that window only. Everything else is the engine's (src-main) and the renderer's.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { EVENT_CHANNEL, REQUEST_NAMES, requestChannel } from '../../src-shared/api/request-names.js';
import { createApiServer, type ApiServer } from '../api/handlers.js';
import { defaultDataDir } from '../api/data-dir.js';
import { contentSecurityPolicy } from '../web/web-server.js';
import { isTrustedSender } from './trusted-sender.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/src-main/electron -> dist/renderer and dist/electron/preload.cjs */
const rendererIndex = join(here, '..', '..', 'renderer', 'index.html');
const preloadScript = join(here, '..', '..', 'electron', 'preload.cjs');
const appUrl = pathToFileURL(rendererIndex).href;

let mainWindow: BrowserWindow | undefined;
let api: ApiServer | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1180,
    height: 820,
    minWidth: 900,
    minHeight: 640,
    title: 'Kairos Factory',
    show: false,
    webPreferences: {
      preload: preloadScript,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // The window shows our page and nothing else: links open in the user's browser.
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== appUrl) event.preventDefault();
  });
  // The page refuses to unload while a job runs (beforeunload); Electron then keeps the window
  // open without a word, so ask here: leaving ends the app's engine and with it the job.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'warning',
      buttons: ['Stay', 'Quit and stop the job'],
      defaultId: 0,
      cancelId: 0,
      title: 'A job is still running',
      message: 'A build or flash is still running.',
      detail: 'Quitting now stops it; a drive being written is left unusable until flashed again.',
    });
    if (choice === 1) event.preventDefault();
  });
  void win.loadURL(appUrl);
  return win;
}

function serveApi(server: ApiServer): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(requestChannel(name), (event, payload: unknown) => {
      const trusted = isTrustedSender(
        {
          frameUrl: event.senderFrame?.url,
          fromMainWindow: mainWindow !== undefined && event.sender === mainWindow.webContents,
          topFrame: event.senderFrame !== null && event.senderFrame === event.sender.mainFrame,
        },
        appUrl,
      );
      if (!trusted) return { ok: false, error: { code: 'unauthorized', message: 'Request from an untrusted frame refused' } };
      return server.dispatch(name, payload);
    });
  }
  server.onEvent((name, payload) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, { event: name, payload });
  });
}

app.enableSandbox();
if (!app.requestSingleInstanceLock()) app.quit();

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

void app.whenReady().then(() => {
  // The same policy as the web shell, as a header on everything the window loads.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy()] } });
  });
  // Only desktop notifications (a job ended while the window was elsewhere); no camera, no location.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  api = createApiServer({
    // The same folder as the CLI and the web shell: one history, one set of saved recipes.
    dataDir: defaultDataDir(),
    shell: 'electron',
    pickPath: async (request) => {
      const result = await dialog.showOpenDialog(mainWindow ?? BrowserWindow.getFocusedWindow()!, {
        title: request.title,
        properties: request.kind === 'folder' ? ['openDirectory', 'createDirectory'] : ['openFile'],
        ...(request.extensions ? { filters: [{ name: 'Images', extensions: [...request.extensions] }, { name: 'All files', extensions: ['*'] }] } : {}),
      });
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    showInFolder: (path) => shell.showItemInFolder(path),
  });
  serveApi(api);
  mainWindow = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !api) return;
  // Running builds and flashes are cancelled and cleaned up before the app goes.
  event.preventDefault();
  quitting = true;
  void api.close().finally(() => app.quit());
});
