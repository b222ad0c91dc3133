// Address formatting, done once per connection or ARP packet, never per TCP segment.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bounded cache: a plant has a few thousand addresses, so most formats are a Map hit. */
const IPV4_CACHE_LIMIT = 65_536;
const ipv4Cache = new Map<number, string>();

export function formatIpv4(n: number): string {
  let s = ipv4Cache.get(n);
  if (s === undefined) {
    s = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
    if (ipv4Cache.size >= IPV4_CACHE_LIMIT) ipv4Cache.clear();
    ipv4Cache.set(n, s);
  }
  return s;
}

export function formatMac(d: Uint8Array, off: number): string {
  return `${HEX[d[off]]}:${HEX[d[off + 1]]}:${HEX[d[off + 2]]}:${HEX[d[off + 3]]}:${HEX[d[off + 4]]}:${HEX[d[off + 5]]}`;
}

/** RFC 5952 text form: lower case, leading zeros dropped, the longest run (>= 2) of zero groups as `::`. */
export function formatIpv6(d: Uint8Array, off: number): string {
  const g: number[] = new Array(8);
  for (let i = 0; i < 8; i++) g[i] = (d[off + 2 * i] << 8) | d[off + 2 * i + 1];
  // IPv4-mapped addresses keep the dotted tail (RFC 5952 §5).
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${d[off + 12]}.${d[off + 13]}.${d[off + 14]}.${d[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return g.map((x) => x.toString(16)).join(':');
  const head = g
    .slice(0, bestStart)
    .map((x) => x.toString(16))
    .join(':');
  const tail = g
    .slice(bestStart + bestLen)
    .map((x) => x.toString(16))
    .join(':');
  return `${head}::${tail}`;
}

/** Sort key for IPv4 text addresses (IPv6 sorts after every IPv4). */
export function ipSortKey(ip: string | null): number {
  if (ip === null) return Number.MAX_SAFE_INTEGER;
  const p = ip.split('.');
  if (p.length !== 4) return 2 ** 40;
  return ((+p[0] << 24) >>> 0) + (+p[1] << 16) + (+p[2] << 8) + +p[3];
}
