import { describe, expect, it } from 'vitest';
import { RateEstimator, etaSeconds } from '../../../src-main/jobs/rate-estimator.js';

describe('RateEstimator', () => {
  it('knows no rate from one sample, the exact rate at a steady pace', () => {
    const r = new RateEstimator();
    expect(r.sample(0, 0)).toBeUndefined();
    expect(r.sample(1000, 100)).toBe(100);
    expect(r.sample(2000, 200)).toBeCloseTo(100);
  });

  it('follows a change of pace smoothly', () => {
    const r = new RateEstimator(1000);
    r.sample(0, 0);
    r.sample(1000, 100);
    const after = r.sample(2000, 400)!; // instant 300/s
    expect(after).toBeGreaterThan(100);
    expect(after).toBeLessThan(300);
  });

  it('ignores samples without elapsed time', () => {
    const r = new RateEstimator();
    r.sample(0, 0);
    r.sample(1000, 50);
    expect(r.sample(1000, 500)).toBe(50);
  });

  it('computes the ETA only when it can', () => {
    expect(etaSeconds(50, 100, 10)).toBe(5);
    expect(etaSeconds(50, undefined, 10)).toBeUndefined();
    expect(etaSeconds(50, 100, 0)).toBeUndefined();
    expect(etaSeconds(100, 100, 10)).toBeUndefined();
  });
});
