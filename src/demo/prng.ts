// Seeded pseudo-random numbers for the demo plant. Everything random in a demo capture comes from
// here, never from Math.random, so one seed always yields the same bytes. The generator is
// mulberry32 (Tommy Ettinger, public domain): 32 bits of state, fast, good enough for jitter and
// process values (it is not, and need not be, cryptographic).

/** FNV-1a over the label's UTF-16 code units: turns a stream name into 32 bits. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A final avalanche (from MurmurHash3's fmix32) so that neighbouring seeds give unrelated streams. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * An independent stream for one part of the plant (`derive(seed, 'poll:hmi-1>plc-boiler-1')`):
   * adding or changing one actor leaves every other actor's numbers as they were.
   */
  static derive(seed: number, label: string): Prng {
    return new Prng(mix32((seed >>> 0) ^ mix32(hashLabel(label) + 0x9e3779b9)));
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** `value` moved by up to ±`fraction` of itself, uniformly: timer jitter. */
  jitter(value: number, fraction: number): number {
    return value * (1 + fraction * (2 * this.float() - 1));
  }

  /** Exponentially distributed with the given mean: the gaps between independent events. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Fills buf[start, end) with random bytes (opaque payloads such as encrypted records). */
  fillBytes(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const r = this.nextUint32();
      buf[i] = r >>> 24;
      buf[i + 1] = (r >>> 16) & 0xff;
      buf[i + 2] = (r >>> 8) & 0xff;
      buf[i + 3] = r & 0xff;
    }
    for (; i < end; i++) buf[i] = this.nextUint32() & 0xff;
  }
}
