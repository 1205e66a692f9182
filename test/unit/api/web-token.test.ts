// The renderer's access token in the web shell: read from the address fragment once, kept in the
// tab's sessionStorage, and taken out of the address bar.
import { describe, expect, it } from 'vitest';
import { TOKEN_KEY, takeToken, tokenFromFragment, type TokenPlace } from '../../../src-renderer/api/web-token.js';

function place(hash: string, stored?: string): TokenPlace & { replaced: string[]; saved: Map<string, string> } {
  const saved = new Map<string, string>(stored ? [[TOKEN_KEY, stored]] : []);
  const replaced: string[] = [];
  return {
    location: { hash, pathname: '/build', search: '?x=1' },
    history: { state: { s: 1 }, replaceState: (_state: unknown, _unused: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => void saved.set(k, v) },
    replaced,
    saved,
  };
}

describe('tokenFromFragment', () => {
  it('reads #token=', () => {
    expect(tokenFromFragment('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromFragment('token=abc')).toBe('abc');
  });

  it('ignores anything else', () => {
    expect(tokenFromFragment('')).toBeUndefined();
    expect(tokenFromFragment('#')).toBeUndefined();
    expect(tokenFromFragment('#other=1')).toBeUndefined();
    expect(tokenFromFragment('#token=')).toBeUndefined();
    expect(tokenFromFragment('#token=a%20b')).toBeUndefined();
    expect(tokenFromFragment(`#token=${'a'.repeat(300)}`)).toBeUndefined();
  });
});

describe('takeToken', () => {
  it('takes the fragment token, stores it and clears it from the address (keeping path and query)', () => {
    const p = place('#token=fresh', 'older');
    expect(takeToken(p)).toBe('fresh');
    expect(p.saved.get(TOKEN_KEY)).toBe('fresh');
    expect(p.replaced).toEqual(['/build?x=1']);
  });

  it('falls back to the stored token and leaves the address alone', () => {
    const p = place('', 'stored');
    expect(takeToken(p)).toBe('stored');
    expect(p.replaced).toEqual([]);
  });

  it('has none when neither holds one', () => {
    const p = place('#nothing');
    expect(takeToken(p)).toBeUndefined();
    expect(p.replaced).toEqual([]);
  });
});
