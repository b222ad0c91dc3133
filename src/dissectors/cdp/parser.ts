// CDP parser: the header and TLVs of one frame (after the LLC/SNAP header) into the public event
// record. Pure, never throws, bounded; answers ok or violation (a frame is whole). Every number is
// big-endian, read with explicit shifts. Sources in spec.ts.

import { formatIpv4, formatIpv6 } from '../../pipeline/format.ts';
import type { ParseResult } from '../types.ts';
import {
  ADDRESS_PROTOCOL_TYPES,
  CAPABILITIES,
  CDP_MESSAGE_TYPE,
  CDP_OPERATION,
  CDP_VENDOR,
  NLPID_IP,
  SNAP_IPV6,
  TLV_TYPES as T,
} from './spec.ts';

/** Version, TTL, checksum. */
export const CDP_HEADER_LENGTH = 4;
/** A TLV's type and length; the length counts these 4 octets. */
export const TLV_HEADER_LENGTH = 4;
/** An IEEE 802.3 payload (1500) less the LLC/SNAP header (8): the longest CDP frame. */
export const MAX_CDP_LENGTH = 1492;
/** Characters kept of a text TLV: software versions run to a few hundred; the rest is cut. */
export const MAX_TEXT_LENGTH = 1024;
/** Addresses listed per TLV; more are skipped. */
export const MAX_ADDRESSES = 8;
/** An address entry: protocol type, protocol length, protocol, address length (2), address. */
export const MIN_ADDRESS_ENTRY_LENGTH = 5;

export type CdpFields = {
  'cdp.type': string;
  'cdp.operation': string;
  'cdp.version': number;
  'cdp.ttl': number;
  'cdp.checksum': number;
  /** The checksum verifies (RFC 1071 with CDP's odd-length rule). */
  'cdp.checksum_ok': boolean;
  'cdp.device_id': string | null;
  'cdp.addresses': string[] | null;
  'cdp.port_id': string | null;
  'cdp.capabilities': string[] | null;
  'cdp.software_version': string | null;
  'cdp.platform': string | null;
  'cdp.vtp_domain': string | null;
  'cdp.native_vlan': number | null;
  /** `FULL` or `HALF`. */
  'cdp.duplex': string | null;
  'cdp.voice_vlan': number | null;
  'cdp.system_name': string | null;
  'cdp.mgmt_addresses': string[] | null;
  'cdp.location': string | null;
  'cdp.device.name': string | null;
  'cdp.device.vendor': string;
  'cdp.device.model': string | null;
  'cdp.device.firmware': string | null;
  'cdp.device.description': string | null;
  'cdp.device.ip': string | null;
};

export type CdpResult = ParseResult<CdpFields> & { readonly partial?: CdpFields };

/** Parses the CDP frame that fills `payload`. */
export function parseCdp(payload: Uint8Array): CdpResult {
  const b = payload;
  if (b.length < CDP_HEADER_LENGTH)
    return {
      kind: 'violation',
      consumed: 0,
      reason: `CDP frame of ${b.length} octets, below its 4-octet header`,
    };
  if (b.length > MAX_CDP_LENGTH)
    return {
      kind: 'violation',
      consumed: 0,
      reason: `CDP frame of ${b.length} octets, above ${MAX_CDP_LENGTH}`,
    };
  const version = b[0];
  if (version !== 1 && version !== 2)
    return { kind: 'violation', consumed: 0, reason: `CDP version ${version} is neither 1 nor 2` };
  const checksum = (b[2] << 8) | b[3];
  const m: CdpFields = {
    'cdp.type': CDP_MESSAGE_TYPE,
    'cdp.operation': CDP_OPERATION,
    'cdp.version': version,
    'cdp.ttl': b[1],
    'cdp.checksum': checksum,
    'cdp.checksum_ok': cdpChecksum(b) === 0,
    'cdp.device_id': null,
    'cdp.addresses': null,
    'cdp.port_id': null,
    'cdp.capabilities': null,
    'cdp.software_version': null,
    'cdp.platform': null,
    'cdp.vtp_domain': null,
    'cdp.native_vlan': null,
    'cdp.duplex': null,
    'cdp.voice_vlan': null,
    'cdp.system_name': null,
    'cdp.mgmt_addresses': null,
    'cdp.location': null,
    'cdp.device.name': null,
    'cdp.device.vendor': CDP_VENDOR,
    'cdp.device.model': null,
    'cdp.device.firmware': null,
    'cdp.device.description': null,
    'cdp.device.ip': null,
  };
  const end = b.length;
  for (let p = CDP_HEADER_LENGTH; p < end; ) {
    if (end - p < TLV_HEADER_LENGTH)
      return fail(`${end - p} octets after the last TLV, too few for a TLV header`, m);
    const type = (b[p] << 8) | b[p + 1];
    const length = (b[p + 2] << 8) | b[p + 3];
    if (length < TLV_HEADER_LENGTH)
      return fail(`TLV 0x${type.toString(16)} length ${length}, below its 4-octet header`, m);
    if (p + length > end) return fail(`TLV 0x${type.toString(16)} length ${length} runs past the frame`, m);
    const v = p + TLV_HEADER_LENGTH;
    const n = length - TLV_HEADER_LENGTH;
    switch (type) {
      case T.DEVICE_ID:
        m['cdp.device_id'] = text(b, v, n);
        break;
      case T.ADDRESSES: {
        const list = addresses(b, v, n);
        if (typeof list === 'string') return fail(`ADDRESSES: ${list}`, m);
        m['cdp.addresses'] = list;
        break;
      }
      case T.PORT_ID:
        m['cdp.port_id'] = text(b, v, n);
        break;
      case T.CAPABILITIES:
        if (n !== 4) return fail(`CAPABILITIES length ${length}, expected 8`, m);
        m['cdp.capabilities'] = capabilityNames(
          ((b[v] << 24) | (b[v + 1] << 16) | (b[v + 2] << 8) | b[v + 3]) >>> 0,
        );
        break;
      case T.SOFTWARE_VERSION:
        m['cdp.software_version'] = text(b, v, n);
        break;
      case T.PLATFORM:
        m['cdp.platform'] = text(b, v, n);
        break;
      case T.VTP_MANAGEMENT_DOMAIN:
        m['cdp.vtp_domain'] = text(b, v, n);
        break;
      case T.NATIVE_VLAN:
        if (n !== 2) return fail(`NATIVE_VLAN length ${length}, expected 6`, m);
        m['cdp.native_vlan'] = (b[v] << 8) | b[v + 1];
        break;
      case T.DUPLEX:
        if (n !== 1) return fail(`DUPLEX length ${length}, expected 5`, m);
        m['cdp.duplex'] = b[v] === 0 ? 'HALF' : 'FULL';
        break;
      case T.VOIP_VLAN_REPLY:
        // Appliance id (1) and VLAN (2); some switches send the id alone (packet-cdp.c).
        if (n >= 3) m['cdp.voice_vlan'] = (b[v + 1] << 8) | b[v + 2];
        break;
      case T.SYSTEM_NAME:
        m['cdp.system_name'] = text(b, v, n);
        break;
      case T.MANAGEMENT_ADDRESSES: {
        const list = addresses(b, v, n);
        if (typeof list === 'string') return fail(`MANAGEMENT_ADDRESSES: ${list}`, m);
        m['cdp.mgmt_addresses'] = list;
        break;
      }
      case T.LOCATION:
        // A location-data format octet, then the text.
        if (n >= 1) m['cdp.location'] = text(b, v + 1, n - 1);
        break;
      default:
        // Other TLVs (power, trust, prefixes, hello, vendor extensions) are framed and skipped.
        break;
    }
    p += length;
  }
  m['cdp.device.name'] = m['cdp.device_id'];
  m['cdp.device.model'] = m['cdp.platform'];
  m['cdp.device.description'] = m['cdp.software_version'];
  m['cdp.device.firmware'] = releaseOf(m['cdp.software_version']);
  m['cdp.device.ip'] = firstIp(m['cdp.mgmt_addresses']) ?? firstIp(m['cdp.addresses']);
  return { kind: 'ok', consumed: b.length, message: m };
}

function fail(reason: string, partial: CdpFields): CdpResult {
  return { kind: 'violation', consumed: 0, reason, partial };
}

/**
 * The Internet checksum (RFC 1071) of the frame with its checksum field in place: 0 when it
 * verifies. CDP differs for odd lengths (packet-cdp.c): the last octet is summed as the low byte
 * of a word, not the high one, and an off-by-one of its signed addition is compensated when that
 * octet has its top bit set.
 */
export function cdpChecksum(b: Uint8Array): number {
  const n = b.length;
  const even = n & ~1;
  let sum = 0;
  for (let i = 0; i < even; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (n & 1) {
    let last = b[n - 1];
    let high = 0;
    if (last & 0x80) {
      last = (last - 1) & 0xff;
      high = 0xff;
    }
    sum += (high << 8) | last;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** Number of addresses (4), then entries; a list of IPs (other protocols print as hex). */
function addresses(b: Uint8Array, v: number, n: number): string[] | string {
  if (n < 4) return `length ${n + TLV_HEADER_LENGTH}, too short for the address count`;
  const count = ((b[v] << 24) | (b[v + 1] << 16) | (b[v + 2] << 8) | b[v + 3]) >>> 0;
  const end = v + n;
  const out: string[] = [];
  let q = v + 4;
  for (let i = 0; i < count; i++) {
    if (end - q < MIN_ADDRESS_ENTRY_LENGTH) return `address ${i + 1} of ${count} missing`;
    const protocolType = b[q];
    const protocolLength = b[q + 1];
    const at = q + 2 + protocolLength;
    if (at + 2 > end) return `address ${i + 1}: protocol length ${protocolLength} runs past the TLV`;
    const addressLength = (b[at] << 8) | b[at + 1];
    if (at + 2 + addressLength > end)
      return `address ${i + 1}: address length ${addressLength} runs past the TLV`;
    if (out.length < MAX_ADDRESSES)
      out.push(address(b, q + 2, protocolType, protocolLength, at + 2, addressLength));
    q = at + 2 + addressLength;
  }
  return out;
}

function address(
  b: Uint8Array,
  proto: number,
  type: number,
  protoLength: number,
  a: number,
  n: number,
): string {
  if (type === ADDRESS_PROTOCOL_TYPES.NLPID && protoLength === 1 && b[proto] === NLPID_IP && n === 4)
    return formatIpv4(((b[a] << 24) | (b[a + 1] << 16) | (b[a + 2] << 8) | b[a + 3]) >>> 0);
  if (type === ADDRESS_PROTOCOL_TYPES.IEEE_802_2 && protoLength === SNAP_IPV6.length && n === 16) {
    let ipv6 = true;
    for (let i = 0; i < SNAP_IPV6.length; i++) if (b[proto + i] !== SNAP_IPV6[i]) ipv6 = false;
    if (ipv6) return formatIpv6(b, a);
  }
  return hex(b, a, n);
}

function firstIp(list: string[] | null): string | null {
  if (list === null) return null;
  for (const a of list) if (a.includes('.') || a.includes(':')) return a;
  return null;
}

/**
 * The release a Cisco software banner names: `17.6.4` from "... Version 17.6.4, RELEASE SOFTWARE",
 * the first line when it names none (CDPv1 banners put the version on a later line, so the whole
 * banner is searched first).
 */
function releaseOf(banner: string | null): string | null {
  if (banner === null) return null;
  const version = /\bVersion ([0-9][\w.()-]*)/.exec(banner);
  if (version !== null) return version[1].replace(/[,.]$/, '');
  return firstLine(banner);
}

function firstLine(s: string | null): string | null {
  if (s === null) return null;
  const i = s.search(/[\r\n]/);
  const line = (i < 0 ? s : s.slice(0, i)).trim();
  return line.length > 0 ? line : null;
}

function capabilityNames(bits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < CAPABILITIES.length; i++) if (bits & (1 << i)) out.push(CAPABILITIES[i]);
  return out;
}

const LATIN1 = new TextDecoder('latin1');

/**
 * Text TLVs are ASCII strings (packet-cdp.c reads them so), sometimes NUL-padded: trailing NULs and
 * blanks are dropped, at most MAX_TEXT_LENGTH octets kept, other control characters than line
 * breaks and tabs become spaces. Null when empty.
 */
export function text(b: Uint8Array, p: number, n: number): string | null {
  let end = Math.min(n, MAX_TEXT_LENGTH);
  while (end > 0 && (b[p + end - 1] === 0 || b[p + end - 1] === 0x20)) end--;
  if (end === 0) return null;
  let clean = true;
  for (let i = 0; i < end; i++) {
    const c = b[p + i];
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) clean = false;
  }
  const s = LATIN1.decode(b.subarray(p, p + end));
  return clean ? s : s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, ' ');
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[b[p + i]];
  return s;
}
