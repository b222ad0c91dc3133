// DNS, mDNS and NBNS wire constants and code tables (STYLE.md 5), with the names the RFCs and the
// IANA "Domain Name System (DNS) Parameters" registry use, as Zeek prints them in dns.log
// (`NOERROR`, `NXDOMAIN`, `AAAA`). The lookup arrays at the bottom are built once at load, so the
// per-message path never concatenates a name.
//
// Sources: RFC 1035 §3.2 (types, classes), §4.1 (message format); RFC 1996 (NOTIFY), RFC 2136
// (UPDATE), RFC 8490 (DSO), RFC 6762 (Multicast DNS), RFC 6763 (DNS-SD), RFC 1001/1002 (NetBIOS
// Name Service, "NBNS"), IANA DNS Parameters (RR TYPEs, RCODEs, OPCODEs).

import type { Operation } from '../operations.ts';

/** Well-known ports (hints only, STYLE.md 3): DNS (RFC 1035 §4.2), mDNS (RFC 6762 §3), NBNS (RFC 1002 §4.2). */
export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
export const NBNS_PORT = 137;

/** RFC 1035 §4.1.1: the header is six 16-bit words, big-endian. */
export const HEADER_LENGTH = 12;

/** Header flag bits of the second word (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD and CD). */
export const Flag = {
  QR: 0x8000,
  AA: 0x0400,
  TC: 0x0200,
  RD: 0x0100,
  RA: 0x0080,
  Z: 0x0040,
  AD: 0x0020,
  CD: 0x0010,
} as const;
/** NBNS keeps the DNS layout but bit 4 is B, "broadcast" (RFC 1002 §4.2.1.1 NM_FLAGS). */
export const NBNS_FLAG_B = 0x0010;

/** RFC 6762 §5.4 / §10.2: the top bit of a question's class asks for a unicast reply; of a record's, flushes caches. */
export const MDNS_CLASS_TOP_BIT = 0x8000;

/** Which flavour of the DNS message format a datagram is. */
export type DnsKind = 'dns' | 'mdns' | 'nbns';

/** OPCODE values (IANA; RFC 1035 §4.1.1, RFC 3425 obsoletes IQUERY, RFC 1996, RFC 2136, RFC 8490). */
export const DNS_OPCODES = {
  QUERY: 0,
  IQUERY: 1,
  STATUS: 2,
  NOTIFY: 4,
  UPDATE: 5,
  DSO: 6,
} as const;

/** NBNS OPCODE values (RFC 1002 §4.2.1.1; 9 and 15 as Windows sends them, named as Wireshark does). */
export const NBNS_OPCODES = {
  QUERY: 0,
  REGISTRATION: 5,
  RELEASE: 6,
  WACK: 7,
  REFRESH: 8,
  REFRESH_ALT: 9,
  MULTI_HOMED_REGISTRATION: 15,
} as const;

/** RCODE values of the header (IANA; RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 8490 §10.2). */
export const DNS_RCODES = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  DSOTYPENI: 11,
} as const;

/** NBNS RCODE values (RFC 1002 §4.2.6, §4.2.11, §4.2.14). */
export const NBNS_RCODES = {
  NOERROR: 0,
  FMT_ERR: 1,
  SRV_ERR: 2,
  NAM_ERR: 3,
  IMP_ERR: 4,
  RFS_ERR: 5,
  ACT_ERR: 6,
  CFT_ERR: 7,
} as const;

/** Resource record TYPE values (IANA "Resource Record (RR) TYPEs"), the ones seen in practice. */
export const RR_TYPES = {
  A: 1,
  NS: 2,
  MD: 3,
  MF: 4,
  CNAME: 5,
  SOA: 6,
  MB: 7,
  MG: 8,
  MR: 9,
  NULL: 10,
  WKS: 11,
  PTR: 12,
  HINFO: 13,
  MINFO: 14,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  SIG: 24,
  KEY: 25,
  AAAA: 28,
  LOC: 29,
  NXT: 30,
  NIMLOC: 32,
  SRV: 33,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  HIP: 55,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  NID: 104,
  L32: 105,
  L64: 106,
  LP: 107,
  EUI48: 108,
  EUI64: 109,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  /** Printed `*` by Zeek; the RFC 1035 §3.2.3 QTYPE is "*", IANA names it ANY (RFC 8482). */
  ANY: 255,
  URI: 256,
  CAA: 257,
} as const;

/** NBNS resource record types (RFC 1002 §4.2.1.3): they reuse two DNS codes with other meanings. */
export const NBNS_RR_TYPES = {
  A: 0x0001,
  NS: 0x0002,
  NULL: 0x000a,
  NB: 0x0020,
  NBSTAT: 0x0021,
} as const;

/** NB_FLAGS / NAME_FLAGS bits (RFC 1002 §4.2.1.3 RR NB, §4.2.18 NODE_NAME entries). */
export const NB_FLAG_GROUP = 0x8000;
/** Owner node type ONT, bits 13-14 of NB_FLAGS: B, P, M node or (Microsoft) H node. */
export const NB_ONT_SHIFT = 13;
export const NB_ONT_NAMES = ['B', 'P', 'M', 'H'] as const;

/** NetBIOS name suffixes (the 16th byte) that name a host itself: workstation and file server service. */
export const NB_SUFFIX_WORKSTATION = 0x00;
export const NB_SUFFIX_SERVER = 0x20;

/** RFC 1001 §14.1 first-level encoding: a 16-byte NetBIOS name becomes 32 letters 'A'-'P'. */
export const NB_ENCODED_LENGTH = 32;
export const NB_NAME_LENGTH = 16;
/** RFC 1002 §4.2.18: the STATISTICS field after the node names starts with the 6-byte UNIT_ID (the MAC). */
export const NBSTAT_STATISTICS_LENGTH = 46;

/** RFC 6763 §4.1 / Apple's convention: the `_device-info._tcp` TXT record says the model. */
export const DEVICE_INFO_SERVICE = '_device-info._tcp.local';
/** Printer services whose TXT record names make and model (Bonjour Printing Specification §9). */
export const PRINTER_SERVICES = [
  '_ipp._tcp.local',
  '_ipps._tcp.local',
  '_printer._tcp.local',
  '_pdl-datastream._tcp.local',
] as const;

// Parser limits (DESIGN.md "Streaming and bounded").

/** RFC 1035 §2.3.4 / §3.1: a name is at most 255 bytes in wire form, labels included. */
export const MAX_NAME_LENGTH = 255;
/** RFC 1035 §2.3.4: a label is at most 63 bytes (the two top bits of its length byte are the label type). */
export const MAX_LABEL_LENGTH = 63;
/**
 * Compression pointers followed while reading one name (RFC 1035 §4.1.4). A 255-byte name has at
 * most 127 labels, and each pointer must point to a prior offset, so a real name never needs more
 * than a handful; more is a loop or a chain built to burn time.
 */
export const MAX_POINTER_HOPS = 16;
/**
 * Records (questions included) walked in one message. A 9000-byte mDNS packet (RFC 6762 §17) of
 * the smallest records holds about 800; real messages carry a few dozen. Past this the message is
 * a violation rather than a long walk.
 */
export const MAX_RECORDS = 256;
/** Answers listed in `dns.answers` (keeps events small; the count is in `dns.ancount`). */
export const MAX_ANSWERS_LISTED = 16;
/** Characters of one TXT/HINFO string shown in an answer or an identity value. */
export const MAX_TEXT_LENGTH = 128;
/** TXT strings shown per record (RFC 6763 §6: DNS-SD TXT records hold a few key=value pairs). */
export const MAX_TXT_STRINGS = 8;
/** NetBIOS names listed from a node status response (RFC 1002 §4.2.18 allows 255). */
export const MAX_NB_NAMES_LISTED = 16;
/**
 * DNS over TCP prefixes each message with its 16-bit length (RFC 1035 §4.2.2, RFC 7766 §8), so a
 * message never exceeds 65535 bytes: that bounds the per-direction buffer.
 */
export const MAX_TCP_MESSAGE_LENGTH = 65535;

/** `UNKNOWN-<n>` is how Zoneward prints a code no table names (DESIGN.md "Names"). */
export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

function buildNames(table: Record<string, number>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

const DNS_OPCODE_NAMES = buildNames(DNS_OPCODES, 16);
const NBNS_OPCODE_NAMES = buildNames(NBNS_OPCODES, 16);
const DNS_RCODE_NAMES = buildNames(DNS_RCODES, 16);
const NBNS_RCODE_NAMES = buildNames(NBNS_RCODES, 16);
const RR_TYPE_NAMES = buildNames(RR_TYPES, 258);
const NBNS_RR_TYPE_NAMES = buildNames(NBNS_RR_TYPES, 258);

export function opcodeName(kind: DnsKind, opcode: number): string {
  return (kind === 'nbns' ? NBNS_OPCODE_NAMES : DNS_OPCODE_NAMES)[opcode & 0xf];
}

export function rcodeName(kind: DnsKind, rcode: number): string {
  return (kind === 'nbns' ? NBNS_RCODE_NAMES : DNS_RCODE_NAMES)[rcode & 0xf];
}

/** Name of an RR TYPE; NBNS reads 0x20 as NB and 0x21 as NBSTAT (RFC 1002 §4.2.1.3), DNS as NIMLOC and SRV. */
export function rrTypeName(kind: DnsKind, type: number): string {
  if (type < 258) return (kind === 'nbns' ? NBNS_RR_TYPE_NAMES : RR_TYPE_NAMES)[type];
  if (type === 32769) return 'DLV';
  return unknownName(type);
}

const DNS_OPCODE_KNOWN = knownCodes(DNS_OPCODES, 16);
const NBNS_OPCODE_KNOWN = knownCodes(NBNS_OPCODES, 16);

function knownCodes(table: Record<string, number>, size: number): boolean[] {
  const known = new Array<boolean>(size).fill(false);
  for (const code of Object.values(table)) known[code] = true;
  return known;
}

/** Opcodes a message of each kind may carry; anything else makes the probe say no. */
export function knownOpcode(kind: DnsKind, opcode: number): boolean {
  return (kind === 'nbns' ? NBNS_OPCODE_KNOWN : DNS_OPCODE_KNOWN)[opcode & 0xf];
}

/**
 * Operation classes (operations.ts) of DNS-format messages. Name resolution changes nothing and
 * reads no device data: `other`. A device announcing itself, or asking who is there, is
 * `discovery`: every mDNS response (RFC 6762 §6: a responder speaks for its own records), mDNS
 * browsing queries (PTR/SRV/TXT/ANY, RFC 6763 §4), NBNS registrations, refreshes and releases
 * (RFC 1002 §4.2.2-4.2.10) and node status (§4.2.17-4.2.18). A dynamic UPDATE (RFC 2136) changes
 * the zone: `write`.
 */
export function dnsOperation(
  kind: DnsKind,
  opcode: number,
  response: boolean,
  qtype: number | null,
): Operation {
  if (kind === 'mdns') {
    if (response) return 'discovery';
    return qtype === RR_TYPES.PTR ||
      qtype === RR_TYPES.SRV ||
      qtype === RR_TYPES.TXT ||
      qtype === RR_TYPES.ANY
      ? 'discovery'
      : 'other';
  }
  if (kind === 'nbns') {
    if (opcode === NBNS_OPCODES.QUERY) return qtype === NBNS_RR_TYPES.NBSTAT ? 'discovery' : 'other';
    return opcode === NBNS_OPCODES.WACK ? 'other' : 'discovery';
  }
  return opcode === DNS_OPCODES.UPDATE ? 'write' : 'other';
}
