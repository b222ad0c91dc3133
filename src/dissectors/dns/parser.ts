// Parses one DNS-format message (RFC 1035 §4.1): unicast DNS, Multicast DNS (RFC 6762) and the
// NetBIOS Name Service (RFC 1002 §4.2), which share the header and record layout. Pure and bounded
// (STYLE.md 4): every read is length-checked, names follow at most MAX_POINTER_HOPS compression
// pointers and each must point before the name piece it continues (so no loop can be followed),
// a message walks at most MAX_RECORDS records, and the result is ok or violation. All multi-byte
// fields are big-endian (network byte order, RFC 1035 §2.3.2).
//
// Which flavour a message is comes from its bytes (the session does not know the ports): NBNS
// when its first name is a 32-letter first-level encoded NetBIOS name (RFC 1001 §14.1) of type NB
// or NBSTAT; mDNS when a class carries the RFC 6762 top bit (unicast-response / cache-flush), or
// when the id is 0 (§18.1) and a name ends in `.local` (§3); else DNS.

import type { Fields, ParseResult } from '../types.ts';
import {
  DEVICE_INFO_SERVICE,
  type DnsKind,
  dnsOperation,
  Flag,
  HEADER_LENGTH,
  MAX_ANSWERS_LISTED,
  MAX_LABEL_LENGTH,
  MAX_NAME_LENGTH,
  MAX_NB_NAMES_LISTED,
  MAX_POINTER_HOPS,
  MAX_RECORDS,
  MAX_TEXT_LENGTH,
  MAX_TXT_STRINGS,
  MDNS_CLASS_TOP_BIT,
  NB_ENCODED_LENGTH,
  NB_FLAG_GROUP,
  NB_NAME_LENGTH,
  NB_SUFFIX_SERVER,
  NB_SUFFIX_WORKSTATION,
  NBNS_FLAG_B,
  NBNS_OPCODES,
  NBNS_RR_TYPES,
  NBSTAT_STATISTICS_LENGTH,
  opcodeName,
  PRINTER_SERVICES,
  RR_TYPES,
  rcodeName,
  rrTypeName,
} from './spec.ts';

/** What a device said about itself in an mDNS or NBNS message (see README "Identity"). */
export interface DnsIdentity {
  name: string | null;
  /** The address the record binds the name to: the sender's own when it speaks for itself. */
  ip: string | null;
  model: string | null;
  vendor: string | null;
  product: string | null;
  description: string | null;
}

export interface DnsMessage {
  readonly kind: DnsKind;
  readonly id: number;
  readonly response: boolean;
  readonly opcode: number;
  readonly rcode: number;
  /** The second header word, raw. */
  readonly flags: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
  /** First question's name; in a response without questions (NBNS) the first answer's owner. */
  readonly query: string | null;
  readonly qtype: number | null;
  /** `TYPE owner data` for the first MAX_ANSWERS_LISTED answer records. */
  readonly answers: readonly string[];
  readonly identity: DnsIdentity | null;
  /** NBSTAT responses: the node's names, `NAME<XX>` with ` GROUP` for group names. */
  readonly nbNames: readonly string[] | null;
  /** NBSTAT responses: UNIT_ID, the adapter's MAC address (RFC 1002 §4.2.18). */
  readonly nbMac: string | null;
  /** Bytes from the start of the message to the end of its last record (padding after it excluded). */
  readonly used: number;
}

/** Record sections after the questions (RFC 1035 §4.1). */
const ANSWER = 1;
const AUTHORITY = 2;
const ADDITIONAL = 3;

// Scratch state of one parse. The parser is synchronous and never re-entered, so module-level
// scratch saves an allocation per name; every entry point resets what it uses.
let nameError = '';
let nameText = '';
/** The last name read ended in the label `local` (RFC 6762 §3). */
let nameEndsLocal = false;
/** The last name was a first-level encoded NetBIOS name: its text without suffix, and the suffix. */
let nbBase: string | null = null;
let nbSuffix = -1;
const chars: number[] = [];

/** Instance names end in `.<service>` (RFC 6763 §4.1). */
const DEVICE_INFO_SUFFIX = `.${DEVICE_INFO_SERVICE}`;
const PRINTER_SUFFIXES = PRINTER_SERVICES.map((service) => `.${service}`);

const HEX_UPPER = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Big-endian (network byte order) 16 bits. */
function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

/** Big-endian 32 bits, unsigned. */
function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Appends one label's bytes as text: printable ASCII as is, `.` and `\` escaped, else UTF-8 or `\DDD`. */
function appendLabel(b: Uint8Array, s: number, len: number): void {
  let plain = true;
  for (let i = s; i < s + len; i++) {
    const c = b[i];
    if (c < 0x20 || c > 0x7e) {
      plain = false;
      break;
    }
  }
  if (!plain && appendUtf8(b, s, len)) return;
  for (let i = s; i < s + len; i++) {
    const c = b[i];
    if (c === 0x2e || c === 0x5c) chars.push(0x5c, c);
    else if (c >= 0x20 && c <= 0x7e) chars.push(c);
    else {
      // RFC 4343 §2.1 presentation form: a backslash and three decimal digits.
      chars.push(0x5c, 0x30 + Math.floor(c / 100), 0x30 + (Math.floor(c / 10) % 10), 0x30 + (c % 10));
    }
  }
}

/** DNS-SD instance names are UTF-8 (RFC 6763 §4.1.1): keep them readable when they decode cleanly. */
function appendUtf8(b: Uint8Array, s: number, len: number): boolean {
  let text: string;
  try {
    text = utf8.decode(b.subarray(s, s + len));
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e || c === 0x5c) chars.push(0x5c);
    chars.push(c);
  }
  return true;
}

/**
 * RFC 1001 §14.1 first-level decoding of a 32-letter label into `NAME<XX>` (the 15-byte name with
 * its padding trimmed, then the suffix byte in hex, as Wireshark prints it). False when the label
 * is not such an encoding.
 */
function appendNetbiosName(b: Uint8Array, s: number): boolean {
  for (let i = s; i < s + NB_ENCODED_LENGTH; i++) if (b[i] < 0x41 || b[i] > 0x50) return false;
  const bytes = new Array<number>(NB_NAME_LENGTH);
  for (let i = 0; i < NB_NAME_LENGTH; i++) {
    bytes[i] = ((b[s + 2 * i] - 0x41) << 4) | (b[s + 2 * i + 1] - 0x41);
  }
  // Names are padded with spaces; the `*` of a node status query with NULs (RFC 1002 §4.2.17).
  let end = NB_NAME_LENGTH - 1;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x00)) end--;
  const from = chars.length;
  for (let i = 0; i < end; i++) {
    const c = bytes[i];
    if (c >= 0x20 && c <= 0x7e && c !== 0x5c) chars.push(c);
    else chars.push(0x5c, 0x78, HEX[c].charCodeAt(0), HEX[c].charCodeAt(1));
  }
  nbBase = String.fromCharCode.apply(null, chars.slice(from));
  nbSuffix = bytes[NB_NAME_LENGTH - 1];
  const hex = HEX_UPPER[nbSuffix];
  chars.push(0x3c, hex.charCodeAt(0), hex.charCodeAt(1), 0x3e);
  return true;
}

/**
 * Reads the name at `pos` of the message b[msgStart, end). Returns the offset after the name's
 * in-place part (a pointer ends it, RFC 1035 §4.1.4), or -1 with `nameError` set. With `text`,
 * the name's presentation form is left in `nameText` (`<root>` for the root); NetBIOS names are
 * decoded when `netbios` is set.
 */
function readName(
  b: Uint8Array,
  msgStart: number,
  end: number,
  pos: number,
  text: boolean,
  netbios: boolean,
): number {
  let p = pos;
  let pieceStart = pos;
  let next = -1;
  let hops = 0;
  let wire = 1; // the root label's length byte
  let lastLabel = -1;
  let lastLength = 0;
  let first = true;
  if (text) chars.length = 0;
  nbBase = null;
  nbSuffix = -1;
  for (;;) {
    if (p >= end) {
      nameError = `name at offset ${pos - msgStart} runs past the end of the message`;
      return -1;
    }
    const len = b[p];
    if (len === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    const type = len & 0xc0;
    if (type === 0xc0) {
      if (p + 1 >= end) {
        nameError = `compression pointer at offset ${p - msgStart} is cut off`;
        return -1;
      }
      const target = msgStart + (((len & 0x3f) << 8) | b[p + 1]);
      if (next < 0) next = p + 2;
      if (++hops > MAX_POINTER_HOPS) {
        nameError = `name at offset ${pos - msgStart} follows more than ${MAX_POINTER_HOPS} compression pointers`;
        return -1;
      }
      // §4.1.4: a pointer names a prior occurrence. Requiring it to point before the piece it
      // continues makes every jump go backwards, so a loop is impossible, not just bounded.
      if (target >= pieceStart) {
        nameError = `compression pointer at offset ${p - msgStart} points to ${target - msgStart}, not to an earlier name (loop)`;
        return -1;
      }
      p = target;
      pieceStart = target;
      continue;
    }
    if (type !== 0) {
      // 0x40 was RFC 2673's bit-string label, 0x80 is reserved (RFC 6891 §5): neither is in use.
      nameError = `label type 0x${HEX[type]} at offset ${p - msgStart} is not a normal label or pointer`;
      return -1;
    }
    wire += len + 1;
    if (wire > MAX_NAME_LENGTH) {
      nameError = `name at offset ${pos - msgStart} is longer than ${MAX_NAME_LENGTH} bytes`;
      return -1;
    }
    if (p + 1 + len > end) {
      nameError = `label at offset ${p - msgStart} runs past the end of the message`;
      return -1;
    }
    if (text) {
      if (!first) chars.push(0x2e);
      if (!(first && netbios && len === NB_ENCODED_LENGTH && appendNetbiosName(b, p + 1))) {
        appendLabel(b, p + 1, len);
      }
    }
    first = false;
    lastLabel = p + 1;
    lastLength = len;
    p += 1 + len;
  }
  nameEndsLocal =
    lastLength === 5 &&
    (b[lastLabel] | 0x20) === 0x6c && // l
    (b[lastLabel + 1] | 0x20) === 0x6f && // o
    (b[lastLabel + 2] | 0x20) === 0x63 && // c
    (b[lastLabel + 3] | 0x20) === 0x61 && // a
    (b[lastLabel + 4] | 0x20) === 0x6c; // l
  if (text) nameText = chars.length === 0 ? '<root>' : String.fromCharCode.apply(null, chars);
  return next;
}

/** The presentation form of the name at `pos` (for rdata and owner names); null when malformed. */
function nameAt(b: Uint8Array, msgStart: number, end: number, pos: number, netbios = false): string | null {
  return readName(b, msgStart, end, pos, true, netbios) < 0 ? null : nameText;
}

/**
 * NBNS by its bytes: the first name of the message is a 32-letter first-level encoded NetBIOS name
 * (RFC 1001 §14.1, RFC 1002 §4.1) of type NB or NBSTAT. Questions and the first record are never
 * compressed (nothing precedes them to point to).
 */
export function looksLikeNbns(b: Uint8Array, start: number, end: number): boolean {
  let p = start + HEADER_LENGTH;
  if (p + 1 + NB_ENCODED_LENGTH + 1 + 4 > end || b[p] !== NB_ENCODED_LENGTH) return false;
  for (let i = p + 1; i <= p + NB_ENCODED_LENGTH; i++) if (b[i] < 0x41 || b[i] > 0x50) return false;
  p += 1 + NB_ENCODED_LENGTH;
  // Scope labels (RFC 1001 §14.2) then the root, uncompressed here.
  while (p < end && b[p] !== 0) {
    if (b[p] > MAX_LABEL_LENGTH) return false;
    p += 1 + b[p];
  }
  if (p + 3 > end) return false;
  const type = u16(b, p + 1);
  return type === NBNS_RR_TYPES.NB || type === NBNS_RR_TYPES.NBSTAT;
}

function formatIpv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 §4: lower-case hex, no leading zeros, the longest run (>= 2) of zero groups as `::`. */
export function formatIpv6(b: Uint8Array, o: number): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (u16(b, o + 2 * i) !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && u16(b, o + 2 * j) === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += '::';
      i += bestLength - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += u16(b, o + 2 * i).toString(16);
  }
  return out;
}

function formatMac(b: Uint8Array, o: number): string {
  return `${HEX[b[o]]}:${HEX[b[o + 1]]}:${HEX[b[o + 2]]}:${HEX[b[o + 3]]}:${HEX[b[o + 4]]}:${HEX[b[o + 5]]}`;
}

/** A <character-string> (RFC 1035 §3.3) as printable text, capped at MAX_TEXT_LENGTH characters. */
function characterString(b: Uint8Array, s: number, len: number): string {
  const n = Math.min(len, MAX_TEXT_LENGTH);
  let plain = true;
  for (let i = s; i < s + n; i++) {
    if (b[i] < 0x20 || b[i] > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return String.fromCharCode.apply(null, b.subarray(s, s + n) as unknown as number[]);
  try {
    const text = utf8.decode(b.subarray(s, s + len));
    if (!/[\u0000-\u001f\u007f-\u009f]/.test(text))
      return text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
  } catch {
    // not UTF-8: escape below
  }
  let out = '';
  for (let i = s; i < s + n; i++) {
    const c = b[i];
    out += c >= 0x20 && c <= 0x7e && c !== 0x5c ? String.fromCharCode(c) : `\\x${HEX[c]}`;
  }
  return out;
}

/** The <character-string>s of a TXT or HINFO RDATA, at most `max`; null when they overrun it. */
function characterStrings(b: Uint8Array, s: number, e: number, max: number): string[] | null {
  const out: string[] = [];
  let p = s;
  while (p < e) {
    const len = b[p];
    if (p + 1 + len > e) return null;
    if (out.length < max) out.push(characterString(b, p + 1, len));
    p += 1 + len;
  }
  return out;
}

/** Result of parsing one message, for the session and the probe. */
export type DnsParseResult = ParseResult<DnsMessage>;

/**
 * Parses the message b[start, end): a whole UDP datagram, or one length-framed TCP message. Bytes
 * after the last record are tolerated (some stacks pad), as Wireshark does.
 */
export function parseDns(b: Uint8Array, start = 0, end = b.length): DnsParseResult {
  const length = end - start;
  const violation = (reason: string): DnsParseResult => ({ kind: 'violation', consumed: length, reason });
  if (length < HEADER_LENGTH) {
    return violation(`message of ${length} bytes is shorter than the ${HEADER_LENGTH}-byte header`);
  }
  const id = u16(b, start);
  const flags = u16(b, start + 2);
  const qdcount = u16(b, start + 4);
  const ancount = u16(b, start + 6);
  const nscount = u16(b, start + 8);
  const arcount = u16(b, start + 10);
  const total = qdcount + ancount + nscount + arcount;
  if (total > MAX_RECORDS) return violation(`${total} records is more than the ${MAX_RECORDS} walked`);
  const response = (flags & Flag.QR) !== 0;
  const opcode = (flags >> 11) & 0xf;
  const nbns = total > 0 && looksLikeNbns(b, start, end);
  let sawTopBit = false;
  let sawLocal = false;
  let query: string | null = null;
  let qtype: number | null = null;
  const answers: string[] = [];
  // Identity candidates: filled for responses only; kept only when the kind turns out mDNS/NBNS.
  let identity: DnsIdentity | null = null;
  let nbNames: string[] | null = null;
  let nbMac: string | null = null;
  const ident = (): DnsIdentity =>
    (identity ??= { name: null, ip: null, model: null, vendor: null, product: null, description: null });

  let p = start + HEADER_LENGTH;
  for (let i = 0; i < qdcount; i++) {
    const wantText = i === 0;
    const next = readName(b, start, end, p, wantText, nbns);
    if (next < 0) return violation(`question ${i + 1}: ${nameError}`);
    if (next + 4 > end) return violation(`question ${i + 1} is cut off before its type and class`);
    if (nameEndsLocal) sawLocal = true;
    const qclass = u16(b, next + 2);
    if (qclass & MDNS_CLASS_TOP_BIT) sawTopBit = true;
    if (i === 0) {
      query = nameText;
      qtype = u16(b, next);
    }
    p = next + 4;
  }

  const records = ancount + nscount + arcount;
  for (let i = 0; i < records; i++) {
    const section = i < ancount ? ANSWER : i < ancount + nscount ? AUTHORITY : ADDITIONAL;
    const owner = p;
    const next = readName(b, start, end, p, false, nbns);
    if (next < 0) return violation(`record ${i + 1}: ${nameError}`);
    const ownerLocal = nameEndsLocal;
    if (ownerLocal) sawLocal = true;
    if (next + 10 > end) return violation(`record ${i + 1} is cut off before its RDATA length`);
    const type = u16(b, next);
    const rrclass = u16(b, next + 2);
    const rdlength = u16(b, next + 8);
    const rd = next + 10;
    const rdEnd = rd + rdlength;
    if (rdEnd > end) {
      return violation(
        `record ${i + 1} (${rrTypeName(nbns ? 'nbns' : 'dns', type)}): RDATA of ${rdlength} bytes runs past the end of the message`,
      );
    }
    // OPT (RFC 6891 §6.1.2) uses the class for the UDP payload size: its top bit means nothing here.
    if (rrclass & MDNS_CLASS_TOP_BIT && type !== RR_TYPES.OPT) sawTopBit = true;
    p = rdEnd;

    const problem = checkRdata(b, start, end, type, rd, rdEnd, nbns);
    if (problem !== null)
      return violation(`record ${i + 1} (${rrTypeName(nbns ? 'nbns' : 'dns', type)}): ${problem}`);

    const listed = section === ANSWER && answers.length < MAX_ANSWERS_LISTED;
    if (!listed && !(response && (ownerLocal || nbns)) && !(nbns && section === ADDITIONAL)) continue;
    const ownerText = nameAt(b, start, end, owner, nbns)!;
    const ownerNbBase = nbBase;
    const ownerNbSuffix = nbSuffix;
    if (query === null && section === ANSWER) {
      query = ownerText;
      qtype = type;
    }
    if (nbns) {
      if (type === NBNS_RR_TYPES.NB && rdlength >= 6) {
        const nbFlags = u16(b, rd);
        const identifies =
          (response ? opcode === NBNS_OPCODES.QUERY && (flags & 0xf) === 0 : registersName(opcode)) &&
          (nbFlags & NB_FLAG_GROUP) === 0 &&
          (ownerNbSuffix === NB_SUFFIX_WORKSTATION || ownerNbSuffix === NB_SUFFIX_SERVER) &&
          ownerNbBase !== null;
        if (identifies && ident().name === null) {
          ident().name = ownerNbBase;
          ident().ip = formatIpv4(b, rd + 2);
        }
        if (listed) {
          const more = rdlength / 6 - 1;
          answers.push(`NB ${ownerText} ${formatIpv4(b, rd + 2)}${more > 0 ? ` +${more}` : ''}`);
        }
      } else if (type === NBNS_RR_TYPES.NBSTAT && response) {
        const status = nodeStatus(b, rd, rdEnd);
        if (status !== null) {
          nbNames = status.names;
          nbMac = status.mac;
          if (status.name !== null) ident().name = status.name;
          if (listed) answers.push(`NBSTAT ${ownerText} ${status.names.join(' ')}`);
        }
      } else if (listed) {
        answers.push(describeRecord(b, start, end, 'nbns', type, ownerText, rd, rdEnd));
      }
      continue;
    }
    if (listed) answers.push(describeRecord(b, start, end, 'dns', type, ownerText, rd, rdEnd));
    if (response && ownerLocal) mdnsIdentity(b, type, ownerText, rd, rdEnd, ident);
  }

  const kind: DnsKind = nbns ? 'nbns' : sawTopBit || (id === 0 && sawLocal) ? 'mdns' : 'dns';
  // Unicast DNS answers are about other hosts: they name nobody who sent them.
  if (kind === 'dns') identity = null;
  return {
    kind: 'ok',
    consumed: length,
    message: {
      kind,
      id,
      response,
      opcode,
      rcode: flags & 0xf,
      flags,
      qdcount,
      ancount,
      nscount,
      arcount,
      query,
      qtype,
      answers,
      identity,
      nbNames,
      nbMac,
      used: p - start,
    },
  };
}

/** NBNS requests in which the sender claims a name of its own (RFC 1002 §4.2.2, §4.2.4; Windows' 9, 15). */
function registersName(opcode: number): boolean {
  return (
    opcode === NBNS_OPCODES.REGISTRATION ||
    opcode === NBNS_OPCODES.REFRESH ||
    opcode === NBNS_OPCODES.REFRESH_ALT ||
    opcode === NBNS_OPCODES.MULTI_HOMED_REGISTRATION
  );
}

/** Checks the RDATA shapes the parser relies on; returns why it is malformed, or null. */
function checkRdata(
  b: Uint8Array,
  start: number,
  end: number,
  type: number,
  rd: number,
  rdEnd: number,
  nbns: boolean,
): string | null {
  const n = rdEnd - rd;
  if (nbns) {
    // RFC 1002 §4.2.1.3: NB RDATA is a list of 6-byte NB_FLAGS + NB_ADDRESS entries (may be empty
    // in negative responses), NBSTAT a node status table.
    if (type === NBNS_RR_TYPES.NB && n % 6 !== 0)
      return `RDATA of ${n} bytes is not a list of 6-byte entries`;
    return null;
  }
  switch (type) {
    case RR_TYPES.A:
      return n === 4 ? null : `RDATA of ${n} bytes, an IPv4 address has 4 (RFC 1035 §3.4.1)`;
    case RR_TYPES.AAAA:
      return n === 16 ? null : `RDATA of ${n} bytes, an IPv6 address has 16 (RFC 3596 §2.2)`;
    case RR_TYPES.NS:
    case RR_TYPES.CNAME:
    case RR_TYPES.PTR:
    case RR_TYPES.DNAME: {
      const next = readName(b, start, end, rd, false, false);
      if (next < 0) return nameError;
      return next === rdEnd ? null : 'the name does not fill the RDATA';
    }
    case RR_TYPES.MX: {
      if (n < 3) return `RDATA of ${n} bytes is too short for MX`;
      const next = readName(b, start, end, rd + 2, false, false);
      return next < 0 ? nameError : next === rdEnd ? null : 'the exchange name does not fill the RDATA';
    }
    case RR_TYPES.SRV: {
      if (n < 7) return `RDATA of ${n} bytes is too short for SRV (RFC 2782)`;
      const next = readName(b, start, end, rd + 6, false, false);
      return next < 0 ? nameError : next === rdEnd ? null : 'the target name does not fill the RDATA';
    }
    case RR_TYPES.SOA: {
      let next = readName(b, start, end, rd, false, false);
      if (next >= 0) next = readName(b, start, end, next, false, false);
      if (next < 0) return nameError;
      return next + 20 === rdEnd
        ? null
        : 'SOA RDATA is not two names and five 32-bit numbers (RFC 1035 §3.3.13)';
    }
    case RR_TYPES.TXT:
    case RR_TYPES.HINFO:
      return characterStrings(b, rd, rdEnd, 0) === null ? 'a character-string runs past the RDATA' : null;
  }
  return null;
}

/** `TYPE owner data`: the answer as Zeek's `answers` column would show it, with the type first. */
function describeRecord(
  b: Uint8Array,
  start: number,
  end: number,
  kind: DnsKind,
  type: number,
  owner: string,
  rd: number,
  rdEnd: number,
): string {
  const typeName = rrTypeName(kind, type);
  if (kind !== 'nbns') {
    switch (type) {
      case RR_TYPES.A:
        return `A ${owner} ${formatIpv4(b, rd)}`;
      case RR_TYPES.AAAA:
        return `AAAA ${owner} ${formatIpv6(b, rd)}`;
      case RR_TYPES.NS:
      case RR_TYPES.CNAME:
      case RR_TYPES.PTR:
      case RR_TYPES.DNAME:
        return `${typeName} ${owner} ${nameAt(b, start, end, rd)}`;
      case RR_TYPES.MX:
        return `MX ${owner} ${u16(b, rd)} ${nameAt(b, start, end, rd + 2)}`;
      case RR_TYPES.SRV:
        return `SRV ${owner} ${u16(b, rd)} ${u16(b, rd + 2)} ${u16(b, rd + 4)} ${nameAt(b, start, end, rd + 6)}`;
      case RR_TYPES.SOA: {
        const mname = nameAt(b, start, end, rd);
        const afterM = readName(b, start, end, rd, false, false);
        const rname = nameAt(b, start, end, afterM);
        const afterR = readName(b, start, end, afterM, false, false);
        return `SOA ${owner} ${mname} ${rname} ${u32(b, afterR)}`;
      }
      case RR_TYPES.TXT:
      case RR_TYPES.HINFO: {
        const strings = characterStrings(b, rd, rdEnd, MAX_TXT_STRINGS)!;
        return `${typeName} ${owner} ${strings.map((s) => JSON.stringify(s)).join(' ')}`;
      }
    }
  }
  return `${typeName} ${owner} (${rdEnd - rd} bytes)`;
}

/**
 * Identity in an mDNS response: a responder speaks for its own records (RFC 6762 §6), so a host
 * name's A/AAAA record names the sender, the `_device-info._tcp` TXT record gives its model, HINFO
 * (RFC 1035 §3.3.2) its CPU and OS, and a printer's TXT record (Bonjour Printing §9) make and model.
 */
function mdnsIdentity(
  b: Uint8Array,
  type: number,
  owner: string,
  rd: number,
  rdEnd: number,
  ident: () => DnsIdentity,
): void {
  switch (type) {
    case RR_TYPES.A:
    case RR_TYPES.AAAA: {
      // `host.local` only: `_service._tcp.local` and reverse names are not host names.
      const host = owner.slice(0, -'.local'.length);
      if (host.length === 0 || host.includes('.')) return;
      const id = ident();
      if (id.name === null) id.name = host;
      // Prefer the IPv4 address: the inventory keys devices by it.
      if (type === RR_TYPES.A && (id.ip === null || id.ip.includes(':'))) id.ip = formatIpv4(b, rd);
      else if (id.ip === null) id.ip = formatIpv6(b, rd);
      return;
    }
    case RR_TYPES.HINFO: {
      const strings = characterStrings(b, rd, rdEnd, 2);
      if (strings !== null && strings.length === 2) ident().description = `${strings[0]} ${strings[1]}`;
      return;
    }
    case RR_TYPES.TXT: {
      const lower = owner.toLowerCase();
      const deviceInfo = lower.endsWith(DEVICE_INFO_SUFFIX);
      const printer = !deviceInfo && PRINTER_SUFFIXES.some((suffix) => lower.endsWith(suffix));
      if (!deviceInfo && !printer) return;
      const strings = characterStrings(b, rd, rdEnd, MAX_TXT_STRINGS * 4);
      if (strings === null) return;
      for (const s of strings) {
        const eq = s.indexOf('=');
        if (eq <= 0) continue;
        const key = s.slice(0, eq).toLowerCase();
        const value = s.slice(eq + 1).trim();
        if (value.length === 0) continue;
        if (deviceInfo && key === 'model') ident().model = value;
        else if (printer && key === 'usb_mfg') ident().vendor = value;
        else if (printer && key === 'usb_mdl') ident().model ??= value;
        else if (printer && key === 'ty') ident().product = value;
      }
      return;
    }
  }
}

interface NodeStatus {
  names: string[];
  /** The first unique workstation name: the node's own NetBIOS name. */
  name: string | null;
  mac: string | null;
}

/** NODE STATUS RESPONSE RDATA (RFC 1002 §4.2.18): NUM_NAMES, NODE_NAME entries, STATISTICS. */
function nodeStatus(b: Uint8Array, s: number, e: number): NodeStatus | null {
  if (s >= e) return null;
  const count = b[s];
  let p = s + 1;
  if (p + count * (NB_NAME_LENGTH + 2) > e) return null;
  const names: string[] = [];
  let name: string | null = null;
  for (let i = 0; i < count; i++, p += NB_NAME_LENGTH + 2) {
    let last = p + NB_NAME_LENGTH - 1;
    while (last > p && (b[last - 1] === 0x20 || b[last - 1] === 0x00)) last--;
    let base = '';
    for (let j = p; j < last; j++) {
      const c = b[j];
      base += c >= 0x20 && c <= 0x7e && c !== 0x5c ? String.fromCharCode(c) : `\\x${HEX[c]}`;
    }
    const suffix = b[p + NB_NAME_LENGTH - 1];
    const group = (u16(b, p + NB_NAME_LENGTH) & NB_FLAG_GROUP) !== 0;
    if (names.length < MAX_NB_NAMES_LISTED)
      names.push(`${base}<${HEX_UPPER[suffix]}>${group ? ' GROUP' : ''}`);
    if (name === null && !group && suffix === NB_SUFFIX_WORKSTATION && base.length > 0) name = base;
  }
  // Some stacks send fewer than the 46 statistics bytes; the MAC is their first six.
  const mac = p + 6 <= e && e - p <= NBSTAT_STATISTICS_LENGTH * 2 ? formatMac(b, p) : null;
  return { names, name, mac: mac === '00:00:00:00:00:00' ? null : mac };
}

/** The names of the header flags that are set, by kind (NBNS bit 4 is B, DNS's is CD). */
export function flagNames(kind: DnsKind, flags: number): string[] {
  const out: string[] = [];
  if (flags & Flag.AA) out.push('AA');
  if (flags & Flag.TC) out.push('TC');
  if (flags & Flag.RD) out.push('RD');
  if (flags & Flag.RA) out.push('RA');
  if (kind === 'nbns') {
    if (flags & NBNS_FLAG_B) out.push('B');
    return out;
  }
  if (flags & Flag.AD) out.push('AD');
  if (flags & Flag.CD) out.push('CD');
  return out;
}

/** The message id of bytes too broken to parse, when the header's first word is there. */
export function readId(b: Uint8Array, start = 0, end = b.length): number | null {
  return end - start >= 2 ? u16(b, start) : null;
}

/** The dotted fields of one message (the public contract, see README.md). */
export function dnsFields(m: DnsMessage): Fields {
  const rcode = m.response ? rcodeName(m.kind, m.rcode) : null;
  const fields: Fields = {
    'dns.kind': m.kind,
    'dns.id': m.id,
    'dns.opcode': opcodeName(m.kind, m.opcode),
    'dns.qr': m.response,
    'dns.flags': flagNames(m.kind, m.flags),
    'dns.rcode': rcode,
    'dns.error': m.response && m.rcode !== 0 ? rcode : null,
    'dns.query': m.query,
    'dns.qtype': m.qtype === null ? null : rrTypeName(m.kind, m.qtype),
    'dns.ancount': m.ancount,
    'dns.answers': m.answers,
    'dns.operation': dnsOperation(m.kind, m.opcode, m.response, m.qtype),
  };
  if (m.nbNames !== null) fields['dns.nb_names'] = m.nbNames;
  if (m.nbMac !== null) fields['dns.nb_mac'] = m.nbMac;
  const id = m.identity;
  if (id !== null) {
    if (id.name !== null) fields['dns.device.name'] = id.name;
    if (id.ip !== null) fields['dns.device.ip'] = id.ip;
    if (id.vendor !== null) fields['dns.device.vendor'] = id.vendor;
    if (id.model !== null) fields['dns.device.model'] = id.model;
    if (id.product !== null) fields['dns.device.product'] = id.product;
    if (id.description !== null) fields['dns.device.description'] = id.description;
  }
  return fields;
}
