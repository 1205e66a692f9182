import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors/app-error.js';
import { failureLine } from '../../../src-main/web/failure-line.js';

describe('failureLine', () => {
  it('names where, the code and the message on one line', () => {
    const error = Object.assign(new Error('read ECONNRESET\n    at stack line'), { code: 'ECONNRESET' });
    expect(failureLine('GET /', error, [])).toBe('kairos-factory web: GET /: ECONNRESET: read ECONNRESET');
    expect(failureLine('POST /api/request/x', new AppError('bad-request', 'no'), [])).toBe('kairos-factory web: POST /api/request/x: bad-request: no');
    expect(failureLine('client', 'a string', [])).toBe('kairos-factory web: client: Error: a string');
    expect(failureLine('client', new TypeError('bad'), [])).toBe('kairos-factory web: client: TypeError: bad');
  });

  it('never carries a secret or a query string', () => {
    const line = failureLine('upgrade', new Error('token s3cret-token-value in /api/events?ticket=abc&x=1 and again s3cret-token-value'), ['s3cret-token-value']);
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('ticket=abc');
    expect(line).toContain('[redacted]');
  });

  it('stays short, whatever the message holds', () => {
    const line = failureLine('GET /', new Error('x'.repeat(100_000)), []);
    expect(line.length).toBeLessThan(200);
    expect(line.endsWith('…')).toBe(true);
  });
});
