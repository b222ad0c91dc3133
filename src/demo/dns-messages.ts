// DNS queries and responses over UDP (RFC 1035 §4.1), written in place: one question, A answers
// (§3.4.1) or, for a name that does not exist, NXDOMAIN with the zone's SOA in the authority
// section for negative caching (RFC 2308 §3). Answer names are compressed pointers (§4.1.4).

export const DNS_PORT = 53;
export const DNS_TYPE = { A: 1, SOA: 6 } as const;
export const DNS_CLASS_IN = 1;
export const DNS_RCODE = { NOERROR: 0, NXDOMAIN: 3 } as const;
export const DNS_HEADER_BYTES = 12;
/** §4.1.1 header flag bits. */
const QR = 0x8000;
const AA = 0x0400;
const RD = 0x0100;
const RA = 0x0080;
/** §4.1.4: two high bits set mark a pointer to an earlier name. */
const POINTER = 0xc000;

function put16(buf: Uint8Array, off: number, value: number): void {
  buf[off] = (value >>> 8) & 0xff;
  buf[off + 1] = value & 0xff;
}

function put32(buf: Uint8Array, off: number, value: number): void {
  put16(buf, off, value >>> 16);
  put16(buf, off + 2, value & 0xffff);
}

/** A name as labels (§3.1), ending with the root label, or with a pointer when `pointer` is given. */
function writeName(buf: Uint8Array, off: number, name: string, pointer?: number): number {
  for (const label of name.split('.')) {
    if (label.length === 0) continue;
    if (label.length > 63) throw new RangeError(`DNS label longer than 63 bytes: ${label}`);
    buf[off++] = label.length;
    for (let i = 0; i < label.length; i++) buf[off++] = label.charCodeAt(i) & 0x7f;
  }
  if (pointer === undefined) {
    buf[off++] = 0;
  } else {
    put16(buf, off, POINTER | pointer);
    off += 2;
  }
  return off;
}

function writeHeader(
  buf: Uint8Array,
  off: number,
  id: number,
  flags: number,
  answers: number,
  authorities: number,
): number {
  put16(buf, off, id);
  put16(buf, off + 2, flags);
  put16(buf, off + 4, 1); // QDCOUNT
  put16(buf, off + 6, answers);
  put16(buf, off + 8, authorities);
  put16(buf, off + 10, 0); // ARCOUNT
  return off + DNS_HEADER_BYTES;
}

function writeQuestion(buf: Uint8Array, off: number, name: string): number {
  off = writeName(buf, off, name);
  put16(buf, off, DNS_TYPE.A);
  put16(buf, off + 2, DNS_CLASS_IN);
  return off + 4;
}

/** A recursive query for the A records of `name`. Returns its length. */
export function writeDnsQuery(buf: Uint8Array, off: number, id: number, name: string): number {
  const p = writeHeader(buf, off, id, RD, 0, 0);
  return writeQuestion(buf, p, name) - off;
}

export interface DnsZone {
  /** `plant.example` */
  readonly name: string;
  /** SOA MNAME and RNAME as their first label inside the zone: `dns-1`, `hostmaster`. */
  readonly primaryLabel: string;
  readonly mailboxLabel: string;
  readonly serial: number;
  readonly ttl: number;
}

/**
 * The authoritative answer to `writeDnsQuery(id, name)`: the A records of `addresses`, or
 * NXDOMAIN with the zone's SOA when there are none. `name` must lie inside `zone`.
 */
export function writeDnsResponse(
  buf: Uint8Array,
  off: number,
  id: number,
  name: string,
  addresses: readonly number[],
  zone: DnsZone,
): number {
  const found = addresses.length > 0;
  const flags = QR | AA | RD | RA | (found ? DNS_RCODE.NOERROR : DNS_RCODE.NXDOMAIN);
  let p = writeHeader(buf, off, id, flags, addresses.length, found ? 0 : 1);
  const questionName = p - off;
  p = writeQuestion(buf, p, name);
  for (const address of addresses) {
    put16(buf, p, POINTER | questionName);
    put16(buf, p + 2, DNS_TYPE.A);
    put16(buf, p + 4, DNS_CLASS_IN);
    put32(buf, p + 6, zone.ttl);
    put16(buf, p + 10, 4);
    put32(buf, p + 12, address);
    p += 16;
  }
  if (!found) {
    // The zone is a suffix of the question name: point into it (§4.1.4).
    const zoneOffset = questionName + (name.length - zone.name.length);
    put16(buf, p, POINTER | zoneOffset);
    put16(buf, p + 2, DNS_TYPE.SOA);
    put16(buf, p + 4, DNS_CLASS_IN);
    put32(buf, p + 6, zone.ttl);
    const rdata = p + 12;
    let q = writeName(buf, rdata, zone.primaryLabel, zoneOffset);
    q = writeName(buf, q, zone.mailboxLabel, zoneOffset);
    put32(buf, q, zone.serial);
    put32(buf, q + 4, 900); // REFRESH
    put32(buf, q + 8, 600); // RETRY
    put32(buf, q + 12, 86400); // EXPIRE
    put32(buf, q + 16, zone.ttl); // MINIMUM: the negative-caching TTL (RFC 2308 §4)
    q += 20;
    put16(buf, p + 10, q - rdata);
    p = q;
  }
  return p - off;
}
