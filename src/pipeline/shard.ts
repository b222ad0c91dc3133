// Which shard a packet belongs to when discovery runs on several threads. A shard is chosen by
// the unordered pair of IP addresses, so both directions of every connection, every fragment of
// a datagram, and all traffic between two hosts land in the same shard: each shard's connection
// table, reassembly and request/response pairing see whole conversations. Frames without IP
// (ARP, LLDP, malformed ones) belong to shard 0.
//
// OT traffic is a few heavy, steady conversations (a SCADA server polling its PLCs), so a plain
// hash of the pair balances badly. Every shard reads every frame, so each can run the same
// deterministic assignment: a host pair seen for the first time goes to the shard that has been
// given the fewest packets so far. All shards agree without talking to each other. Past
// MAX_ASSIGNED_PAIRS (a scan touching millions of pairs) new pairs fall back to the hash.

/** A 32-bit mix (the finaliser of MurmurHash3) so neighbouring addresses spread evenly. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Shard of an IPv4 address pair given as 32-bit numbers (signed or unsigned); symmetric in a and b. */
export function shardOfIpv4(a: number, b: number, shards: number): number {
  a >>>= 0;
  b >>>= 0;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return mix(mix(lo) ^ Math.imul(hi, 0x9e3779b1)) % shards;
}

/** FNV-1a over a string, for IPv6 text addresses. */
function fnv(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(ip: string): number | null {
  const m = IPV4.exec(ip);
  return m === null ? null : ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
}

/** Shard of an address pair in text form: the same answer as shardOfIpv4 for IPv4 addresses. */
export function shardOf(ipA: string, ipB: string, shards: number): number {
  const a = ipv4Number(ipA);
  const b = ipv4Number(ipB);
  if (a !== null && b !== null) return shardOfIpv4(a, b, shards);
  const [lo, hi] = ipA < ipB ? [ipA, ipB] : [ipB, ipA];
  return mix(fnv(hi, fnv(lo, 0x811c9dc5) ^ 0x7c)) % shards;
}

/** Host pairs remembered for the load-aware assignment; beyond this, pairs are hashed. */
export const MAX_ASSIGNED_PAIRS = 200_000;

export class ShardAssigner {
  private readonly pairs = new Map<string, number>();
  /** Packets given to each shard so far (identical in every shard's copy of this assigner). */
  private readonly load: number[];
  private lastA = -1;
  private lastB = -1;
  private lastShard = 0;

  constructor(private readonly count: number) {
    this.load = new Array<number>(count).fill(0);
  }

  /** A frame without IP addresses: shard 0. */
  l2(): void {
    this.load[0]++;
  }

  ofIpv4(a: number, b: number): number {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    if (lo === this.lastA && hi === this.lastB) {
      this.load[this.lastShard]++;
      return this.lastShard;
    }
    const shard = this.assign(String.fromCharCode(lo >>> 16, lo & 0xffff, hi >>> 16, hi & 0xffff), () =>
      shardOfIpv4(lo, hi, this.count),
    );
    this.lastA = lo;
    this.lastB = hi;
    this.lastShard = shard;
    return shard;
  }

  ofText(a: string, b: string): number {
    this.lastA = -1;
    return this.assign(a < b ? `${a}|${b}` : `${b}|${a}`, () => shardOf(a, b, this.count));
  }

  private assign(key: string, hash: () => number): number {
    let shard = this.pairs.get(key);
    if (shard === undefined) {
      if (this.pairs.size < MAX_ASSIGNED_PAIRS) {
        shard = 0;
        for (let i = 1; i < this.count; i++) if (this.load[i] < this.load[shard]) shard = i;
        this.pairs.set(key, shard);
      } else {
        shard = hash();
      }
    }
    this.load[shard]++;
    return shard;
  }
}
