// What an application message means as an operation, per protocol: one small reader per app in one
// table (STYLE.md 2). The communication map and the inventory both consume this, so the knowledge
// of each protocol's dotted field names lives here once. To teach the map a protocol, add a reader.
//
// Readers run for every application message (over a million per second), so they do not allocate:
// they call the recorder they are handed instead of returning objects.

import { isOperation } from '../dissectors/operations.ts';
import type { Direction, Fields, MessageVocabulary } from '../dissectors/types.ts';
import { messageFunction, vocabularyOf } from '../dissectors/vocabulary.ts';

/** Receives what a reader finds in one message. */
export interface OperationRecorder {
  /** A request (client to server): its function name and operation (`read`, `write`, `diagnostic`...). */
  request(func: string, operation: string): void;
  /** A response that reports an error (a Modbus exception response). */
  exception(func: string): void;
  /** A request that addresses `count` items from `start` in an address space; `write` when it changes them. */
  touch(space: string, start: number, count: number, write: boolean): void;
  /** The unit / slave / station id a request addresses. */
  unit(id: number): void;
}

/**
 * Reads one message into `recorder`. Returns true when the message is plain: an ordinary operation
 * (a Modbus table read or write) that holds nothing beyond what the reader recorded, so that
 * other per-app code (the inventory's observers) may skip it; false when it may hold more.
 */
export type OperationReader = (fields: Fields, dir: Direction, recorder: OperationRecorder) => boolean;

/** How the map counts an operation: reads, writes, both (read/write in one request) or other. */
export type OperationCount = 'read' | 'write' | 'both' | 'other';

export function countedAs(operation: string): OperationCount {
  switch (operation) {
    case 'read':
      return 'read';
    case 'write':
      return 'write';
    case 'read_write':
    case 'read-write':
    case 'readwrite':
      return 'both';
    default:
      return 'other';
  }
}

/**
 * Modbus (Modbus Application Protocol V1.1b3 section 6; fields of src/dissectors/modbus). A request
 * touches `modbus.address`/`modbus.quantity` in `modbus.space`; READ_WRITE_MULTIPLE_REGISTERS (FC 23,
 * section 6.17) also writes `modbus.write_address`/`modbus.write_quantity`, and then the first pair
 * is its read part.
 *
 * Records of the table reads and writes (FC 1-6, 15 and 16, sections 6.1-6.6, 6.11, 6.12) are
 * nearly all traffic and share one object shape; the other functions' records carry extra fields
 * (FC 23's write range, 43/14's objects), so each has a shape of its own. One function reading
 * all of them sees too many shapes and its every field load goes the slow, generic way; so the
 * table functions are read by `readModbusTables`, whose loads see one shape, and the rest by
 * `readModbusAny`. The two bodies are the same code on purpose (but for UMAS, which only the
 * second meets): keep them identical. Table reads
 * and writes are plain (see OperationReader); device identification (FC 43/14) is not.
 */
export function readModbus(fields: Fields, dir: Direction, recorder: OperationRecorder): boolean {
  const code = fields['modbus.func_code'];
  if (typeof code === 'number' && code < 32 && ((TABLE_FUNCTION_CODES >>> code) & 1) === 1) {
    readModbusTables(fields, dir, recorder);
    return true;
  }
  readModbusAny(fields, dir, recorder);
  return false;
}

/** Bit n set for function code n: 1-6, 15 (0x0f), 16 (0x10). */
const TABLE_FUNCTION_CODES = 0b1_1000_0000_0111_1110;

function readModbusTables(fields: Fields, dir: Direction, recorder: OperationRecorder): void {
  const func = fields['modbus.func'];
  if (typeof func !== 'string') return;
  const pduType = fields['modbus.pdu_type'];
  const isResponse = pduType === undefined ? dir === 1 : pduType === 'RESP';
  if (isResponse) {
    const exception = fields['modbus.exception'];
    if (exception !== null && exception !== undefined) recorder.exception(func);
    return;
  }
  const operation = fields['modbus.operation'];
  const op = typeof operation === 'string' ? operation : 'other';
  recorder.request(func, op);
  const unit = fields['modbus.unit'];
  if (typeof unit === 'number') recorder.unit(unit);
  const space = fields['modbus.space'];
  if (typeof space !== 'string') return;
  const address = fields['modbus.address'];
  const writeAddress = fields['modbus.write_address'];
  const hasWritePart = typeof writeAddress === 'number';
  if (typeof address === 'number') {
    const quantity = fields['modbus.quantity'];
    recorder.touch(
      space,
      address,
      typeof quantity === 'number' ? quantity : 1,
      !hasWritePart && op === 'write',
    );
  }
  if (hasWritePart) {
    const writeQuantity = fields['modbus.write_quantity'];
    recorder.touch(space, writeAddress, typeof writeQuantity === 'number' ? writeQuantity : 1, true);
  }
}

function readModbusAny(fields: Fields, dir: Direction, recorder: OperationRecorder): void {
  // Schneider UMAS (FC 90) is a protocol inside Modbus: its own function names what was done.
  const umas = fields['modbus.umas.func'];
  const func = typeof umas === 'string' ? umas : fields['modbus.func'];
  if (typeof func !== 'string') return;
  const pduType = fields['modbus.pdu_type'];
  const isResponse = pduType === undefined ? dir === 1 : pduType === 'RESP';
  if (isResponse) {
    const exception = fields['modbus.exception'];
    if (exception !== null && exception !== undefined) recorder.exception(func);
    return;
  }
  const operation = fields['modbus.operation'];
  const op = typeof operation === 'string' ? operation : 'other';
  recorder.request(func, op);
  const unit = fields['modbus.unit'];
  if (typeof unit === 'number') recorder.unit(unit);
  const space = fields['modbus.space'];
  if (typeof space !== 'string') return;
  const address = fields['modbus.address'];
  const writeAddress = fields['modbus.write_address'];
  const hasWritePart = typeof writeAddress === 'number';
  if (typeof address === 'number') {
    const quantity = fields['modbus.quantity'];
    recorder.touch(
      space,
      address,
      typeof quantity === 'number' ? quantity : 1,
      !hasWritePart && op === 'write',
    );
  }
  if (hasWritePart) {
    const writeQuantity = fields['modbus.write_quantity'];
    recorder.touch(space, writeAddress, typeof writeQuantity === 'number' ? writeQuantity : 1, true);
  }
}

/** Operation readers by dissector name. Apps without one are still mapped, with counters only. */
export const OPERATION_READERS: Readonly<Record<string, OperationReader>> = {
  modbus: readModbus,
};

/**
 * The reader for every other protocol, from its descriptor's vocabulary (dissectors/types.ts
 * MessageVocabulary): a request records its function (the first funcFields entry present) and its
 * operation; a response with its error field set records an exception. Such messages may carry
 * identity, so they are never plain.
 */
export function vocabularyReader(v: MessageVocabulary): OperationReader {
  const { operationField, errorField, unitField } = v;
  return (fields, dir, recorder) => {
    const func = messageFunction(v, fields);
    if (func === null) return false;
    if (dir === 0) {
      const op = fields[operationField];
      recorder.request(func, isOperation(op) ? op : 'other');
      if (unitField !== undefined) {
        const unit = fields[unitField];
        if (typeof unit === 'number') recorder.unit(unit);
      }
    } else if (errorField !== undefined) {
      const error = fields[errorField];
      if (error !== undefined && error !== null && error !== false) recorder.exception(func);
    }
    return false;
  };
}

const VOCABULARY_READERS = new Map<string, OperationReader>();

export function operationReaderFor(app: string | null): OperationReader | null {
  if (app === null) return null;
  if (Object.hasOwn(OPERATION_READERS, app)) return OPERATION_READERS[app];
  let reader = VOCABULARY_READERS.get(app);
  if (reader === undefined) {
    const v = vocabularyOf(app);
    if (v === undefined) return null;
    reader = vocabularyReader(v);
    VOCABULARY_READERS.set(app, reader);
  }
  return reader;
}
