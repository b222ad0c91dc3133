// A small sorted set of numeric ids (Modbus unit ids, later DNP3 addresses...) with a bound, kept
// sorted on insert so reading it out costs nothing. Polls repeat one unit id, hence the fast path.

export class SortedIdSet {
  private readonly ids: number[] = [];
  private last = Number.NaN;

  /**
   * @param max most ids kept. Ids arriving after that are not recorded: the bound is set at the
   * protocol's whole id space where it is small (Modbus: 256 unit ids), so this only trims abuse.
   */
  constructor(private readonly max: number) {}

  add(id: number): void {
    if (id === this.last) return;
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    if (ids[lo] !== id) {
      if (ids.length >= this.max) return;
      ids.splice(lo, 0, id);
    }
    this.last = id;
  }

  toArray(): number[] {
    return this.ids.slice();
  }
}

/** Sorted union of two id lists, bounded like SortedIdSet. */
export function mergeSortedIds(a: readonly number[], b: readonly number[], max: number): number[] {
  const set = new SortedIdSet(max);
  for (const id of a) set.add(id);
  for (const id of b) set.add(id);
  return set.toArray();
}
