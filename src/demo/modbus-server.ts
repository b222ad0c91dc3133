// A Modbus/TCP server as a controller implements it: which function codes it supports, how it
// validates a request (Modbus Application Protocol V1.1b3, the state diagram of each function in
// §6: function code, then quantity -> ILLEGAL_DATA_VALUE, then address -> ILLEGAL_DATA_ADDRESS),
// its device identification objects (§6.21), and how long it takes to answer (a PLC answers at
// the end of its scan cycle, a serial gateway after the slave's reply at its baud rate).

import {
  DEVICE_ID_OBJECT,
  type DeviceIdObject,
  DIAGNOSTIC_SUB_FUNCTION,
  EXCEPTION_CODE,
  FUNCTION_CODE,
  functionCodeOf,
  MODBUS_LIMITS,
  type ModbusRequest,
  READ_DEVICE_ID_CODE,
  writeDiagnostics,
  writeExceptionResponse,
  writeReadBitsResponse,
  writeReadDeviceIdResponse,
  writeReadRegistersResponse,
  writeWriteResponse,
} from './modbus-frames.ts';
import type { Prng } from './prng.ts';
import { type ModbusMap, ProcessImage } from './process-image.ts';

/** The identification objects a device reports (§6.21, basic and regular categories). */
export interface DeviceIdentification {
  readonly vendorName: string;
  readonly productCode: string;
  readonly revision: string;
  readonly vendorUrl?: string;
  readonly productName?: string;
  readonly modelName?: string;
  readonly userApplicationName?: string;
  /** §6.21 conformity level: 0x01 basic, 0x02 regular, 0x03 extended; +0x80 with individual access. */
  readonly conformityLevel: number;
}

export interface ModbusServerSpec {
  /** Unit identifiers it answers; for a gateway, the serial slaves behind it. */
  readonly units: readonly number[];
  /** True for a TCP-to-serial gateway: unknown units get GATEWAY_PATH_UNAVAILABLE. */
  readonly gateway: boolean;
  readonly map: ModbusMap;
  readonly functionCodes: readonly number[];
  /** Supported sub-functions of FC 8 (§6.8.1), if FC 8 is supported. */
  readonly diagnostics: readonly number[];
  readonly identification: DeviceIdentification | null;
  /** Response time range in microseconds. */
  readonly responseMicros: readonly [number, number];
  /** Serial gateways: chance that the slave does not answer (GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND). */
  readonly slaveTimeoutChance: number;
  /** How long a gateway waits for a silent slave before it answers with an exception. */
  readonly slaveTimeoutMicros: number;
}

/** Largest PDU (§4.1): 253 bytes; a device id response keeps 7 of them for its own fields. */
const MAX_DEVICE_ID_OBJECT_BYTES = 253 - 7;
/** Diagnostic counters of §6.8.1 start from the last restart; a plausible count at capture start. */
const INITIAL_BUS_MESSAGES = 1200;

export class ModbusServer {
  private readonly images = new Map<number, ProcessImage>();
  private readonly supported: ReadonlySet<number>;
  private busMessages = INITIAL_BUS_MESSAGES;

  constructor(
    readonly spec: ModbusServerSpec,
    private readonly prng: Prng,
    startMicros: number,
  ) {
    this.supported = new Set(spec.functionCodes);
    for (const unit of spec.units) this.images.set(unit, new ProcessImage(spec.map, prng, startMicros));
  }

  /** The process image behind one unit id (a plain controller has one for all unit ids). */
  image(unit: number): ProcessImage | undefined {
    return this.images.get(unit) ?? (this.spec.gateway ? undefined : this.images.get(this.spec.units[0]));
  }

  /**
   * How the device will answer `request`: 0 for a normal response, or the exception code. Several
   * clients talk to one device at once, so the caller keeps the outcome for `writeResponse`.
   */
  decide(request: ModbusRequest): number {
    this.busMessages++;
    const exception = this.validate(request);
    if (exception === 0 && this.spec.gateway && this.prng.chance(this.spec.slaveTimeoutChance)) {
      return EXCEPTION_CODE.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND;
    }
    return exception;
  }

  /** Microseconds from request to response: the scan cycle, or a gateway's timeout on a silent slave. */
  responseDelay(exception: number): number {
    if (exception === EXCEPTION_CODE.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND)
      return this.spec.slaveTimeoutMicros;
    const [min, max] = this.spec.responseMicros;
    return min + Math.floor(this.prng.float() * (max - min));
  }

  /** Writes the response `decide` chose, applying a write. Returns its length. */
  writeResponse(
    buf: Uint8Array,
    off: number,
    transactionId: number,
    request: ModbusRequest,
    exception: number,
    nowMicros: number,
  ): number {
    const unit = request.unit;
    if (exception !== 0) {
      return writeExceptionResponse(buf, off, transactionId, unit, functionCodeOf(request), exception);
    }
    const image = this.image(unit)!;
    switch (request.kind) {
      case 'read': {
        const { functionCode: fc, address, quantity } = request;
        if (fc === FUNCTION_CODE.READ_COILS || fc === FUNCTION_CODE.READ_DISCRETE_INPUTS) {
          const bits = image.readBits(
            fc === FUNCTION_CODE.READ_COILS ? 'coils' : 'discrete',
            address,
            quantity,
          );
          return writeReadBitsResponse(buf, off, transactionId, unit, fc, bits, address, quantity);
        }
        const space = fc === FUNCTION_CODE.READ_HOLDING_REGISTERS ? 'holding' : 'input';
        const registers = image.readRegisters(space, address, quantity, nowMicros);
        return writeReadRegistersResponse(buf, off, transactionId, unit, fc, registers, address, quantity);
      }
      case 'write-single-coil':
        image.coils.values[request.address] = request.on ? 1 : 0;
        return writeWriteResponse(
          buf,
          off,
          transactionId,
          unit,
          FUNCTION_CODE.WRITE_SINGLE_COIL,
          request.address,
          request.on ? 0xff00 : 0,
        );
      case 'write-single-register':
        image.holding.write(request.address, request.value);
        return writeWriteResponse(
          buf,
          off,
          transactionId,
          unit,
          FUNCTION_CODE.WRITE_SINGLE_REGISTER,
          request.address,
          request.value,
        );
      case 'write-multiple-coils':
        request.bits.forEach((bit, i) => {
          image.coils.values[request.address + i] = bit ? 1 : 0;
        });
        return writeWriteResponse(
          buf,
          off,
          transactionId,
          unit,
          FUNCTION_CODE.WRITE_MULTIPLE_COILS,
          request.address,
          request.bits.length,
        );
      case 'write-multiple-registers':
        request.values.forEach((value, i) => {
          image.holding.write(request.address + i, value);
        });
        return writeWriteResponse(
          buf,
          off,
          transactionId,
          unit,
          FUNCTION_CODE.WRITE_MULTIPLE_REGISTERS,
          request.address,
          request.values.length,
        );
      case 'diagnostics': {
        // Sub-function 0 echoes the query data; 0x0B returns the bus message count (§6.8.1).
        const data =
          request.subFunction === DIAGNOSTIC_SUB_FUNCTION.RETURN_BUS_MESSAGE_COUNT
            ? this.busMessages & 0xffff
            : request.data;
        return writeDiagnostics(buf, off, transactionId, unit, request.subFunction, data);
      }
      case 'read-device-identification':
        return this.writeDeviceIdentification(
          buf,
          off,
          transactionId,
          unit,
          request.readDeviceIdCode,
          request.objectId,
        );
    }
  }

  private validate(request: ModbusRequest): number {
    if (!this.supported.has(functionCodeOf(request))) return EXCEPTION_CODE.ILLEGAL_FUNCTION;
    if (!this.image(request.unit)) return EXCEPTION_CODE.GATEWAY_PATH_UNAVAILABLE;
    const map = this.spec.map;
    switch (request.kind) {
      case 'read': {
        const bits = request.functionCode <= 2;
        const limit = bits ? MODBUS_LIMITS.MAX_READ_BITS : MODBUS_LIMITS.MAX_READ_REGISTERS;
        if (request.quantity < 1 || request.quantity > limit) return EXCEPTION_CODE.ILLEGAL_DATA_VALUE;
        const size = [0, map.coils, map.discreteInputs, map.holdingRegisters, map.inputRegisters][
          request.functionCode
        ];
        return request.address + request.quantity > size ? EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS : 0;
      }
      case 'write-single-coil':
        return request.address >= map.coils ? EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS : 0;
      case 'write-single-register':
        return request.address >= map.holdingRegisters ? EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS : 0;
      case 'write-multiple-coils': {
        const n = request.bits.length;
        if (n < 1 || n > MODBUS_LIMITS.MAX_WRITE_COILS) return EXCEPTION_CODE.ILLEGAL_DATA_VALUE;
        return request.address + n > map.coils ? EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS : 0;
      }
      case 'write-multiple-registers': {
        const n = request.values.length;
        if (n < 1 || n > MODBUS_LIMITS.MAX_WRITE_REGISTERS) return EXCEPTION_CODE.ILLEGAL_DATA_VALUE;
        return request.address + n > map.holdingRegisters ? EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS : 0;
      }
      case 'diagnostics':
        return this.spec.diagnostics.includes(request.subFunction) ? 0 : EXCEPTION_CODE.ILLEGAL_FUNCTION;
      case 'read-device-identification': {
        const identification = this.spec.identification;
        if (!identification) return EXCEPTION_CODE.ILLEGAL_FUNCTION;
        const code = request.readDeviceIdCode;
        if (code < READ_DEVICE_ID_CODE.BASIC || code > READ_DEVICE_ID_CODE.SPECIFIC)
          return EXCEPTION_CODE.ILLEGAL_DATA_VALUE;
        if (code === READ_DEVICE_ID_CODE.SPECIFIC) {
          const individual = (identification.conformityLevel & 0x80) !== 0;
          const known = identificationObjects(identification).some((o) => o.id === request.objectId);
          if (!individual) return EXCEPTION_CODE.ILLEGAL_DATA_VALUE;
          return known ? 0 : EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS;
        }
        return 0;
      }
    }
  }

  /**
   * §6.21 stream access: objects from `objectId` up to the last of the requested category, or of
   * the device's own level when it is lower; an unknown start restarts at object 0. Specific
   * access (code 4) returns the one object. Objects that do not fit set "more follows".
   */
  private writeDeviceIdentification(
    buf: Uint8Array,
    off: number,
    transactionId: number,
    unit: number,
    code: number,
    objectId: number,
  ): number {
    const identification = this.spec.identification!;
    const all = identificationObjects(identification);
    const level = identification.conformityLevel & 0x7f;
    if (code === READ_DEVICE_ID_CODE.SPECIFIC) {
      const object = all.filter((o) => o.id === objectId);
      return writeReadDeviceIdResponse(
        buf,
        off,
        transactionId,
        unit,
        code,
        identification.conformityLevel,
        false,
        0,
        object,
      );
    }
    const lastId =
      Math.min(code, level) === READ_DEVICE_ID_CODE.BASIC ? DEVICE_ID_OBJECT.MAJOR_MINOR_REVISION : 0x7f;
    let candidates = all.filter((o) => o.id >= objectId && o.id <= lastId);
    if (!all.some((o) => o.id === objectId)) candidates = all.filter((o) => o.id <= lastId);
    const fitting: DeviceIdObject[] = [];
    let bytes = 0;
    for (const object of candidates) {
      if (bytes + 2 + object.value.length > MAX_DEVICE_ID_OBJECT_BYTES) break;
      fitting.push(object);
      bytes += 2 + object.value.length;
    }
    const more = fitting.length < candidates.length;
    const next = more ? candidates[fitting.length].id : 0;
    return writeReadDeviceIdResponse(
      buf,
      off,
      transactionId,
      unit,
      code,
      identification.conformityLevel,
      more,
      next,
      fitting,
    );
  }
}

/** The identification as the object list of §6.21, in object id order. */
export function identificationObjects(identification: DeviceIdentification): DeviceIdObject[] {
  const entries: [number, string | undefined][] = [
    [DEVICE_ID_OBJECT.VENDOR_NAME, identification.vendorName],
    [DEVICE_ID_OBJECT.PRODUCT_CODE, identification.productCode],
    [DEVICE_ID_OBJECT.MAJOR_MINOR_REVISION, identification.revision],
    [DEVICE_ID_OBJECT.VENDOR_URL, identification.vendorUrl],
    [DEVICE_ID_OBJECT.PRODUCT_NAME, identification.productName],
    [DEVICE_ID_OBJECT.MODEL_NAME, identification.modelName],
    [DEVICE_ID_OBJECT.USER_APPLICATION_NAME, identification.userApplicationName],
  ];
  const level = identification.conformityLevel & 0x7f;
  return entries
    .filter(
      (e): e is [number, string] =>
        e[1] !== undefined && (level >= 2 || e[0] <= DEVICE_ID_OBJECT.MAJOR_MINOR_REVISION),
    )
    .map(([id, value]) => ({ id, value }));
}
