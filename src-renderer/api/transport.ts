// The one way the renderer reaches the engine: the Electron preload bridge when present, the
// web shell's HTTP + WebSocket otherwise. Both carry the contract's envelopes.
import type { ApiTransport, Envelope, EventMap, EventName, RequestName, RequestPayload, Response } from '../../src-shared/api/contract.js';
import { methodName } from '../../src-shared/api/request-names.js';
import { AppError } from '../../src-shared/errors/app-error.js';

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

/** HTTP requests with the session cookie; one WebSocket for events, reopened if it drops. */
function webTransport(): ApiTransport {
  const listeners = new Map<EventName, Set<AnyListener>>();
  let socket: WebSocket | undefined;
  let retry = 500;

  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
    socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (message: MessageEvent<string>) => {
      const { event, payload } = JSON.parse(message.data) as { event: EventName; payload: unknown };
      for (const listener of listeners.get(event) ?? []) listener(payload);
    };
    socket.onclose = () => {
      socket = undefined;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };

  return {
    async request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Response<K>> {
      const res = await fetch(`/api/request/${name}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(payload ?? {}),
      });
      if (res.status === 401) throw new AppError('unauthorized', 'This page lost its access token', { hint: 'Open the address `kairos-factory web` printed again' });
      if (!res.ok) throw new AppError('internal', `The server answered ${res.status}`);
      return unwrap<Response<K>>((await res.json()) as Envelope<unknown>);
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      if (!socket) connect();
      const set = listeners.get(event) ?? new Set<AnyListener>();
      set.add(listener as AnyListener);
      listeners.set(event, set);
      return () => set.delete(listener as AnyListener);
    },
  };
}

export function createTransport(): ApiTransport {
  return window.kairosFactory ? electronTransport(window.kairosFactory) : webTransport();
}
