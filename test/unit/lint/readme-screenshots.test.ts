// The README's pictures are taken by the browser tests (npm run screenshots copies them): each one
// it shows exists, and a test takes it, so `npm run screenshots` can refresh every one of them.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');
const shown = [...new Set([...readme.matchAll(/docs\/screenshots\/([\w.-]+)\.png/g)].map((m) => m[1]!))];
const specs = readdirSync('test/e2e')
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(`test/e2e/${f}`, 'utf8'))
  .join('\n');
const taken = new Set([...specs.matchAll(/shot\(page, '([\w.-]+)'\)/g)].map((m) => m[1]!));

describe('README screenshots', () => {
  it('shows some', () => expect(shown.length).toBeGreaterThan(5));
  it.each(shown)('%s is in docs/screenshots and a browser test takes it', (name) => {
    expect(existsSync(`docs/screenshots/${name}.png`)).toBe(true);
    expect([...taken]).toContain(name);
  });
});
