import { describe, expect, it } from 'vitest';
import { decodedPath, parseRequestTarget } from '../../../src-main/web/request-target.js';

describe('parseRequestTarget', () => {
  it('reads a plain path with its query', () => {
    const url = parseRequestTarget('/api/events?ticket=abc');
    expect(url?.pathname).toBe('/api/events');
    expect(url?.searchParams.get('ticket')).toBe('abc');
  });

  it.each([
    ['//[', 'what new URL() throws on'],
    ['//evil.example/x', 'another host in path form'],
    ['http://evil.example/', 'the absolute form'],
    ['*', 'the asterisk form'],
    ['', 'nothing'],
    [undefined, 'no target at all'],
    ['/\\\\evil.example', 'backslashes the URL parser turns into another host'],
  ])('refuses %j (%s)', (target, why) => {
    expect(parseRequestTarget(target), why).toBeUndefined();
  });

  it('keeps odd but harmless paths', () => {
    expect(parseRequestTarget('/a/../../b')?.pathname).toBe('/b');
    expect(parseRequestTarget('/%E0')?.pathname).toBe('/%E0');
  });
});

describe('decodedPath', () => {
  it('decodes escapes', () => {
    expect(decodedPath(new URL('http://x/assets/a%20b.js'))).toBe('/assets/a b.js');
  });

  it('refuses malformed escapes and NUL bytes', () => {
    expect(decodedPath(new URL('http://x/%E0'))).toBeUndefined();
    expect(decodedPath(new URL('http://x/a%00b'))).toBeUndefined();
  });
});
