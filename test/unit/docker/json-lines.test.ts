import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonLines } from '../../../src-main/docker/json-lines.js';

async function collect<T>(chunks: ReadonlyArray<Buffer>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of jsonLines<T>(Readable.from(chunks))) out.push(value);
  return out;
}

describe('jsonLines', () => {
  it('reads objects whose text is cut inside a UTF-8 character', async () => {
    const bytes = Buffer.from('{"stream":"Setting up café ✓\\n"}\n{"status":"done"}\n', 'utf8');
    const cafe = bytes.indexOf(Buffer.from('é')) + 1;
    const check = bytes.indexOf(Buffer.from('✓')) + 2;
    const chunks = [bytes.subarray(0, cafe), bytes.subarray(cafe, check), bytes.subarray(check)];
    expect(await collect(chunks)).toEqual([{ stream: 'Setting up café ✓\n' }, { status: 'done' }]);
  });

  it('reads a last object without a newline, and skips blank lines', async () => {
    expect(await collect([Buffer.from('\n{"a":1}\n\n{"b":"✓"}')])).toEqual([{ a: 1 }, { b: '✓' }]);
  });
});
