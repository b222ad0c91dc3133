// The DNS-format dissectors (STYLE.md 2-3): `dns` over UDP (DNS on 53, mDNS on 5353, NBNS on 137:
// the ports are hints, the kind comes from the bytes, see parser.ts) and the TCP descriptor of the same name, DNS over TCP
// with its 2-byte length prefix (RFC 1035 §4.2.2, RFC 7766 §8). One event per message; a malformed
// message is a violation, and a flow that never produced a valid message is abandoned after a few.

import type {
  Direction,
  DissectorDescriptor,
  DissectorSession,
  ProbeVerdict,
  SessionContext,
} from '../types.ts';
import { type DnsMessage, dnsFields, looksLikeNbns, parseDns, readId } from './parser.ts';
import {
  DNS_PORT,
  type DnsKind,
  Flag,
  HEADER_LENGTH,
  knownOpcode,
  MAX_RECORDS,
  MAX_TCP_MESSAGE_LENGTH,
  MDNS_PORT,
  NBNS_PORT,
} from './spec.ts';

/** Consecutive malformed datagrams, with no valid message yet, after which a UDP flow is given up. */
export const MAX_VIOLATIONS_BEFORE_ABANDON = 8;
/** Violations in a row on a TCP connection before it is abandoned. */
export const MAX_CONSECUTIVE_VIOLATIONS = 16;
/** The 2-byte length prefix of DNS over TCP (RFC 1035 §4.2.2). */
export const TCP_LENGTH_PREFIX = 2;
/**
 * Bytes skipped while looking for the next message after a TCP gap before a violation is
 * reported: two of the largest messages. Garbage then counts towards MAX_CONSECUTIVE_VIOLATIONS.
 */
export const RESYNC_REPORT_BYTES = 2 * (TCP_LENGTH_PREFIX + MAX_TCP_MESSAGE_LENGTH);

const COVERAGE_DECODED = [
  'header: id, QR, opcode, flags, rcode (DNS and NBNS names)',
  'questions and records with name compression (bounded pointers, loops refused)',
  'A, AAAA, NS, CNAME, PTR, DNAME, MX, SRV, SOA, TXT, HINFO answers',
  'mDNS: host names, _device-info model, printer make and model, HINFO',
  'NBNS: first-level encoded names with suffix, NB records, node status (names, MAC)',
] as const;

export const dnsDissector: DissectorDescriptor = {
  name: 'dns',
  transport: 'udp',
  ports: [DNS_PORT, MDNS_PORT, NBNS_PORT],
  funcFields: ['dns.opcode'],
  operationField: 'dns.operation',
  errorField: 'dns.error',
  coverage: {
    protocol: 'DNS, mDNS and NBNS',
    decoded: [...COVERAGE_DECODED],
    recognised: ['other record types (type and length)', 'EDNS OPT, DNSSEC records (not decoded)'],
    notHandled: [
      'LLMNR (decoded as DNS)',
      'NetBIOS datagram and session services (UDP 138, TCP 139)',
      'DNS over TLS/HTTPS',
    ],
  },
  probe: probeDnsDatagram,
  createSession: (ctx) => new DnsDatagramSession(ctx),
};

export const dnsTcpDissector: DissectorDescriptor = {
  name: 'dns',
  transport: 'tcp',
  ports: [DNS_PORT],
  funcFields: ['dns.opcode'],
  operationField: 'dns.operation',
  errorField: 'dns.error',
  coverage: {
    protocol: 'DNS over TCP',
    decoded: ['2-byte length framing (RFC 7766)', ...COVERAGE_DECODED.slice(0, 3)],
    recognised: ['zone transfers (AXFR/IXFR messages, each decoded as a message)'],
    notHandled: ['DNS over TLS (port 853)'],
  },
  probe: probeDnsStream,
  createSession: (ctx) => new DnsStreamSession(ctx),
};

/**
 * Header checks that hold for every real message: a known opcode, the reserved bits zero, and a
 * query that asks something (RFC 1035 §4.1.1; RFC 1002 §4.2.1.1 for NBNS's NM_FLAGS).
 */
function plausibleHeader(b: Uint8Array, s: number, kind: DnsKind): boolean {
  const flags = (b[s + 2] << 8) | b[s + 3];
  const opcode = (flags >> 11) & 0xf;
  if (!knownOpcode(kind, opcode)) return false;
  // DNS: Z (bit 6) is zero; NBNS: both bits between RA and B are zero.
  if (flags & (kind === 'nbns' ? 0x0060 : Flag.Z)) return false;
  const qd = (b[s + 4] << 8) | b[s + 5];
  const total =
    qd + ((b[s + 6] << 8) | b[s + 7]) + ((b[s + 8] << 8) | b[s + 9]) + ((b[s + 10] << 8) | b[s + 11]);
  if (total === 0 || total > MAX_RECORDS) return false;
  if ((flags & Flag.QR) === 0 && (qd === 0 || (flags & 0xf) !== 0)) return false;
  return true;
}

/** True when `m`, parsed from b[s, e), is convincingly DNS-format: the probe's `yes`. */
function convincing(b: Uint8Array, s: number, e: number, m: DnsMessage): boolean {
  // Random bytes that happen to parse rarely end exactly where the last record does.
  return m.used === e - s && plausibleHeader(b, s, m.kind);
}

/** A datagram is complete: it parses as a plausible DNS, mDNS or NBNS message, or it is not one. */
export function probeDnsDatagram(_dir: Direction, data: Uint8Array): ProbeVerdict {
  if (data.length < HEADER_LENGTH) return 'no';
  const kind: DnsKind = looksLikeNbns(data, 0, data.length) ? 'nbns' : 'dns';
  if (!plausibleHeader(data, 0, kind)) return 'no';
  const r = parseDns(data);
  return r.kind === 'ok' && convincing(data, 0, data.length, r.message) ? 'yes' : 'no';
}

/**
 * TCP: the length prefix, then a header that fits the direction (queries from the client,
 * responses from the server, RFC 1035 §4.2.2), and, once the whole message is there, a clean parse.
 */
export function probeDnsStream(dir: Direction, data: Uint8Array): ProbeVerdict {
  if (data.length < TCP_LENGTH_PREFIX + HEADER_LENGTH) {
    if (data.length >= TCP_LENGTH_PREFIX && ((data[0] << 8) | data[1]) < HEADER_LENGTH) return 'no';
    return 'maybe';
  }
  if (!streamHeaderFits(data, 0, dir)) return 'no';
  const length = (data[0] << 8) | data[1];
  if (data.length < TCP_LENGTH_PREFIX + length) return 'maybe';
  const r = parseDns(data, TCP_LENGTH_PREFIX, TCP_LENGTH_PREFIX + length);
  return r.kind === 'ok' && convincing(data, TCP_LENGTH_PREFIX, TCP_LENGTH_PREFIX + length, r.message)
    ? 'yes'
    : 'no';
}

/** A length prefix at `s` followed by a header that DNS over TCP in direction `dir` would send. */
function streamHeaderFits(b: Uint8Array, s: number, dir: Direction): boolean {
  const length = (b[s] << 8) | b[s + 1];
  if (length < HEADER_LENGTH) return false;
  const h = s + TCP_LENGTH_PREFIX;
  if (((b[h + 2] & 0x80) !== 0) !== (dir === 1)) return false;
  // Over TCP a message asks one question at most (zone transfers continue with none).
  if (((b[h + 4] << 8) | b[h + 5]) > 1) return false;
  return plausibleHeader(b, h, 'dns');
}

class DnsDatagramSession implements DissectorSession {
  private messages = 0;
  private violationsInARow = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, datagram: Uint8Array): void {
    if (this.abandoned) return;
    const r = parseDns(datagram);
    if (r.kind === 'ok') {
      this.messages++;
      this.violationsInARow = 0;
      this.ctx.message(dir, ts, dnsFields(r.message));
      return;
    }
    if (r.kind !== 'violation') return;
    this.violationsInARow++;
    this.ctx.violation(dir, ts, r.reason, { 'dns.id': readId(datagram) });
    if (this.messages === 0 && this.violationsInARow >= MAX_VIOLATIONS_BEFORE_ABANDON) {
      this.abandoned = true;
      this.ctx.abandon(`${this.violationsInARow} malformed datagrams and no valid DNS message`);
    }
  }

  gap(): void {
    // Datagrams are independent: a lost one leaves nothing to resynchronise.
  }

  end(): void {}
}

/** Stream state of one direction of a DNS/TCP connection. */
class StreamDirection {
  /** A message (with its prefix) begun in an earlier chunk; sized to the message once its length is known. */
  carry: Uint8Array | null = null;
  carryLength = 0;
  resyncing = false;
  skipped = 0;
}

class DnsStreamSession implements DissectorSession {
  private readonly dirs: readonly [StreamDirection, StreamDirection] = [
    new StreamDirection(),
    new StreamDirection(),
  ];
  private violationRun = 0;
  private abandoned = false;

  constructor(private readonly ctx: SessionContext) {}

  data(dir: Direction, ts: number, chunk: Uint8Array): void {
    if (this.abandoned) return;
    const st = this.dirs[dir];
    let off = 0;
    while (st.carryLength > 0 && off < chunk.length) {
      let carry = st.carry!;
      const need =
        st.carryLength < TCP_LENGTH_PREFIX
          ? TCP_LENGTH_PREFIX
          : TCP_LENGTH_PREFIX + ((carry[0] << 8) | carry[1]);
      const take = Math.min(need - st.carryLength, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), st.carryLength);
      st.carryLength += take;
      off += take;
      if (st.carryLength < need) return;
      if (need === TCP_LENGTH_PREFIX) {
        // The length is known now: make room for the whole message.
        const full = new Uint8Array(TCP_LENGTH_PREFIX + ((carry[0] << 8) | carry[1]));
        full.set(carry.subarray(0, TCP_LENGTH_PREFIX));
        st.carry = carry = full;
        if (full.length === TCP_LENGTH_PREFIX) {
          this.deliver(dir, ts, full, 0);
          st.carryLength = 0;
        }
        continue;
      }
      st.carryLength = 0;
      st.carry = null;
      this.deliver(dir, ts, carry, 0);
      if (this.abandoned) return;
    }
    const stop = this.scan(st, dir, ts, chunk, off);
    if (this.abandoned || stop >= chunk.length) return;
    // A message cut by the chunk's end: keep it (bounded by the 16-bit length, RFC 1035 §4.2.2).
    const rest = chunk.length - stop;
    const total =
      rest >= TCP_LENGTH_PREFIX
        ? TCP_LENGTH_PREFIX + ((chunk[stop] << 8) | chunk[stop + 1])
        : TCP_LENGTH_PREFIX;
    st.carry = new Uint8Array(total);
    st.carry.set(chunk.subarray(stop));
    st.carryLength = rest;
  }

  gap(dir: Direction): void {
    const st = this.dirs[dir];
    st.carry = null;
    st.carryLength = 0;
    st.resyncing = true;
    st.skipped = 0;
  }

  end(): void {
    for (const st of this.dirs) {
      st.carry = null;
      st.carryLength = 0;
    }
  }

  /** Delivers every whole message in buf[pos, end); returns where the first incomplete one starts. */
  private scan(st: StreamDirection, dir: Direction, ts: number, buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      if (st.resyncing) {
        while (end - pos >= TCP_LENGTH_PREFIX + HEADER_LENGTH && !streamHeaderFits(buf, pos, dir)) {
          pos++;
          if (++st.skipped >= RESYNC_REPORT_BYTES) {
            st.skipped = 0;
            this.report(dir, ts, `no DNS message header in ${RESYNC_REPORT_BYTES} bytes after a gap`, null);
            if (this.abandoned) return end;
          }
        }
        // Too few bytes to judge a header: drop them, the next chunk is scanned afresh.
        if (end - pos < TCP_LENGTH_PREFIX + HEADER_LENGTH) return end;
        st.resyncing = false;
        st.skipped = 0;
      }
      if (end - pos < TCP_LENGTH_PREFIX) return pos;
      const total = TCP_LENGTH_PREFIX + ((buf[pos] << 8) | buf[pos + 1]);
      if (end - pos < total) return pos;
      this.deliver(dir, ts, buf, pos);
      if (this.abandoned) return end;
      pos += total;
    }
    return pos;
  }

  /** Parses the length-prefixed message at buf[pos]. */
  private deliver(dir: Direction, ts: number, buf: Uint8Array, pos: number): void {
    const length = (buf[pos] << 8) | buf[pos + 1];
    const s = pos + TCP_LENGTH_PREFIX;
    const r = parseDns(buf, s, s + length);
    if (r.kind === 'ok') {
      this.violationRun = 0;
      this.ctx.message(dir, ts, dnsFields(r.message));
    } else if (r.kind === 'violation') {
      this.report(dir, ts, r.reason, readId(buf, s, s + length));
    }
  }

  private report(dir: Direction, ts: number, reason: string, id: number | null): void {
    this.ctx.violation(dir, ts, reason, { 'dns.id': id });
    if (++this.violationRun >= MAX_CONSECUTIVE_VIOLATIONS) {
      this.abandoned = true;
      this.ctx.abandon(`${MAX_CONSECUTIVE_VIOLATIONS} DNS/TCP violations in a row`);
    }
  }
}
