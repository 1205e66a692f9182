// Which bytes of an image go where, in which order. Pure. The first MiB is written last, so a
// write that stops half-way (cancel, error, yanked stick) leaves a drive that does not boot a
// half-written system: the first MiB (boot sector, partition table) was zeroed before.

export const MIB = 1024 * 1024;

export interface Interval {
  readonly offset: number;
  readonly length: number;
}

export function end(i: Interval): number {
  return i.offset + i.length;
}

/** The parts of `span` covered by `mapped` (sorted, disjoint); all of it when mapped is undefined. */
export function intersect(span: Interval, mapped: ReadonlyArray<Interval> | undefined): Interval[] {
  if (!mapped) return span.length > 0 ? [span] : [];
  const out: Interval[] = [];
  for (const m of mapped) {
    if (end(m) <= span.offset) continue;
    if (m.offset >= end(span)) break;
    const offset = Math.max(m.offset, span.offset);
    const stop = Math.min(end(m), end(span));
    if (stop > offset) out.push({ offset, length: stop - offset });
  }
  return out;
}

export interface WritePlan {
  /** Written first, in order, each at most `chunk` long: everything outside the head. */
  readonly body: ReadonlyArray<Interval>;
  /** Written last: the mapped parts of the first MiB. */
  readonly head: ReadonlyArray<Interval>;
  /** Bytes to write in all. */
  readonly bytes: number;
}

export function planWrites(imageSize: number, mapped: ReadonlyArray<Interval> | undefined, chunk: number, headSize = MIB): WritePlan {
  const headEnd = Math.min(headSize, imageSize);
  const head = intersect({ offset: 0, length: headEnd }, mapped);
  const body: Interval[] = [];
  for (const part of intersect({ offset: headEnd, length: imageSize - headEnd }, mapped)) {
    for (let offset = part.offset; offset < end(part); offset += chunk) {
      body.push({ offset, length: Math.min(chunk, end(part) - offset) });
    }
  }
  const bytes = [...head, ...body].reduce((sum, i) => sum + i.length, 0);
  return { body, head, bytes };
}

/** Rounds up to a multiple of `unit` (O_DIRECT wants whole logical blocks). */
export function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit;
}

/**
 * `mapped` (all of the image when undefined) without `hole`: what every target gets from the
 * image when each card writes its own bytes over `hole` (its COS_OEM partition).
 */
export function without(mapped: ReadonlyArray<Interval> | undefined, hole: Interval, imageSize: number): Interval[] {
  const out: Interval[] = [];
  for (const m of mapped ?? [{ offset: 0, length: imageSize }]) {
    if (end(m) <= hole.offset || m.offset >= end(hole)) {
      out.push(m);
      continue;
    }
    if (m.offset < hole.offset) out.push({ offset: m.offset, length: hole.offset - m.offset });
    if (end(m) > end(hole)) out.push({ offset: end(hole), length: end(m) - end(hole) });
  }
  return out;
}

/**
 * Why each card's own partition image cannot go over `range` of an image of `imageSize` bytes,
 * or undefined: checked before any target is touched.
 */
export function cardRangeProblem(range: Interval, imageSize: number, fileSizes: ReadonlyArray<{ readonly target: string; readonly size: number }>): string | undefined {
  if (range.offset < MIB) return `the per-card partition at ${range.offset} lies in the first MiB, which holds the partition table`;
  if (end(range) > imageSize) return `the per-card partition (${range.offset}+${range.length}) ends past the image's ${imageSize} bytes`;
  for (const f of fileSizes) {
    if (f.size !== range.length) {
      return `${f.target}'s own partition image is ${f.size} bytes but the partition is ${range.length}: ${f.size > range.length ? 'it does not fit' : 'it would leave stale bytes'}`;
    }
  }
  return undefined;
}
