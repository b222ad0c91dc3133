// LLDPDU parser (IEEE 802.1AB-2016 §8): the TLVs of one frame into the public event record. Pure,
// never throws, bounded by the frame and the named limits below; answers ok or violation (a link
// frame is whole, so never incomplete). TLV headers and numbers are big-endian (§8.4: a 7-bit type
// and a 9-bit length in the first two octets), read with explicit shifts.

import { formatIpv4, formatIpv6, formatMac } from '../../pipeline/format.ts';
import type { ParseResult } from '../types.ts';
import {
  ADDRESS_FAMILIES,
  CHASSIS_ID_SUBTYPE_NAMES,
  CHASSIS_ID_SUBTYPES,
  IEEE_802_1_SUBTYPES,
  LLDP_OPERATION,
  LLDPDU_TYPES,
  ORGANIZATION_TABLES,
  ORGANIZATIONS,
  PORT_ID_SUBTYPE_NAMES,
  PORT_ID_SUBTYPES,
  PROFINET_SUBTYPES,
  SYSTEM_CAPABILITIES,
  TLV_TYPES as T,
  TIA_MED_SUBTYPES,
  unknownName,
} from './spec.ts';

/**
 * Octets of an LLDPDU looked at: one untagged Ethernet payload (§7.1 sends an LLDPDU in one frame;
 * IEEE 802.3 payloads are at most 1500). A jumbo frame's bytes past this are not read.
 */
export const MAX_LLDPDU_LENGTH = 1500;
/** TLV header: 7-bit type, 9-bit length (§8.4). */
export const TLV_HEADER_LENGTH = 2;
/** Chassis and port ids: a subtype octet and 1-255 octets of id (§8.5.2.1, §8.5.3.1). */
export const MIN_ID_TLV_LENGTH = 2;
export const MAX_ID_TLV_LENGTH = 256;
/** TTL is one 2-octet number of seconds (§8.5.4.1). */
export const TTL_LENGTH = 2;
/** System capabilities: two 2-octet bit maps, supported and enabled (§8.5.8). */
export const CAPABILITIES_LENGTH = 4;
/** Port description, system name and description are 0-255 octets (§8.5.5-§8.5.7). */
export const MAX_TEXT_LENGTH = 255;
/**
 * Management address TLV: address string length, subtype and 1-31 octets of address, interface
 * numbering subtype, interface number (4), OID string length (§8.5.9).
 */
export const MIN_MANAGEMENT_ADDRESS_LENGTH = 9;
export const MAX_MANAGEMENT_ADDRESS_OCTETS = 31;
/** Organizationally specific TLV: OUI (3) and subtype (1) before the information (§8.6.1). */
export const ORG_HEADER_LENGTH = 4;
/** Management addresses kept per LLDPDU; more are counted as seen but not listed. */
export const MAX_MANAGEMENT_ADDRESSES = 8;
/** Organizationally specific TLV names kept per LLDPDU. */
export const MAX_ORG_TLVS = 16;

/** One LLDPDU. Keys are the public dotted names. */
export type LldpFields = {
  'lldp.type': string;
  'lldp.operation': string;
  'lldp.chassis_id_subtype': string | null;
  'lldp.chassis_id': string | null;
  'lldp.port_id_subtype': string | null;
  'lldp.port_id': string | null;
  /** Seconds the information stays valid; 0 in a shutdown LLDPDU. */
  'lldp.ttl': number | null;
  'lldp.port_description': string | null;
  'lldp.system_name': string | null;
  'lldp.system_description': string | null;
  'lldp.capabilities': string[] | null;
  'lldp.capabilities_enabled': string[] | null;
  'lldp.mgmt_addresses': string[] | null;
  /** 802.1 Port VLAN ID (Annex D.2.1). */
  'lldp.port_vlan_id': number | null;
  /** Organizationally specific TLVs seen, `ORG/SUBTYPE` (`PROFINET/PORT_STATUS`). */
  'lldp.org_tlvs': string[] | null;
  /** PROFINET chassis MAC (IEC 61158-6-10 subtype 5): the interface's own MAC. */
  'lldp.profinet.chassis_mac': string | null;
  'lldp.device.name': string | null;
  'lldp.device.description': string | null;
  'lldp.device.ip': string | null;
  'lldp.device.vendor': string | null;
  'lldp.device.model': string | null;
  'lldp.device.firmware': string | null;
  'lldp.device.hardware': string | null;
  'lldp.device.serial': string | null;
};

function emptyRecord(): LldpFields {
  return {
    'lldp.type': LLDPDU_TYPES.ADVERTISEMENT,
    'lldp.operation': LLDP_OPERATION,
    'lldp.chassis_id_subtype': null,
    'lldp.chassis_id': null,
    'lldp.port_id_subtype': null,
    'lldp.port_id': null,
    'lldp.ttl': null,
    'lldp.port_description': null,
    'lldp.system_name': null,
    'lldp.system_description': null,
    'lldp.capabilities': null,
    'lldp.capabilities_enabled': null,
    'lldp.mgmt_addresses': null,
    'lldp.port_vlan_id': null,
    'lldp.org_tlvs': null,
    'lldp.profinet.chassis_mac': null,
    'lldp.device.name': null,
    'lldp.device.description': null,
    'lldp.device.ip': null,
    'lldp.device.vendor': null,
    'lldp.device.model': null,
    'lldp.device.firmware': null,
    'lldp.device.hardware': null,
    'lldp.device.serial': null,
  };
}

/** The violation result carries what was decoded before the fault, for the violation event. */
export type LldpResult = ParseResult<LldpFields> & { readonly partial?: LldpFields };

/** Parses the LLDPDU that fills `payload` (the bytes after the EtherType). */
export function parseLldpdu(payload: Uint8Array): LldpResult {
  const m = emptyRecord();
  const end = Math.min(payload.length, MAX_LLDPDU_LENGTH);
  const b = payload;
  let p = 0;
  let index = 0;
  let sawProfinet = false;
  let chassisSubtype = 0;
  let chassisRaw: string | null = null;
  while (true) {
    if (end - p < TLV_HEADER_LENGTH) {
      // §8.2 ends an LLDPDU with End Of LLDPDU; a frame that simply runs out after the mandatory
      // TLVs is accepted (802.1AB-2016 made End optional), one that runs out before them is not.
      if (index < 3) return fail(`LLDPDU ends after ${index} TLVs, before chassis id, port id and TTL`, m);
      break;
    }
    const header = (b[p] << 8) | b[p + 1]; // big-endian (§8.4)
    const type = header >> 9;
    const length = header & 0x1ff;
    const v = p + TLV_HEADER_LENGTH;
    if (v + length > end) return fail(`TLV ${type} length ${length} runs past the LLDPDU`, m);
    // §8.2: chassis id, port id and TTL come first, in that order, once each.
    if (index < 3 && type !== index + 1) {
      return fail(`TLV ${index + 1} is type ${type}, expected ${['chassis id', 'port id', 'TTL'][index]}`, m);
    }
    if (index >= 3 && type >= T.CHASSIS_ID && type <= T.TIME_TO_LIVE) {
      return fail(`a second TLV of type ${type} (§9.2.7.7.1: discard)`, m);
    }
    switch (type) {
      case T.END_OF_LLDPDU:
        if (index < 3) return fail('End Of LLDPDU before chassis id, port id and TTL', m);
        if (length !== 0) return fail(`End Of LLDPDU with length ${length}`, m);
        return finish(m, sawProfinet, chassisSubtype, chassisRaw);
      case T.CHASSIS_ID: {
        if (length < MIN_ID_TLV_LENGTH || length > MAX_ID_TLV_LENGTH)
          return fail(`chassis id length ${length} outside ${MIN_ID_TLV_LENGTH}..${MAX_ID_TLV_LENGTH}`, m);
        chassisSubtype = b[v];
        m['lldp.chassis_id_subtype'] = CHASSIS_ID_SUBTYPE_NAMES[chassisSubtype];
        const id = idValue(
          b,
          v + 1,
          length - 1,
          chassisSubtype,
          CHASSIS_ID_SUBTYPES.MAC_ADDRESS,
          CHASSIS_ID_SUBTYPES.NETWORK_ADDRESS,
        );
        m['lldp.chassis_id'] = id;
        chassisRaw = id;
        break;
      }
      case T.PORT_ID: {
        if (length < MIN_ID_TLV_LENGTH || length > MAX_ID_TLV_LENGTH)
          return fail(`port id length ${length} outside ${MIN_ID_TLV_LENGTH}..${MAX_ID_TLV_LENGTH}`, m);
        const subtype = b[v];
        m['lldp.port_id_subtype'] = PORT_ID_SUBTYPE_NAMES[subtype];
        m['lldp.port_id'] = idValue(
          b,
          v + 1,
          length - 1,
          subtype,
          PORT_ID_SUBTYPES.MAC_ADDRESS,
          PORT_ID_SUBTYPES.NETWORK_ADDRESS,
        );
        break;
      }
      case T.TIME_TO_LIVE: {
        if (length < TTL_LENGTH) return fail(`TTL length ${length}, expected ${TTL_LENGTH}`, m);
        const ttl = (b[v] << 8) | b[v + 1]; // big-endian (§8.4)
        m['lldp.ttl'] = ttl;
        if (ttl === 0) m['lldp.type'] = LLDPDU_TYPES.SHUTDOWN;
        break;
      }
      case T.PORT_DESCRIPTION:
        m['lldp.port_description'] = text(b, v, length);
        break;
      case T.SYSTEM_NAME:
        m['lldp.system_name'] = text(b, v, length);
        break;
      case T.SYSTEM_DESCRIPTION:
        m['lldp.system_description'] = text(b, v, length);
        break;
      case T.SYSTEM_CAPABILITIES: {
        if (length !== CAPABILITIES_LENGTH)
          return fail(`system capabilities length ${length}, expected ${CAPABILITIES_LENGTH}`, m);
        m['lldp.capabilities'] = capabilityNames((b[v] << 8) | b[v + 1]);
        m['lldp.capabilities_enabled'] = capabilityNames((b[v + 2] << 8) | b[v + 3]);
        break;
      }
      case T.MANAGEMENT_ADDRESS: {
        const problem = managementAddress(b, v, length, m);
        if (problem !== null) return fail(problem, m);
        break;
      }
      case T.ORGANIZATIONALLY_SPECIFIC: {
        if (length < ORG_HEADER_LENGTH)
          return fail(`organizationally specific TLV length ${length}, below ${ORG_HEADER_LENGTH}`, m);
        if (organizationSpecific(b, v, length, m)) sawProfinet = true;
        break;
      }
      default:
        // Reserved types 9-126 (§8.4.1): skipped, their length still frames the next TLV.
        break;
    }
    p = v + length;
    index++;
  }
  return finish(m, sawProfinet, chassisSubtype, chassisRaw);
}

function fail(reason: string, partial: LldpFields): LldpResult {
  return { kind: 'violation', consumed: 0, reason, partial };
}

function finish(
  m: LldpFields,
  profinet: boolean,
  chassisSubtype: number,
  chassisId: string | null,
): LldpResult {
  // The device's own name is its system name. PROFINET devices send none: their chassis id,
  // locally assigned, is the NameOfStation (IEC 61158-6-10, as Wireshark's PROFINET column shows).
  m['lldp.device.name'] =
    m['lldp.system_name'] ??
    (profinet && chassisSubtype === CHASSIS_ID_SUBTYPES.LOCALLY_ASSIGNED ? chassisId : null);
  m['lldp.device.description'] = m['lldp.system_description'];
  return { kind: 'ok', consumed: 0, message: m };
}

/** A chassis or port id: a MAC, a network address, or text (alias, name, locally assigned). */
function idValue(
  b: Uint8Array,
  p: number,
  n: number,
  subtype: number,
  macSubtype: number,
  netSubtype: number,
): string {
  if (subtype === macSubtype && n === 6) return formatMac(b, p);
  if (subtype === netSubtype && n >= 1) {
    const address = networkAddress(b, p + 1, n - 1, b[p]);
    if (address !== null) return address;
  }
  return text(b, p, n) ?? hex(b, p, n);
}

/** An address after its IANA family octet; null for families or sizes not formatted here. */
function networkAddress(b: Uint8Array, p: number, n: number, family: number): string | null {
  if (family === ADDRESS_FAMILIES.IPV4 && n === 4)
    return formatIpv4(((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0);
  if (family === ADDRESS_FAMILIES.IPV6 && n === 16) return formatIpv6(b, p);
  if (family === ADDRESS_FAMILIES.MAC && n === 6) return formatMac(b, p);
  return null;
}

/** §8.5.9: address string length and subtype, address, interface subtype and number, OID. */
function managementAddress(b: Uint8Array, v: number, length: number, m: LldpFields): string | null {
  if (length < MIN_MANAGEMENT_ADDRESS_LENGTH)
    return `management address length ${length}, below ${MIN_MANAGEMENT_ADDRESS_LENGTH}`;
  const stringLength = b[v]; // counts the subtype octet and the address
  if (stringLength < 2 || stringLength > MAX_MANAGEMENT_ADDRESS_OCTETS + 1)
    return `management address string length ${stringLength} outside 2..${MAX_MANAGEMENT_ADDRESS_OCTETS + 1}`;
  const oidAt = v + 1 + stringLength + 5;
  if (oidAt >= v + length) return `management address string length ${stringLength} runs past the TLV`;
  if (oidAt + 1 + b[oidAt] > v + length) return `management address OID length ${b[oidAt]} runs past the TLV`;
  const family = b[v + 1];
  const address =
    networkAddress(b, v + 2, stringLength - 1, family) ??
    `${unknownName(family)}:${hex(b, v + 2, stringLength - 1)}`;
  let list = m['lldp.mgmt_addresses'];
  if (list === null) {
    list = [];
    m['lldp.mgmt_addresses'] = list;
  }
  if (list.length < MAX_MANAGEMENT_ADDRESSES) list.push(address);
  // The device's IP: the first IP address that names a host (0.0.0.0 says "none configured").
  if (
    m['lldp.device.ip'] === null &&
    (family === ADDRESS_FAMILIES.IPV4 || family === ADDRESS_FAMILIES.IPV6) &&
    address !== '0.0.0.0' &&
    address !== '::'
  ) {
    m['lldp.device.ip'] = address;
  }
  return null;
}

/** Records the TLV by name and decodes the few that carry identity; true for a PROFINET TLV. */
function organizationSpecific(b: Uint8Array, v: number, length: number, m: LldpFields): boolean {
  const oui = (b[v] << 16) | (b[v + 1] << 8) | b[v + 2];
  const subtype = b[v + 3];
  const org = ORGANIZATION_TABLES.get(oui);
  let list = m['lldp.org_tlvs'];
  if (list === null) {
    list = [];
    m['lldp.org_tlvs'] = list;
  }
  if (list.length < MAX_ORG_TLVS) {
    list.push(
      org === undefined
        ? `${unknownName(oui)}/${unknownName(subtype)}`
        : `${org.name}/${org.subtypes[subtype]}`,
    );
  }
  const info = v + ORG_HEADER_LENGTH;
  const n = length - ORG_HEADER_LENGTH;
  if (oui === ORGANIZATIONS.IEEE_802_1) {
    if (subtype === IEEE_802_1_SUBTYPES.PORT_VLAN_ID && n === 2)
      m['lldp.port_vlan_id'] = (b[info] << 8) | b[info + 1];
  } else if (oui === ORGANIZATIONS.TIA_MED) {
    // ANSI/TIA-1057 §10.2.6: inventory strings, 0-32 octets each.
    if (subtype === TIA_MED_SUBTYPES.MANUFACTURER_NAME) m['lldp.device.vendor'] = text(b, info, n);
    else if (subtype === TIA_MED_SUBTYPES.MODEL_NAME) m['lldp.device.model'] = text(b, info, n);
    else if (subtype === TIA_MED_SUBTYPES.FIRMWARE_REVISION) m['lldp.device.firmware'] = text(b, info, n);
    else if (subtype === TIA_MED_SUBTYPES.HARDWARE_REVISION) m['lldp.device.hardware'] = text(b, info, n);
    else if (subtype === TIA_MED_SUBTYPES.SERIAL_NUMBER) m['lldp.device.serial'] = text(b, info, n);
  } else if (oui === ORGANIZATIONS.PROFINET) {
    if (subtype === PROFINET_SUBTYPES.CHASSIS_MAC && n === 6)
      m['lldp.profinet.chassis_mac'] = formatMac(b, info);
    return true;
  }
  return false;
}

function capabilityNames(bits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < SYSTEM_CAPABILITIES.length; i++) if (bits & (1 << i)) out.push(SYSTEM_CAPABILITIES[i]);
  return out;
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

/**
 * A display string (§8.5.5-§8.5.7: SNMP DisplayString, UTF-8 allowed), trailing NULs and blanks
 * dropped, at most MAX_TEXT_LENGTH octets. Null when empty or when it holds control characters
 * other than line breaks and tabs, which means the octets are binary, not text.
 */
export function text(b: Uint8Array, p: number, n: number): string | null {
  let end = Math.min(n, MAX_TEXT_LENGTH);
  while (end > 0 && (b[p + end - 1] === 0 || b[p + end - 1] === 0x20)) end--;
  if (end === 0) return null;
  for (let i = 0; i < end; i++) {
    const c = b[p + i];
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return null;
  }
  return UTF8.decode(b.subarray(p, p + end));
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Binary ids print as lower-case hex octets without separators. */
export function hex(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[b[p + i]];
  return s;
}
