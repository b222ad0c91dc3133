// Which shard a packet's traffic belongs to when discovery runs in several threads. The shard is a
// function of the unordered pair of the packet's two IP addresses, so both directions of every
// connection, and everything between two hosts, are decoded by one shard: each shard's inventory
// and communication map hold whole connections and whole (client, server) pairs, and merging the
// shards' snapshots (snapshot.ts, flows/flow-map.ts) gives what one thread would have found.
// Frames without IP addresses (ARP and other non-IP frames) belong to shard 0.
//
// The pipeline computes the shard on the raw IPv4 numbers in its packet loop (`shardOfIpv4`);
// everything else (tests, IPv6) on the text form (`shardOf`); the two agree on every IPv4
// address. The values are part of the contract between the pipeline and the merge: changing the
// hash changes no result, but both sides must use the same one (shard.test.ts pins a few values).

/** MurmurHash3's 32-bit finaliser: neighbouring addresses (one subnet) spread over the shards. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 2^32 divided by the golden ratio: multiplying by it spreads the second address's bits. */
const GOLDEN = 0x9e3779b1;

/**
 * Shard of a pair of IPv4 addresses given as 32-bit numbers (signed or unsigned, as bit
 * arithmetic leaves them); symmetric in `a` and `b`. `shards` is a positive integer.
 */
export function shardOfIpv4(a: number, b: number, shards: number): number {
  const x = a >>> 0;
  const y = b >>> 0;
  const lo = Math.min(x, y);
  const hi = Math.max(x, y);
  return mix(mix(lo) ^ Math.imul(hi, GOLDEN)) % shards;
}

/** FNV-1a offset basis and prime (32 bits). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(text: string, h: number): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/**
 * Shard of a pair of addresses in text form; symmetric. Two dotted-quad IPv4 addresses give the
 * same answer as `shardOfIpv4` on their numbers. Any other pair (IPv6, as the pipeline formats it:
 * RFC 5952 text) hashes the two texts in sorted order with FNV-1a, so the answer is stable
 * across runs and threads but depends on the text: give the canonical form.
 */
export function shardOf(ipA: string, ipB: string, shards: number): number {
  const a = ipv4Number(ipA);
  const b = ipv4Number(ipB);
  if (a >= 0 && b >= 0) return shardOfIpv4(a, b, shards);
  const lo = ipA < ipB ? ipA : ipB;
  const hi = ipA < ipB ? ipB : ipA;
  // The separator byte keeps ("ab", "c") and ("a", "bc") apart.
  return mix(fnv1a(hi, fnv1a(lo, FNV_OFFSET) ^ 0x7c)) % shards;
}

/** The address as an unsigned 32-bit number, or -1 when the text is not four 1-3 digit parts. */
function ipv4Number(ip: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 0x2e; // a final '.' closes the last part
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return -1;
      part = part * 10 + (c - 0x30);
    } else if (c === 0x2e) {
      if (digits === 0 || ++parts > 4) return -1;
      // Parts are not checked against 255: addresses come formatted from packets.
      value = ((value << 8) | part) >>> 0;
      part = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}
