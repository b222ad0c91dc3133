// Modbus/TCP application data units, written in place: the MBAP header (Modbus Messaging on TCP/IP
// Implementation Guide V1.0b §3.1.3) followed by a PDU from the Modbus Application Protocol
// Specification V1.1b3. Section numbers below are that specification's. All fields big-endian.

export const FUNCTION_CODE = {
  READ_COILS: 1, // §6.1
  READ_DISCRETE_INPUTS: 2, // §6.2
  READ_HOLDING_REGISTERS: 3, // §6.3
  READ_INPUT_REGISTERS: 4, // §6.4
  WRITE_SINGLE_COIL: 5, // §6.5
  WRITE_SINGLE_REGISTER: 6, // §6.6
  DIAGNOSTICS: 8, // §6.8
  WRITE_MULTIPLE_COILS: 15, // §6.11
  WRITE_MULTIPLE_REGISTERS: 16, // §6.12
  ENCAPSULATED_INTERFACE_TRANSPORT: 43, // §6.19-6.21
} as const;

/** §7 "MODBUS Exception Responses". */
export const EXCEPTION_CODE = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SERVER_DEVICE_FAILURE: 0x04,
  ACKNOWLEDGE: 0x05,
  SERVER_DEVICE_BUSY: 0x06,
  MEMORY_PARITY_ERROR: 0x08,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND: 0x0b,
} as const;

/** §6.8.1 sub-function codes used by the demo. */
export const DIAGNOSTIC_SUB_FUNCTION = {
  RETURN_QUERY_DATA: 0x0000,
  RETURN_BUS_MESSAGE_COUNT: 0x000b,
} as const;

/** §6.21: MEI type 14 of function 43. */
export const MEI_READ_DEVICE_IDENTIFICATION = 0x0e;
/** §6.21 "Read Device ID code". */
export const READ_DEVICE_ID_CODE = { BASIC: 1, REGULAR: 2, EXTENDED: 3, SPECIFIC: 4 } as const;
/** §6.21 object ids of the basic (0-2) and regular (3-6) categories. */
export const DEVICE_ID_OBJECT = {
  VENDOR_NAME: 0x00,
  PRODUCT_CODE: 0x01,
  MAJOR_MINOR_REVISION: 0x02,
  VENDOR_URL: 0x03,
  PRODUCT_NAME: 0x04,
  MODEL_NAME: 0x05,
  USER_APPLICATION_NAME: 0x06,
} as const;

/** Quantity limits of the requests (§6.1-6.4, §6.11, §6.12). */
export const MODBUS_LIMITS = {
  MAX_READ_BITS: 2000,
  MAX_READ_REGISTERS: 125,
  MAX_WRITE_COILS: 1968,
  MAX_WRITE_REGISTERS: 123,
} as const;

export const MBAP_HEADER_BYTES = 7;
/** §6.5: the only two values of a single coil write. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

export type ReadFunctionCode = 1 | 2 | 3 | 4;

/** A request as a client composes it. Poll requests are allocated once and reused. */
export type ModbusRequest =
  | {
      readonly kind: 'read';
      readonly unit: number;
      readonly functionCode: ReadFunctionCode;
      readonly address: number;
      readonly quantity: number;
    }
  | {
      readonly kind: 'write-single-coil';
      readonly unit: number;
      readonly address: number;
      readonly on: boolean;
    }
  | {
      readonly kind: 'write-single-register';
      readonly unit: number;
      readonly address: number;
      readonly value: number;
    }
  | {
      readonly kind: 'write-multiple-coils';
      readonly unit: number;
      readonly address: number;
      readonly bits: readonly boolean[];
    }
  | {
      readonly kind: 'write-multiple-registers';
      readonly unit: number;
      readonly address: number;
      readonly values: readonly number[];
    }
  | {
      readonly kind: 'diagnostics';
      readonly unit: number;
      readonly subFunction: number;
      readonly data: number;
    }
  | {
      readonly kind: 'read-device-identification';
      readonly unit: number;
      readonly readDeviceIdCode: number;
      readonly objectId: number;
    };

export function functionCodeOf(request: ModbusRequest): number {
  switch (request.kind) {
    case 'read':
      return request.functionCode;
    case 'write-single-coil':
      return FUNCTION_CODE.WRITE_SINGLE_COIL;
    case 'write-single-register':
      return FUNCTION_CODE.WRITE_SINGLE_REGISTER;
    case 'write-multiple-coils':
      return FUNCTION_CODE.WRITE_MULTIPLE_COILS;
    case 'write-multiple-registers':
      return FUNCTION_CODE.WRITE_MULTIPLE_REGISTERS;
    case 'diagnostics':
      return FUNCTION_CODE.DIAGNOSTICS;
    case 'read-device-identification':
      return FUNCTION_CODE.ENCAPSULATED_INTERFACE_TRANSPORT;
  }
}

function put16(buf: Uint8Array, off: number, value: number): void {
  buf[off] = (value >>> 8) & 0xff;
  buf[off + 1] = value & 0xff;
}

/**
 * MBAP header: transaction id, protocol id 0 (Modbus), length = unit id + PDU bytes, unit id.
 * Returns the offset of the PDU.
 */
export function writeMbapHeader(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  pduLength: number,
): number {
  put16(buf, off, transactionId);
  put16(buf, off + 2, 0);
  put16(buf, off + 4, pduLength + 1);
  buf[off + 6] = unit;
  return off + MBAP_HEADER_BYTES;
}

/**
 * Packs `count` bits, one per element of `bits` from `start` (non-zero or true = 1), LSB first into
 * bytes as coils travel (§6.1, §6.11); the unused high bits of the last byte are zero.
 */
function packBits(
  buf: Uint8Array,
  off: number,
  bits: ArrayLike<number | boolean>,
  start: number,
  count: number,
): number {
  const bytes = (count + 7) >>> 3;
  for (let i = 0; i < bytes; i++) {
    let value = 0;
    const end = Math.min(8, count - i * 8);
    for (let b = 0; b < end; b++) if (bits[start + i * 8 + b]) value |= 1 << b;
    buf[off + i] = value;
  }
  return off + bytes;
}

/** A complete request ADU. Returns its length. */
export function writeModbusRequest(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  request: ModbusRequest,
): number {
  const fc = functionCodeOf(request);
  let p: number;
  switch (request.kind) {
    case 'read':
      p = writeMbapHeader(buf, off, transactionId, request.unit, 5);
      buf[p] = fc;
      put16(buf, p + 1, request.address);
      put16(buf, p + 3, request.quantity);
      return MBAP_HEADER_BYTES + 5;
    case 'write-single-coil':
      p = writeMbapHeader(buf, off, transactionId, request.unit, 5);
      buf[p] = fc;
      put16(buf, p + 1, request.address);
      put16(buf, p + 3, request.on ? COIL_ON : COIL_OFF);
      return MBAP_HEADER_BYTES + 5;
    case 'write-single-register':
      p = writeMbapHeader(buf, off, transactionId, request.unit, 5);
      buf[p] = fc;
      put16(buf, p + 1, request.address);
      put16(buf, p + 3, request.value);
      return MBAP_HEADER_BYTES + 5;
    case 'write-multiple-coils': {
      const count = request.bits.length;
      const byteCount = (count + 7) >>> 3;
      p = writeMbapHeader(buf, off, transactionId, request.unit, 6 + byteCount);
      buf[p] = fc;
      put16(buf, p + 1, request.address);
      put16(buf, p + 3, count);
      buf[p + 5] = byteCount;
      packBits(buf, p + 6, request.bits, 0, count);
      return MBAP_HEADER_BYTES + 6 + byteCount;
    }
    case 'write-multiple-registers': {
      const count = request.values.length;
      p = writeMbapHeader(buf, off, transactionId, request.unit, 6 + 2 * count);
      buf[p] = fc;
      put16(buf, p + 1, request.address);
      put16(buf, p + 3, count);
      buf[p + 5] = 2 * count;
      for (let i = 0; i < count; i++) put16(buf, p + 6 + 2 * i, request.values[i]);
      return MBAP_HEADER_BYTES + 6 + 2 * count;
    }
    case 'diagnostics':
      return writeDiagnostics(buf, off, transactionId, request.unit, request.subFunction, request.data);
    case 'read-device-identification':
      p = writeMbapHeader(buf, off, transactionId, request.unit, 4);
      buf[p] = fc;
      buf[p + 1] = MEI_READ_DEVICE_IDENTIFICATION;
      buf[p + 2] = request.readDeviceIdCode;
      buf[p + 3] = request.objectId;
      return MBAP_HEADER_BYTES + 4;
  }
}

/** FC 1/2 response (§6.1, §6.2): byte count and the bits packed LSB first. */
export function writeReadBitsResponse(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  functionCode: number,
  bits: Uint8Array,
  address: number,
  quantity: number,
): number {
  const byteCount = (quantity + 7) >>> 3;
  const p = writeMbapHeader(buf, off, transactionId, unit, 2 + byteCount);
  buf[p] = functionCode;
  buf[p + 1] = byteCount;
  packBits(buf, p + 2, bits, address, quantity);
  return MBAP_HEADER_BYTES + 2 + byteCount;
}

/** FC 3/4 response (§6.3, §6.4): byte count and the registers, high byte first. */
export function writeReadRegistersResponse(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  functionCode: number,
  registers: Uint16Array,
  address: number,
  quantity: number,
): number {
  const p = writeMbapHeader(buf, off, transactionId, unit, 2 + 2 * quantity);
  buf[p] = functionCode;
  buf[p + 1] = 2 * quantity;
  for (let i = 0, q = p + 2; i < quantity; i++, q += 2) {
    const value = registers[address + i];
    buf[q] = value >>> 8;
    buf[q + 1] = value & 0xff;
  }
  return MBAP_HEADER_BYTES + 2 + 2 * quantity;
}

/**
 * The normal response of FC 5 and 6 echoes the request (§6.5, §6.6); that of FC 15 and 16 echoes
 * address and quantity (§6.11, §6.12).
 */
export function writeWriteResponse(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  functionCode: number,
  address: number,
  valueOrQuantity: number,
): number {
  const p = writeMbapHeader(buf, off, transactionId, unit, 5);
  buf[p] = functionCode;
  put16(buf, p + 1, address);
  put16(buf, p + 3, valueOrQuantity);
  return MBAP_HEADER_BYTES + 5;
}

/** FC 8 request, and its normal response which is the same bytes for sub-function 0 (§6.8.1). */
export function writeDiagnostics(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  subFunction: number,
  data: number,
): number {
  const p = writeMbapHeader(buf, off, transactionId, unit, 5);
  buf[p] = FUNCTION_CODE.DIAGNOSTICS;
  put16(buf, p + 1, subFunction);
  put16(buf, p + 3, data);
  return MBAP_HEADER_BYTES + 5;
}

export interface DeviceIdObject {
  readonly id: number;
  readonly value: string;
}

/**
 * FC 43 / MEI 14 response (§6.21): read device id code, conformity level, more follows (0x00 or
 * 0xFF), next object id, number of objects, then id, length and ASCII value of each object.
 */
export function writeReadDeviceIdResponse(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  readDeviceIdCode: number,
  conformityLevel: number,
  moreFollows: boolean,
  nextObjectId: number,
  objects: readonly DeviceIdObject[],
): number {
  let q = off + MBAP_HEADER_BYTES + 7;
  for (const object of objects) {
    buf[q] = object.id;
    // Object values are ASCII strings (§6.21).
    const length = object.value.length;
    for (let i = 0; i < length; i++) buf[q + 2 + i] = object.value.charCodeAt(i) & 0x7f;
    buf[q + 1] = length;
    q += 2 + length;
  }
  const pduLength = q - off - MBAP_HEADER_BYTES;
  const p = writeMbapHeader(buf, off, transactionId, unit, pduLength);
  buf[p] = FUNCTION_CODE.ENCAPSULATED_INTERFACE_TRANSPORT;
  buf[p + 1] = MEI_READ_DEVICE_IDENTIFICATION;
  buf[p + 2] = readDeviceIdCode;
  buf[p + 3] = conformityLevel;
  buf[p + 4] = moreFollows ? 0xff : 0x00;
  buf[p + 5] = moreFollows ? nextObjectId : 0;
  buf[p + 6] = objects.length;
  return MBAP_HEADER_BYTES + pduLength;
}

/** Exception response (§7): the function code with its high bit set, then the exception code. */
export function writeExceptionResponse(
  buf: Uint8Array,
  off: number,
  transactionId: number,
  unit: number,
  functionCode: number,
  exceptionCode: number,
): number {
  const p = writeMbapHeader(buf, off, transactionId, unit, 2);
  buf[p] = functionCode | 0x80;
  buf[p + 1] = exceptionCode;
  return MBAP_HEADER_BYTES + 2;
}
