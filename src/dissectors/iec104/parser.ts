// IEC 60870-5-104 APDU parser: one APCI (start byte, length, four control octets) and the ASDU
// behind an I-format one, from the front of a buffer, into the public event record (STYLE.md 4
// and 6). Pure: no state between calls, no copies of the input, never throws; it answers ok,
// incomplete (how many more bytes) or violation (how many bytes to skip). The session in
// dissector.ts does the buffering and resynchronising.
//
// APCI: IEC 60870-5-104:2006 §5 (Figures 4-8). ASDU: IEC 60870-5-101:2003 §7 with the field sizes
// 104 §9 fixes: cause of transmission 2 octets (cause and originator address), common address 2
// octets, information object address 3 octets. IEC 60870-5 is little-endian throughout (IEC
// 60870-5-4 §6: "the least significant octet first"): multi-octet fields are read with u16le /
// u24le and DataView's little-endian reads.

import type { ParseResult } from '../types.ts';
import {
  CAUSE_NAME_BY_CODE,
  COT_CAUSE_MASK,
  COT_NEGATIVE_BIT,
  COT_TEST_BIT,
  ELEMENT_SIZE_BY_CODE,
  F_SG_FIXED_OCTETS,
  OPERATION_BY_CODE,
  type Operation,
  SELECT_BIT,
  START_BYTE,
  TYPE_IDS,
  TYPE_NAME_BY_CODE,
  U_FUNCTION_BY_OCTET,
  U_FUNCTION_OPERATION,
  VALUE_KIND_BY_CODE,
  VARIABLE,
  VSQ_COUNT_MASK,
  VSQ_SQ_BIT,
} from './spec.ts';

// Limits, each from the standard.

/** Start byte and length octet precede the APDU body the length counts (104 §5, Figure 4). */
export const FRAME_HEADER_LENGTH = 2;
/** The four control octets of the APCI; the length octet counts them (104 §5). */
export const CONTROL_FIELD_LENGTH = 4;
/** Smallest length octet: the control field alone (S and U formats, 104 §5.2-5.3). */
export const MIN_APDU_LENGTH = CONTROL_FIELD_LENGTH;
/** Largest length octet: "the maximum length of the APDU is 253" (104 §5). */
export const MAX_APDU_LENGTH = 253;
/** Largest frame on the wire: start byte, length octet and the largest APDU. */
export const MAX_FRAME_LENGTH = FRAME_HEADER_LENGTH + MAX_APDU_LENGTH;
/** Largest ASDU: the APDU minus the control field (104 §5: 249). */
export const MAX_ASDU_LENGTH = MAX_APDU_LENGTH - CONTROL_FIELD_LENGTH;
/** Data unit identifier: type, variable structure qualifier, cause (2), common address (2) (104 §9). */
export const ASDU_HEADER_LENGTH = 6;
/** Information object address: 3 octets in 104 (104 §9). */
export const IOA_LENGTH = 3;
/** Information objects per ASDU: the 7-bit number field of the VSQ (101 §7.2.2). */
export const MAX_OBJECTS = VSQ_COUNT_MASK;
/**
 * Addresses an event lists in `iec104.ioa`. An ASDU may carry 127 objects (a general interrogation
 * answer often does); the event keeps the first ones, and `iec104.count` says how many there were,
 * so events stay small.
 */
export const MAX_IOAS_IN_EVENT = 16;
/** A violation that consumed this many bytes lost the framing: skip one byte and look for 0x68. */
export const LOST_FRAMING = 1;

export type ApciType = 'I' | 'S' | 'U';

/** The event record of one APDU. Keys are the public dotted names (DESIGN.md "Names"). */
export type Iec104Message = {
  'iec104.apci_type': ApciType;
  /** U format: STARTDT_ACT ... TESTFR_CON. */
  'iec104.u_func': string | null;
  /** I format: N(S), the send sequence number. */
  'iec104.send_seq': number | null;
  /** I and S formats: N(R), the receive sequence number (acknowledges up to N(R) - 1). */
  'iec104.recv_seq': number | null;
  /** I format: the type identification by name (M_SP_NA_1, C_SC_NA_1, UNKNOWN-200). */
  'iec104.type_id': string | null;
  'iec104.type_code': number | null;
  /** Variable structure qualifier: SQ (one address for consecutive objects) and the number of objects. */
  'iec104.sq': boolean | null;
  'iec104.count': number | null;
  /** Cause of transmission by name (ACT, ACTCON, SPONT, INROGEN). */
  'iec104.cot': string | null;
  /** P/N bit: negative confirmation. */
  'iec104.negative': boolean | null;
  /** T bit: test, not to be executed. */
  'iec104.test': boolean | null;
  'iec104.originator': number | null;
  /** Common address of ASDU: the station (or the logical part of it) addressed. */
  'iec104.common_address': number | null;
  /** Information object addresses, the first MAX_IOAS_IN_EVENT. */
  'iec104.ioa': number[] | null;
  'iec104.operation': Operation;
  /** Commands with an S/E bit (single, double, regulating step, set points): true select, false execute. */
  'iec104.select': boolean | null;
  /** First object's command state or value: SCS 0/1, DCS/RCS 0-3, set point value, bitstring. */
  'iec104.value': number | null;
  /** First object's qualifier: QU of commands, QL of set points, QOI, QCC, QRP, COI, QPM, QPA. */
  'iec104.qualifier': number | null;
};

/** A 16-bit field at `b[p]`, least significant octet first (IEC 60870-5-4 §6). */
function u16le(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

/** A 24-bit information object address at `b[p]`, least significant octet first. */
function u24le(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16);
}

function apciMessage(type: ApciType, operation: Operation): Iec104Message {
  return {
    'iec104.apci_type': type,
    'iec104.u_func': null,
    'iec104.send_seq': null,
    'iec104.recv_seq': null,
    'iec104.type_id': null,
    'iec104.type_code': null,
    'iec104.sq': null,
    'iec104.count': null,
    'iec104.cot': null,
    'iec104.negative': null,
    'iec104.test': null,
    'iec104.originator': null,
    'iec104.common_address': null,
    'iec104.ioa': null,
    'iec104.operation': operation,
    'iec104.select': null,
    'iec104.value': null,
    'iec104.qualifier': null,
  };
}

/**
 * Whether `b[p]` can start an APDU as far as the bytes present tell: the start byte, and a length
 * octet (when present) within MIN_APDU_LENGTH..MAX_APDU_LENGTH. Used when resynchronising.
 */
export function looksLikeStart(b: Uint8Array, p: number): boolean {
  if (b[p] !== START_BYTE) return false;
  if (p + 1 >= b.length) return true;
  const length = b[p + 1];
  return length >= MIN_APDU_LENGTH && length <= MAX_APDU_LENGTH;
}

/**
 * Parses the APDU at `buf[offset]`. `incomplete.needed` is how many bytes beyond those available
 * the frame still needs. A violation consuming LOST_FRAMING bytes means the start byte or length
 * octet is wrong (framing lost); any other violation consumed the whole frame its length octet
 * announced (the framing held, the content did not).
 */
export function parseApdu(buf: Uint8Array, offset: number): ParseResult<Iec104Message> {
  const available = buf.length - offset;
  if (available < 1) return { kind: 'incomplete', needed: FRAME_HEADER_LENGTH };
  if (buf[offset] !== START_BYTE) {
    return {
      kind: 'violation',
      consumed: LOST_FRAMING,
      reason: `expected start byte 0x68, found 0x${hex2(buf[offset])}`,
    };
  }
  if (available < FRAME_HEADER_LENGTH) return { kind: 'incomplete', needed: 1 };
  const length = buf[offset + 1];
  if (length < MIN_APDU_LENGTH || length > MAX_APDU_LENGTH) {
    return {
      kind: 'violation',
      consumed: LOST_FRAMING,
      reason: `APDU length ${length} outside ${MIN_APDU_LENGTH}..${MAX_APDU_LENGTH}`,
    };
  }
  const total = FRAME_HEADER_LENGTH + length;
  if (available < total) return { kind: 'incomplete', needed: total - available };
  const result = parseBody(buf, offset + FRAME_HEADER_LENGTH, length);
  if (typeof result === 'string') return { kind: 'violation', consumed: total, reason: result };
  return { kind: 'ok', consumed: total, message: result };
}

/** The control field and ASDU: `n` bytes (the length octet) at `b[p]`. */
function parseBody(b: Uint8Array, p: number, n: number): Iec104Message | string {
  const c1 = b[p];
  if ((c1 & 0x01) === 0) return parseI(b, p, n);
  if ((c1 & 0x03) === 0x01) {
    // S format (104 §5.2, Figure 7): octet 1 = 0x01, octet 2 = 0, N(R) in octets 3-4.
    if (n !== CONTROL_FIELD_LENGTH) return `S-format APDU with length ${n}, must be 4`;
    if (c1 !== 0x01 || b[p + 1] !== 0) return 'S-format control octets 1-2 are not 0x01 0x00';
    if ((b[p + 2] & 0x01) !== 0) return 'S-format control octet 3 has bit 1 set';
    const m = apciMessage('S', 'other');
    m['iec104.recv_seq'] = u16le(b, p + 2) >>> 1;
    return m;
  }
  // U format (104 §5.3, Figure 8): exactly one function bit, octets 2-4 zero.
  if (n !== CONTROL_FIELD_LENGTH) return `U-format APDU with length ${n}, must be 4`;
  const func = U_FUNCTION_BY_OCTET[c1];
  if (func === null) return `U-format control octet 0x${hex2(c1)} is not one function`;
  if (b[p + 1] !== 0 || b[p + 2] !== 0 || b[p + 3] !== 0) return 'U-format control octets 2-4 are not zero';
  const m = apciMessage('U', U_FUNCTION_OPERATION[func]);
  m['iec104.u_func'] = func;
  return m;
}

/** I format (104 §5.1, Figure 6): N(S) in octets 1-2, N(R) in octets 3-4, then the ASDU. */
function parseI(b: Uint8Array, p: number, n: number): Iec104Message | string {
  if ((b[p + 2] & 0x01) !== 0) return 'I-format control octet 3 has bit 1 set';
  const asduLength = n - CONTROL_FIELD_LENGTH;
  if (asduLength < ASDU_HEADER_LENGTH) {
    return asduLength === 0
      ? 'I-format APDU without an ASDU'
      : `ASDU of ${asduLength} bytes is shorter than its ${ASDU_HEADER_LENGTH}-byte data unit identifier`;
  }
  const q = p + CONTROL_FIELD_LENGTH;
  const code = b[q];
  const vsq = b[q + 1];
  const count = vsq & VSQ_COUNT_MASK;
  const sq = (vsq & VSQ_SQ_BIT) !== 0;
  const cot = b[q + 2];
  const name = TYPE_NAME_BY_CODE[code];
  if (code === 0) return 'type identification 0 is not defined';
  if (count === 0) return `${name} with no information objects`;
  const objects = q + ASDU_HEADER_LENGTH;
  const end = p + n;
  const body = end - objects;
  const size = ELEMENT_SIZE_BY_CODE[code];
  if (size !== VARIABLE) {
    // 101 §7.2.2: SQ = 0, every object has its address; SQ = 1, one address then `count` sets.
    const expected = sq ? IOA_LENGTH + count * size : count * (IOA_LENGTH + size);
    if (body !== expected) {
      return `${name} with ${count} object${count === 1 ? '' : 's'}${sq ? ' (SQ)' : ''} needs ${expected} bytes after the data unit identifier, has ${body}`;
    }
  } else if (code === TYPE_IDS.F_SG_NA_1.code) {
    // 101 §7.3.6.6: one object; the length of segment says how many octets follow.
    if (count !== 1 || sq) return 'F_SG_NA_1 carries exactly one object';
    if (body < IOA_LENGTH + F_SG_FIXED_OCTETS) return 'F_SG_NA_1 shorter than its fixed fields';
    const los = b[objects + IOA_LENGTH + 3];
    if (body !== IOA_LENGTH + F_SG_FIXED_OCTETS + los) {
      return `F_SG_NA_1 segment length ${los} does not match the ${body - IOA_LENGTH - F_SG_FIXED_OCTETS} bytes present`;
    }
  } else if (body < IOA_LENGTH) {
    // Variable and unknown types are not checked beyond the first address.
    return `${name} without an information object address`;
  }

  const m = apciMessage('I', OPERATION_BY_CODE[code]);
  m['iec104.send_seq'] = u16le(b, p) >>> 1;
  m['iec104.recv_seq'] = u16le(b, p + 2) >>> 1;
  m['iec104.type_id'] = name;
  m['iec104.type_code'] = code;
  m['iec104.sq'] = sq;
  m['iec104.count'] = count;
  m['iec104.cot'] = CAUSE_NAME_BY_CODE[cot & COT_CAUSE_MASK];
  m['iec104.negative'] = (cot & COT_NEGATIVE_BIT) !== 0;
  m['iec104.test'] = (cot & COT_TEST_BIT) !== 0;
  m['iec104.originator'] = b[q + 3];
  m['iec104.common_address'] = u16le(b, q + 4);
  m['iec104.ioa'] = addresses(b, objects, count, sq, size);
  if (size !== VARIABLE) decodeValue(b, objects + IOA_LENGTH, size, code, m);
  return m;
}

/** The first MAX_IOAS_IN_EVENT addresses: consecutive from the one address when SQ is set. */
function addresses(b: Uint8Array, p: number, count: number, sq: boolean, size: number): number[] {
  const first = u24le(b, p);
  if (size === VARIABLE) return [first];
  const listed = Math.min(count, MAX_IOAS_IN_EVENT);
  const out = new Array<number>(listed);
  for (let i = 0; i < listed; i++) {
    // 101 §7.2.2: with SQ the objects follow the first address one by one (addresses wrap at 24 bits).
    out[i] = sq ? (first + i) & 0xffffff : u24le(b, p + i * (IOA_LENGTH + size));
  }
  return out;
}

/** The first object's command value, select bit and qualifier (101 §7.2.6, by element). */
function decodeValue(b: Uint8Array, p: number, size: number, code: number, m: Iec104Message): void {
  switch (VALUE_KIND_BY_CODE[code]) {
    case 'none':
      return;
    case 'sco': {
      const o = b[p];
      m['iec104.value'] = o & 0x01;
      m['iec104.qualifier'] = (o >> 2) & 0x1f;
      m['iec104.select'] = (o & SELECT_BIT) !== 0;
      return;
    }
    case 'dco':
    case 'rco': {
      const o = b[p];
      m['iec104.value'] = o & 0x03;
      m['iec104.qualifier'] = (o >> 2) & 0x1f;
      m['iec104.select'] = (o & SELECT_BIT) !== 0;
      return;
    }
    case 'nva_qos':
    case 'nva_qpm':
      // NVA: a fixed-point fraction, -1 to 1 - 2^-15, as a signed 16-bit integer (IEC 60870-5-4 §6.3).
      m['iec104.value'] = int16(b, p) / 32768;
      qualifierAfter(b, p + 2, code, m);
      return;
    case 'sva_qos':
    case 'sva_qpm':
      m['iec104.value'] = int16(b, p);
      qualifierAfter(b, p + 2, code, m);
      return;
    case 'float_qos':
    case 'float_qpm': {
      const v = new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, true);
      m['iec104.value'] = Number.isFinite(v) ? v : null;
      qualifierAfter(b, p + 4, code, m);
      return;
    }
    case 'bsi':
      m['iec104.value'] = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
      return;
    case 'qualifier':
      if (size >= 1) m['iec104.qualifier'] = b[p];
      return;
    case 'tsc':
      m['iec104.value'] = u16le(b, p);
      return;
  }
}

/** QOS (S/E bit 8, QL bits 1-7) after a set point; QPM (the whole octet) after a parameter. */
function qualifierAfter(b: Uint8Array, p: number, code: number, m: Iec104Message): void {
  const o = b[p];
  const kind = VALUE_KIND_BY_CODE[code];
  if (kind === 'nva_qos' || kind === 'sva_qos' || kind === 'float_qos') {
    m['iec104.qualifier'] = o & 0x7f;
    m['iec104.select'] = (o & SELECT_BIT) !== 0;
  } else {
    m['iec104.qualifier'] = o;
  }
}

function int16(b: Uint8Array, p: number): number {
  return (u16le(b, p) << 16) >> 16;
}

const HEX = '0123456789abcdef';
function hex2(v: number): string {
  return HEX[v >> 4] + HEX[v & 15];
}
