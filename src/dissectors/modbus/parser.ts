// Modbus/TCP ADU parser: one MBAP header and the PDU behind it, from the front of a buffer, into
// the public event record (STYLE.md 4 and 6). Pure: no state between calls, no copies of the
// input, never throws; it answers ok, incomplete (how many more bytes) or violation (how many
// bytes to skip). The session in dissector.ts does the buffering, pairing and resynchronising.
//
// MBAP header: MODBUS Messaging on TCP/IP Implementation Guide V1.0b §3.1.3. PDU layouts: MODBUS
// Application Protocol Specification V1.1b3 §6 (one subsection per function code), exception
// responses §7. Modbus is big-endian throughout (§4.2): 16-bit fields are read with u16be, two
// bytes of the Uint8Array shifted together. That reads what a big-endian DataView read would,
// without a view per buffer to look up or make on the per-message path.

import type { Direction, ParseResult } from '../types.ts';
import {
  CONFORMITY_LEVELS,
  DEVICE_ID_FIELDS,
  diagnosticSubfunctionName,
  diagnosticSubfunctionOperation,
  EXCEPTION_BIT,
  EXCEPTION_NAME_BY_CODE,
  FUNCTION_CODES as FC,
  FUNCTION_NAME_BY_BYTE,
  MEI_NAME_BY_CODE,
  MEI_TYPES,
  MORE_FOLLOWS,
  OPERATION_BY_FUNCTION,
  OPERATION_BY_MEI,
  type Operation,
  READ_DEVICE_ID_CODES,
  SPACE_BY_FUNCTION,
  type Space,
  UMAS_EXTENDED_FUNCTION_CODES,
  UMAS_FUNCTION_CODES,
  UMAS_FUNCTION_NAME_BY_CODE,
  UMAS_OPERATION_BY_CODE,
  UMAS_STATUS_CODES,
  UMAS_STATUS_NAME_BY_CODE,
  UMAS_VENDOR,
  VENDOR_FUNCTION_CODES,
} from './spec.ts';

// Limits, each from the specification. The PDU limit bounds everything else: no value array,
// string or sub-request list can outgrow the 253 bytes a PDU may hold.

/** MBAP header: transaction id (2), protocol id (2), length (2), unit id (1). Guide §3.1.3. */
export const MBAP_HEADER_LENGTH = 7;
/** The MBAP length field counts the bytes after itself: unit id and PDU. Guide §3.1.3. */
export const MBAP_LENGTH_FIELD_END = 6;
/** The smallest ADU: a header and a function code. */
export const MIN_ADU_LENGTH = MBAP_HEADER_LENGTH + 1;
/** Largest PDU: 256 bytes of serial ADU minus address and CRC (§4.1). */
export const MAX_PDU_LENGTH = 253;
/** Largest Modbus/TCP ADU: the PDU plus the 7-byte MBAP header (§4.1). */
export const MAX_ADU_LENGTH = MAX_PDU_LENGTH + MBAP_HEADER_LENGTH;
/** MBAP length bounds: unit id plus a function code at least, unit id plus the largest PDU at most. */
export const MIN_MBAP_LENGTH = 2;
export const MAX_MBAP_LENGTH = MAX_PDU_LENGTH + 1;
/** Protocol identifier 0 is Modbus (Guide §3.1.3); anything else is another protocol on the port. */
export const MODBUS_PROTOCOL_ID = 0;

/** Coils or discrete inputs per read (§6.1, §6.2: 1 to 2000, 0x7D0). */
export const MAX_READ_BITS = 2000;
/** Registers per read (§6.3, §6.4, and the read half of §6.17: 1 to 125, 0x7D). */
export const MAX_READ_REGISTERS = 125;
/** Coils per WRITE_MULTIPLE_COILS (§6.11: 1 to 1968, 0x7B0). */
export const MAX_WRITE_COILS = 1968;
/** Registers per WRITE_MULTIPLE_REGISTERS (§6.12: 1 to 123, 0x7B). */
export const MAX_WRITE_REGISTERS = 123;
/** Registers written by READ_WRITE_MULTIPLE_REGISTERS (§6.17: 1 to 121, 0x79). */
export const MAX_READ_WRITE_WRITE_REGISTERS = 121;
/** Registers a FIFO queue returns (§6.18: "up to 31"). */
export const MAX_FIFO_COUNT = 31;
/** Events in a GET_COMM_EVENT_LOG response (§6.10: 0 to 64). */
export const MAX_COMM_EVENTS = 64;
/** Status, event count and message count precede the events of GET_COMM_EVENT_LOG (§6.10). */
export const COMM_EVENT_LOG_FIXED_BYTES = 6;
/** A READ_FILE_RECORD sub-request: reference type, file number, record number, record length (§6.14). */
export const FILE_SUB_REQUEST_LENGTH = 7;
/** The only reference type file records have (§6.14, §6.15). */
export const FILE_REFERENCE_TYPE = 6;
/** Highest record number in a file (§6.14, §6.15: 0x0000 to 0x270F). */
export const MAX_RECORD_NUMBER = 0x270f;
/** WRITE_SINGLE_COIL values: ON and OFF are the only two (§6.5). */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;
/** Mei type, read device id code, conformity level, more follows, next object id, number of objects (§6.21). */
export const DEVICE_ID_RESPONSE_HEADER = 6;
/**
 * Most numbers `modbus.values` can hold: 2000 coil bits (§6.1). Every other function carries fewer
 * (125 registers, 31 FIFO entries), and the checks above reject anything that would exceed it.
 */
export const MAX_VALUES = MAX_READ_BITS;

// UMAS (function code 90; sources in spec.ts). Its fields are little-endian, unlike Modbus.

/** Session byte and UMAS function code (requests) or status byte (responses) after code 90. */
export const UMAS_HEADER_LENGTH = 2;
/** A signed request (0x38): a magic byte and a 32-byte signature precede the wrapped request. */
export const UMAS_SIGNATURE_PREFIX_LENGTH = 1 + 32;
/** The wrapped request inside a signed one starts with function code 90, session and function. */
export const UMAS_WRAPPED_HEADER_LENGTH = 3;
/**
 * READ_ID answer, after the status byte: range (2), hardware id (4), model number (2), three
 * version words (6), hardware version (2), crash code (4), 2 bytes no source names, then the
 * length of the CPU reference string at offset 22 and the string (packet-umas.c READ_ID;
 * modicon-info.nse reads the same length byte at TCP payload byte 33).
 */
export const UMAS_READ_ID_HARDWARE_ID_OFFSET = 2;
export const UMAS_READ_ID_NAME_LENGTH_OFFSET = 22;
/**
 * Longest CPU reference a READ_ID answer is trusted to carry. Schneider references are short
 * (`BMX P34 2020`, `BME P58 4040`); a longer or non-printable string means the bytes are not a
 * READ_ID answer, and no identity is taken from them.
 */
export const UMAS_MAX_MODEL_LENGTH = 64;

export type PduType = 'REQ' | 'RESP';

/** Fields every Modbus message carries. Keys are the public dotted names (DESIGN.md "Names"). */
export type ModbusCoreFields = {
  'modbus.tid': number;
  'modbus.unit': number;
  /** The function code without the exception bit: an exception to READ_COILS has 1. */
  'modbus.func_code': number;
  'modbus.func': string;
  'modbus.pdu_type': PduType;
  'modbus.exception': string | null;
  'modbus.operation': Operation;
  'modbus.space': Space | null;
  'modbus.address': number | null;
  'modbus.quantity': number | null;
  'modbus.values': number[] | null;
  'modbus.subfunction': string | null;
  'modbus.mei_type': string | null;
  /** Responses: a request with the same transaction id and function was seen. Null on requests. */
  'modbus.matched': boolean | null;
  /** Responses: seconds since the matching request. */
  'modbus.latency': number | null;
};

/** READ_WRITE_MULTIPLE_REGISTERS: address/quantity are the read range, these the write range (§6.17). */
export type ModbusReadWriteFields = ModbusCoreFields & {
  'modbus.write_address': number | null;
  'modbus.write_quantity': number | null;
};

/** MASK_WRITE_REGISTER: result = (current AND and_mask) OR (or_mask AND NOT and_mask) (§6.16). */
export type ModbusMaskWriteFields = ModbusCoreFields & {
  'modbus.and_mask': number;
  'modbus.or_mask': number;
};

/** READ/WRITE_FILE_RECORD: one entry per sub-request, in order (§6.14, §6.15). */
export type ModbusFileRecordFields = ModbusCoreFields & {
  'modbus.file_numbers': number[] | null;
  'modbus.record_numbers': number[] | null;
  /** Registers per sub-request. */
  'modbus.record_lengths': number[];
};

/** READ_DEVICE_IDENTIFICATION request (§6.21). */
export type ModbusDeviceIdRequestFields = ModbusCoreFields & {
  'modbus.device_id.read_code': string;
  'modbus.device_id.object_id': number;
};

/** READ_DEVICE_IDENTIFICATION response (§6.21): the header and the basic and regular objects. */
export type ModbusDeviceIdResponseFields = ModbusCoreFields & {
  'modbus.device_id.read_code': string;
  'modbus.device_id.conformity_level': string;
  'modbus.device_id.more_follows': boolean;
  'modbus.device_id.next_object_id': number;
  'modbus.device_id.vendor_name': string | null;
  'modbus.device_id.product_code': string | null;
  'modbus.device_id.revision': string | null;
  'modbus.device_id.vendor_url': string | null;
  'modbus.device_id.product_name': string | null;
  'modbus.device_id.model_name': string | null;
  'modbus.device_id.user_application_name': string | null;
};

/**
 * A Schneider UMAS message (function code 90). A response carries only a status byte, so its
 * UMAS function, operation and signed flag come from the request it answers (the session fills
 * them in when pairing). The identity fields are set on READ_ID answers only.
 */
export type ModbusUmasFields = ModbusCoreFields & {
  'modbus.umas.session': number;
  'modbus.umas.func_code': number | null;
  'modbus.umas.func': string | null;
  /** Responses: `OK` (0xFE), `ERROR` (0xFD), else `UNKNOWN-<n>`; null on requests. */
  'modbus.umas.status': string | null;
  /** The request was wrapped in a signed message (0x38) and the function is the wrapped one. */
  'modbus.umas.signed': boolean;
  /** READ_ID answer: the PLC's 32-bit hardware id. */
  'modbus.umas.hardware_id': number | null;
  'modbus.device.vendor': string | null;
  'modbus.device.model': string | null;
};

/** One decoded ADU: the record the dissector hands to the pipeline as the event's fields. */
export type ModbusMessage =
  | ModbusCoreFields
  | ModbusReadWriteFields
  | ModbusMaskWriteFields
  | ModbusFileRecordFields
  | ModbusDeviceIdRequestFields
  | ModbusDeviceIdResponseFields
  | ModbusUmasFields;

const PDU_TYPES: readonly PduType[] = ['REQ', 'RESP'];
const READ_DEVICE_ID_CODE_NAMES = nameTable(READ_DEVICE_ID_CODES);
const CONFORMITY_LEVEL_NAMES = nameTable(CONFORMITY_LEVELS);

function nameTable(table: Record<string, number>): Map<number, string> {
  return new Map(Object.entries(table).map(([name, code]) => [code, name]));
}

/** Violation results whose framing is lost: skip one byte and look for the next header. */
const LOST_FRAMING = 1;

/** A 16-bit field at `b[p]`: Modbus is big-endian throughout (§4.2, Guide §3.1.3). */
function u16be(b: Uint8Array, p: number): number {
  return (b[p] << 8) | b[p + 1];
}

/**
 * Parses the ADU at `buf[offset]`. `dir` 0 parses a request (client to server), 1 a response.
 * `incomplete.needed` is how many bytes beyond those available the ADU (or its header) still
 * needs. A violation that consumes 1 byte means the MBAP header itself is not Modbus (framing is
 * lost); any other violation consumes the whole ADU its header announced.
 */
export function parseAdu(buf: Uint8Array, offset: number, dir: Direction): ParseResult<ModbusMessage> {
  const available = buf.length - offset;
  if (available < MIN_ADU_LENGTH) return partialHeader(buf, offset, available);
  const protocolId = u16be(buf, offset + 2);
  if (protocolId !== MODBUS_PROTOCOL_ID) return badProtocolId(protocolId);
  const length = u16be(buf, offset + 4);
  if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) return badLength(length);
  const total = MBAP_LENGTH_FIELD_END + length;
  if (available < total) return { kind: 'incomplete', needed: total - available };
  const result = parsePdu(buf, offset, total, dir);
  if (typeof result === 'string') return { kind: 'violation', consumed: total, reason: result };
  return { kind: 'ok', consumed: total, message: result };
}

/**
 * Length of the ADU at `buf[offset]` when all of it is in `buf` and its MBAP header frames as
 * Modbus (protocol id 0, a length §4.1 allows); 0 otherwise, when parseAdu says what is wrong or
 * missing. The session's fast path: with it, a whole ADU goes to parsePdu without a result object.
 */
export function completeAduLength(buf: Uint8Array, offset: number): number {
  const available = buf.length - offset;
  if (available < MIN_ADU_LENGTH || u16be(buf, offset + 2) !== MODBUS_PROTOCOL_ID) return 0;
  const length = u16be(buf, offset + 4);
  if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) return 0;
  const total = MBAP_LENGTH_FIELD_END + length;
  return available < total ? 0 : total;
}

/**
 * The message in the `total`-byte ADU at `buf[offset]`, whose header parseAdu or
 * completeAduLength has checked and whose bytes are all in `buf`; or why its PDU is a violation.
 * Every read is bounds-checked against the ADU before it happens (and a Uint8Array read out of
 * range would return undefined rather than throw).
 */
export function parsePdu(
  buf: Uint8Array,
  offset: number,
  total: number,
  dir: Direction,
): ModbusMessage | string {
  const tid = u16be(buf, offset);
  const unit = buf[offset + 6];
  const fc = buf[offset + MBAP_HEADER_LENGTH];
  try {
    return dir === 0
      ? request(buf, offset + MIN_ADU_LENGTH, offset + total, tid, unit, fc)
      : response(buf, offset + MIN_ADU_LENGTH, offset + total, tid, unit, fc);
  } catch (e) {
    // Nothing above throws; this is the net under that promise, so that a parser bug becomes a
    // reported violation instead of a crashed capture pipeline. It costs nothing measurable.
    return `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Fewer than 8 bytes: decide what the visible part of the header already rules out. */
function partialHeader(buf: Uint8Array, offset: number, available: number): ParseResult<ModbusMessage> {
  if (available >= 4) {
    const protocolId = (buf[offset + 2] << 8) | buf[offset + 3]; // big-endian (§4.2)
    if (protocolId !== MODBUS_PROTOCOL_ID) return badProtocolId(protocolId);
  }
  if (available >= MBAP_LENGTH_FIELD_END) {
    const length = (buf[offset + 4] << 8) | buf[offset + 5]; // big-endian (§4.2)
    if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) return badLength(length);
    return { kind: 'incomplete', needed: MBAP_LENGTH_FIELD_END + length - available };
  }
  return { kind: 'incomplete', needed: MIN_ADU_LENGTH - available };
}

function badProtocolId(protocolId: number): ParseResult<ModbusMessage> {
  return {
    kind: 'violation',
    consumed: LOST_FRAMING,
    reason: `MBAP protocol identifier ${protocolId} is not 0`,
  };
}

function badLength(length: number): ParseResult<ModbusMessage> {
  return {
    kind: 'violation',
    consumed: LOST_FRAMING,
    reason: `MBAP length ${length} outside ${MIN_MBAP_LENGTH}..${MAX_MBAP_LENGTH}`,
  };
}

/**
 * True when 8 bytes at `offset` could start an ADU in direction `dir`: protocol id 0, a length the
 * spec allows, and a function code that can travel that way. The session's resynchronisation scan.
 */
export function looksLikeHeader(buf: Uint8Array, offset: number, dir: Direction): boolean {
  if (buf.length - offset < MIN_ADU_LENGTH) return false;
  if (buf[offset + 2] !== 0 || buf[offset + 3] !== 0) return false;
  const length = (buf[offset + 4] << 8) | buf[offset + 5]; // big-endian (§4.2)
  if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) return false;
  const fc = buf[offset + MBAP_HEADER_LENGTH];
  return dir === 0 ? fc !== 0 && fc < EXCEPTION_BIT : (fc & ~EXCEPTION_BIT) !== 0;
}

/** Header fields of the ADU at `offset` when its framing is sound, for violation events. */
export function headerFields(
  buf: Uint8Array,
  offset: number,
  dir: Direction,
): ModbusHeaderFields | undefined {
  if (buf.length - offset < MIN_ADU_LENGTH || !framingSound(buf, offset)) return undefined;
  const fc = buf[offset + MBAP_HEADER_LENGTH];
  return {
    'modbus.tid': (buf[offset] << 8) | buf[offset + 1], // big-endian (§4.2)
    'modbus.unit': buf[offset + 6],
    'modbus.func_code': fc & ~EXCEPTION_BIT,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': PDU_TYPES[dir],
  };
}

export type ModbusHeaderFields = Pick<
  ModbusCoreFields,
  'modbus.tid' | 'modbus.unit' | 'modbus.func_code' | 'modbus.func' | 'modbus.pdu_type'
>;

function framingSound(buf: Uint8Array, offset: number): boolean {
  const length = (buf[offset + 4] << 8) | buf[offset + 5]; // big-endian (§4.2)
  return (
    buf[offset + 2] === 0 && buf[offset + 3] === 0 && length >= MIN_MBAP_LENGTH && length <= MAX_MBAP_LENGTH
  );
}

// Message construction. Each record type is built by one object literal with all of its keys, the
// core keys first and always in the same order: every message of a type then shares one hidden
// class, and the session's property accesses stay monomorphic (a spread or a later added key
// would make a new hidden class per source and turn them megamorphic). Fields a later step fills
// in (exception, sub-function, MEI type, matched, latency) are already there, as null.

function message(
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
  operation: Operation,
  address: number | null,
  quantity: number | null,
  values: number[] | null,
): ModbusCoreFields {
  return {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc & ~EXCEPTION_BIT,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': pduType,
    'modbus.exception': null,
    'modbus.operation': operation,
    'modbus.space': SPACE_BY_FUNCTION[fc & ~EXCEPTION_BIT],
    'modbus.address': address,
    'modbus.quantity': quantity,
    'modbus.values': values,
    'modbus.subfunction': null,
    'modbus.mei_type': null,
    'modbus.matched': null,
    'modbus.latency': null,
  };
}

/** READ_WRITE_MULTIPLE_REGISTERS (§6.17): address and quantity are the read range. */
function readWriteMessage(
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
  address: number | null,
  quantity: number | null,
  values: number[],
  writeAddress: number | null,
  writeQuantity: number | null,
): ModbusReadWriteFields {
  return {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': pduType,
    'modbus.exception': null,
    'modbus.operation': OPERATION_BY_FUNCTION[fc],
    'modbus.space': SPACE_BY_FUNCTION[fc],
    'modbus.address': address,
    'modbus.quantity': quantity,
    'modbus.values': values,
    'modbus.subfunction': null,
    'modbus.mei_type': null,
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.write_address': writeAddress,
    'modbus.write_quantity': writeQuantity,
  };
}

function fail(fc: number, pduType: PduType, text: string): string {
  return `${FUNCTION_NAME_BY_BYTE[fc]} ${pduType === 'REQ' ? 'request' : 'response'}: ${text}`;
}

function wrongSize(fc: number, pduType: PduType, actual: number, expected: number): string {
  return fail(fc, pduType, `${actual} data bytes, expected ${expected}`);
}

// Value arrays are allocated at their final size and filled by index: growing them by push
// would allocate and copy a backing store two or three times per message.

/** Coils and discrete inputs are packed LSB first, the first addressed bit in bit 0 of byte 0 (§6.1). */
function bits(b: Uint8Array, p: number, count: number): number[] {
  const out = new Array<number>(count);
  const whole = count & ~7;
  let i = 0;
  for (; i < whole; i += 8) {
    const byte = b[p + (i >> 3)];
    out[i] = byte & 1;
    out[i + 1] = (byte >> 1) & 1;
    out[i + 2] = (byte >> 2) & 1;
    out[i + 3] = (byte >> 3) & 1;
    out[i + 4] = (byte >> 4) & 1;
    out[i + 5] = (byte >> 5) & 1;
    out[i + 6] = (byte >> 6) & 1;
    out[i + 7] = byte >> 7;
  }
  for (; i < count; i++) out[i] = (b[p + (i >> 3)] >> (i & 7)) & 1;
  return out;
}

function registers(b: Uint8Array, p: number, count: number): number[] {
  const out = new Array<number>(count);
  // Two registers per iteration: V8 repeats its type checks on every pass of the loop.
  let i = 0;
  let q = p;
  for (; i + 1 < count; i += 2, q += 4) {
    out[i] = (b[q] << 8) | b[q + 1]; // big-endian (§4.2)
    out[i + 1] = (b[q + 2] << 8) | b[q + 3];
  }
  if (i < count) out[i] = (b[q] << 8) | b[q + 1];
  return out;
}

// Requests (client to server). `p` is the first byte after the function code, `end` the end of
// the ADU; both positions in `b`.

function request(
  b: Uint8Array,
  p: number,
  end: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  const n = end - p;
  const operation = fc < EXCEPTION_BIT ? OPERATION_BY_FUNCTION[fc] : 'other';
  switch (fc) {
    case FC.READ_COILS: // §6.1
    case FC.READ_DISCRETE_INPUTS: // §6.2
    case FC.READ_HOLDING_REGISTERS: // §6.3
    case FC.READ_INPUT_REGISTERS: {
      // §6.4
      if (n !== 4) return wrongSize(fc, 'REQ', n, 4);
      const address = u16be(b, p);
      const quantity = u16be(b, p + 2);
      const max = fc <= FC.READ_DISCRETE_INPUTS ? MAX_READ_BITS : MAX_READ_REGISTERS;
      if (quantity < 1 || quantity > max) return fail(fc, 'REQ', `quantity ${quantity} outside 1..${max}`);
      return message(tid, unit, fc, 'REQ', operation, address, quantity, null);
    }
    case FC.WRITE_SINGLE_COIL:
    case FC.WRITE_SINGLE_REGISTER:
      return writeSingle(b, p, n, tid, unit, fc, 'REQ');
    case FC.READ_EXCEPTION_STATUS: // §6.7
    case FC.GET_COMM_EVENT_COUNTER: // §6.9
    case FC.GET_COMM_EVENT_LOG: // §6.10
    case FC.REPORT_SLAVE_ID: // §6.13
      // These requests are the function code alone.
      if (n !== 0) return wrongSize(fc, 'REQ', n, 0);
      return message(tid, unit, fc, 'REQ', operation, null, null, null);
    case FC.DIAGNOSTICS:
      return diagnostics(b, p, n, tid, unit, fc, 'REQ');
    case FC.WRITE_MULTIPLE_COILS: {
      // §6.11: address, quantity, byte count, packed coils
      if (n < 5) return wrongSize(fc, 'REQ', n, 5);
      const address = u16be(b, p);
      const quantity = u16be(b, p + 2);
      if (quantity < 1 || quantity > MAX_WRITE_COILS) {
        return fail(fc, 'REQ', `quantity ${quantity} outside 1..${MAX_WRITE_COILS}`);
      }
      const byteCount = b[p + 4];
      const expected = (quantity + 7) >> 3;
      if (byteCount !== expected) {
        return fail(fc, 'REQ', `byte count ${byteCount} does not match quantity ${quantity} (${expected})`);
      }
      if (n !== 5 + byteCount) return wrongSize(fc, 'REQ', n, 5 + byteCount);
      return message(tid, unit, fc, 'REQ', operation, address, quantity, bits(b, p + 5, quantity));
    }
    case FC.WRITE_MULTIPLE_REGISTERS: {
      // §6.12: address, quantity, byte count, registers
      if (n < 5) return wrongSize(fc, 'REQ', n, 5);
      const address = u16be(b, p);
      const quantity = u16be(b, p + 2);
      if (quantity < 1 || quantity > MAX_WRITE_REGISTERS) {
        return fail(fc, 'REQ', `quantity ${quantity} outside 1..${MAX_WRITE_REGISTERS}`);
      }
      const byteCount = b[p + 4];
      if (byteCount !== 2 * quantity) {
        return fail(
          fc,
          'REQ',
          `byte count ${byteCount} does not match quantity ${quantity} (${2 * quantity})`,
        );
      }
      if (n !== 5 + byteCount) return wrongSize(fc, 'REQ', n, 5 + byteCount);
      return message(tid, unit, fc, 'REQ', operation, address, quantity, registers(b, p + 5, quantity));
    }
    case FC.READ_FILE_RECORD:
      return readFileRecordRequest(b, p, n, tid, unit, fc);
    case FC.WRITE_FILE_RECORD:
      return writeFileRecord(b, p, n, tid, unit, fc, 'REQ');
    case FC.MASK_WRITE_REGISTER:
      return maskWrite(b, p, n, tid, unit, fc, 'REQ');
    case FC.READ_WRITE_MULTIPLE_REGISTERS: {
      // §6.17: read address, read quantity, write address, write quantity, byte count, registers
      if (n < 9) return wrongSize(fc, 'REQ', n, 9);
      const readAddress = u16be(b, p);
      const readQuantity = u16be(b, p + 2);
      const writeAddress = u16be(b, p + 4);
      const writeQuantity = u16be(b, p + 6);
      const byteCount = b[p + 8];
      if (readQuantity < 1 || readQuantity > MAX_READ_REGISTERS) {
        return fail(fc, 'REQ', `read quantity ${readQuantity} outside 1..${MAX_READ_REGISTERS}`);
      }
      if (writeQuantity < 1 || writeQuantity > MAX_READ_WRITE_WRITE_REGISTERS) {
        return fail(
          fc,
          'REQ',
          `write quantity ${writeQuantity} outside 1..${MAX_READ_WRITE_WRITE_REGISTERS}`,
        );
      }
      if (byteCount !== 2 * writeQuantity) {
        return fail(fc, 'REQ', `byte count ${byteCount} does not match write quantity ${writeQuantity}`);
      }
      if (n !== 9 + byteCount) return wrongSize(fc, 'REQ', n, 9 + byteCount);
      const written = registers(b, p + 9, writeQuantity);
      return readWriteMessage(
        tid,
        unit,
        fc,
        'REQ',
        readAddress,
        readQuantity,
        written,
        writeAddress,
        writeQuantity,
      );
    }
    case FC.READ_FIFO_QUEUE:
      // §6.18: the FIFO pointer address alone
      if (n !== 2) return wrongSize(fc, 'REQ', n, 2);
      return message(tid, unit, fc, 'REQ', operation, u16be(b, p), null, null);
    case FC.ENCAP_INTERFACE_TRANSPORT:
      return encapsulatedRequest(b, p, n, tid, unit, fc);
    default:
      // Function code 0 is invalid (§4.1) and codes with bit 7 set are exception responses (§7),
      // which only servers send. Any other code is a function this parser does not know the layout
      // of (user-defined 65-72 and 100-110, vendor codes): still a message, its data not decoded.
      if (fc === VENDOR_FUNCTION_CODES.PROGRAM_UNITY) return umasRequest(b, p, n, tid, unit, fc);
      if (fc === 0) return 'function code 0 is not valid';
      if (fc >= EXCEPTION_BIT) return `function code ${fc} has the exception bit set in a request`;
      return message(tid, unit, fc, 'REQ', operation, null, null, null);
  }
}

// Responses (server to client).

function response(
  b: Uint8Array,
  p: number,
  end: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  const n = end - p;
  if (fc >= EXCEPTION_BIT) return exception(b, p, n, tid, unit, fc);
  const operation = OPERATION_BY_FUNCTION[fc];
  switch (fc) {
    case FC.READ_COILS: // §6.1
    case FC.READ_DISCRETE_INPUTS: {
      // §6.2: byte count, packed bits. Which bits are padding only the request's quantity says; the
      // session trims them when it pairs the two.
      if (n < 1) return wrongSize(fc, 'RESP', n, 1);
      const byteCount = b[p];
      if (byteCount > MAX_READ_BITS / 8)
        return fail(fc, 'RESP', `byte count ${byteCount} above ${MAX_READ_BITS / 8}`);
      if (n !== 1 + byteCount) return wrongSize(fc, 'RESP', n, 1 + byteCount);
      return message(tid, unit, fc, 'RESP', operation, null, null, bits(b, p + 1, byteCount * 8));
    }
    case FC.READ_HOLDING_REGISTERS: // §6.3
    case FC.READ_INPUT_REGISTERS: // §6.4
    case FC.READ_WRITE_MULTIPLE_REGISTERS: {
      // §6.17: byte count, registers read
      if (n < 1) return wrongSize(fc, 'RESP', n, 1);
      const byteCount = b[p];
      if (byteCount % 2 !== 0 || byteCount > 2 * MAX_READ_REGISTERS) {
        return fail(fc, 'RESP', `byte count ${byteCount} is not 2 x 0..${MAX_READ_REGISTERS} registers`);
      }
      if (n !== 1 + byteCount) return wrongSize(fc, 'RESP', n, 1 + byteCount);
      const values = registers(b, p + 1, byteCount >> 1);
      if (fc !== FC.READ_WRITE_MULTIPLE_REGISTERS)
        return message(tid, unit, fc, 'RESP', operation, null, null, values);
      return readWriteMessage(tid, unit, fc, 'RESP', null, null, values, null, null);
    }
    case FC.WRITE_SINGLE_COIL:
    case FC.WRITE_SINGLE_REGISTER:
      return writeSingle(b, p, n, tid, unit, fc, 'RESP');
    case FC.READ_EXCEPTION_STATUS:
      // §6.7: one byte, the eight exception status outputs
      if (n !== 1) return wrongSize(fc, 'RESP', n, 1);
      return message(tid, unit, fc, 'RESP', operation, null, null, [b[p]]);
    case FC.DIAGNOSTICS:
      return diagnostics(b, p, n, tid, unit, fc, 'RESP');
    case FC.GET_COMM_EVENT_COUNTER:
      // §6.9: status word, event count
      if (n !== 4) return wrongSize(fc, 'RESP', n, 4);
      return message(tid, unit, fc, 'RESP', operation, null, null, registers(b, p, 2));
    case FC.GET_COMM_EVENT_LOG: {
      // §6.10: byte count, status, event count, message count, then 0-64 event bytes
      if (n < 1) return wrongSize(fc, 'RESP', n, 1);
      const byteCount = b[p];
      if (
        byteCount < COMM_EVENT_LOG_FIXED_BYTES ||
        byteCount > COMM_EVENT_LOG_FIXED_BYTES + MAX_COMM_EVENTS
      ) {
        return fail(
          fc,
          'RESP',
          `byte count ${byteCount} outside 6..${COMM_EVENT_LOG_FIXED_BYTES + MAX_COMM_EVENTS}`,
        );
      }
      if (n !== 1 + byteCount) return wrongSize(fc, 'RESP', n, 1 + byteCount);
      return message(tid, unit, fc, 'RESP', operation, null, null, registers(b, p + 1, 3));
    }
    case FC.WRITE_MULTIPLE_COILS: // §6.11
    case FC.WRITE_MULTIPLE_REGISTERS: {
      // §6.12: the address and quantity written, echoed
      if (n !== 4) return wrongSize(fc, 'RESP', n, 4);
      const quantity = u16be(b, p + 2);
      const max = fc === FC.WRITE_MULTIPLE_COILS ? MAX_WRITE_COILS : MAX_WRITE_REGISTERS;
      if (quantity < 1 || quantity > max) return fail(fc, 'RESP', `quantity ${quantity} outside 1..${max}`);
      return message(tid, unit, fc, 'RESP', operation, u16be(b, p), quantity, null);
    }
    case FC.REPORT_SLAVE_ID: {
      // §6.13: byte count, then a device-specific server id, run indicator and additional data
      // whose boundaries only the vendor knows; the framing is checked, the content is not decoded.
      if (n < 1) return wrongSize(fc, 'RESP', n, 1);
      const byteCount = b[p];
      if (n !== 1 + byteCount) return wrongSize(fc, 'RESP', n, 1 + byteCount);
      return message(tid, unit, fc, 'RESP', operation, null, null, null);
    }
    case FC.READ_FILE_RECORD:
      return readFileRecordResponse(b, p, n, tid, unit, fc);
    case FC.WRITE_FILE_RECORD:
      // §6.15: "The normal response is an echo of the request."
      return writeFileRecord(b, p, n, tid, unit, fc, 'RESP');
    case FC.MASK_WRITE_REGISTER:
      return maskWrite(b, p, n, tid, unit, fc, 'RESP');
    case FC.READ_FIFO_QUEUE: {
      // §6.18: byte count (2 bytes, counting the FIFO count too), FIFO count, registers
      if (n < 4) return wrongSize(fc, 'RESP', n, 4);
      const byteCount = u16be(b, p);
      const count = u16be(b, p + 2);
      if (count > MAX_FIFO_COUNT) return fail(fc, 'RESP', `FIFO count ${count} above ${MAX_FIFO_COUNT}`);
      if (byteCount !== 2 + 2 * count) {
        return fail(
          fc,
          'RESP',
          `byte count ${byteCount} does not match FIFO count ${count} (${2 + 2 * count})`,
        );
      }
      if (n !== 2 + byteCount) return wrongSize(fc, 'RESP', n, 2 + byteCount);
      return message(tid, unit, fc, 'RESP', operation, null, count, registers(b, p + 4, count));
    }
    case FC.ENCAP_INTERFACE_TRANSPORT:
      return encapsulatedResponse(b, p, n, tid, unit, fc);
    default:
      if (fc === VENDOR_FUNCTION_CODES.PROGRAM_UNITY) return umasResponse(b, p, n, tid, unit, fc);
      if (fc === 0) return 'function code 0 is not valid';
      return message(tid, unit, fc, 'RESP', operation, null, null, null);
  }
}

// Schneider UMAS (function code 90), sources in spec.ts. Only this branch reads UMAS; the public
// function codes never reach it.

const UMAS_SIGNED = UMAS_EXTENDED_FUNCTION_CODES.UMAS_RESERVED;

function umasMessage(
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
  operation: Operation,
  session: number,
  code: number | null,
  status: string | null,
  signed: boolean,
): ModbusUmasFields {
  return {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': pduType,
    'modbus.exception': null,
    'modbus.operation': operation,
    'modbus.space': null,
    'modbus.address': null,
    'modbus.quantity': null,
    'modbus.values': null,
    'modbus.subfunction': null,
    'modbus.mei_type': null,
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.umas.session': session,
    'modbus.umas.func_code': code,
    'modbus.umas.func': code === null ? null : UMAS_FUNCTION_NAME_BY_CODE[code],
    'modbus.umas.status': status,
    'modbus.umas.signed': signed,
    'modbus.umas.hardware_id': null,
    'modbus.device.vendor': null,
    'modbus.device.model': null,
  };
}

/** Session byte, UMAS function code, data; a signed request (0x38) is unwrapped to the one inside. */
function umasRequest(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < UMAS_HEADER_LENGTH)
    return fail(fc, 'REQ', `${n} data bytes, expected at least ${UMAS_HEADER_LENGTH}`);
  let code = b[p + 1];
  const signed = code === UMAS_SIGNED;
  if (signed) {
    const q = p + UMAS_HEADER_LENGTH + UMAS_SIGNATURE_PREFIX_LENGTH;
    // Without the whole wrapped header the message stays UMAS_RESERVED: recognised, not unwrapped.
    if (q + UMAS_WRAPPED_HEADER_LENGTH <= p + n && b[q] === VENDOR_FUNCTION_CODES.PROGRAM_UNITY)
      code = b[q + 2];
  }
  return umasMessage(tid, unit, fc, 'REQ', UMAS_OPERATION_BY_CODE[code], b[p], code, null, signed);
}

/**
 * Session byte, status, data. Which function the response answers is known only from its request,
 * so the operation is `other` until the session pairs the two. The data of a success is read as a
 * READ_ID answer when it has that shape; the session keeps the identity only if the request it
 * answers was READ_ID (a parser alone cannot know).
 */
function umasResponse(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < UMAS_HEADER_LENGTH)
    return fail(fc, 'RESP', `${n} data bytes, expected at least ${UMAS_HEADER_LENGTH}`);
  const status = b[p + 1];
  const m = umasMessage(tid, unit, fc, 'RESP', 'other', b[p], null, UMAS_STATUS_NAME_BY_CODE[status], false);
  if (status === UMAS_STATUS_CODES.ERROR) {
    // The errorField of the descriptor: an error answer is an error, whatever the protocol layer.
    m['modbus.exception'] = UMAS_ERROR;
  } else if (status === UMAS_STATUS_CODES.OK) {
    readIdIdentity(b, p + UMAS_HEADER_LENGTH, n - UMAS_HEADER_LENGTH, m);
  }
  return m;
}

/** What `modbus.exception` says on a UMAS error answer (status 0xFD). */
export const UMAS_ERROR = 'UMAS_ERROR';

/** Fills the identity fields when `data` (n bytes at b[q]) has the shape of a READ_ID answer. */
function readIdIdentity(b: Uint8Array, q: number, n: number, m: ModbusUmasFields): void {
  if (n <= UMAS_READ_ID_NAME_LENGTH_OFFSET) return;
  const length = b[q + UMAS_READ_ID_NAME_LENGTH_OFFSET];
  const start = q + UMAS_READ_ID_NAME_LENGTH_OFFSET + 1;
  if (length === 0 || length > UMAS_MAX_MODEL_LENGTH || start + length > q + n) return;
  // The reference may be NUL-terminated or padded; what is left must be printable ASCII.
  let end = length;
  while (end > 0 && (b[start + end - 1] === 0 || b[start + end - 1] === 0x20)) end--;
  if (end === 0) return;
  for (let i = 0; i < end; i++) {
    const c = b[start + i];
    if (c < 0x20 || c > 0x7e) return;
  }
  const h = q + UMAS_READ_ID_HARDWARE_ID_OFFSET;
  // Little-endian, as every multi-byte UMAS field; >>> 0 keeps the top bit unsigned.
  m['modbus.umas.hardware_id'] = (b[h] | (b[h + 1] << 8) | (b[h + 2] << 16) | (b[h + 3] << 24)) >>> 0;
  m['modbus.device.vendor'] = UMAS_VENDOR;
  m['modbus.device.model'] = ascii(b, start, end);
}

/** The READ_ID function code, for the session's pairing. */
export const UMAS_READ_ID = UMAS_FUNCTION_CODES.READ_ID;

/** §7: function code with bit 7 set, then one exception code byte. */
function exception(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  const original = fc & ~EXCEPTION_BIT;
  if (original === 0) return 'exception response to function code 0, which is not valid';
  if (n !== 1) return wrongSize(fc, 'RESP', n, 1);
  const m = message(tid, unit, fc, 'RESP', OPERATION_BY_FUNCTION[original], null, null, null);
  m['modbus.exception'] = EXCEPTION_NAME_BY_CODE[b[p]];
  return m;
}

/** §6.5, §6.6: address and value; the response echoes the request. */
function writeSingle(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
): ModbusMessage | string {
  if (n !== 4) return wrongSize(fc, pduType, n, 4);
  const address = u16be(b, p);
  const value = u16be(b, p + 2);
  if (fc === FC.WRITE_SINGLE_REGISTER) {
    return message(tid, unit, fc, pduType, OPERATION_BY_FUNCTION[fc], address, 1, [value]);
  }
  // §6.5: 0xFF00 requests ON, 0x0000 OFF; "all other values are illegal".
  if (value !== COIL_ON && value !== COIL_OFF) {
    return fail(fc, pduType, `value 0x${value.toString(16).padStart(4, '0')} is neither 0xFF00 nor 0x0000`);
  }
  return message(tid, unit, fc, pduType, OPERATION_BY_FUNCTION[fc], address, 1, [value === COIL_ON ? 1 : 0]);
}

/** §6.8: sub-function (2 bytes) and data (N x 2 bytes); the normal response echoes the sub-function. */
function diagnostics(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
): ModbusMessage | string {
  if (n < 2) return wrongSize(fc, pduType, n, 2);
  if ((n - 2) % 2 !== 0) return fail(fc, pduType, `${n - 2} data bytes, not a whole number of 2-byte words`);
  const sub = u16be(b, p);
  const m = message(
    tid,
    unit,
    fc,
    pduType,
    diagnosticSubfunctionOperation(sub),
    null,
    null,
    registers(b, p + 2, (n - 2) >> 1),
  );
  m['modbus.subfunction'] = diagnosticSubfunctionName(sub);
  return m;
}

/** §6.16: address, AND mask, OR mask; the response echoes the request. */
function maskWrite(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
): ModbusMessage | string {
  if (n !== 6) return wrongSize(fc, pduType, n, 6);
  const fields: ModbusMaskWriteFields = {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': pduType,
    'modbus.exception': null,
    'modbus.operation': OPERATION_BY_FUNCTION[fc],
    'modbus.space': SPACE_BY_FUNCTION[fc],
    'modbus.address': u16be(b, p),
    'modbus.quantity': 1,
    'modbus.values': null,
    'modbus.subfunction': null,
    'modbus.mei_type': null,
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.and_mask': u16be(b, p + 2),
    'modbus.or_mask': u16be(b, p + 4),
  };
  return fields;
}

/**
 * §6.14 request: byte count, then 7-byte sub-requests. The spec's byte count range is 0x07-0xF5,
 * but a request with no sub-request carries nothing that could be misread (and the ICSNPP
 * reference capture has one), so 0 is accepted; everything inside a sub-request is checked.
 */
function readFileRecordRequest(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < 1) return wrongSize(fc, 'REQ', n, 1);
  const byteCount = b[p];
  if (n !== 1 + byteCount) return wrongSize(fc, 'REQ', n, 1 + byteCount);
  if (byteCount % FILE_SUB_REQUEST_LENGTH !== 0) {
    return fail(fc, 'REQ', `byte count ${byteCount} is not a whole number of 7-byte sub-requests`);
  }
  const files: number[] = [];
  const records: number[] = [];
  const lengths: number[] = [];
  let total = 0;
  for (let q = p + 1; q < p + 1 + byteCount; q += FILE_SUB_REQUEST_LENGTH) {
    const problem = fileReference(b, q, fc, 'REQ', files, records);
    if (problem !== null) return problem;
    const length = u16be(b, q + 5);
    lengths.push(length);
    total += length;
  }
  return fileRecordMessage(tid, unit, fc, 'REQ', total, null, files, records, lengths);
}

/** Reference type, file number and record number of one sub-request (§6.14, §6.15). */
function fileReference(
  b: Uint8Array,
  q: number,
  fc: number,
  pduType: PduType,
  files: number[],
  records: number[],
): string | null {
  const referenceType = b[q];
  if (referenceType !== FILE_REFERENCE_TYPE)
    return fail(fc, pduType, `reference type ${referenceType} is not 6`);
  const file = u16be(b, q + 1);
  if (file === 0) return fail(fc, pduType, 'file number 0 (files are numbered from 1)');
  const record = u16be(b, q + 3);
  if (record > MAX_RECORD_NUMBER)
    return fail(fc, pduType, `record number ${record} above ${MAX_RECORD_NUMBER}`);
  files.push(file);
  records.push(record);
  return null;
}

/** §6.14 response: byte count, then sub-responses of length, reference type and record data. */
function readFileRecordResponse(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < 1) return wrongSize(fc, 'RESP', n, 1);
  const byteCount = b[p];
  if (n !== 1 + byteCount) return wrongSize(fc, 'RESP', n, 1 + byteCount);
  const end = p + 1 + byteCount;
  const values: number[] = [];
  const lengths: number[] = [];
  for (let q = p + 1; q < end; ) {
    if (end - q < 2) return fail(fc, 'RESP', 'sub-response shorter than its 2-byte header');
    // The sub-response length counts the reference type byte and the record data after it.
    const length = b[q];
    if (length < 1 || (length - 1) % 2 !== 0) {
      return fail(fc, 'RESP', `sub-response length ${length} is not 1 + 2 x registers`);
    }
    if (q + 1 + length > end)
      return fail(fc, 'RESP', `sub-response length ${length} runs past the byte count`);
    const referenceType = b[q + 1];
    if (referenceType !== FILE_REFERENCE_TYPE)
      return fail(fc, 'RESP', `reference type ${referenceType} is not 6`);
    const count = (length - 1) / 2;
    for (let i = 0; i < count; i++) values.push(u16be(b, q + 2 + 2 * i));
    lengths.push(count);
    q += 1 + length;
  }
  return fileRecordMessage(tid, unit, fc, 'RESP', values.length, values, null, null, lengths);
}

/** §6.15: byte count, then sub-requests of reference, file, record, length and the registers. */
function writeFileRecord(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
): ModbusMessage | string {
  if (n < 1) return wrongSize(fc, pduType, n, 1);
  const byteCount = b[p];
  if (n !== 1 + byteCount) return wrongSize(fc, pduType, n, 1 + byteCount);
  const end = p + 1 + byteCount;
  const files: number[] = [];
  const records: number[] = [];
  const lengths: number[] = [];
  const values: number[] = [];
  for (let q = p + 1; q < end; ) {
    if (end - q < FILE_SUB_REQUEST_LENGTH)
      return fail(fc, pduType, 'sub-request shorter than its 7-byte header');
    const problem = fileReference(b, q, fc, pduType, files, records);
    if (problem !== null) return problem;
    const length = u16be(b, q + 5);
    if (q + FILE_SUB_REQUEST_LENGTH + 2 * length > end) {
      return fail(fc, pduType, `record length ${length} runs past the byte count`);
    }
    for (let i = 0; i < length; i++) values.push(u16be(b, q + FILE_SUB_REQUEST_LENGTH + 2 * i));
    lengths.push(length);
    q += FILE_SUB_REQUEST_LENGTH + 2 * length;
  }
  return fileRecordMessage(tid, unit, fc, pduType, values.length, values, files, records, lengths);
}

function fileRecordMessage(
  tid: number,
  unit: number,
  fc: number,
  pduType: PduType,
  quantity: number,
  values: number[] | null,
  files: number[] | null,
  records: number[] | null,
  lengths: number[],
): ModbusFileRecordFields {
  // Sub-requests address (file, record) pairs, not one range: the pairs are in the arrays, and
  // quantity is the number of registers moved in all of them.
  return {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': pduType,
    'modbus.exception': null,
    'modbus.operation': OPERATION_BY_FUNCTION[fc],
    'modbus.space': SPACE_BY_FUNCTION[fc],
    'modbus.address': null,
    'modbus.quantity': quantity,
    'modbus.values': values,
    'modbus.subfunction': null,
    'modbus.mei_type': null,
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.file_numbers': files,
    'modbus.record_numbers': records,
    'modbus.record_lengths': lengths,
  };
}

/** §6.19-6.21 request: MEI type and its data; READ_DEVICE_IDENTIFICATION is decoded. */
function encapsulatedRequest(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < 1) return wrongSize(fc, 'REQ', n, 1);
  const mei = b[p];
  if (mei !== MEI_TYPES.READ_DEVICE_IDENTIFICATION) {
    // CANopen general reference (§6.20) tunnels SDO data this parser leaves opaque.
    const m = message(tid, unit, fc, 'REQ', OPERATION_BY_MEI[mei], null, null, null);
    m['modbus.mei_type'] = MEI_NAME_BY_CODE[mei];
    return m;
  }
  // §6.21: read device id code, object id
  if (n !== 3) return wrongSize(fc, 'REQ', n, 3);
  const readCode = READ_DEVICE_ID_CODE_NAMES.get(b[p + 1]);
  if (readCode === undefined) return fail(fc, 'REQ', `read device id code ${b[p + 1]} outside 1..4`);
  const fields: ModbusDeviceIdRequestFields = {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': 'REQ',
    'modbus.exception': null,
    'modbus.operation': OPERATION_BY_MEI[mei],
    'modbus.space': null,
    'modbus.address': null,
    'modbus.quantity': null,
    'modbus.values': null,
    'modbus.subfunction': null,
    'modbus.mei_type': MEI_NAME_BY_CODE[mei],
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.device_id.read_code': readCode,
    'modbus.device_id.object_id': b[p + 2],
  };
  return fields;
}

/** §6.21 response: header, then `number of objects` entries of id, length and ASCII value. */
function encapsulatedResponse(
  b: Uint8Array,
  p: number,
  n: number,
  tid: number,
  unit: number,
  fc: number,
): ModbusMessage | string {
  if (n < 1) return wrongSize(fc, 'RESP', n, 1);
  const mei = b[p];
  if (mei !== MEI_TYPES.READ_DEVICE_IDENTIFICATION) {
    const m = message(tid, unit, fc, 'RESP', OPERATION_BY_MEI[mei], null, null, null);
    m['modbus.mei_type'] = MEI_NAME_BY_CODE[mei];
    return m;
  }
  if (n < DEVICE_ID_RESPONSE_HEADER) return wrongSize(fc, 'RESP', n, DEVICE_ID_RESPONSE_HEADER);
  const readCode = READ_DEVICE_ID_CODE_NAMES.get(b[p + 1]);
  if (readCode === undefined) return fail(fc, 'RESP', `read device id code ${b[p + 1]} outside 1..4`);
  const conformity = CONFORMITY_LEVEL_NAMES.get(b[p + 2]);
  if (conformity === undefined) {
    return fail(fc, 'RESP', `conformity level 0x${b[p + 2].toString(16)} is not one §6.21 defines`);
  }
  const moreFollows = b[p + 3];
  if (moreFollows !== MORE_FOLLOWS.NO && moreFollows !== MORE_FOLLOWS.YES) {
    return fail(fc, 'RESP', `more follows 0x${moreFollows.toString(16)} is neither 0x00 nor 0xFF`);
  }
  const m: ModbusDeviceIdResponseFields = {
    'modbus.tid': tid,
    'modbus.unit': unit,
    'modbus.func_code': fc,
    'modbus.func': FUNCTION_NAME_BY_BYTE[fc],
    'modbus.pdu_type': 'RESP',
    'modbus.exception': null,
    'modbus.operation': OPERATION_BY_MEI[mei],
    'modbus.space': null,
    'modbus.address': null,
    'modbus.quantity': null,
    'modbus.values': null,
    'modbus.subfunction': null,
    'modbus.mei_type': MEI_NAME_BY_CODE[mei],
    'modbus.matched': null,
    'modbus.latency': null,
    'modbus.device_id.read_code': readCode,
    'modbus.device_id.conformity_level': conformity,
    'modbus.device_id.more_follows': moreFollows === MORE_FOLLOWS.YES,
    'modbus.device_id.next_object_id': b[p + 4],
    'modbus.device_id.vendor_name': null,
    'modbus.device_id.product_code': null,
    'modbus.device_id.revision': null,
    'modbus.device_id.vendor_url': null,
    'modbus.device_id.product_name': null,
    'modbus.device_id.model_name': null,
    'modbus.device_id.user_application_name': null,
  };
  const count = b[p + 5];
  const end = p + n;
  let q = p + DEVICE_ID_RESPONSE_HEADER;
  for (let i = 0; i < count; i++) {
    if (end - q < 2) return fail(fc, 'RESP', `object ${i + 1} of ${count} missing`);
    const id = b[q];
    const length = b[q + 1];
    if (q + 2 + length > end)
      return fail(fc, 'RESP', `object 0x${id.toString(16)} length ${length} runs past the PDU`);
    // Private and reserved objects (0x07-0xFF) are vendor-defined; only the spec's own are kept.
    if (id < DEVICE_ID_FIELDS.length) m[DEVICE_ID_FIELDS[id]] = ascii(b, q + 2, length);
    q += 2 + length;
  }
  if (q !== end) return fail(fc, 'RESP', `${end - q} bytes after the last of ${count} objects`);
  return m;
}

/** Object values are ASCII strings (§6.21); trailing NULs are C-string padding some devices send. */
function ascii(b: Uint8Array, p: number, length: number): string {
  let end = length;
  while (end > 0 && b[p + end - 1] === 0) end--;
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(b[p + i]);
  return s;
}
