// Distinct values seen within a sliding window of capture time, bounded: the scan rules count
// ports, hosts and unit ids with it. Each value remembers when it was last seen; expired values
// are dropped when the set is counted, and the set never holds more than `cap` values.

export class SlidingDistinct<K> {
  private readonly lastSeen = new Map<K, number>();

  constructor(
    private readonly windowS: number,
    private readonly cap: number,
  ) {}

  /** Records `value` at `ts` and returns how many distinct values lie within the window. */
  add(value: K, ts: number): number {
    const seen = this.lastSeen;
    const had = seen.get(value);
    if (had !== undefined) {
      if (ts > had) seen.set(value, ts);
      return seen.size;
    }
    seen.set(value, ts);
    if (seen.size > 1) this.expire(ts);
    while (seen.size > this.cap) {
      const oldest = seen.keys().next().value as K;
      seen.delete(oldest);
    }
    return seen.size;
  }

  get size(): number {
    return this.lastSeen.size;
  }

  values(): K[] {
    return [...this.lastSeen.keys()];
  }

  private expire(now: number): void {
    for (const [k, t] of this.lastSeen) if (now - t > this.windowS) this.lastSeen.delete(k);
  }
}

/** A Map that keeps at most `cap` entries, dropping the oldest inserted. */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly cap: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.cap) {
      const oldest = this.keys().next().value as K;
      this.delete(oldest);
    }
    return super.set(key, value);
  }
}

/** The map's value for `key`, created with `make` when absent. */
export function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
