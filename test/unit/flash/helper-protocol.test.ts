import { describe, expect, it } from 'vitest';
import { FlashJobSchema, LineSplitter, encodeLine, parseEvent } from '../../../src-main/flash/helper-protocol.js';
import { mountpointsOf } from '../../../src-main/flash/unmount.js';

describe('helper protocol', () => {
  it('splits lines across chunks and keeps the unfinished one', () => {
    const s = new LineSplitter();
    expect(s.push('{"type":"log","line":"a"}\n{"type":')).toEqual(['{"type":"log","line":"a"}']);
    expect(s.push('"log","line":"b"}\n\n')).toEqual(['{"type":"log","line":"b"}']);
    expect(s.push('{"x":1}')).toEqual([]);
    expect(s.rest()).toEqual(['{"x":1}']);
  });

  it('parses events and ignores anything else', () => {
    expect(parseEvent(encodeLine({ type: 'progress', phase: 'write', done: 1, total: 2 }).trim())).toEqual({ type: 'progress', phase: 'write', done: 1, total: 2 });
    expect(parseEvent('not json')).toBeUndefined();
    expect(parseEvent('[1,2]')).toBeUndefined();
    expect(parseEvent('{"no":"type"}')).toBeUndefined();
  });

  it('validates jobs, naming the wrong field', () => {
    expect(FlashJobSchema.safeParse({ type: 'flash', source: '/a.img', targets: ['/dev/sdb'], verify: true }).success).toBe(true);
    const bad = FlashJobSchema.safeParse({ type: 'flash', source: '/a.img', targets: [], verify: true });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['targets']);
    expect(FlashJobSchema.safeParse({ type: 'flash', source: '/a', targets: ['/b'], verify: true, chunkSize: 1000 }).success).toBe(false);
    expect(FlashJobSchema.safeParse({ type: 'flash', source: '/a', targets: ['/b'], verify: true, rm: true }).success).toBe(false);
  });
});

describe('mountpointsOf', () => {
  it('finds the mounts of a drive and of its partitions, not swap markers', () => {
    const json = JSON.stringify({
      blockdevices: [
        {
          mountpoints: [null],
          children: [{ mountpoints: ['/media/user/BOOT'] }, { mountpoints: ['/media/user/root', '/mnt/x'] }, { mountpoints: ['[SWAP]'] }],
        },
      ],
    });
    expect(mountpointsOf(json)).toEqual(['/media/user/BOOT', '/media/user/root', '/mnt/x']);
  });
});
