// The log tail the history keeps per job: the newest lines within a byte budget, saying when it
// dropped older ones.
import { describe, expect, it } from 'vitest';
import { DROPPED_NOTE, LOG_FILE_CAP, LogTail } from '../../../src-main/jobs/log-tail.js';

describe('LogTail', () => {
  it('keeps every line while within its budget, one per line', () => {
    const tail = new LogTail(100);
    expect(tail.text()).toBe('');
    tail.add('one');
    tail.add('two');
    expect(tail.text()).toBe('one\ntwo\n');
    expect(tail.count).toBe(2);
    expect(tail.truncated).toBe(false);
  });

  it('drops the oldest lines past its budget, counts them all and says so first', () => {
    const tail = new LogTail(20);
    for (let i = 0; i < 10; i++) tail.add(`line ${i}`);
    // "line N\n" is 7 bytes: the newest two fit in 20.
    expect(tail.text()).toBe(`${DROPPED_NOTE}\nline 8\nline 9\n`);
    expect(tail.count).toBe(10);
    expect(tail.truncated).toBe(true);
  });

  it('counts bytes, not characters', () => {
    const tail = new LogTail(8);
    tail.add('ééé'); // 6 bytes + newline
    tail.add('é'); // 2 bytes + newline: 10 in all, the first goes
    expect(tail.text()).toBe(`${DROPPED_NOTE}\né\n`);
  });

  it('holds at most 2 MiB of a long build log', () => {
    const tail = new LogTail();
    const line = 'x'.repeat(999);
    for (let i = 0; i < 5000; i++) tail.add(line);
    const text = tail.text();
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(LOG_FILE_CAP + DROPPED_NOTE.length + 1);
    expect(Buffer.byteLength(text)).toBeGreaterThan(LOG_FILE_CAP - 1000);
    expect(tail.count).toBe(5000);
  });
});
