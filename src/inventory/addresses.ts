// Address facts the inventory needs: which MACs and IPs can name a device at all (not multicast,
// broadcast or unspecified), which IPs cannot be routed (link-local), and a numeric order for IPs.

/**
 * A MAC that can name a device: not a group address, and not all zeros (what tools write when
 * there was no link layer, and test captures use).
 */
export function isDeviceMac(mac: string): boolean {
  return !isGroupMac(mac) && mac !== '00:00:00:00:00:00';
}

/** I/G bit of the first octet: set for group (multicast and broadcast) addresses (IEEE 802-2014 8.2). */
export function isGroupMac(mac: string): boolean {
  return (firstOctet(mac) & 0x01) !== 0;
}

/** U/L bit: set for locally administered addresses (random, virtual), which carry no OUI (IEEE 802 8.2). */
export function isLocallyAdministeredMac(mac: string): boolean {
  return (firstOctet(mac) & 0x02) !== 0;
}

function firstOctet(mac: string): number {
  const value = Number.parseInt(mac.slice(0, 2), 16);
  return Number.isNaN(value) ? 0x01 : value;
}

export function isIpv6(ip: string): boolean {
  return ip.includes(':');
}

/** 0.0.0.0 and :: (RFC 1122 3.2.1.3, RFC 4291 2.5.2): "this host, no address yet". */
export function isUnspecifiedIp(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

/** Addresses that name a group, not a device: IPv4 multicast and limited broadcast, IPv6 multicast. */
export function isGroupIp(ip: string): boolean {
  if (isIpv6(ip)) return ip.slice(0, 2).toLowerCase() === 'ff';
  const first = Number.parseInt(ip, 10);
  return (first >= 224 && first <= 239) || ip === '255.255.255.255';
}

/**
 * Link-local addresses (169.254/16, RFC 3927; fe80::/10, RFC 4291 2.5.6) are never forwarded by a
 * router, so the MAC they arrive from is always their owner's.
 */
export function isLinkLocalIp(ip: string): boolean {
  if (isIpv6(ip)) return /^fe[89ab]/i.test(ip);
  return ip.startsWith('169.254.');
}

/** Numeric order: IPv4 before IPv6, each by value. Unparseable strings sort last, by text. */
export function compareIps(a: string, b: string): number {
  const ka = ipSortKey(a);
  const kb = ipSortKey(b);
  for (let i = 0; i < ka.length && i < kb.length; i += 1) {
    if (ka[i] !== kb[i]) return ka[i] - kb[i];
  }
  if (ka.length !== kb.length) return ka.length - kb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** [family, ...16-bit groups]: family 4 or 6, 9 for text that is neither. */
function ipSortKey(ip: string): number[] {
  if (!isIpv6(ip)) {
    const parts = ip.split('.').map((p) => Number.parseInt(p, 10));
    if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return [9];
    return [4, (parts[0] << 8) | parts[1], (parts[2] << 8) | parts[3]];
  }
  const groups = ipv6Groups(ip);
  return groups === null ? [9] : [6, ...groups];
}

/** The eight 16-bit groups of an IPv6 address (RFC 4291 2.2 text forms, incl. `::` and a dotted tail). */
function ipv6Groups(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  let text = zone >= 0 ? ip.slice(0, zone) : ip;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    // `::ffff:192.0.2.1`: the dotted quad is the last two groups.
    const v4 = text
      .slice(lastColon + 1)
      .split('.')
      .map((p) => Number.parseInt(p, 10));
    if (v4.length !== 4 || v4.some((p) => !(p >= 0 && p <= 255))) return null;
    const high = ((v4[0] << 8) | v4[1]).toString(16);
    const low = ((v4[2] << 8) | v4[3]).toString(16);
    text = `${text.slice(0, lastColon + 1)}${high}:${low}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === ''
      ? []
      : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = parse(halves[0]);
  const tail = halves.length === 2 ? parse(halves[1]) : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.some(Number.isNaN) ? null : groups;
}
