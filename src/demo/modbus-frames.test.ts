import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EXCEPTION_CODE,
  type ModbusRequest,
  writeDiagnostics,
  writeExceptionResponse,
  writeModbusRequest,
  writeReadBitsResponse,
  writeReadDeviceIdResponse,
  writeReadRegistersResponse,
  writeWriteResponse,
} from './modbus-frames.ts';
import { identificationObjects, ModbusServer, type ModbusServerSpec } from './modbus-server.ts';
import { Prng } from './prng.ts';

/** Splits an ADU into its MBAP fields and the PDU (hex), checking the length field. */
function pdu(buf: Buffer, length: number, transactionId = 0x0102, unit = 0x11): string {
  assert.equal(buf.readUInt16BE(0), transactionId, 'transaction id');
  assert.equal(buf.readUInt16BE(2), 0, 'protocol id');
  assert.equal(buf.readUInt16BE(4), length - 6, 'MBAP length counts unit id and PDU');
  assert.equal(buf[6], unit, 'unit id');
  return buf.subarray(7, length).toString('hex');
}

/** Unpacks spec example bytes into one element per bit, starting at `address`. */
function bitsFrom(hex: string, address: number, quantity: number): Uint8Array {
  const bytes = Buffer.from(hex, 'hex');
  const bits = new Uint8Array(address + quantity + 8).fill(1); // neighbours set: must not leak
  for (let i = 0; i < quantity; i++) bits[address + i] = (bytes[i >> 3] >> (i & 7)) & 1;
  return bits;
}

// The request and response examples of the Modbus Application Protocol Specification V1.1b3, §6.
const requestExamples: [string, ModbusRequest, string][] = [
  [
    '§6.1 read coils 20-38',
    { kind: 'read', unit: 0x11, functionCode: 1, address: 19, quantity: 19 },
    '0100130013',
  ],
  [
    '§6.2 read discrete inputs 197-218',
    { kind: 'read', unit: 0x11, functionCode: 2, address: 196, quantity: 22 },
    '0200c40016',
  ],
  [
    '§6.3 read holding registers 108-110',
    { kind: 'read', unit: 0x11, functionCode: 3, address: 107, quantity: 3 },
    '03006b0003',
  ],
  [
    '§6.4 read input register 9',
    { kind: 'read', unit: 0x11, functionCode: 4, address: 8, quantity: 1 },
    '0400080001',
  ],
  [
    '§6.5 write single coil 173 ON',
    { kind: 'write-single-coil', unit: 0x11, address: 172, on: true },
    '0500acff00',
  ],
  [
    '§6.6 write register 2 = 3',
    { kind: 'write-single-register', unit: 0x11, address: 1, value: 3 },
    '0600010003',
  ],
  [
    '§6.8 diagnostics return query data',
    { kind: 'diagnostics', unit: 0x11, subFunction: 0, data: 0xa537 },
    '080000a537',
  ],
  [
    '§6.11 write coils 20-29',
    {
      kind: 'write-multiple-coils',
      unit: 0x11,
      address: 19,
      bits: [true, false, true, true, false, false, true, true, true, false],
    },
    '0f0013000a02cd01',
  ],
  [
    '§6.12 write registers 2-3',
    { kind: 'write-multiple-registers', unit: 0x11, address: 1, values: [0x000a, 0x0102] },
    '100001000204000a0102',
  ],
  [
    '§6.21 read device identification',
    { kind: 'read-device-identification', unit: 0x11, readDeviceIdCode: 1, objectId: 0 },
    '2b0e0100',
  ],
];

describe('Modbus requests (V1.1b3 examples)', () => {
  for (const [name, request, expected] of requestExamples) {
    it(name, () => {
      const buf = Buffer.alloc(300, 0xee);
      const n = writeModbusRequest(buf, 0, 0x0102, request);
      assert.equal(pdu(buf, n), expected);
    });
  }
});

describe('Modbus responses (V1.1b3 examples)', () => {
  const buf = Buffer.alloc(300, 0xee);
  it('§6.1 read coils: CD 6B 05', () => {
    const n = writeReadBitsResponse(buf, 0, 0x0102, 0x11, 1, bitsFrom('cd6b05', 19, 19), 19, 19);
    assert.equal(pdu(buf, n), '0103cd6b05');
  });
  it('§6.2 read discrete inputs: AC DB 35', () => {
    const n = writeReadBitsResponse(buf, 0, 0x0102, 0x11, 2, bitsFrom('acdb35', 196, 22), 196, 22);
    assert.equal(pdu(buf, n), '0203acdb35');
  });
  it('§6.3 read holding registers: 555, 0, 100', () => {
    const registers = new Uint16Array(200);
    registers.set([0x022b, 0x0000, 0x0064], 107);
    const n = writeReadRegistersResponse(buf, 0, 0x0102, 0x11, 3, registers, 107, 3);
    assert.equal(pdu(buf, n), '0306022b00000064');
  });
  it('§6.11 and §6.12 write responses echo address and quantity', () => {
    assert.equal(pdu(buf, writeWriteResponse(buf, 0, 0x0102, 0x11, 15, 19, 10)), '0f0013000a');
    assert.equal(pdu(buf, writeWriteResponse(buf, 0, 0x0102, 0x11, 16, 1, 2)), '1000010002');
  });
  it('§6.8 diagnostics echo', () => {
    assert.equal(pdu(buf, writeDiagnostics(buf, 0, 0x0102, 0x11, 0, 0xa537)), '080000a537');
  });
  it('§6.21 read device identification: the specification example', () => {
    const n = writeReadDeviceIdResponse(buf, 0, 0x0102, 0x11, 1, 0x01, false, 0, [
      { id: 0, value: 'Company identification' },
      { id: 1, value: 'Product code XX' },
      { id: 2, value: 'V2.11' },
    ]);
    const expected =
      '2b0e0101000003' +
      `0016${Buffer.from('Company identification').toString('hex')}` +
      `010f${Buffer.from('Product code XX').toString('hex')}` +
      `0205${Buffer.from('V2.11').toString('hex')}`;
    assert.equal(pdu(buf, n), expected);
  });
  it('§7 exception response: function code | 0x80, exception code', () => {
    assert.equal(
      pdu(buf, writeExceptionResponse(buf, 0, 0x0102, 0x11, 3, EXCEPTION_CODE.ILLEGAL_DATA_ADDRESS)),
      '8302',
    );
  });
});

describe('ModbusServer', () => {
  const spec: ModbusServerSpec = {
    units: [1],
    gateway: false,
    map: {
      holdingRegisters: 100,
      inputRegisters: 10,
      coils: 16,
      discreteInputs: 0,
      registers: [{ kind: 'fixed', space: 'holding', address: 10, values: [500, 501] }],
      bits: [],
    },
    functionCodes: [1, 2, 3, 4, 5, 6, 8, 15, 16, 43],
    diagnostics: [0],
    identification: {
      vendorName: 'Schneider Electric',
      productCode: 'BMX P34 2020',
      revision: 'v3.20',
      productName: 'Modicon M340',
      modelName: 'BMX P34 2020',
      conformityLevel: 0x82,
    },
    responseMicros: [1000, 2000],
    slaveTimeoutChance: 0,
    slaveTimeoutMicros: 0,
  };
  const answer = (server: ModbusServer, request: ModbusRequest): string => {
    const buf = Buffer.alloc(300);
    const exception = server.decide(request);
    return pdu(buf, server.writeResponse(buf, 0, 0x0102, request, exception, 0), 0x0102, request.unit);
  };

  it('validates quantity before address, and answers the exceptions of §7', () => {
    const server = new ModbusServer(spec, new Prng(1), 0);
    assert.equal(
      answer(server, { kind: 'read', unit: 1, functionCode: 3, address: 95, quantity: 10 }),
      '8302',
    );
    assert.equal(
      answer(server, { kind: 'read', unit: 1, functionCode: 3, address: 200, quantity: 126 }),
      '8303',
    );
    assert.equal(answer(server, { kind: 'read', unit: 1, functionCode: 2, address: 0, quantity: 1 }), '8202');
    assert.equal(answer(server, { kind: 'diagnostics', unit: 1, subFunction: 0x0b, data: 0 }), '8801');
    const noId = new ModbusServer({ ...spec, functionCodes: [3], identification: null }, new Prng(1), 0);
    assert.equal(
      answer(noId, { kind: 'read-device-identification', unit: 1, readDeviceIdCode: 1, objectId: 0 }),
      'ab01',
    );
  });

  it('applies writes to the process image', () => {
    const server = new ModbusServer(spec, new Prng(1), 0);
    assert.equal(
      answer(server, { kind: 'read', unit: 1, functionCode: 3, address: 10, quantity: 2 }),
      '030401f401f5',
    );
    assert.equal(
      answer(server, { kind: 'write-single-register', unit: 1, address: 11, value: 520 }),
      '06000b0208',
    );
    assert.equal(
      answer(server, { kind: 'read', unit: 1, functionCode: 3, address: 10, quantity: 2 }),
      '030401f40208',
    );
    assert.equal(
      answer(server, { kind: 'write-multiple-coils', unit: 1, address: 0, bits: [true, true, false] }),
      '0f00000003',
    );
    assert.equal(
      answer(server, { kind: 'read', unit: 1, functionCode: 1, address: 0, quantity: 3 }),
      '010103',
    );
  });

  it('streams basic and regular identification objects (§6.21)', () => {
    const server = new ModbusServer(spec, new Prng(1), 0);
    const basic = answer(server, {
      kind: 'read-device-identification',
      unit: 1,
      readDeviceIdCode: 1,
      objectId: 0,
    });
    assert.ok(basic.startsWith('2b0e0182000003'));
    assert.ok(Buffer.from(basic, 'hex').includes('Schneider Electric'));
    const regular = answer(server, {
      kind: 'read-device-identification',
      unit: 1,
      readDeviceIdCode: 2,
      objectId: 0,
    });
    assert.ok(regular.startsWith('2b0e0282000005'), regular);
    const single = answer(server, {
      kind: 'read-device-identification',
      unit: 1,
      readDeviceIdCode: 4,
      objectId: 5,
    });
    assert.equal(single, `2b0e0482000001050c${Buffer.from('BMX P34 2020').toString('hex')}`);
    assert.deepEqual(
      identificationObjects(spec.identification!).map((o) => o.id),
      [0, 1, 2, 4, 5],
    );
  });

  it('a gateway refuses unknown unit ids with GATEWAY_PATH_UNAVAILABLE', () => {
    const gateway = new ModbusServer({ ...spec, units: [1, 2], gateway: true }, new Prng(1), 0);
    assert.equal(
      answer(gateway, { kind: 'read', unit: 7, functionCode: 3, address: 0, quantity: 1 }),
      '830a',
    );
    assert.ok(
      answer(gateway, { kind: 'read', unit: 2, functionCode: 3, address: 0, quantity: 1 }).startsWith('0302'),
    );
  });
});
