// PROFINET IO context manager parser: one UDP datagram of DCE/RPC connectionless (version 4) into
// the public event record of the `profinet_cm` dissector (STYLE.md 4 and 6). Pure, never throws,
// bounded by the datagram. The RPC header gives the packet type, interface, object, activity,
// sequence and operation number; for PNIO requests and responses the NDR header and the PN-IO
// blocks follow: AR, IOCR and alarm CR blocks of Connect, read and write record headers with their
// index, control requests (PrmEnd, ApplicationReady, Release), and in Read responses the I&M0
// record and PDInterfaceDataReal, which carry the device's identity.
//
// Byte order: the RPC header's integers and UUIDs follow its data representation label (C706
// §12.5.3.2 "drep", §14.2.5: octet 0 high nibble 0 big-endian, 1 little-endian); the NDR header
// of the PNIO arguments does too (IEC 61158-6-10 §4.10.3.2.2); everything inside PN-IO blocks is
// big-endian (§5.1: "BlockHeader ... and all block content ... big endian"). DataView reads take
// the little-endian flag at each call.

import type { Fields } from '../types.ts';
import { hex4, hex8, ipv4, mac, text } from './parser.ts';
import {
  AR_TYPES,
  BLOCK_TYPE_NAME_BY_CODE,
  BLOCK_TYPES,
  CONTROL_COMMANDS,
  FLAG1_FRAGMENT,
  FLAGS1,
  FLAGS2_CANCEL_PENDING,
  OPNUM_NAME_BY_CODE,
  OPNUM_OPERATION,
  OPNUMS,
  type Operation,
  PACKET_TYPE_NAME_BY_CODE,
  PACKET_TYPES,
  PNIO_ERROR_CODES,
  PNIO_INTERFACE_NODE,
  PNIO_INTERFACES,
  PNIO_UUID_CLOCK_SEQ,
  PNIO_UUID_TIME_HI_VERSION,
  PNIO_UUID_TIME_HIGH,
  PNIO_UUID_TIME_MID,
  PTYPE_FAULT,
  PTYPE_REJECT,
  PTYPE_REQUEST,
  PTYPE_RESPONSE,
  RECORD_INDEXES,
  unknown,
  VENDOR_NAMES,
} from './spec.ts';

// Limits, each from the specifications.

/** Connectionless RPC header (C706 §12.5.3: 80 octets). */
export const RPC_HEADER_LENGTH = 80;
/** rpc_vers of connectionless PDUs (C706 §12.5.3.1). */
export const RPC_VERSION_CL = 4;
/** NDR header of the PNIO arguments: ArgsMaximum or PNIOStatus, ArgsLength, MaximumCount, Offset, ActualCount (§4.10.3.2.2). */
export const NDR_HEADER_LENGTH = 20;
/** BlockHeader: BlockType (2), BlockLength (2), BlockVersionHigh, BlockVersionLow (§5.1.2). BlockLength counts from the version on. */
export const BLOCK_HEADER_LENGTH = 6;
export const BLOCK_LENGTH_FIELD_END = 4;
/** IODReadReqHeader / IODWriteReqHeader and their responses: 64 octets with the header (§5.2.3.x). */
export const RECORD_HEADER_LENGTH = 64;
/** Block names an event lists in `profinet_cm.blocks` (a Connect request has 5-20). */
export const MAX_BLOCKS_IN_EVENT = 16;
/** Record indexes an event lists (a multiple write bundles many records). */
export const MAX_INDEXES_IN_EVENT = 16;
/**
 * Blocks walked per datagram, nested ones included: a bound on work for hostile input. A UDP
 * datagram (at most 65507 octets) holds at most 65507 / 6 block headers; real ones hold a few dozen.
 */
export const MAX_BLOCKS_WALKED = 512;
/** I&M0 record after its BlockHeader: VendorID (2), OrderID (20), serial (16), HW rev (2), SW rev (4), then 10 more (§5.2.4.x "I&M0"). */
export const IM0_BODY_LENGTH = 54;
/** MultipleBlockHeader: BlockHeader, padding (2), API (4), slot (2), subslot (2), then its blocks (§5.2.x). */
export const MULTIPLE_BLOCK_HEADER_LENGTH = 16;
/** MultipleBlockHeaders within MultipleBlockHeaders followed when reading records. */
export const MAX_RECORD_NESTING = 2;
export const IM0_ORDER_ID_LENGTH = 20;
export const IM0_SERIAL_LENGTH = 16;

/** IODControlReq/IOXControlReq/IODReleaseReq block types, 0x0110-0x0118, and their responses with bit 15 set (§5.2.3.4). */
const CONTROL_BLOCK_FIRST = BLOCK_TYPES.IOD_CONTROL_REQ_PRM_END;
const CONTROL_BLOCK_LAST = BLOCK_TYPES.IOD_CONTROL_REQ_PRM_BEGIN;
const IOD_WRITE_REQ = BLOCK_TYPES.IOD_WRITE_REQ_HEADER;
const IOD_READ_REQ = BLOCK_TYPES.IOD_READ_REQ_HEADER;
const IOD_WRITE_RES = BLOCK_TYPES.IOD_WRITE_RES_HEADER;
const IOD_READ_RES = BLOCK_TYPES.IOD_READ_RES_HEADER;

function u16be(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

function u32be(b: Uint8Array, p: number): number {
  return ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}

function u16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}

function u32(b: Uint8Array, p: number, le: boolean): number {
  return le ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0 : u32be(b, p);
}

const HEX = '0123456789abcdef';

/** A UUID at `b[p]` (C706 Appendix A): time_low, time_mid, time_hi in the given order, then 8 octets as they are. */
export function uuid(b: Uint8Array, p: number, le: boolean): string {
  const h = (v: number, digits: number) => {
    let s = '';
    for (let i = digits - 1; i >= 0; i--) s += HEX[(v >>> (4 * i)) & 15];
    return s;
  };
  let tail = '';
  for (let i = 8; i < 16; i++) tail += (i === 10 ? '-' : '') + HEX[b[p + i] >> 4] + HEX[b[p + i] & 15];
  return `${h(u32(b, p, le), 8)}-${h(u16(b, p + 4, le), 4)}-${h(u16(b, p + 6, le), 4)}-${tail}`;
}

/**
 * DEA0000x-6C97-11D1-8271-... : the PNIO UUID family (§4.10.2.2). Returns x (the interface number
 * or 0 for an object UUID) or -1.
 */
function pnioUuid(b: Uint8Array, p: number, le: boolean): number {
  const timeLow = u32(b, p, le);
  if (timeLow >>> 16 !== PNIO_UUID_TIME_HIGH || (timeLow & 0xfff0) !== 0) return -1;
  if (u16(b, p + 4, le) !== PNIO_UUID_TIME_MID || u16(b, p + 6, le) !== PNIO_UUID_TIME_HI_VERSION) return -1;
  if (u16be(b, p + 8) !== PNIO_UUID_CLOCK_SEQ) return -1;
  return timeLow & 0x000f;
}

function isPnioInterface(b: Uint8Array, p: number, le: boolean): number {
  const x = pnioUuid(b, p, le);
  if (x < 1 || x >= PNIO_INTERFACES.length) return -1;
  for (let i = 0; i < 6; i++) if (b[p + 10 + i] !== PNIO_INTERFACE_NODE[i]) return -1;
  return x;
}

/** Whether the datagram is a connectionless RPC to or from a PNIO interface or object (for the probe). */
export function looksLikePnioCm(b: Uint8Array): boolean {
  if (b.length < RPC_HEADER_LENGTH || b[0] !== RPC_VERSION_CL || b[1] >= PACKET_TYPES.length) return false;
  const drep = b[4] >> 4;
  if (drep > 1) return false;
  const le = drep === 1;
  return isPnioInterface(b, 24, le) > 0 || pnioUuid(b, 8, le) === 0;
}

/** Parses one datagram; a string is a violation's reason. */
export function parseCm(b: Uint8Array): Fields | string {
  const n = b.length;
  if (n < RPC_HEADER_LENGTH) return `datagram of ${n} octets is shorter than the 80-octet RPC header`;
  if (b[0] !== RPC_VERSION_CL) return `RPC version ${b[0]}, not 4 (connectionless)`;
  const ptype = b[1];
  if (ptype >= PACKET_TYPES.length) return `RPC packet type ${ptype} is not defined`;
  const intRep = b[4] >> 4;
  if (intRep > 1) return `data representation 0x${HEX[intRep]}0 is neither big- nor little-endian`;
  const le = intRep === 1;
  const bodyLength = u16(b, 74, le);
  if (RPC_HEADER_LENGTH + bodyLength > n) {
    return `body length ${bodyLength} runs past the datagram (${n - RPC_HEADER_LENGTH} octets)`;
  }
  const interfaceNumber = isPnioInterface(b, 24, le);
  const opnum = u16(b, 68, le);
  const ifVersion = u32(b, 60, le);
  const flags1 = b[2];
  const flags: string[] = [];
  for (const [bit, name] of FLAGS1) if (flags1 & bit) flags.push(name);
  if (b[3] & FLAGS2_CANCEL_PENDING) flags.push('CANCEL_PENDING');
  const isCall = ptype === PTYPE_REQUEST || ptype === PTYPE_RESPONSE;
  const fields: Fields = {
    'profinet_cm.packet_type': PACKET_TYPE_NAME_BY_CODE[ptype],
    'profinet_cm.opnum': interfaceNumber > 0 ? (OPNUM_NAME_BY_CODE[opnum] ?? unknown(opnum)) : unknown(opnum),
    'profinet_cm.operation':
      isCall && interfaceNumber > 0 && opnum < OPNUMS.length ? OPNUM_OPERATION[opnum] : 'other',
    'profinet_cm.interface': interfaceNumber > 0 ? PNIO_INTERFACES[interfaceNumber] : null,
    'profinet_cm.interface_uuid': uuid(b, 24, le),
    // C706 §12.5.3.2 if_vers: the major version in the low-order 16 bits, the minor in the high.
    'profinet_cm.interface_version_major': ifVersion & 0xffff,
    'profinet_cm.interface_version_minor': ifVersion >>> 16,
    'profinet_cm.object_uuid': uuid(b, 8, le),
    'profinet_cm.activity_uuid': uuid(b, 40, le),
    'profinet_cm.server_boot_time': u32(b, 56, le),
    'profinet_cm.seq': u32(b, 64, le),
    'profinet_cm.fragment_num': u16(b, 76, le),
    'profinet_cm.flags': flags,
    'profinet_cm.byte_order': le ? 'LITTLE_ENDIAN' : 'BIG_ENDIAN',
    'profinet_cm.body_length': bodyLength,
    'profinet_cm.error': null,
    'profinet_cm.blocks': null,
    'profinet_cm.index': null,
    'profinet_cm.indexes': null,
    'profinet_cm.slot': null,
    'profinet_cm.subslot': null,
    'profinet_cm.control_command': null,
    'profinet_cm.ar_type': null,
    'profinet_cm.ar_uuid': null,
    'profinet_cm.station_name': null,
    'profinet_cm.object_vendor_id': null,
    'profinet_cm.object_device_id': null,
    'profinet_cm.object_instance': null,
  };
  if (pnioUuid(b, 8, le) === 0) {
    // Object UUID DEA00000-6C97-11D1-8271-{instance}{device id}{vendor id} (§4.10.2.2).
    fields['profinet_cm.object_instance'] = u16be(b, 18);
    fields['profinet_cm.object_device_id'] = u16be(b, 20);
    fields['profinet_cm.object_vendor_id'] = u16be(b, 22);
  }
  const body = b.subarray(RPC_HEADER_LENGTH, RPC_HEADER_LENGTH + bodyLength);
  if (ptype === PTYPE_FAULT || ptype === PTYPE_REJECT) {
    // C706 §12.5.3.x: the body of fault and reject is one status code (nca_s_* / rpc_s_*).
    if (body.length >= 4) fields['profinet_cm.error'] = `nca_status ${hex8(u32(body, 0, le))}`;
    return fields;
  }
  // A later fragment continues the arguments of the first: it has no NDR header of its own.
  const firstFragment = (flags1 & FLAG1_FRAGMENT) === 0 || u16(b, 76, le) === 0;
  if (!isCall || interfaceNumber <= 0 || !firstFragment) return fields;
  const truncatedOk = (flags1 & FLAG1_FRAGMENT) !== 0;
  const problem = pnioBody(body, le, ptype === PTYPE_REQUEST, truncatedOk, fields);
  if (problem !== null) return problem;
  if (ptype === PTYPE_RESPONSE) responderIdentity(fields);
  else requesterIdentity(fields);
  return fields;
}

/** The NDR header and the blocks of a PNIO request or response (§4.10.3.2). */
function pnioBody(
  body: Uint8Array,
  le: boolean,
  request: boolean,
  fragmented: boolean,
  fields: Fields,
): string | null {
  if (body.length < NDR_HEADER_LENGTH) {
    return fragmented
      ? null
      : `PNIO ${request ? 'request' : 'response'} body of ${body.length} octets has no NDR header`;
  }
  if (!request) {
    // PNIOStatus: ErrorCode, ErrorDecode, ErrorCode1, ErrorCode2, one octet each (§5.2.6).
    const status = u32be(body, 0);
    if (status !== 0) fields['profinet_cm.error'] = pnioStatus(status);
  }
  const argsLength = u32(body, 4, le);
  const actualCount = u32(body, 16, le);
  if (actualCount > argsLength && !fragmented)
    return `NDR ActualCount ${actualCount} above ArgsLength ${argsLength}`;
  const end = NDR_HEADER_LENGTH + actualCount;
  if (end > body.length && !fragmented) {
    return `NDR ActualCount ${actualCount} runs past the body (${body.length - NDR_HEADER_LENGTH} octets)`;
  }
  const walk = new BlockWalk(body, Math.min(end, body.length), fragmented, fields);
  const problem = walk.run(NDR_HEADER_LENGTH);
  if (problem !== null) return problem;
  fields['profinet_cm.blocks'] = walk.names;
  if (walk.indexes.length > 0) fields['profinet_cm.indexes'] = walk.indexes;
  return null;
}

/** `IOD_WRITE_RES/PNIORW 0xdf80a900`-style: the error code's name, then the four octets. */
function pnioStatus(status: number): string {
  const code = PNIO_ERROR_CODES.get(status >>> 24) ?? unknown(status >>> 24);
  return `${code} ${hex8(status)}`;
}

/** Walks top-level blocks, the record headers with their data, and the records worth reading. */
class BlockWalk {
  readonly names: string[] = [];
  readonly indexes: number[] = [];
  private walked = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly end: number,
    private readonly truncatedOk: boolean,
    private readonly fields: Fields,
  ) {}

  run(start: number): string | null {
    const b = this.b;
    let p = start;
    while (p < this.end) {
      if (++this.walked > MAX_BLOCKS_WALKED) return `more than ${MAX_BLOCKS_WALKED} blocks`;
      if (this.end - p < BLOCK_HEADER_LENGTH) return this.truncated(`block header truncated at octet ${p}`);
      const type = u16be(b, p);
      const length = u16be(b, p + 2);
      const next = p + BLOCK_LENGTH_FIELD_END + length;
      const name = BLOCK_TYPE_NAME_BY_CODE.get(type) ?? unknown(type);
      if (length < 2) return `block ${name} length ${length} leaves no room for its version`;
      if (next > this.end) return this.truncated(`block ${name} length ${length} runs past the arguments`);
      if (this.names.length < MAX_BLOCKS_IN_EVENT) this.names.push(name);
      let after = next;
      const problem = this.block(type, name, p, next);
      if (typeof problem === 'string') return problem;
      after += problem;
      p = after;
    }
    return null;
  }

  private truncated(reason: string): string | null {
    return this.truncatedOk ? null : reason;
  }

  /** One block at `b[p]` ending at `next`; returns the octets of record data after it, or a violation. */
  private block(type: number, name: string, p: number, next: number): number | string {
    const b = this.b;
    const f = this.fields;
    switch (type) {
      case BLOCK_TYPES.AR_BLOCK_REQ: {
        // ARType, ARUUID, SessionKey, CMInitiatorMacAdd, CMInitiatorObjectUUID, ARProperties,
        // timeout factor, UDP port, StationNameLength, CMInitiatorStationName (§5.2.4.1).
        if (next - p < 58) return `${name} shorter than its fixed fields`;
        f['profinet_cm.ar_type'] = AR_TYPES.get(u16be(b, p + 6)) ?? unknown(u16be(b, p + 6));
        f['profinet_cm.ar_uuid'] = uuid(b, p + 8, false);
        f['profinet_cm.initiator_mac'] = mac(b, p + 26);
        const nameLength = u16be(b, p + 56);
        if (p + 58 + nameLength > next)
          return `${name} station name length ${nameLength} runs past the block`;
        f['profinet_cm.station_name'] = text(b, p + 58, nameLength);
        // The initiator's own object UUID names its vendor and device (the controller, §4.10.2.2).
        if (pnioUuid(b, p + 32, false) === 0) {
          f['profinet_cm.initiator_vendor_id'] = u16be(b, p + 46);
          f['profinet_cm.initiator_device_id'] = u16be(b, p + 44);
        }
        return 0;
      }
      case BLOCK_TYPES.AR_BLOCK_RES:
        if (next - p < 32) return `${name} shorter than its fixed fields`;
        f['profinet_cm.ar_type'] = AR_TYPES.get(u16be(b, p + 6)) ?? unknown(u16be(b, p + 6));
        f['profinet_cm.ar_uuid'] = uuid(b, p + 8, false);
        f['profinet_cm.responder_mac'] = mac(b, p + 26);
        return 0;
      case IOD_WRITE_REQ:
      case IOD_READ_REQ:
      case IOD_WRITE_RES:
      case IOD_READ_RES:
        return this.recordHeader(type, name, p, next);
      default:
        if ((type & 0x7fff) >= CONTROL_BLOCK_FIRST && (type & 0x7fff) <= CONTROL_BLOCK_LAST) {
          // IODControlReq/Res, IODReleaseReq/Res: Reserved, ARUUID, SessionKey, Reserved, ControlCommand (§5.2.3.4).
          if (next - p < 30) return `${name} shorter than its fixed fields`;
          f['profinet_cm.ar_uuid'] = uuid(b, p + 8, false);
          f['profinet_cm.control_command'] = controlCommand(u16be(b, p + 28));
        }
        return 0;
    }
  }

  /**
   * IODWriteReqHeader, IODReadReqHeader and their responses (§5.2.3.x): SeqNumber, ARUUID, API,
   * Slot, Subslot, padding, Index, RecordDataLength. A write request and a read response carry
   * RecordDataLength octets of record data after the header; a multiple write (index 0xE040)
   * nests one header per record in it.
   */
  private recordHeader(type: number, name: string, p: number, next: number): number | string {
    const b = this.b;
    const f = this.fields;
    if (next - p < RECORD_HEADER_LENGTH) return `${name} shorter than ${RECORD_HEADER_LENGTH} octets`;
    const index = u16be(b, p + 34);
    const dataLength = u32be(b, p + 36);
    if (f['profinet_cm.index'] === null) {
      f['profinet_cm.index'] = index;
      f['profinet_cm.slot'] = u16be(b, p + 28);
      f['profinet_cm.subslot'] = u16be(b, p + 30);
    }
    if (this.indexes.length < MAX_INDEXES_IN_EVENT) this.indexes.push(index);
    if (type === IOD_WRITE_RES) {
      // AdditionalValue1, AdditionalValue2, then the PNIOStatus of this record (§5.2.3.x).
      const status = u32be(b, p + 44);
      if (status !== 0 && f['profinet_cm.error'] === null) f['profinet_cm.error'] = pnioStatus(status);
    }
    const carriesData = type === IOD_WRITE_REQ || type === IOD_READ_RES;
    // The header's RecordDataLength of a read request is the size asked for, not data present;
    // the write responses of a multiple write follow the first one as blocks of their own.
    if (!carriesData) return 0;
    if (next + dataLength > this.end) {
      return this.truncatedOk
        ? this.end - next
        : `${name} RecordDataLength ${dataLength} runs past the arguments`;
    }
    const dataEnd = next + dataLength;
    if (type === IOD_WRITE_REQ && index === RECORD_INDEXES.MULTIPLE_WRITE) {
      const problem = this.nested(next, dataEnd);
      if (problem !== null) return problem;
    } else if (type === IOD_READ_RES) {
      this.readRecord(next, dataEnd);
    }
    return dataLength;
  }

  /** Nested write headers of a multiple write, each followed by its data, aligned to 4 octets (§5.2.3.x). */
  private nested(start: number, end: number): string | null {
    const b = this.b;
    let q = start;
    while (end - q >= BLOCK_HEADER_LENGTH) {
      if (++this.walked > MAX_BLOCKS_WALKED) return `more than ${MAX_BLOCKS_WALKED} blocks`;
      const type = u16be(b, q);
      const length = u16be(b, q + 2);
      const next = q + BLOCK_LENGTH_FIELD_END + length;
      if (
        (type !== IOD_WRITE_REQ && type !== IOD_WRITE_RES) ||
        next > end ||
        next - q < RECORD_HEADER_LENGTH
      ) {
        return this.truncatedOk
          ? null
          : `multiple write holds a ${BLOCK_TYPE_NAME_BY_CODE.get(type) ?? unknown(type)} where a write header belongs`;
      }
      const index = u16be(b, q + 34);
      if (this.indexes.length < MAX_INDEXES_IN_EVENT) this.indexes.push(index);
      let after = next;
      if (type === IOD_WRITE_REQ) after += u32be(b, q + 36);
      else {
        const status = u32be(b, q + 44);
        if (status !== 0 && this.fields['profinet_cm.error'] === null)
          this.fields['profinet_cm.error'] = pnioStatus(status);
      }
      // Records after the first start on a 4-octet boundary of the multiple record data.
      q = after + ((4 - ((after - start) & 3)) & 3);
    }
    return null;
  }

  /**
   * Read responses: I&M0 (index 0xAFF0) and PDInterfaceDataReal (inside the MultipleBlockHeader
   * of a PDRealData read, 0xF841) carry identity; other records are skipped.
   */
  private readRecord(start: number, end: number, depth = 0): void {
    const b = this.b;
    const f = this.fields;
    let q = start;
    while (end - q >= BLOCK_HEADER_LENGTH) {
      if (++this.walked > MAX_BLOCKS_WALKED) return;
      const type = u16be(b, q);
      const next = q + BLOCK_LENGTH_FIELD_END + u16be(b, q + 2);
      if (next > end) return;
      if (type === BLOCK_TYPES.MULTIPLE_BLOCK_HEADER && depth < MAX_RECORD_NESTING) {
        // BlockHeader, padding (2), API (4), SlotNumber, SubslotNumber, then the blocks (§5.2.x).
        this.readRecord(q + MULTIPLE_BLOCK_HEADER_LENGTH, next, depth + 1);
      } else if (type === BLOCK_TYPES.IM0 && next - q >= BLOCK_HEADER_LENGTH + IM0_BODY_LENGTH) {
        const v = q + BLOCK_HEADER_LENGTH;
        const vendor = u16be(b, v);
        const sw = v + 2 + IM0_ORDER_ID_LENGTH + IM0_SERIAL_LENGTH + 2;
        f['profinet_cm.device.vendor_id'] = hex4(vendor);
        f['profinet_cm.device.vendor'] = VENDOR_NAMES.get(vendor) ?? null;
        f['profinet_cm.device.model'] = text(b, v + 2, IM0_ORDER_ID_LENGTH);
        f['profinet_cm.device.serial'] = text(b, v + 2 + IM0_ORDER_ID_LENGTH, IM0_SERIAL_LENGTH);
        f['profinet_cm.device.hardware'] = String(u16be(b, sw - 2));
        // IM_Software_Revision: a prefix letter (V, R, P, U, T) and three numbers (§5.2.4.x).
        const prefix = b[sw] >= 0x41 && b[sw] <= 0x5a ? String.fromCharCode(b[sw]) : '';
        f['profinet_cm.device.firmware'] = `${prefix}${b[sw + 1]}.${b[sw + 2]}.${b[sw + 3]}`;
        f['profinet_cm.im0_revision_counter'] = u16be(b, sw + 4);
      } else if (type === BLOCK_TYPES.PD_INTERFACE_DATA_REAL && next - q >= BLOCK_HEADER_LENGTH + 1) {
        // LengthOwnChassisID, OwnChassisID (the name of station), padding to 4, MAC, padding, IP suite (§5.2.13.x).
        const nameLength = b[q + BLOCK_HEADER_LENGTH];
        const nameAt = q + BLOCK_HEADER_LENGTH + 1;
        if (nameAt + nameLength <= next) f['profinet_cm.device.name'] = text(b, nameAt, nameLength);
        // Padding aligns to 4 octets counted from the start of the PNIO arguments (the RPC body).
        let m = nameAt + nameLength;
        m += (4 - (m & 3)) & 3;
        if (m + 6 + 2 + 12 <= next) {
          f['profinet_cm.interface_mac'] = mac(b, m);
          f['profinet_cm.interface_ip'] = ipv4(b, m + 8);
        }
      }
      q = next;
    }
  }
}

/** ControlCommand bits by name, joined: usually exactly one is set (§5.2.3.4). */
function controlCommand(bits: number): string {
  let out = '';
  for (const [bit, name] of CONTROL_COMMANDS) if (bits & bit) out += out === '' ? name : `|${name}`;
  return out === '' ? unknown(bits) : out;
}

/**
 * A Connect request's ARBlockReq is where the controller names itself: its name of station and
 * its own object UUID (vendor and device id) (§5.2.4.1).
 */
function requesterIdentity(fields: Fields): void {
  const name = fields['profinet_cm.station_name'];
  if (name === null) return;
  fields['profinet_cm.device.name'] = name;
  const vendor = fields['profinet_cm.initiator_vendor_id'] as number | undefined;
  const device = fields['profinet_cm.initiator_device_id'] as number | undefined;
  if (vendor === undefined || device === undefined) return;
  fields['profinet_cm.device.vendor_id'] = hex4(vendor);
  fields['profinet_cm.device.vendor'] = VENDOR_NAMES.get(vendor) ?? null;
  fields['profinet_cm.device.product_code'] = hex4(device);
  fields['profinet_cm.device.id'] = `vendor ${hex4(vendor)} device ${hex4(device)}`;
}

/**
 * A PNIO server answering names itself through the object UUID it answers under: vendor id and
 * device id are the ones its GSD declares and the controller addressed (§4.10.2.2).
 */
function responderIdentity(fields: Fields): void {
  const vendor = fields['profinet_cm.object_vendor_id'] as number | null;
  const device = fields['profinet_cm.object_device_id'] as number | null;
  if (vendor === null || device === null) return;
  fields['profinet_cm.device.vendor_id'] ??= hex4(vendor);
  fields['profinet_cm.device.vendor'] ??= VENDOR_NAMES.get(vendor) ?? null;
  fields['profinet_cm.device.product_code'] = hex4(device);
  fields['profinet_cm.device.id'] = `vendor ${hex4(vendor)} device ${hex4(device)}`;
}

export type { Operation };
