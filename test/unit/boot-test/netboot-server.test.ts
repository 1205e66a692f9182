// The netboot test's static server: only the files of its folder (no traversal, no listing, no
// symlink out of it), GET and HEAD, one byte range, names served from memory instead of the file.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileNameOf, parseRange, serveFolder, type FolderServer, type ServedRequest } from '../../../src-main/boot-test/netboot-server.js';
import { useTempFolder } from '../temp-folder.js';

interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A raw request: the path goes out exactly as written ("/../x" is not normalized away as fetch would). */
function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('byte ranges and file names (pure)', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-3', { start: 0, end: 3 }],
    ['bytes=4-', { start: 4, end: 9 }],
    ['bytes=-3', { start: 7, end: 9 }],
    ['bytes=-30', { start: 0, end: 9 }],
    ['bytes=5-100', { start: 5, end: 9 }],
    ['bytes=10-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=5-2', undefined],
    ['bytes=0-1,4-5', undefined],
    ['items=0-1', undefined],
    ['bytes=-', undefined],
  ] as const)('Range %j of 10 bytes -> %j', (header, range) => {
    expect(parseRange(header, 10)).toEqual(range);
  });

  it.each([
    ['/os.squashfs', 'os.squashfs'],
    ['/os%20x.ipxe?x=1', 'os x.ipxe'],
    ['/', undefined],
    ['/..', undefined],
    ['/%2e%2e', undefined],
    ['/../etc/passwd', undefined],
    ['/%2e%2e%2fetc%2fpasswd', undefined],
    ['/a/b', undefined],
    ['/a%5cb', undefined],
    ['/a%00b', undefined],
    ['/%zz', undefined],
    ['os.ipxe', undefined],
  ])('path %j names %j', (path, name) => {
    expect(fileNameOf(path)).toBe(name);
  });
});

describe('the folder server', () => {
  const temp = useTempFolder('kf-netboot-server-');
  let server: FolderServer;
  const served: ServedRequest[] = [];

  beforeAll(async () => {
    const root = temp();
    const folder = join(root, 'os-netboot');
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(join(folder, 'os.squashfs'), '0123456789');
    await writeFile(join(folder, 'os.ipxe'), '#!ipxe\nset base ${cwduri}\n');
    await writeFile(join(folder, 'sub', 'inner'), 'inner');
    await writeFile(join(root, 'secret'), 'secret');
    await symlink(join(root, 'secret'), join(folder, 'link-out'));
    await symlink(join(folder, 'os.squashfs'), join(folder, 'link-in'));
    server = await serveFolder({ folder, overrides: new Map([['os.ipxe', '#!ipxe\nset base http://10.0.2.2/\n']]), onRequest: (r) => served.push(r) });
  });
  afterAll(async () => {
    await server.close();
  });

  it('listens on loopback on a port of its own; its URL for a qemu guest', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.urlFor('10.0.2.2')).toBe(`http://10.0.2.2:${server.port}/`);
  });

  it('GET serves a file whole, saying it takes ranges', async () => {
    const reply = await get(server.port, '/os.squashfs');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('0123456789');
    expect(reply.headers['content-length']).toBe('10');
    expect(reply.headers['accept-ranges']).toBe('bytes');
    expect(served.at(-1)).toEqual({ method: 'GET', path: '/os.squashfs', status: 200, bytes: 10 });
  });

  it('HEAD gives the headers only', async () => {
    const reply = await get(server.port, '/os.squashfs', { method: 'HEAD' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe('10');
    expect(reply.body).toBe('');
  });

  it('Range: 206 with that part, 416 past the end', async () => {
    const part = await get(server.port, '/os.squashfs', { headers: { Range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.body).toBe('2345');
    expect(part.headers['content-range']).toBe('bytes 2-5/10');
    const tail = await get(server.port, '/os.squashfs', { headers: { Range: 'bytes=-2' } });
    expect(tail.body).toBe('89');
    const headPart = await get(server.port, '/os.squashfs', { method: 'HEAD', headers: { Range: 'bytes=8-' } });
    expect([headPart.status, headPart.headers['content-length'], headPart.body]).toEqual([206, '2', '']);
    const past = await get(server.port, '/os.squashfs', { headers: { Range: 'bytes=10-' } });
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */10');
  });

  it('serves an override instead of the file, with ranges too; the file stays as it is', async () => {
    expect((await get(server.port, '/os.ipxe')).body).toBe('#!ipxe\nset base http://10.0.2.2/\n');
    expect((await get(server.port, '/os.ipxe', { headers: { Range: 'bytes=0-5' } })).body).toBe('#!ipxe');
  });

  it('refuses traversal, listings, subfolders, missing files and symlinks out of the folder', async () => {
    for (const path of ['/../secret', '/%2e%2e/secret', '/%2e%2e%2fsecret', '/..%2fsecret', '/', '/sub', '/sub/inner', '/missing', '/link-out', '/%zz']) {
      const reply = await get(server.port, path);
      expect(reply.status, path).toBe(404);
      expect(reply.body, path).toBe('');
    }
    // A link to a file of the folder itself is that file.
    expect((await get(server.port, '/link-in')).body).toBe('0123456789');
  });

  it('answers only GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const reply = await get(server.port, '/os.squashfs', { method });
      expect(reply.status, method).toBe(405);
      expect(reply.headers.allow).toBe('GET, HEAD');
    }
  });
});
