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
