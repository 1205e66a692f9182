// The one way the renderer reaches the engine: the Electron preload bridge when present, the
// web shell's HTTP + WebSocket otherwise. Both carry the contract's envelopes.
import type { ApiTransport, Envelope, EventMap, EventName, RequestName, RequestPayload, Response } from '../../src-shared/api/contract.js';
import { methodName } from '../../src-shared/api/request-names.js';
import { AppError, type AppErrorData } from '../../src-shared/errors/app-error.js';
import { takeToken } from './web-token.js';

interface PreloadBridge {
  readonly subscribe: (event: EventName, listener: (payload: unknown) => void) => () => void;
  readonly [method: string]: unknown;
}

declare global {
  interface Window {
    readonly kairosFactory?: PreloadBridge;
  }
}

function unwrap<T>(envelope: Envelope<unknown>): T {
  if (!envelope.ok) throw AppError.fromData(envelope.error);
  return envelope.value as T;
}

/** Electron's IPC never drops: no onReconnect. */
function electronTransport(bridge: PreloadBridge): ApiTransport {
  return {
    async request(name, payload) {
      const method = bridge[methodName(name)] as (p: unknown) => Promise<Envelope<unknown>>;
      return unwrap(await method(payload));
    },
    subscribe(event, listener) {
      return bridge.subscribe(event, listener as (payload: unknown) => void);
    },
  };
}

type AnyListener = (payload: unknown) => void;

const LOST_TOKEN: AppErrorData = {
  code: 'unauthorized',
  message: 'This page has no valid access token',
  hint: 'Open the address `kairos-factory web` printed (it ends with #token=…); a new run prints a new token',
};

/** The error a refused HTTP answer carries, as the server wrote it when it could. */
async function refusal(res: globalThis.Response): Promise<AppError> {
  if (res.status === 401) return AppError.fromData(LOST_TOKEN);
  const body = (await res.json().catch(() => undefined)) as { error?: AppErrorData } | undefined;
  return body?.error ? AppError.fromData(body.error) : new AppError('internal', `The web shell answered ${res.status}`);
}

/**
 * HTTP requests with the Bearer token; one WebSocket for events, opened with a single-use ticket
 * and reopened when it drops. Events sent while it was down are lost: onReconnect listeners hear
 * when it is back, to read again what they show.
 */
function webTransport(token: string | undefined): ApiTransport {
  const listeners = new Map<EventName, Set<AnyListener>>();
  const reconnectListeners = new Set<() => void>();
  const auth: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  let state: 'idle' | 'connecting' | 'open' | 'waiting' = 'idle';
  let opened = false;
  let retry = 500;

  const later = (): void => {
    state = 'waiting';
    setTimeout(() => void connect(), retry);
    retry = Math.min(retry * 2, 10_000);
  };

  const connect = async (): Promise<void> => {
    state = 'connecting';
    let ticket: string;
    try {
      const res = await fetch('/api/ticket', { method: 'POST', headers: auth, credentials: 'omit' });
      if (!res.ok) throw await refusal(res);
      ticket = ((await res.json()) as { ticket: string }).ticket;
    } catch {
      return later();
    }
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?ticket=${encodeURIComponent(ticket)}`);
    socket.onopen = () => {
      state = 'open';
      retry = 500;
      if (opened) for (const listener of reconnectListeners) listener();
      opened = true;
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => later();
  };

  return {
    async request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Response<K>> {
      const res = await fetch(`/api/request/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...auth },
        credentials: 'omit',
        body: JSON.stringify(payload ?? {}),
      });
      if (!res.ok) throw await refusal(res);
      return unwrap<Response<K>>((await res.json()) as Envelope<unknown>);
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      if (state === 'idle') void connect();
      const set = listeners.get(event) ?? new Set<AnyListener>();
      set.add(listener as AnyListener);
      listeners.set(event, set);
      return () => set.delete(listener as AnyListener);
    },
    onReconnect(listener: () => void): () => void {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

export function createTransport(): ApiTransport {
  return window.kairosFactory
    ? electronTransport(window.kairosFactory)
    : webTransport(takeToken({ location: window.location, history: window.history, storage: window.sessionStorage }));
}
