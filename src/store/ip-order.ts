// Listing assets "by IP numerically" in SQL on both engines: each asset row carries `ip_sort`, a
// text key whose bytewise order is numeric address order (10.0.0.2 before 10.0.0.10), IPv4 before
// IPv6, then anything unparsable, then assets without an address.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

/** Sorts after every address key. */
export const NO_IP_SORT_KEY = '~';

export function ipSortKey(ip: string | null): string {
  if (ip === null) return NO_IP_SORT_KEY;
  const v4 = ipv4Octets(ip);
  if (v4 !== null) return `4${hex(v4, 2)}`;
  const v6 = ipv6Hextets(ip);
  if (v6 !== null) return `6${hex(v6, 4)}`;
  return `x${ip}`;
}

function ipv4Octets(text: string): number[] | null {
  const match = IPV4.exec(text);
  if (match === null) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((octet) => octet <= 255) ? octets : null;
}

/** RFC 4291 section 2.2 text forms: `::` compression and a trailing dotted IPv4 part; a zone (`%eth0`) is ignored. */
function ipv6Hextets(text: string): number[] | null {
  let address = text.toLowerCase();
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = parseHextets(halves[0]);
  const tail = halves.length === 2 ? parseHextets(halves[1]) : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - tail.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...tail] : null;
}

function parseHextets(part: string): number[] | null {
  if (part === '') return [];
  const groups = part.split(':');
  const out: number[] = [];
  for (const [index, group] of groups.entries()) {
    const last = index === groups.length - 1;
    const v4 = last ? ipv4Octets(group) : null;
    if (v4 !== null) {
      out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3]);
    } else if (HEXTET.test(group)) {
      out.push(Number.parseInt(group, 16));
    } else {
      return null;
    }
  }
  return out;
}

function hex(values: number[], digits: number): string {
  return values.map((value) => value.toString(16).padStart(digits, '0')).join('');
}
