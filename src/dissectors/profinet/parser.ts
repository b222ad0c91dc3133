// PN-RT frame parser: one Ethernet payload of type 0x8892 (starting at the frame id) into the
// public event record of the `profinet` link dissector (STYLE.md 4 and 6). Pure, never throws,
// bounded by the frame. Cyclic real-time frames give the frame id, cycle counter and data status;
// alarm frames the RTA header; DCP frames the service, the transaction id and every block (name of
// station, type of station, device id and role, IP suite, MAC, control), with the sender's
// identity under `profinet.device.*` when it describes itself (Identify response, Hello, Get
// response).
//
// PN-RT is big-endian (IEC 61158-6-10 §4.2.1: "transferred with the most significant octet
// first"): multi-octet fields are read with u16be / u32be. Frame ids §4.2.2, cyclic trailer
// §4.2.3, DCP §4.3, RTA §4.4.

import type { Fields } from '../types.ts';
import {
  ALARM_TYPE_NAME_BY_CODE,
  DATA_STATUS,
  DCP_BLOCK_ERRORS,
  DCP_BLOCK_NAME_BY_CODE,
  DCP_BLOCKS,
  DCP_CONTROL_SET,
  DCP_OPERATION,
  DCP_OPTIONS,
  DCP_SERVICE_NAME_BY_CODE,
  DCP_SERVICE_TYPE_NAME_BY_CODE,
  DCP_SERVICE_TYPES,
  DCP_SERVICES,
  DEVICE_ROLES,
  FRAME_RANGES,
  type Operation,
  RANGE_INDEX_BY_FRAME_ID,
  RTA_PDU_TYPES,
  unknown,
  VENDOR_NAMES,
} from './spec.ts';

// Limits, each from the specification or the frame.

/** Frame id (2 octets) precedes everything (§4.2.2). */
export const FRAME_ID_LENGTH = 2;
/** Cyclic frames end in CycleCounter (2), DataStatus (1), TransferStatus (1) (§4.2.3). */
export const CYCLIC_TRAILER_LENGTH = 4;
/** DCP header after the frame id: ServiceID, ServiceType, Xid (4), ResponseDelay (2), DCPDataLength (2) (§4.3.1.1). */
export const DCP_HEADER_LENGTH = FRAME_ID_LENGTH + 10;
/** A DCP block: Option, Suboption, DCPBlockLength (2), then the value padded to an even length (§4.3.1.2). */
export const DCP_BLOCK_HEADER_LENGTH = 4;
/**
 * DCPDataLength bound: an untagged Ethernet payload is at most 1500 octets, less the frame id and
 * DCP header (§4.3.1.1: "DCPDataLength ... 0 to 1416" leaves room for tags and padding; the frame
 * bound is the one that matters to memory).
 */
export const MAX_DCP_DATA_LENGTH = 1500 - DCP_HEADER_LENGTH;
/** Block names an event lists in `profinet.dcp_blocks` (a Hello or Identify response has 6-10). */
export const MAX_DCP_BLOCKS_IN_EVENT = 16;
/** NameOfStation and AliasName: at most 240 octets (§4.3.1.3.3, DNS-compatible names). */
export const MAX_STATION_NAME_LENGTH = 240;
/** RTA-PDU header after the frame id: endpoints (2 x 2), PDUType, AddFlags, SendSeqNum, AckSeqNum, VarPartLen (§4.4.1). */
export const RTA_HEADER_LENGTH = FRAME_ID_LENGTH + 12;
/** AlarmNotification: BlockHeader (6) then AlarmType (2) first (§5.2.8.1). */
export const ALARM_TYPE_OFFSET = 6;

function u16be(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

function u32be(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

const HEX = '0123456789abcdef';

/** `0x002a`: how PROFINET writes vendor and device ids (GSDML). */
export function hex4(v: number): string {
  return `0x${HEX[(v >> 12) & 15]}${HEX[(v >> 8) & 15]}${HEX[(v >> 4) & 15]}${HEX[v & 15]}`;
}

export function hex8(v: number): string {
  return `${hex4(v >>> 16)}${hex4(v & 0xffff).slice(2)}`;
}

export function ipv4(b: Uint8Array, p: number): string {
  return `${b[p]}.${b[p + 1]}.${b[p + 2]}.${b[p + 3]}`;
}

export function mac(b: Uint8Array, p: number): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += (i ? ':' : '') + HEX[b[p + i] >> 4] + HEX[b[p + i] & 15];
  return s;
}

/**
 * Visible-string values (station names, order numbers): printable ASCII as is, trailing NULs and
 * blanks (padding) dropped, any other octet and the backslash as `\xNN`, so a value is faithful
 * and safe to log.
 */
export function text(b: Uint8Array, p: number, n: number): string {
  let end = n;
  while (end > 0 && (b[p + end - 1] === 0 || b[p + end - 1] === 0x20)) end--;
  let s = '';
  for (let i = 0; i < end; i++) {
    const c = b[p + i];
    s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return s;
}

/** The frame id and its class, the fields every event (and violation) of this dissector has. */
export function frameFields(b: Uint8Array): Fields {
  if (b.length < FRAME_ID_LENGTH) return { 'profinet.frame_id': null, 'profinet.frame_type': null };
  const id = u16be(b, 0);
  return { 'profinet.frame_id': id, 'profinet.frame_type': FRAME_RANGES[RANGE_INDEX_BY_FRAME_ID[id]].type };
}

/** Parses one PN-RT frame (the Ethernet payload after the type); a string is a violation's reason. */
export function parseFrame(b: Uint8Array): Fields | string {
  if (b.length < FRAME_ID_LENGTH) return `PN-RT frame of ${b.length} octets has no frame id`;
  const id = u16be(b, 0);
  const range = FRAME_RANGES[RANGE_INDEX_BY_FRAME_ID[id]];
  if (range.cyclic) return cyclic(b, id, range.type, range.operation);
  if (id >= 0xfefc && id <= 0xfeff) return dcp(b, id, range.type);
  if (range.type === 'ALARM_HIGH' || range.type === 'ALARM_LOW')
    return alarm(b, id, range.type, range.operation);
  const fields: Fields = {
    'profinet.frame_id': id,
    'profinet.frame_type': range.type,
    'profinet.dcp_service': null,
    'profinet.operation': range.operation,
  };
  return fields;
}

/** §4.2.3: C_SDU, then CycleCounter, DataStatus and TransferStatus as the last four octets. */
function cyclic(b: Uint8Array, id: number, type: string, operation: Operation): Fields | string {
  const n = b.length;
  if (n < FRAME_ID_LENGTH + CYCLIC_TRAILER_LENGTH)
    return `${type} frame of ${n} octets has no cycle counter and status`;
  const status = b[n - 2];
  // Kept small: cyclic frames come by the thousand per second.
  const fields: Fields = {
    'profinet.frame_id': id,
    'profinet.frame_type': type,
    'profinet.dcp_service': null,
    'profinet.operation': operation,
    'profinet.cycle_counter': u16be(b, n - 4),
    'profinet.data_status': status,
    'profinet.data_valid': (status & DATA_STATUS.DATA_VALID) !== 0,
    'profinet.provider_run': (status & DATA_STATUS.PROVIDER_RUN) !== 0,
    'profinet.station_problem': (status & DATA_STATUS.STATION_OK) === 0,
    'profinet.transfer_status': b[n - 1],
  };
  return fields;
}

/** §4.4.1 RTA-PDU: endpoints, PDU type, sequence numbers, then the variable part. */
function alarm(b: Uint8Array, id: number, type: string, operation: Operation): Fields | string {
  if (b.length < RTA_HEADER_LENGTH)
    return `${type} frame of ${b.length} octets is shorter than the RTA header`;
  const pduType = b[6] & 0x0f;
  const varLength = u16be(b, 12);
  if (RTA_HEADER_LENGTH + varLength > b.length) {
    return `${type} VarPartLen ${varLength} runs past the frame (${b.length - RTA_HEADER_LENGTH} octets)`;
  }
  const fields: Fields = {
    'profinet.frame_id': id,
    'profinet.frame_type': type,
    'profinet.dcp_service': null,
    'profinet.operation': operation,
    'profinet.alarm_dst_endpoint': u16be(b, 2),
    'profinet.alarm_src_endpoint': u16be(b, 4),
    'profinet.rta_pdu_type': pduType < RTA_PDU_TYPES.length ? RTA_PDU_TYPES[pduType] : unknown(pduType),
    'profinet.send_seq': u16be(b, 8),
    'profinet.ack_seq': u16be(b, 10),
    'profinet.alarm_type': null,
    'profinet.pnio_status': null,
  };
  const v = RTA_HEADER_LENGTH;
  if (pduType === 1 && varLength >= ALARM_TYPE_OFFSET + 2) {
    // DATA: AlarmNotification (block type 0x0001/0x0002) or AlarmAck (0x8001/0x8002).
    const code = u16be(b, v + ALARM_TYPE_OFFSET);
    fields['profinet.alarm_type'] = ALARM_TYPE_NAME_BY_CODE.get(code) ?? unknown(code);
  } else if (pduType === 4 && varLength >= 4) {
    // ERR: PNIOStatus (§5.2.6) says why the alarm channel failed.
    fields['profinet.pnio_status'] = hex8(u32be(b, v)).slice(2);
  }
  return fields;
}

/** §4.3.1: DCP header, then blocks; what a block holds depends on the service and its direction. */
function dcp(b: Uint8Array, id: number, type: string): Fields | string {
  if (b.length < DCP_HEADER_LENGTH)
    return `${type} frame of ${b.length} octets is shorter than the DCP header`;
  const serviceId = b[2];
  const serviceType = b[3];
  const dataLength = u16be(b, 10);
  if (dataLength > MAX_DCP_DATA_LENGTH || DCP_HEADER_LENGTH + dataLength > b.length) {
    return `${type} DCPDataLength ${dataLength} runs past the frame (${b.length - DCP_HEADER_LENGTH} octets)`;
  }
  const service = DCP_SERVICE_NAME_BY_CODE[serviceId];
  const request = serviceType === DCP_SERVICE_TYPES.REQUEST;
  const fields: Fields = {
    'profinet.frame_id': id,
    'profinet.frame_type': type,
    'profinet.dcp_service': service,
    'profinet.operation':
      serviceId >= DCP_SERVICES.GET && serviceId <= DCP_SERVICES.HELLO
        ? DCP_OPERATION[service as keyof typeof DCP_OPERATION]
        : 'other',
    'profinet.dcp_service_type': DCP_SERVICE_TYPE_NAME_BY_CODE[serviceType],
    'profinet.dcp_xid': u32be(b, 4),
    'profinet.dcp_blocks': null,
    'profinet.station_name': null,
    'profinet.type_of_station': null,
    'profinet.vendor_id': null,
    'profinet.device_id': null,
    'profinet.device_role': null,
    'profinet.ip': null,
    'profinet.netmask': null,
    'profinet.gateway': null,
    'profinet.mac': null,
    'profinet.alias_name': null,
    'profinet.dcp_error': null,
  };
  const end = DCP_HEADER_LENGTH + dataLength;
  const names: string[] = [];
  // §4.3.1.2: a Get request lists option/suboption pairs only; Identify filters carry values with
  // no prefix; Set request values start with a BlockQualifier, response and Hello values with a
  // BlockInfo (2 octets each).
  if (serviceId === DCP_SERVICES.GET && request) {
    for (let p = DCP_HEADER_LENGTH; p + 2 <= end; p += 2) {
      if (names.length < MAX_DCP_BLOCKS_IN_EVENT) names.push(blockName(b[p], b[p + 1]));
    }
    fields['profinet.dcp_blocks'] = names;
    return fields;
  }
  const prefix = serviceId === DCP_SERVICES.IDENTIFY && request ? 0 : 2;
  let errors: string[] | null = null;
  for (let p = DCP_HEADER_LENGTH; p < end; ) {
    if (end - p < DCP_BLOCK_HEADER_LENGTH) return `${type} block header truncated at octet ${p}`;
    const option = b[p];
    const suboption = b[p + 1];
    const length = u16be(b, p + 2);
    const v = p + DCP_BLOCK_HEADER_LENGTH;
    if (v + length > end)
      return `${type} block ${blockName(option, suboption)} length ${length} runs past DCPDataLength`;
    if (names.length < MAX_DCP_BLOCKS_IN_EVENT) names.push(blockName(option, suboption));
    const code = option * 256 + suboption;
    if (code === DCP_BLOCKS.RESPONSE) {
      // Set/Get response: the option/suboption answered and a BlockError (§4.3.1.3.4).
      if (length >= 3 && b[v + 2] !== 0) {
        errors ??= [];
        const e = b[v + 2];
        errors.push(
          `${blockName(b[v], b[v + 1])}:${e < DCP_BLOCK_ERRORS.length ? DCP_BLOCK_ERRORS[e] : unknown(e)}`,
        );
      }
    } else if (length >= prefix) {
      const problem = blockValue(b, code, v + prefix, length - prefix, fields);
      if (problem !== null) return `${type} ${problem}`;
    }
    if (
      option === DCP_OPTIONS.CONTROL &&
      serviceId === DCP_SERVICES.SET &&
      request &&
      code !== DCP_BLOCKS.RESPONSE
    ) {
      fields['profinet.operation'] = DCP_CONTROL_SET;
    }
    // Blocks are padded to an even length (§4.3.1.2).
    p = v + length + (length & 1);
  }
  fields['profinet.dcp_blocks'] = names;
  fields['profinet.dcp_error'] = errors;
  // The sender describes itself in an Identify or Get response and in a Hello (§4.3.2-4.3.5).
  const describesSelf =
    (serviceId === DCP_SERVICES.IDENTIFY ||
      serviceId === DCP_SERVICES.GET ||
      serviceId === DCP_SERVICES.HELLO) &&
    (serviceId === DCP_SERVICES.HELLO || serviceType === DCP_SERVICE_TYPES.RESPONSE_SUCCESS);
  if (describesSelf) addIdentity(fields);
  return fields;
}

function blockName(option: number, suboption: number): string {
  const code = option * 256 + suboption;
  const name = DCP_BLOCK_NAME_BY_CODE.get(code);
  if (name !== undefined) return name;
  if (option >= 0x80 && option <= 0xfe) return 'MANUFACTURER_SPECIFIC';
  return unknown(code);
}

/** One block's value (`n` octets at `b[p]`, after any BlockInfo/BlockQualifier) into the fields. */
function blockValue(b: Uint8Array, code: number, p: number, n: number, fields: Fields): string | null {
  switch (code) {
    case DCP_BLOCKS.MAC_ADDRESS:
      if (n < 6) return 'MAC_ADDRESS block shorter than 6 octets';
      fields['profinet.mac'] = mac(b, p);
      return null;
    case DCP_BLOCKS.IP_PARAMETER:
    case DCP_BLOCKS.FULL_IP_SUITE:
      if (n < 12) return 'IP_PARAMETER block shorter than 12 octets';
      fields['profinet.ip'] = ipv4(b, p);
      fields['profinet.netmask'] = ipv4(b, p + 4);
      fields['profinet.gateway'] = ipv4(b, p + 8);
      return null;
    case DCP_BLOCKS.TYPE_OF_STATION:
      fields['profinet.type_of_station'] = text(b, p, n);
      return null;
    case DCP_BLOCKS.NAME_OF_STATION:
      if (n > MAX_STATION_NAME_LENGTH)
        return `NAME_OF_STATION of ${n} octets, above ${MAX_STATION_NAME_LENGTH}`;
      fields['profinet.station_name'] = text(b, p, n);
      return null;
    case DCP_BLOCKS.ALIAS_NAME:
      if (n > MAX_STATION_NAME_LENGTH) return `ALIAS_NAME of ${n} octets, above ${MAX_STATION_NAME_LENGTH}`;
      fields['profinet.alias_name'] = text(b, p, n);
      return null;
    case DCP_BLOCKS.DEVICE_ID:
      if (n < 4) return 'DEVICE_ID block shorter than 4 octets';
      fields['profinet.vendor_id'] = u16be(b, p);
      fields['profinet.device_id'] = u16be(b, p + 2);
      return null;
    case DCP_BLOCKS.DEVICE_ROLE: {
      if (n < 1) return 'DEVICE_ROLE block is empty';
      const roles: string[] = [];
      for (const [bit, name] of DEVICE_ROLES) if (b[p] & bit) roles.push(name);
      fields['profinet.device_role'] = roles;
      return null;
    }
    default:
      return null;
  }
}

/** What the sender says about itself, under the identity parts (device.ts). */
function addIdentity(fields: Fields): void {
  const vendor = fields['profinet.vendor_id'] as number | null;
  const device = fields['profinet.device_id'] as number | null;
  fields['profinet.device.name'] = fields['profinet.station_name'];
  fields['profinet.device.product'] = fields['profinet.type_of_station'];
  fields['profinet.device.vendor_id'] = vendor === null ? null : hex4(vendor);
  fields['profinet.device.vendor'] = vendor === null ? null : (VENDOR_NAMES.get(vendor) ?? null);
  fields['profinet.device.product_code'] = device === null ? null : hex4(device);
  fields['profinet.device.id'] =
    vendor === null || device === null ? null : `vendor ${hex4(vendor)} device ${hex4(device)}`;
  // The link has no IP: the IP suite the device reports is its own (device.ts: `.ip`).
  const ip = fields['profinet.ip'];
  fields['profinet.device.ip'] = ip === '0.0.0.0' ? null : ip;
}
