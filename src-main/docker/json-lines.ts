// Docker's streaming endpoints answer with JSON objects, one per line, split anywhere by the
// transport. This turns such a byte stream into objects.
import type { Readable } from 'node:stream';

export async function* jsonLines<T>(stream: Readable): AsyncGenerator<T> {
  let carry = '';
  for await (const chunk of stream) {
    carry += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const line = carry.slice(0, nl).trim();
      carry = carry.slice(nl + 1);
      if (line !== '') yield JSON.parse(line) as T;
    }
  }
  if (carry.trim() !== '') yield JSON.parse(carry) as T;
}
