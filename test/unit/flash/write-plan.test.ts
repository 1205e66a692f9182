import { describe, expect, it } from 'vitest';
import { MIB, intersect, planWrites, roundUp } from '../../../src-main/flash/write-plan.js';

describe('intersect', () => {
  it('keeps all of a span without a map', () => {
    expect(intersect({ offset: 5, length: 10 }, undefined)).toEqual([{ offset: 5, length: 10 }]);
  });
  it('clips mapped intervals to the span', () => {
    const mapped = [
      { offset: 0, length: 4 },
      { offset: 8, length: 4 },
      { offset: 20, length: 10 },
    ];
    expect(intersect({ offset: 2, length: 20 }, mapped)).toEqual([
      { offset: 2, length: 2 },
      { offset: 8, length: 4 },
      { offset: 20, length: 2 },
    ]);
    expect(intersect({ offset: 12, length: 8 }, mapped)).toEqual([]);
  });
});

describe('planWrites', () => {
  it('writes the first MiB last and chunks the rest in order', () => {
    const plan = planWrites(10 * MIB, undefined, 4 * MIB);
    expect(plan.head).toEqual([{ offset: 0, length: MIB }]);
    expect(plan.body).toEqual([
      { offset: MIB, length: 4 * MIB },
      { offset: 5 * MIB, length: 4 * MIB },
      { offset: 9 * MIB, length: MIB },
    ]);
    expect(plan.bytes).toBe(10 * MIB);
  });

  it('writes only mapped ranges with a bmap, still the head last', () => {
    const mapped = [
      { offset: 0, length: 4096 },
      { offset: MIB - 4096, length: 8192 },
      { offset: 6 * MIB, length: 3 * MIB },
    ];
    const plan = planWrites(16 * MIB, mapped, 2 * MIB);
    expect(plan.head).toEqual([
      { offset: 0, length: 4096 },
      { offset: MIB - 4096, length: 4096 },
    ]);
    expect(plan.body).toEqual([
      { offset: MIB, length: 4096 },
      { offset: 6 * MIB, length: 2 * MIB },
      { offset: 8 * MIB, length: MIB },
    ]);
    expect(plan.bytes).toBe(4096 * 3 + 3 * MIB);
  });

  it('handles images smaller than a MiB', () => {
    const plan = planWrites(1000, undefined, 4 * MIB);
    expect(plan.head).toEqual([{ offset: 0, length: 1000 }]);
    expect(plan.body).toEqual([]);
  });

  it('rounds up to whole blocks', () => {
    expect(roundUp(1000, 512)).toBe(1024);
    expect(roundUp(1024, 512)).toBe(1024);
  });
});
