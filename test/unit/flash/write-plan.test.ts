import { describe, expect, it } from 'vitest';
import { MIB, cardRangeProblem, end, intersect, planWrites, roundUp, without } from '../../../src-main/flash/write-plan.js';

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

describe('without (the per-card partition taken out of what every target gets)', () => {
  const hole = { offset: 65 * MIB, length: 64 * MIB };
  it('cuts the hole out of the whole image', () => {
    expect(without(undefined, hole, 400 * MIB)).toEqual([
      { offset: 0, length: 65 * MIB },
      { offset: 129 * MIB, length: 271 * MIB },
    ]);
  });
  it('cuts it out of mapped ranges, keeping the ranges it does not touch', () => {
    const mapped = [
      { offset: 0, length: 2 * MIB },
      { offset: 64 * MIB, length: 2 * MIB },
      { offset: 70 * MIB, length: MIB },
      { offset: 128 * MIB, length: 4 * MIB },
    ];
    expect(without(mapped, hole, 400 * MIB)).toEqual([
      { offset: 0, length: 2 * MIB },
      { offset: 64 * MIB, length: MIB },
      { offset: 129 * MIB, length: 3 * MIB },
    ]);
  });
  it('leaves a plan whose bytes plus each card\'s partition are the whole image', () => {
    const plan = planWrites(400 * MIB, without(undefined, hole, 400 * MIB), 8 * MIB);
    expect(plan.bytes + hole.length).toBe(400 * MIB);
    expect(plan.body.some((p) => p.offset < end(hole) && end(p) > hole.offset)).toBe(false);
  });
});

describe('cardRangeProblem', () => {
  const range = { offset: 65 * MIB, length: 64 * MIB };
  it('accepts partition images exactly the partition\'s size inside the image', () => {
    expect(cardRangeProblem(range, 400 * MIB, [{ target: '/dev/sdb', size: 64 * MIB }, { target: '/dev/sdc', size: 64 * MIB }])).toBeUndefined();
  });
  it('refuses a partition image that does not fit, naming the target', () => {
    expect(cardRangeProblem(range, 400 * MIB, [{ target: '/dev/sdb', size: 64 * MIB }, { target: '/dev/sdc', size: 65 * MIB }])).toBe(
      "/dev/sdc's own partition image is 68157440 bytes but the partition is 67108864: it does not fit",
    );
  });
  it('refuses a range past the image or over the partition table', () => {
    expect(cardRangeProblem(range, 100 * MIB, [])).toMatch(/ends past the image's/);
    expect(cardRangeProblem({ offset: 0, length: MIB }, 100 * MIB, [])).toMatch(/first MiB/);
  });
});
