// The API without any process boundary: the same envelopes and events as IPC and HTTP carry,
// for tests of the contract and of UI logic (VS Code's in-memory IPC habit).
import type { ApiTransport, EventMap, EventName, RequestName, RequestPayload, Response } from '../../src-shared/api/contract.js';
import { AppError } from '../../src-shared/errors/app-error.js';
import type { ApiServer } from './handlers.js';

export function memoryTransport(api: ApiServer): ApiTransport {
  return {
    async request<K extends RequestName>(name: K, payload: RequestPayload<K>): Promise<Response<K>> {
      // Through JSON both ways, as every real transport does: nothing that cannot cross passes here.
      const envelope = await api.dispatch(name, JSON.parse(JSON.stringify(payload ?? {})));
      const copy = JSON.parse(JSON.stringify(envelope)) as typeof envelope;
      if (!copy.ok) throw AppError.fromData(copy.error);
      return copy.value as Response<K>;
    },
    subscribe<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
      return api.onEvent(
        (name, payload) => {
          if ((name as string) === event) listener(JSON.parse(JSON.stringify(payload)) as EventMap[E]);
        },
        [event],
      );
    },
  };
}
