// Which shard a packet belongs to when discovery runs on several threads. A shard is chosen by
// the unordered pair of IP addresses, so both directions of every connection, every fragment of
// a datagram, and all traffic between two hosts land in the same shard: each shard's connection
// table, reassembly and request/response pairing see whole conversations. Frames without IP
// (ARP, LLDP, malformed ones) belong to shard 0.

/** A 32-bit mix (the finaliser of MurmurHash3) so neighbouring addresses spread evenly. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Shard of an IPv4 address pair given as 32-bit numbers; symmetric in a and b. */
export function shardOfIpv4(a: number, b: number, shards: number): number {
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
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
