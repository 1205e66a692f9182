import { describe, expect, it } from 'vitest';
import { LineSplitter, Utf8Chunks } from '../../../src-main/util/line-splitter.js';

/** Feeds the bytes of a text cut at every given offset; returns every line. */
function feed(text: string, cuts: ReadonlyArray<number>): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const splitter = new LineSplitter();
  const lines: string[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    lines.push(...splitter.push(bytes.subarray(at, cut)));
    at = cut;
  }
  return [...lines, ...splitter.end()];
}

describe('Utf8Chunks', () => {
  it('keeps a character cut between two chunks whole', () => {
    const bytes = Buffer.from('café ✓', 'utf8');
    // 'é' is c3 a9 (bytes 3-4), '✓' is e2 9c 93 (bytes 6-8).
    const text = new Utf8Chunks();
    const out = text.write(bytes.subarray(0, 4)) + text.write(bytes.subarray(4, 7)) + text.write(bytes.subarray(7)) + text.end();
    expect(out).toBe('café ✓');
    expect(out).not.toContain('\uFFFD');
    // What a per-chunk toString does with the same cut: the reason this exists.
    expect(bytes.subarray(0, 4).toString('utf8')).toContain('\uFFFD');
  });

  it('ends an unfinished character as U+FFFD rather than dropping it', () => {
    const text = new Utf8Chunks();
    expect(text.write(Buffer.from([0x61, 0xe2, 0x9c]))).toBe('a');
    expect(text.end()).toBe('\uFFFD');
  });
});

describe('LineSplitter', () => {
  it('splits a multi-byte character cut across chunks correctly, at every possible cut', () => {
    const text = 'Écriture de l’ISO… ✓ terminé\nnext ✓ line\n';
    const length = Buffer.byteLength(text);
    for (let cut = 1; cut < length; cut++) {
      expect(feed(text, [cut]), `cut at byte ${cut}`).toEqual(['Écriture de l’ISO… ✓ terminé', 'next ✓ line']);
    }
  });

  it('survives one byte per chunk', () => {
    const text = 'é✓\r\nok\n';
    const cuts = Array.from({ length: Buffer.byteLength(text) - 1 }, (_, i) => i + 1);
    expect(feed(text, cuts)).toEqual(['é✓', 'ok']);
  });

  it('ends lines at \\n, \\r\\n and a lone \\r (progress bars), also when \\r\\n is cut in two', () => {
    expect(feed('a\nb\r\nc\r[==  ] 50%\r[====] 100%\ndone', [])).toEqual(['a', 'b', 'c', '[==  ] 50%', '[====] 100%', 'done']);
    expect(feed('one\r\ntwo\n', [4])).toEqual(['one', 'two']);
    expect(feed('one\r\r\ntwo', [4])).toEqual(['one', '', 'two']);
  });

  it('keeps empty lines and gives the unfinished last line at the end', () => {
    expect(feed('a\n\nb', [])).toEqual(['a', '', 'b']);
    expect(feed('', [])).toEqual([]);
    expect(feed('no newline ✓', [12])).toEqual(['no newline ✓']);
  });

  it('takes strings too', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('x\ny')).toEqual(['x']);
    expect(splitter.push('z\n')).toEqual(['yz']);
    expect(splitter.end()).toEqual([]);
  });
});
