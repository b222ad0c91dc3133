// The address ranges a flow touched, per address space, merged and bounded. A poller reads the same
// few blocks forever, so the common case is "already covered" and returns after one comparison;
// a scanner touching scattered addresses would grow the list without end, so past the bound the two
// closest ranges of one space are merged: the map keeps the extent of what was touched and loses
// only the detail of small holes, which is what someone drawing a conduit rule needs.

import type { AddressRange } from './types.ts';

interface MutableRange {
  space: string;
  start: number;
  end: number;
}

export class AddressRangeSet {
  /** Sorted by space, then start; ranges of one space never overlap nor touch. */
  private readonly ranges: MutableRange[] = [];
  /** The range the last `add` landed in: the fast path for repeated polls. */
  private last: MutableRange | null = null;

  /** @param max most ranges kept; beyond it the closest ranges of one space are merged. */
  constructor(private readonly max: number) {}

  /** Adds the inclusive range [start, end]. */
  add(space: string, start: number, end: number): void {
    const last = this.last;
    if (last !== null && start >= last.start && end <= last.end && last.space === space) return;
    if (end < start) end = start;
    this.last = this.insert(space, start, end);
    if (this.ranges.length > this.max) this.shrink();
  }

  get size(): number {
    return this.ranges.length;
  }

  toArray(): AddressRange[] {
    return this.ranges.map((r) => ({ space: r.space, start: r.start, end: r.end }));
  }

  private insert(space: string, start: number, end: number): MutableRange {
    const ranges = this.ranges;
    // First range at or after (space, start).
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = ranges[mid];
      if (r.space < space || (r.space === space && r.start < start)) lo = mid + 1;
      else hi = mid;
    }
    let first = lo;
    const previous = ranges[lo - 1];
    if (previous !== undefined && previous.space === space && previous.end + 1 >= start) {
      first = lo - 1;
      start = previous.start;
      end = Math.max(end, previous.end);
    }
    let after = lo;
    while (after < ranges.length && ranges[after].space === space && ranges[after].start <= end + 1) {
      end = Math.max(end, ranges[after].end);
      after += 1;
    }
    const merged: MutableRange = { space, start, end };
    ranges.splice(first, after - first, merged);
    return merged;
  }

  /** Merges the pair of neighbouring ranges in one space with the smallest hole between them. */
  private shrink(): void {
    const ranges = this.ranges;
    while (ranges.length > this.max) {
      let best = -1;
      let bestGap = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < ranges.length; i += 1) {
        const a = ranges[i];
        const b = ranges[i + 1];
        if (a.space !== b.space) continue;
        const gap = b.start - a.end;
        if (gap < bestGap) {
          bestGap = gap;
          best = i;
        }
      }
      if (best < 0) {
        // Every range is alone in its space: more spaces than the bound. Spaces are few per
        // protocol (Modbus has four tables), so this needs hostile input; the newest range goes.
        const index = this.last === null ? ranges.length - 1 : ranges.indexOf(this.last);
        ranges.splice(index < 0 ? ranges.length - 1 : index, 1);
        this.last = null;
        continue;
      }
      const a = ranges[best];
      a.end = Math.max(a.end, ranges[best + 1].end);
      ranges.splice(best + 1, 1);
      this.last = a;
    }
  }
}

/** Merges two range lists under the same bound (used when re-ingesting flows into the store). */
export function mergeAddressRanges(
  a: readonly AddressRange[],
  b: readonly AddressRange[],
  max: number,
): AddressRange[] {
  const set = new AddressRangeSet(max);
  for (const r of a) set.add(r.space, r.start, r.end);
  for (const r of b) set.add(r.space, r.start, r.end);
  return set.toArray();
}
