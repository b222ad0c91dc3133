// The address ranges a flow touched, per address space, merged and bounded. A poller reads the same
// few blocks forever, so the common case is "already covered" and returns after a few comparisons;
// a scanner touching scattered addresses would grow the list without end, so past the bound the two
// closest ranges of one space are merged: the map keeps the extent of what was touched and loses
// only the detail of small holes, which is what someone drawing a conduit rule needs.

import type { AddressRange } from './types.ts';

interface MutableRange {
  space: string;
  start: number;
  end: number;
}

/**
 * Ranges the last few adds landed in, checked before anything else. A poller cycles through a few
 * blocks per server (holding registers here, coils there), so one remembered range is not enough.
 * A remembered range stays valid when it is merged away: ranges only ever grow, so whatever it
 * covered is still covered. Only `shrink`'s last resort removes a range; it forgets them all.
 */
const RECENT_RANGES = 4;

export class AddressRangeSet {
  /** Sorted by space, then start; ranges of one space never overlap nor touch. */
  private readonly ranges: MutableRange[] = [];
  /** Ring of ranges recent adds landed in (RECENT_RANGES); null slots are empty. */
  private readonly recent: (MutableRange | null)[] = new Array<MutableRange | null>(RECENT_RANGES).fill(null);
  private recentNext = 0;
  /** The range the last add landed in (or that `shrink` last merged into): what its last resort removes. */
  private last: MutableRange | null = null;

  /** @param max most ranges kept; beyond it the closest ranges of one space are merged. */
  constructor(private readonly max: number) {}

  /** Adds the inclusive range [start, end]. */
  add(space: string, start: number, end: number): void {
    if (end < start) end = start;
    const recent = this.recent;
    for (let i = 0; i < RECENT_RANGES; i += 1) {
      const r = recent[i];
      if (r !== null && start >= r.start && end <= r.end && r.space === space) return;
    }
    const ranges = this.ranges;
    const at = this.search(space, start);
    // Already covered by the range starting there or by the one before: nothing changes.
    let covering: MutableRange | null = null;
    const next = ranges[at];
    const previous = ranges[at - 1];
    if (next !== undefined && next.space === space && next.start === start && end <= next.end)
      covering = next;
    else if (previous !== undefined && previous.space === space && end <= previous.end) covering = previous;
    if (covering === null) {
      covering = this.insert(at, space, start, end);
      this.last = covering;
      if (ranges.length > this.max) this.shrink();
    }
    recent[this.recentNext] = covering;
    this.recentNext = (this.recentNext + 1) % RECENT_RANGES;
  }

  get size(): number {
    return this.ranges.length;
  }

  toArray(): AddressRange[] {
    return this.ranges.map((r) => ({ space: r.space, start: r.start, end: r.end }));
  }

  /** Index of the first range at or after (space, start). */
  private search(space: string, start: number): number {
    const ranges = this.ranges;
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = ranges[mid];
      if (r.space < space || (r.space === space && r.start < start)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Inserts [start, end] at `at` (from `search`), merging it with the ranges it overlaps or touches. */
  private insert(at: number, space: string, start: number, end: number): MutableRange {
    const ranges = this.ranges;
    let first = at;
    const previous = ranges[at - 1];
    if (previous !== undefined && previous.space === space && previous.end + 1 >= start) {
      first = at - 1;
      start = previous.start;
      end = Math.max(end, previous.end);
    }
    let after = at;
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
        this.recent.fill(null);
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
