// `kairos-factory web --port N` with N taken: the user is told the port is in use and what to do,
// not "a bug in Kairos Factory".
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/cli/main.js';

let dir = '';
let busy: Server;
let port = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kf-web-port-'));
  process.env.KF_DATA_DIR = join(dir, 'data');
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  port = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => busy.close(resolve));
  delete process.env.KF_DATA_DIR;
  await rm(dir, { recursive: true, force: true });
});

describe('kairos-factory web', () => {
  it('says a busy port is in use and what to do, exit 2', async () => {
    let err = '';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['web', '--port', String(port)])).toBe(2);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
    expect(err).toBe(`error: Port ${port} is in use by another program (perhaps another kairos-factory web). Stop that program, or choose another port: --port ${port + 1} (or --port 0 for any free one)\n`);
    expect(err).not.toContain('bug');
  });
});
