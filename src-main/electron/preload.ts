// The preload of the sandboxed renderer: one frozen object, window.kairosFactory, with one method
// per API request and a subscribe for events. Nothing else of Electron or Node reaches the page.
// Bundled alone (scripts/build-electron.mjs): a sandboxed preload can import only "electron".
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, EVENT_NAMES, REQUEST_NAMES, methodName, requestChannel, type EventName } from '../../src-shared/api/request-names.js';

type Listener = (payload: unknown) => void;

const methods: Record<string, (payload?: unknown) => Promise<unknown>> = {};
for (const name of REQUEST_NAMES) {
  methods[methodName(name)] = (payload?: unknown) => ipcRenderer.invoke(requestChannel(name), payload ?? {});
}

const listeners = new Map<EventName, Set<Listener>>();
ipcRenderer.on(EVENT_CHANNEL, (_event: IpcRendererEvent, message: { event: EventName; payload: unknown }) => {
  for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
});

function subscribe(event: EventName, listener: Listener): () => void {
  if (!(EVENT_NAMES as ReadonlyArray<string>).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const set = listeners.get(event) ?? new Set<Listener>();
  set.add(listener);
  listeners.set(event, set);
  return () => set.delete(listener);
}

/** A file dropped on the window: its path on disk (the page's File objects carry none since Electron 32). */
const pathForFile = (file: File): string => webUtils.getPathForFile(file);

const api = Object.freeze({ ...methods, subscribe, pathForFile });
contextBridge.exposeInMainWorld('kairosFactory', api);

export type PreloadApi = typeof api;
