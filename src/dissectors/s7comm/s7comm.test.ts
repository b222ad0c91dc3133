// Table-driven tests of the ISO-on-TCP, S7comm and S7comm-plus dissectors (STYLE.md 8): valid rows
// per function, malformed rows (truncated, bad length, bad protocol id), the same conversation fed
// in chunks of every size, resynchronisation, bounded state, and hostile input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type RecordedEvent, RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Direction, Fields } from '../types.ts';
import {
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_PENDING_REQUESTS,
  s7commDissector,
  s7commPlusDissector,
} from './dissector.ts';
import { MAX_EVENT_ITEMS, MAX_SDU_LENGTH, MAX_TPKT_LENGTH, parseS7, S7Aux } from './parser.ts';
import { FUNCTION_OPERATIONS, OPERATIONS } from './spec.ts';
import {
  ack,
  blockFile,
  CPU_1516,
  componentIdentification,
  connectionConfirm,
  connectionRequest,
  disconnectRequest,
  downloadBlock,
  downloadBlockAck,
  downloadEnded,
  dt,
  endUpload,
  endUploadAck,
  functionAck,
  job,
  moduleIdentification,
  plcControl,
  plcControlBlocks,
  plcPassword,
  plcPasswordResponse,
  plcStop,
  plusContinuation,
  plusFrame,
  readClockResponse,
  readSzl,
  readSzlFollowUp,
  readVar,
  readVarResponse,
  requestDownload,
  s7Pdu,
  segmented,
  setupCommunication,
  setupCommunicationAck,
  startUpload,
  startUploadAck,
  tpkt,
  upload,
  uploadAck,
  type VarItem,
  writeVar,
  writeVarResponse,
} from './testing.ts';

const S7 = s7commDissector;
const PLUS = s7commPlusDissector;

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const msgs = (ctx: RecordingContext): Fields[] => ctx.messages();
const one = (bytes: Uint8Array, dir: Direction = 0, d = S7): Fields => {
  const ctx = replay(d, [[dir, 1, bytes]]);
  assert.deepEqual(ctx.violations(), [], 'no violation');
  assert.equal(ctx.messages().length, 1);
  return ctx.messages()[0];
};

const DB1: VarItem = { area: 'DB', db: 1, start: 10, size: 'BYTE', count: 4 };
const Q0: VarItem = { area: 'Q', start: 0, bit: 3, size: 'BIT', count: 1 };

describe('probe', () => {
  const cases: [string, Uint8Array, 'yes' | 'no' | 'maybe', 'yes' | 'no' | 'maybe'][] = [
    ['empty', new Uint8Array(0), 'maybe', 'maybe'],
    ['first byte of a TPKT', new Uint8Array([3]), 'maybe', 'maybe'],
    ['partial TPKT header', new Uint8Array([3, 0, 0]), 'maybe', 'maybe'],
    ['COTP CR alone', connectionRequest(), 'maybe', 'maybe'],
    ['CR then an S7comm job', concat(connectionRequest(), setupCommunication(0)), 'yes', 'no'],
    ['an S7comm job picked up mid-stream', readVar(7, [DB1]), 'yes', 'no'],
    ['an S7comm-plus request', plusFrame({ opcode: 'REQUEST', function: 'EXPLORE' }), 'no', 'yes'],
    [
      'CR then S7comm-plus',
      concat(connectionRequest({ calledTsapText: 'SIMATIC-ROOT-HMI' }), plusFrame({ opcode: 'REQUEST' })),
      'no',
      'yes',
    ],
    ['a partial S7 DT', setupCommunication(0).subarray(0, 12), 'maybe', 'no'],
    [
      'the first DT of a segmented S7 PDU',
      segmented(s7Pdu(1, 1, [0x04, 1, 0x12]), 8).subarray(0, 15),
      'yes',
      'no',
    ],
    [
      'MMS over the same COTP (session CONNECT SPDU)',
      dt(new Uint8Array([0x0d, 0xb0, 0x05, 0x06])),
      'no',
      'no',
    ],
    [
      'S7 header that does not parse',
      dt(new Uint8Array([0x32, 0x01, 0, 0, 0, 1, 0xff, 0xff, 0, 0])),
      'no',
      'no',
    ],
    ['TPKT version 4', new Uint8Array([4, 0, 0, 7, 2, 0xf0, 0x80]), 'no', 'no'],
    ['HTTP', new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 'no', 'no'],
    ['TLS on 102', new Uint8Array([0x16, 3, 1, 0, 5, 1, 0, 0, 1, 0]), 'no', 'no'],
  ];
  for (const [name, bytes, s7, plus] of cases) {
    it(`${name}: s7comm ${s7}, s7comm_plus ${plus}`, () => {
      assert.equal(S7.probe(0, bytes), s7);
      assert.equal(PLUS.probe(0, bytes), plus);
    });
  }
});

describe('COTP control TPDUs', () => {
  it('CR and CC: references, TSAPs, TPDU size, rack and slot', () => {
    const cr = one(connectionRequest({ rack: 0, slot: 2, type: 1 }));
    assert.deepEqual(
      [cr['s7comm.function'], cr['s7comm.operation'], cr['s7comm.cotp.pdu'], cr['s7comm.cotp.src_ref']],
      ['COTP_CONNECTION_REQUEST', 'other', 'CR', 1],
    );
    assert.deepEqual(
      [cr['s7comm.cotp.src_tsap'], cr['s7comm.cotp.dst_tsap'], cr['s7comm.cotp.tpdu_size']],
      ['0100', '0102', 1024],
    );
    assert.deepEqual([cr['s7comm.connection_type'], cr['s7comm.rack'], cr['s7comm.slot']], ['PG', 0, 2]);
    const cc = one(connectionConfirm({ rack: 1, slot: 3, type: 2 }), 1);
    assert.deepEqual(
      [cc['s7comm.cotp.pdu'], cc['s7comm.connection_type'], cc['s7comm.rack'], cc['s7comm.slot']],
      ['CC', 'OP', 1, 3],
    );
  });

  it('S7comm-plus TSAPs print as text', () => {
    const cr = one(connectionRequest({ calledTsapText: 'SIMATIC-ROOT-HMI' }), 0, PLUS);
    assert.equal(cr['s7comm_plus.cotp.dst_tsap'], 'SIMATIC-ROOT-HMI');
    assert.equal(cr['s7comm_plus.function'], 'COTP_CONNECTION_REQUEST');
  });

  it('DR with its reason', () => {
    const dr = one(disconnectRequest(128));
    assert.deepEqual(
      [dr['s7comm.function'], dr['s7comm.cotp.reason']],
      ['COTP_DISCONNECT_REQUEST', 'NORMAL_DISCONNECT'],
    );
  });
});

describe('S7comm jobs and answers', () => {
  const rows: [string, Uint8Array, Direction, Record<string, unknown>][] = [
    [
      'SETUP_COMMUNICATION',
      setupCommunication(0, 960),
      0,
      {
        's7comm.function': 'SETUP_COMMUNICATION',
        's7comm.rosctr': 'JOB',
        's7comm.pdu_size': 960,
        's7comm.operation': 'other',
      },
    ],
    [
      'SETUP_COMMUNICATION answer',
      setupCommunicationAck(0, 480),
      1,
      {
        's7comm.rosctr': 'ACK_DATA',
        's7comm.pdu_size': 480,
        's7comm.error_class': 'NO_ERROR',
        's7comm.error': null,
      },
    ],
    [
      'READ_VAR',
      readVar(1, [DB1, Q0]),
      0,
      {
        's7comm.function': 'READ_VAR',
        's7comm.operation': 'read',
        's7comm.item_count': 2,
        's7comm.areas': ['DB', 'Q'],
        's7comm.db_numbers': [1, 0],
        's7comm.addresses': [10, 0],
        's7comm.bit_offsets': [0, 3],
        's7comm.transport_sizes': ['BYTE', 'BIT'],
        's7comm.counts': [4, 1],
      },
    ],
    [
      'READ_VAR answer',
      readVarResponse(1, [new Uint8Array([1, 2, 3]), new Uint8Array([1])]),
      1,
      {
        's7comm.function': 'READ_VAR',
        's7comm.return_codes': ['SUCCESS', 'SUCCESS'],
        's7comm.item_count': 2,
      },
    ],
    [
      'WRITE_VAR',
      writeVar(2, [DB1], [new Uint8Array([9, 8, 7, 6])]),
      0,
      {
        's7comm.function': 'WRITE_VAR',
        's7comm.operation': 'write',
        's7comm.areas': ['DB'],
        's7comm.byte_count': 4,
      },
    ],
    [
      'WRITE_VAR answer',
      writeVarResponse(2, [0xff, 0x05]),
      1,
      { 's7comm.return_codes': ['SUCCESS', 'INVALID_ADDRESS'], 's7comm.operation': 'write' },
    ],
    [
      'START_UPLOAD',
      startUpload(3, blockFile('0A', 17)),
      0,
      {
        's7comm.function': 'START_UPLOAD',
        's7comm.operation': 'program',
        's7comm.filename': '_0A00017A',
        's7comm.block_type': 'DB',
        's7comm.block_number': 17,
        's7comm.filesystem': 'ACTIVE',
        's7comm.session_id': 0,
      },
    ],
    [
      'START_UPLOAD answer',
      startUploadAck(3, 7, 216),
      1,
      { 's7comm.session_id': 7, 's7comm.block_length': 216, 's7comm.function_status': 0 },
    ],
    ['UPLOAD', upload(4, 7), 0, { 's7comm.function': 'UPLOAD', 's7comm.session_id': 7 }],
    ['UPLOAD answer', uploadAck(4, new Uint8Array(216)), 1, { 's7comm.block_length': 216 }],
    ['END_UPLOAD', endUpload(5, 7), 0, { 's7comm.function': 'END_UPLOAD', 's7comm.operation': 'program' }],
    ['END_UPLOAD answer', endUploadAck(5), 1, { 's7comm.function': 'END_UPLOAD' }],
    [
      'REQUEST_DOWNLOAD',
      requestDownload(6, blockFile('0C', 3, 'P'), 1234, 400),
      0,
      {
        's7comm.function': 'REQUEST_DOWNLOAD',
        's7comm.block_type': 'FC',
        's7comm.block_number': 3,
        's7comm.filesystem': 'PASSIVE',
        's7comm.block_length': 1234,
      },
    ],
    [
      'DOWNLOAD_BLOCK from the CPU',
      downloadBlock(7, blockFile('0C', 3, 'P')),
      1,
      { 's7comm.function': 'DOWNLOAD_BLOCK', 's7comm.operation': 'program', 's7comm.block_type': 'FC' },
    ],
    [
      'DOWNLOAD_BLOCK answer from the station',
      downloadBlockAck(7, new Uint8Array(100)),
      0,
      { 's7comm.block_length': 100 },
    ],
    [
      'DOWNLOAD_ENDED',
      downloadEnded(8, blockFile('0C', 3, 'P')),
      1,
      { 's7comm.function': 'DOWNLOAD_ENDED', 's7comm.block_number': 3 },
    ],
    [
      'PLC_CONTROL _INSE',
      plcControlBlocks(9, '_INSE', [
        ['0C', 3],
        ['0A', 1],
      ]),
      0,
      {
        's7comm.function': 'PLC_CONTROL',
        's7comm.pi_service': '_INSE',
        's7comm.operation': 'program',
        's7comm.block_count': 2,
        's7comm.blocks': ['FC 3', 'DB 1'],
        's7comm.block_type': 'FC',
        's7comm.filesystem': 'PASSIVE',
      },
    ],
    [
      'PLC_CONTROL _DELE',
      plcControlBlocks(10, '_DELE', [['08', 35]]),
      0,
      { 's7comm.pi_service': '_DELE', 's7comm.operation': 'program', 's7comm.blocks': ['OB 35'] },
    ],
    [
      'PLC_CONTROL P_PROGRAM (start)',
      plcControl(11, 'P_PROGRAM', 'C '),
      0,
      { 's7comm.pi_service': 'P_PROGRAM', 's7comm.pi_argument': 'C', 's7comm.operation': 'control' },
    ],
    [
      'PLC_CONTROL _MODU (copy RAM to ROM)',
      plcControl(12, '_MODU', 'EP'),
      0,
      { 's7comm.pi_service': '_MODU', 's7comm.operation': 'program' },
    ],
    [
      'PLC_CONTROL NC login',
      plcControl(13, '_N_LOGIN_'),
      0,
      { 's7comm.pi_service': '_N_LOGIN_', 's7comm.operation': 'auth' },
    ],
    ['PLC_CONTROL NC file service', plcControl(14, '_N_F_DELE'), 0, { 's7comm.operation': 'file' }],
    [
      'PLC_CONTROL unknown service',
      plcControl(15, '_XYZ'),
      0,
      { 's7comm.pi_service': '_XYZ', 's7comm.operation': 'control' },
    ],
    [
      'PLC_STOP',
      plcStop(16),
      0,
      { 's7comm.function': 'PLC_STOP', 's7comm.pi_service': 'P_PROGRAM', 's7comm.operation': 'control' },
    ],
    [
      'unknown function',
      job(17, [0x99]),
      0,
      { 's7comm.function': 'UNKNOWN-153', 's7comm.operation': 'other' },
    ],
    ['CPU_SERVICES', job(18, [0x00, 0x01]), 0, { 's7comm.function': 'CPU_SERVICES' }],
  ];
  for (const [name, bytes, dir, want] of rows) {
    it(name, () => {
      const f = one(bytes, dir);
      for (const [k, v] of Object.entries(want)) assert.deepEqual(f[k], v, k);
      assert.ok((OPERATIONS as readonly unknown[]).includes(f['s7comm.operation']));
    });
  }

  it('every job function has an operation', () => {
    for (const op of Object.values(FUNCTION_OPERATIONS)) assert.ok(OPERATIONS.includes(op));
  });

  it('item lists are capped at MAX_EVENT_ITEMS; the count is kept', () => {
    const items = Array.from(
      { length: MAX_EVENT_ITEMS + 8 },
      (_, i): VarItem => ({ area: 'M', start: i, size: 'BYTE', count: 1 }),
    );
    const f = one(readVar(1, items));
    assert.equal(f['s7comm.item_count'], MAX_EVENT_ITEMS + 8);
    assert.equal((f['s7comm.areas'] as string[]).length, MAX_EVENT_ITEMS);
  });
});

describe('pairing answers with jobs by PDU reference', () => {
  it('a PLC_CONTROL answer inherits the PI service and operation', () => {
    const ctx = replay(S7, [
      [0, 1, plcControl(0x0101, '_MODU', 'EP')],
      [1, 2, functionAck(0x0101, 0x28)],
    ]);
    const [, answer] = msgs(ctx);
    assert.deepEqual(
      [answer['s7comm.function'], answer['s7comm.pi_service'], answer['s7comm.operation']],
      ['PLC_CONTROL', '_MODU', 'program'],
    );
  });

  it('an ACK without parameter is named after its job and carries the error', () => {
    const ctx = replay(S7, [
      [0, 1, startUpload(21, blockFile('08', 0))],
      [1, 2, ack(21, 0xd20c)],
    ]);
    const [, answer] = msgs(ctx);
    assert.deepEqual(
      [
        answer['s7comm.rosctr'],
        answer['s7comm.function'],
        answer['s7comm.error_code'],
        answer['s7comm.error'],
        answer['s7comm.operation'],
      ],
      ['ACK', 'START_UPLOAD', 0xd20c, 'OB_PRIORITY_CLASS_MISSING', 'program'],
    );
  });

  it('an ACK nobody asked for is named by its ROSCTR', () => {
    assert.equal(one(ack(99, 0x8104), 1)['s7comm.function'], 'ACK');
  });

  it('pending jobs are bounded: the oldest is forgotten', () => {
    const tx: Transmission[] = [];
    for (let i = 0; i <= MAX_PENDING_REQUESTS; i++) tx.push([0, i, plcControl(i, '_GARB')]);
    tx.push([1, 100, functionAck(0, 0x28)], [1, 101, functionAck(1, 0x28)]);
    const answers = msgs(replay(S7, tx)).slice(-2);
    assert.deepEqual(
      answers.map((a) => a['s7comm.pi_service'] ?? null),
      [null, '_GARB'],
    );
  });
});

describe('userdata', () => {
  it('READ_SZL request: id, index, list name, discovery for identity lists', () => {
    const f = one(readSzl(1, 0x0011, 0));
    assert.deepEqual(
      [
        f['s7comm.function'],
        f['s7comm.group'],
        f['s7comm.userdata_type'],
        f['s7comm.szl_id'],
        f['s7comm.szl_name'],
        f['s7comm.operation'],
      ],
      ['READ_SZL', 'CPU_FUNCTIONS', 'REQUEST', 0x11, 'MODULE_IDENTIFICATION', 'discovery'],
    );
    assert.equal(one(readSzl(2, 0x00a0, 0))['s7comm.operation'], 'diagnostic');
    assert.equal(one(readSzl(3, 0x011c, 1))['s7comm.operation'], 'discovery');
  });

  it('SZL 0x0011 answer: order number, hardware and firmware as device identity', () => {
    const f = one(moduleIdentification(1), 1);
    assert.deepEqual(
      [
        f['s7comm.device.vendor'],
        f['s7comm.device.model'],
        f['s7comm.device.hardware'],
        f['s7comm.device.firmware'],
      ],
      ['Siemens', CPU_1516.orderNumber, '3', 'V2.8.3'],
    );
  });

  it('a third-party order number does not claim Siemens', () => {
    const f = one(
      moduleIdentification(1, { orderNumber: 'VIPA 315-4PN43', hardware: 1, firmware: [3, 7, 5] }),
      1,
    );
    assert.equal(f['s7comm.device.vendor'], undefined);
    assert.equal(f['s7comm.device.model'], 'VIPA 315-4PN43');
  });

  it('SZL 0x001C answer: names, serial, module type', () => {
    const f = one(componentIdentification(1), 1);
    assert.deepEqual(
      [
        f['s7comm.device.name'],
        f['s7comm.device.serial'],
        f['s7comm.device.product'],
        f['s7comm.device.description'],
        f['s7comm.device.vendor'],
      ],
      [CPU_1516.moduleName, CPU_1516.serial, CPU_1516.moduleType, CPU_1516.plantId, 'Siemens'],
    );
    assert.equal(f['s7comm.szl.system_name'], CPU_1516.systemName);
    assert.equal(f['s7comm.szl.memory_card_serial'], CPU_1516.memoryCardSerial);
  });

  it('an SZL answer split mid-record is joined across fragments and the follow-up request', () => {
    // 34-byte records; cutting at 80 splits the third record (plant id) between the two PDUs.
    const both = componentIdentification(0x10, CPU_1516, 80);
    const firstLen = (both[2] << 8) | both[3];
    const ctx = replay(S7, [
      [0, 1, readSzl(0x0f, 0x001c)],
      [1, 2, both.subarray(0, firstLen)],
      [0, 3, readSzlFollowUp(0x11, 2)],
      [1, 4, both.subarray(firstLen)],
    ]);
    assert.deepEqual(ctx.violations(), []);
    const [, first, followUp, last] = msgs(ctx);
    assert.equal(first['s7comm.device.name'], CPU_1516.moduleName);
    assert.equal(first['s7comm.szl.plant_id'], undefined, 'the plant id record is cut');
    assert.deepEqual([followUp['s7comm.szl_id'], followUp['s7comm.operation']], [0x1c, 'discovery']);
    assert.deepEqual(
      [
        last['s7comm.szl_id'],
        last['s7comm.szl.plant_id'],
        last['s7comm.device.serial'],
        last['s7comm.device.product'],
      ],
      [0x1c, CPU_1516.plantId, CPU_1516.serial, CPU_1516.moduleType],
    );
  });

  it('PLC_PASSWORD is auth and never carries the password', () => {
    const f = one(plcPassword(1));
    assert.deepEqual(
      [f['s7comm.function'], f['s7comm.group'], f['s7comm.operation']],
      ['PLC_PASSWORD', 'SECURITY', 'auth'],
    );
    assert.ok(!JSON.stringify(f).includes('UtlF'));
    const refused = one(plcPasswordResponse(1, 0xd602), 1);
    assert.equal(refused['s7comm.error'], 'UNKNOWN-54786');
  });

  it('READ_CLOCK answer carries the PLC time', () => {
    assert.equal(one(readClockResponse(1), 1)['s7comm.clock'], '2024-05-17T08:30:15.250');
  });
});

describe('S7comm-plus', () => {
  it('request: function, sequence number, session id, integrity', () => {
    const f = one(
      plusFrame({
        opcode: 'REQUEST',
        function: 'SET_VARIABLE',
        seq: 0x831a,
        sessionId: 0x70000e4d,
        transportFlags: 0x74,
      }),
      0,
      PLUS,
    );
    assert.deepEqual(
      [
        f['s7comm_plus.opcode'],
        f['s7comm_plus.function'],
        f['s7comm_plus.operation'],
        f['s7comm_plus.seq'],
        f['s7comm_plus.session_id'],
        f['s7comm_plus.transport_flags'],
        f['s7comm_plus.integrity'],
        f['s7comm_plus.version'],
      ],
      ['REQUEST', 'SET_VARIABLE', 'write', 0x831a, 0x70000e4d, 0x74, true, 3],
    );
  });

  it('V1 response without digest, notification with subscription id', () => {
    const r = one(plusFrame({ version: 1, opcode: 'RESPONSE', function: 'CREATE_OBJECT', seq: 2 }), 1, PLUS);
    assert.deepEqual(
      [
        r['s7comm_plus.function'],
        r['s7comm_plus.operation'],
        r['s7comm_plus.integrity'],
        r['s7comm_plus.seq'],
      ],
      ['CREATE_OBJECT', 'auth', false, 2],
    );
    const n = one(plusFrame({ opcode: 'NOTIFICATION', subscriptionId: 0x70000e51 }), 1, PLUS);
    assert.deepEqual(
      [
        n['s7comm_plus.opcode'],
        n['s7comm_plus.function'],
        n['s7comm_plus.subscription_id'],
        n['s7comm_plus.operation'],
      ],
      ['NOTIFICATION', null, 0x70000e51, 'read'],
    );
  });

  it('a fragmented PDU is one event; continuation frames are not events', () => {
    const ctx = replay(PLUS, [
      [0, 1, plusFrame({ opcode: 'REQUEST', function: 'SET_MULTI_VARIABLES', noTrailer: true })],
      [0, 2, plusContinuation(new Uint8Array(50), false)],
      [0, 3, plusContinuation(new Uint8Array(20), true)],
      [0, 4, plusFrame({ opcode: 'REQUEST', function: 'GET_MULTI_VARIABLES' })],
    ]);
    assert.deepEqual(ctx.violations(), []);
    assert.deepEqual(
      msgs(ctx).map((m) => m['s7comm_plus.function']),
      ['SET_MULTI_VARIABLES', 'GET_MULTI_VARIABLES'],
    );
  });

  it('TLS after INIT_SSL: one event, then the rest is ignored', () => {
    const ctx = replay(PLUS, [
      [0, 1, plusFrame({ opcode: 'REQUEST', function: 'INIT_SSL' })],
      [0, 2, dt(new Uint8Array([0x16, 0x03, 0x03, 0x00, 0x10, 1, 2, 3]))],
      [0, 3, dt(new Uint8Array([0x17, 0x03, 0x03, 0x00, 0x10, 1, 2, 3]))],
    ]);
    assert.deepEqual(
      msgs(ctx).map((m) => m['s7comm_plus.opcode']),
      ['REQUEST', 'TLS'],
    );
    assert.equal(ctx.ignoredRest, true);
  });

  it('the other protocol on a pinned connection is named, not dropped', () => {
    assert.equal(one(plusFrame({ opcode: 'REQUEST' }), 0, S7)['s7comm.function'], 'S7COMM_PLUS');
    assert.equal(one(readVar(1, [DB1]), 0, PLUS)['s7comm_plus.opcode'], 'S7COMM');
  });
});

/** A conversation touching every path: COTP, jobs, userdata, a split SZL answer, segmentation. */
function conversation(): Transmission[] {
  const split = componentIdentification(0x20, CPU_1516, 80);
  const firstLen = (split[2] << 8) | split[3];
  return [
    [0, 1, connectionRequest()],
    [1, 2, connectionConfirm()],
    [0, 3, setupCommunication(0)],
    [1, 4, setupCommunicationAck(0)],
    [0, 5, readSzl(1, 0x0011)],
    [1, 6, moduleIdentification(1)],
    [0, 7, readSzl(0x1f, 0x001c)],
    [1, 8, split.subarray(0, firstLen)],
    [0, 9, readSzlFollowUp(0x20, 2)],
    [1, 10, split.subarray(firstLen)],
    [0, 11, concat(readVar(2, [DB1, Q0]), writeVar(3, [DB1], [new Uint8Array([1, 2, 3, 4])]))],
    [1, 12, concat(readVarResponse(2, [new Uint8Array(4), new Uint8Array(1)]), writeVarResponse(3, [0xff]))],
    [
      0,
      13,
      segmented(
        s7Pdu(
          1,
          4,
          [0x05, 1, 0x12, 0x0a, 0x10, 2, 0, 8, 0, 1, 0x84, 0, 0, 0],
          [0, 4, 0, 64, 1, 2, 3, 4, 5, 6, 7, 8],
        ),
        7,
      ),
    ],
    [0, 14, plcControl(5, 'P_PROGRAM', 'C ')],
    [1, 15, functionAck(5, 0x28)],
    [0, 16, disconnectRequest()],
  ];
}

describe('the same conversation in chunks of every size', () => {
  const whole = replay(S7, conversation());
  it('is decoded whole without violations', () => {
    assert.deepEqual(whole.violations(), []);
    assert.equal(whole.messages().length, 18);
    const segmentedWrite = whole.messages().find((m) => m['s7comm.pdu_ref'] === 4)!;
    // 36 bytes (10 header, 14 parameter, 12 data) in DTs of 7: six TPDUs.
    assert.deepEqual(
      [
        segmentedWrite['s7comm.function'],
        segmentedWrite['s7comm.cotp.tpdus'],
        segmentedWrite['s7comm.byte_count'],
      ],
      ['WRITE_VAR', 6, 8],
    );
  });
  const longest = Math.max(...conversation().map(([, , b]) => b.length));
  for (let size = 1; size <= longest; size++) {
    it(`chunks of ${size}`, () => {
      assert.deepEqual(replay(S7, conversation(), size).events, whole.events);
    });
  }
});

describe('malformed input', () => {
  const good = readVar(9, [DB1]);
  const rows: [string, Uint8Array, RegExp][] = [
    ['TPKT length below 7', new Uint8Array([3, 0, 0, 5, 2]), /shorter than a TPKT/],
    ['TPKT version 2', new Uint8Array([2, 0, 0, 7, 2, 0xf0, 0x80]), /TPKT version 2/],
    [
      'TPKT longer than the limit',
      new Uint8Array([3, 0, 0xff, 0xff, 2, 0xf0, 0x80]),
      /exceeds the 8196-byte limit/,
    ],
    ['COTP length indicator past the TPKT', tpkt(new Uint8Array([9, 0xf0, 0x80])), /runs past the TPKT/],
    ['COTP code not defined', tpkt(new Uint8Array([2, 0x30, 0x80])), /not defined/],
    ['CR too short', tpkt(new Uint8Array([3, 0xe0, 0, 0])), /below 6/],
    ['CR parameter overrun', tpkt(new Uint8Array([8, 0xe0, 0, 0, 0, 1, 0, 0xc1, 5])), /overruns/],
    ['DT payload of another protocol', dt(new Uint8Array([0x0d, 1, 2, 3])), /neither S7comm/],
    ['S7 header cut', dt(new Uint8Array([0x32, 1, 0, 0, 0, 1])), /shorter than its 10-byte header/],
    ['S7 lengths past the PDU', dt(s7Pdu(1, 1, [0x04, 1]).map((b, i) => (i === 7 ? 40 : b))), /exceed the/],
    ['S7 ROSCTR 5', dt(new Uint8Array([0x32, 5, 0, 0, 0, 1, 0, 0, 0, 0])), /ROSCTR 5/],
    [
      'READ_VAR item count past the items',
      job(1, [0x04, 3, 0x12, 0x0a, 0x10, 2, 0, 1, 0, 1, 0x84, 0, 0, 0]),
      /item 2 of 3/,
    ],
    ['READ_VAR item not 0x12', job(1, [0x04, 1, 0x11, 0x0a, 0x10, 2, 0, 1, 0, 1, 0x84, 0, 0, 0]), /not 0x12/],
    ['S7ANY of wrong length', job(1, [0x04, 1, 0x12, 0x08, 0x10, 2, 0, 1, 0, 1, 0x84, 0]), /not 10/],
    [
      'WRITE_VAR data short',
      job(1, [0x05, 1, 0x12, 0x0a, 0x10, 2, 0, 4, 0, 1, 0x84, 0, 0, 0], [0, 4, 0, 32, 1]),
      /runs past the data/,
    ],
    ['SETUP_COMMUNICATION short', job(1, [0xf0, 0, 0, 1]), /shorter than 8/],
    [
      'PLC_CONTROL name past the parameter',
      job(1, [0x28, 0, 0, 0, 0, 0, 0, 0xfd, 0, 0, 9, 0x50]),
      /runs past/,
    ],
    ['PLC_STOP name past the parameter', job(1, [0x29, 0, 0, 0, 0, 0, 20, 0x50]), /runs past/],
    ['START_UPLOAD file name past the parameter', job(1, [0x1d, 0, 0, 0, 0, 0, 0, 0, 20, 0x5f]), /runs past/],
    ['USERDATA head wrong', dt(s7Pdu(7, 1, [0, 1, 0x13, 4, 0x11, 0x44, 1, 0], [])), /head/],
    [
      'USERDATA data length past the data',
      dt(s7Pdu(7, 1, [0, 1, 0x12, 4, 0x11, 0x44, 1, 0], [0xff, 9, 0, 40, 0, 0x11])),
      /runs past/,
    ],
    [
      'READ_SZL answer shorter than the SZL header',
      dt(s7Pdu(7, 1, [0, 1, 0x12, 8, 0x12, 0x84, 1, 0, 0, 0, 0, 0], [0xff, 9, 0, 4, 0, 0x11, 0, 0])),
      /SZL header/,
    ],
    ['S7comm-plus data length past the frame', dt(new Uint8Array([0x72, 3, 0, 90, 0x20])), /runs past/],
  ];
  for (const [name, bad, reason] of rows) {
    it(`${name}: a violation, then the next message is decoded`, () => {
      const d = bad[0] === 3 && bad[7] === 0x72 ? PLUS : S7;
      const next = d === PLUS ? plusFrame({ opcode: 'REQUEST' }) : good;
      const ctx = replay(d, [[0, 1, concat(bad, next)]]);
      const v = ctx.violations();
      assert.ok(v.length >= 1, 'reported');
      assert.match(v[0].reason!, reason);
      assert.equal(ctx.messages().length, 1, 'the following message survives');
      for (let size = 1; size <= bad.length + next.length; size += 3) {
        assert.deepEqual(
          replay(d, [[0, 1, concat(bad, next)]], size).events,
          ctx.events,
          `chunks of ${size}`,
        );
      }
    });
  }

  it('a segmented PDU longer than MAX_SDU_LENGTH is reported and dropped up to its EOT', () => {
    const piece = dt(new Uint8Array(8000).fill(0x32), false);
    const tx: Transmission[] = [];
    for (let n = 0; n * 8000 <= MAX_SDU_LENGTH; n++) tx.push([0, n, piece]);
    tx.push([0, 100, dt(new Uint8Array([1, 2, 3]))], [0, 101, good]);
    const ctx = replay(S7, tx);
    assert.equal(ctx.violations().length, 1);
    assert.match(ctx.violations()[0].reason!, /exceeds/);
    assert.deepEqual(
      msgs(ctx).map((m) => m['s7comm.function']),
      ['READ_VAR'],
    );
  });

  it('a gap drops the partial TPKT and the stream resynchronises', () => {
    const ctx = new RecordingContext();
    const s = S7.createSession(ctx);
    s.data(0, 1, good.subarray(0, 10));
    s.gap(0, 2, 500);
    s.data(0, 3, concat(new Uint8Array([9, 9, 9, 3, 0, 0]), good));
    s.end(4);
    assert.deepEqual(
      msgs(ctx).map((m) => m['s7comm.pdu_ref']),
      [9],
    );
  });

  it(`${MAX_CONSECUTIVE_VIOLATIONS} violations in a row abandon the connection`, () => {
    const bad = dt(new Uint8Array([0x0d, 1]));
    const tx: Transmission[] = Array.from({ length: MAX_CONSECUTIVE_VIOLATIONS + 4 }, (_, i) => [0, i, bad]);
    const ctx = replay(S7, tx);
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    assert.equal(ctx.abandoned.length, 1);
  });

  it('garbage without any TPKT is reported once per MAX_TPKT_LENGTH skipped bytes', () => {
    const junk = new Uint8Array(3 * MAX_TPKT_LENGTH + 10).fill(0x41);
    junk[0] = 7; // not a TPKT version: the first violation, then resynchronisation
    const ctx = replay(S7, [[0, 1, junk]], 1000);
    assert.equal(ctx.violations().length, 4);
  });
});

describe('hostile input', () => {
  it('random bytes, chunked anyhow, never throw; every event is a message or a violation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<Direction>(0, 1), fc.uint8Array({ maxLength: 400 })), {
          maxLength: 10,
        }),
        fc.integer({ min: 1, max: 64 }),
        (chunks, size) => {
          for (const d of [S7, PLUS]) {
            for (const [dir, bytes] of chunks) d.probe(dir, bytes);
            const ctx = replay(
              d,
              chunks.map(([dir, b], i) => [dir, i, b] as Transmission),
              size,
            );
            for (const e of ctx.events) assert.ok(e.kind === 'message' || e.kind === 'violation');
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gaps anywhere in a valid conversation never throw, and decoding goes on after them', () => {
    const base = concat(...conversation().map(([, , b]) => b));
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.nat(base.length - 1), (cut, resume) => {
        const ctx = new RecordingContext();
        const s = S7.createSession(ctx);
        s.data(0, 1, base.subarray(0, cut));
        s.gap(0, 2, 100);
        s.data(0, 3, base.subarray(Math.max(cut, resume)));
        s.data(0, 4, readVar(0x7777, [DB1]));
        s.end(5);
        assert.equal(ctx.messages().at(-1)?.['s7comm.pdu_ref'], 0x7777);
      }),
      { numRuns: 300 },
    );
  });

  it('valid frames with random bytes flipped never throw', () => {
    const base = concat(...conversation().map(([, , b]) => b));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        (flips) => {
          const b = base.slice();
          for (const [i, v] of flips) b[i] = v;
          const events: RecordedEvent[] = replay(S7, [[0, 1, b]], 37).events;
          assert.ok(Array.isArray(events));
          parseS7(b, 0, b.length, -1, new S7Aux());
        },
      ),
      { numRuns: 500 },
    );
  });
});
