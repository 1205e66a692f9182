// The preload as Electron runs it: bundled to one CommonJS file, given a stand-in for the
// "electron" module. What reaches the page must be exactly one frozen object of named methods.
import Module, { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, REQUEST_NAMES, methodName, requestChannel } from '../../../src-shared/api/request-names.js';

type Handler = (event: unknown, message: unknown) => void;
const exposed = new Map<string, Record<string, unknown>>();
const invoked: Array<[string, unknown]> = [];
const handlers = new Map<string, Handler>();
const fakeElectron = {
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, payload: unknown) => {
      invoked.push([channel, payload]);
      return { ok: true, value: channel };
    },
    on: (channel: string, handler: Handler) => handlers.set(channel, handler),
  },
  webUtils: { getPathForFile: (file: { name: string }) => `/dropped/${file.name}` },
};

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-preload-'));
  const outfile = join(dir, 'preload.cjs');
  await build({ entryPoints: ['src-main/electron/preload.ts'], outfile, bundle: true, format: 'cjs', platform: 'node', external: ['electron'], logLevel: 'silent' });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === 'electron' ? fakeElectron : original.call(this, request, ...rest);
  };
  try {
    createRequire(import.meta.url)(outfile);
  } finally {
    loader._load = original;
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preload', () => {
  it('exposes one frozen object, kairosFactory, and nothing else', () => {
    expect([...exposed.keys()]).toEqual(['kairosFactory']);
    const api = exposed.get('kairosFactory')!;
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...REQUEST_NAMES.map(methodName), 'subscribe', 'pathForFile'].sort());
  });

  it("gives a dropped file's path through Electron's webUtils", () => {
    const api = exposed.get('kairosFactory')! as { pathForFile: (file: { name: string }) => string };
    expect(api.pathForFile({ name: 'kairos.iso' })).toBe('/dropped/kairos.iso');
  });

  it('maps each method to its own channel', async () => {
    const api = exposed.get('kairosFactory')! as Record<string, (p?: unknown) => Promise<unknown>>;
    expect(await api.engineStatus!()).toEqual({ ok: true, value: 'kf:engine.status' });
    await api.jobCancel!({ jobId: 'x' });
    expect(invoked).toEqual([
      [requestChannel('engine.status'), {}],
      [requestChannel('job.cancel'), { jobId: 'x' }],
    ]);
  });

  it('delivers events by name, and unsubscribes', () => {
    const api = exposed.get('kairosFactory')! as { subscribe: (e: string, l: (p: unknown) => void) => () => void };
    const got: unknown[] = [];
    const off = api.subscribe('job', (p) => got.push(p));
    const deliver = handlers.get(EVENT_CHANNEL)!;
    deliver({}, { event: 'job', payload: 1 });
    deliver({}, { event: 'drives.changed', payload: 2 });
    off();
    deliver({}, { event: 'job', payload: 3 });
    expect(got).toEqual([1]);
    expect(() => api.subscribe('ipc.anything', () => undefined)).toThrow(/unknown event/);
  });
});
