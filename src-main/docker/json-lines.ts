// Docker's streaming endpoints answer with JSON objects, one per line, split anywhere by the
// transport (also inside a UTF-8 character). This turns such a byte stream into objects.
import type { Readable } from 'node:stream';
import { Utf8Chunks } from '../util/line-splitter.js';

export async function* jsonLines<T>(stream: Readable): AsyncGenerator<T> {
  const text = new Utf8Chunks();
  let carry = '';
  for await (const chunk of stream) {
    carry += text.write(chunk as Buffer | string);
    let nl: number;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const line = carry.slice(0, nl).trim();
      carry = carry.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  carry += text.end();
  if (carry.trim() !== '') yield JSON.parse(carry) as T;
}
