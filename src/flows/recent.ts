// A handful of recently used keys with a value each, found by comparing strings: cheaper than a
// Map lookup when a few keys repeat, as a poller's function names and operations do (it cycles
// through a few per server). Keys are compared with ===, which for the constant strings that
// dissectors put in records is a pointer compare. The cache never holds anything but strings, so
// the compare stays specialised for strings: do not seed it with null or undefined.

export class RecentCache<V> {
  private readonly keys: string[] = [];
  private readonly values: V[] = [];
  private next = 0;

  /** @param size keys kept; past it the oldest is forgotten. */
  constructor(private readonly size: number) {}

  /** The value remembered for `key`, undefined when it is not among the recent keys. */
  get(key: string): V | undefined {
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.values[i];
    return undefined;
  }

  /** Remembers `value` for `key`, which must not be among the recent keys already. */
  remember(key: string, value: V): void {
    if (this.keys.length < this.size) {
      this.keys.push(key);
      this.values.push(value);
      return;
    }
    const i = this.next;
    this.keys[i] = key;
    this.values[i] = value;
    this.next = i + 1 === this.size ? 0 : i + 1;
  }
}
