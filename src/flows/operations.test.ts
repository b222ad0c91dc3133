import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Fields } from '../dissectors/types.ts';
import { conn, modbusRequest, modbusResponse } from './fixtures/pipeline-events.ts';
import { type OperationRecorder, operationReaderFor } from './operations.ts';

/** Every call a reader makes, in order. */
function calls(fields: Fields, dir: 0 | 1): string[] {
  const out: string[] = [];
  const recorder: OperationRecorder = {
    request: (func, operation) => out.push(`request ${func} ${operation}`),
    exception: (func) => out.push(`exception ${func}`),
    touch: (space, start, count, write) => out.push(`touch ${space} ${start} ${count} ${write}`),
    unit: (id) => out.push(`unit ${id}`),
  };
  const plain = operationReaderFor('modbus')!(fields, dir, recorder);
  out.push(plain ? 'plain' : 'not plain');
  return out;
}

describe('Modbus operation reader', () => {
  const c = conn({ client: '192.0.2.10', server: '192.0.2.20' });
  // Function codes as the dissector sets them (V1.1b3 section 6): 1-6, 15 and 16 take the reader
  // of the table functions, the others and records without a code the general one.
  const rows: [string, number, Fields, 0 | 1][] = [
    ['READ_COILS', 1, modbusRequest(c, 1, 'READ_COILS', { address: 0, quantity: 8, unit: 3 }).fields, 0],
    [
      'READ_HOLDING_REGISTERS',
      3,
      modbusRequest(c, 1, 'READ_HOLDING_REGISTERS', { address: 100, quantity: 10 }).fields,
      0,
    ],
    ['READ_INPUT_REGISTERS', 4, modbusRequest(c, 1, 'READ_INPUT_REGISTERS', { address: 7 }).fields, 0],
    ['WRITE_SINGLE_COIL', 5, modbusRequest(c, 1, 'WRITE_SINGLE_COIL', { address: 7 }).fields, 0],
    ['WRITE_SINGLE_REGISTER', 6, modbusRequest(c, 1, 'WRITE_SINGLE_REGISTER', { address: 9 }).fields, 0],
    [
      'WRITE_MULTIPLE_REGISTERS',
      16,
      modbusRequest(c, 1, 'WRITE_MULTIPLE_REGISTERS', { address: 0, quantity: 4 }).fields,
      0,
    ],
    [
      'an exception response',
      3,
      modbusResponse(c, 1, 'READ_HOLDING_REGISTERS', { exception: 'ILLEGAL_DATA_ADDRESS' }).fields,
      1,
    ],
    ['a plain response', 1, modbusResponse(c, 1, 'READ_COILS').fields, 1],
    ['DIAGNOSTICS', 8, modbusRequest(c, 1, 'DIAGNOSTICS').fields, 0],
    [
      'READ_WRITE_MULTIPLE_REGISTERS',
      23,
      modbusRequest(c, 1, 'READ_WRITE_MULTIPLE_REGISTERS', {
        address: 0,
        quantity: 2,
        writeAddress: 10,
        writeQuantity: 3,
      }).fields,
      0,
    ],
  ];

  for (const [name, code, fields, dir] of rows) {
    test(`${name}: the same calls with the function code as without it`, () => {
      // Without a function code the reader cannot tell a plain record: only the verdict differs.
      const general = calls(fields, dir);
      assert.equal(general.pop(), 'not plain');
      const coded = calls({ ...fields, 'modbus.func_code': code }, dir);
      assert.equal(coded.pop(), [1, 2, 3, 4, 5, 6, 15, 16].includes(code) ? 'plain' : 'not plain');
      assert.deepEqual(coded, general);
    });
  }

  test('what a table read and a read/write request record, and which is plain', () => {
    assert.deepEqual(calls({ ...rows[1][2], 'modbus.func_code': 3 }, 0), [
      'request READ_HOLDING_REGISTERS read',
      'unit 1',
      'touch holding_register 100 10 false',
      'plain',
    ]);
    assert.deepEqual(calls(rows[9][2], 0), [
      'request READ_WRITE_MULTIPLE_REGISTERS read_write',
      'unit 1',
      'touch holding_register 0 2 false',
      'touch holding_register 10 3 true',
      'not plain',
    ]);
  });
});
