// Schneider UMAS (function code 90) tests: one row per classified function, pairing that gives a
// response its request's function, the READ_ID identity kept only for READ_ID, signed requests,
// malformed and truncated rows, and a whole engineering session fed in chunks of every size.
// Bytes come from the layouts spec.ts cites (modicon-info.nse's `5a 00 02`, Wireshark's READ_ID).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Fields } from '../types.ts';
import { modbusDissector } from './dissector.ts';
import { parseAdu, UMAS_ERROR, UMAS_MAX_MODEL_LENGTH } from './parser.ts';
import { UMAS_FUNCTION_CODES as U, UMAS_FUNCTION_NAME_BY_CODE, UMAS_FUNCTION_OPERATIONS } from './spec.ts';
import {
  modbusAdu,
  umasDownloadBlockRequest,
  umasEndStrategyDownloadRequest,
  umasErrorResponse,
  umasInitializeDownloadRequest,
  umasOkResponse,
  umasReadIdRequest,
  umasReadIdResponse,
  umasReleaseReservationRequest,
  umasRequest,
  umasResponse,
  umasSignedRequest,
  umasStartPlcRequest,
  umasStopPlcRequest,
  umasTakeReservationRequest,
  umasTakeReservationResponse,
} from './testing.ts';

function parsed(bytes: Uint8Array, dir: 0 | 1): Fields {
  const r = parseAdu(bytes, 0, dir);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  return r.message;
}

const REQUEST_ROWS: { name: string; bytes: Uint8Array; func: string; operation: string; session: number }[] =
  [
    {
      name: 'READ_ID (modicon-info.nse)',
      bytes: umasReadIdRequest(1),
      func: 'READ_ID',
      operation: 'discovery',
      session: 0,
    },
    {
      name: 'READ_PLC_INFO',
      bytes: umasRequest(2, 0, 0x04),
      func: 'READ_PLC_INFO',
      operation: 'discovery',
      session: 0,
    },
    {
      name: 'INIT_COMM',
      bytes: umasRequest(3, 0, 0x01, [0x00]),
      func: 'INIT_COMM',
      operation: 'discovery',
      session: 0,
    },
    {
      name: 'TAKE_PLC_RESERVATION',
      bytes: umasTakeReservationRequest(4, 'ENG-WS01'),
      func: 'TAKE_PLC_RESERVATION',
      operation: 'auth',
      session: 0,
    },
    {
      name: 'RELEASE_PLC_RESERVATION',
      bytes: umasReleaseReservationRequest(5, 0x4c),
      func: 'RELEASE_PLC_RESERVATION',
      operation: 'auth',
      session: 0x4c,
    },
    {
      name: 'KEEP_ALIVE',
      bytes: umasRequest(6, 0x4c, 0x12),
      func: 'KEEP_ALIVE',
      operation: 'diagnostic',
      session: 0x4c,
    },
    {
      name: 'MONITOR_PLC',
      bytes: umasRequest(7, 0x4c, 0x50, [0x15, 0x00]),
      func: 'MONITOR_PLC',
      operation: 'diagnostic',
      session: 0x4c,
    },
    {
      name: 'READ_VARIABLES',
      bytes: umasRequest(8, 0, 0x22, [1, 2, 3, 4, 0]),
      func: 'READ_VARIABLES',
      operation: 'read',
      session: 0,
    },
    {
      name: 'WRITE_VARIABLES',
      bytes: umasRequest(9, 0x4c, 0x23, [1, 2, 3, 4, 0]),
      func: 'WRITE_VARIABLES',
      operation: 'write',
      session: 0x4c,
    },
    {
      name: 'READ_COILS_REGISTERS',
      bytes: umasRequest(10, 0, 0x24),
      func: 'READ_COILS_REGISTERS',
      operation: 'read',
      session: 0,
    },
    {
      name: 'WRITE_COILS_REGISTERS',
      bytes: umasRequest(11, 0x4c, 0x25),
      func: 'WRITE_COILS_REGISTERS',
      operation: 'write',
      session: 0x4c,
    },
    {
      name: 'INITIALIZE_UPLOAD',
      bytes: umasRequest(12, 0x4c, 0x30, [1, 0]),
      func: 'INITIALIZE_UPLOAD',
      operation: 'program',
      session: 0x4c,
    },
    {
      name: 'INITIALIZE_DOWNLOAD',
      bytes: umasInitializeDownloadRequest(13, 0x4c),
      func: 'INITIALIZE_DOWNLOAD',
      operation: 'program',
      session: 0x4c,
    },
    {
      name: 'DOWNLOAD_BLOCK',
      bytes: umasDownloadBlockRequest(14, 0x4c, 1, [0xde, 0xad, 0xbe, 0xef]),
      func: 'DOWNLOAD_BLOCK',
      operation: 'program',
      session: 0x4c,
    },
    {
      name: 'END_STRATEGY_DOWNLOAD',
      bytes: umasEndStrategyDownloadRequest(15, 0x4c),
      func: 'END_STRATEGY_DOWNLOAD',
      operation: 'program',
      session: 0x4c,
    },
    {
      name: 'STOP_PLC (Metasploit modicon_command: 5a 00 41 ff 00)',
      bytes: umasStopPlcRequest(16, 0x4c),
      func: 'STOP_PLC',
      operation: 'control',
      session: 0x4c,
    },
    {
      name: 'START_PLC',
      bytes: umasStartPlcRequest(17, 0x4c),
      func: 'START_PLC',
      operation: 'control',
      session: 0x4c,
    },
    {
      name: 'CHECK_PLC',
      bytes: umasRequest(18, 0, 0x58),
      func: 'CHECK_PLC',
      operation: 'diagnostic',
      session: 0,
    },
    {
      name: 'WRITE_IO_OBJECT',
      bytes: umasRequest(19, 0x4c, 0x71),
      func: 'WRITE_IO_OBJECT',
      operation: 'write',
      session: 0x4c,
    },
    {
      name: 'unnamed code 0x99',
      bytes: umasRequest(20, 0, 0x99),
      func: 'UNKNOWN-153',
      operation: 'other',
      session: 0,
    },
  ];

describe('UMAS requests', () => {
  for (const row of REQUEST_ROWS) {
    test(row.name, () => {
      const m = parsed(row.bytes, 0);
      assert.equal(m['modbus.func'], 'PROGRAM_UNITY');
      assert.equal(m['modbus.func_code'], 90);
      assert.equal(m['modbus.pdu_type'], 'REQ');
      assert.equal(m['modbus.umas.func'], row.func);
      assert.equal(m['modbus.umas.func_code'], row.bytes[9]);
      assert.equal(m['modbus.umas.session'], row.session);
      assert.equal(m['modbus.umas.status'], null);
      assert.equal(m['modbus.umas.signed'], false);
      assert.equal(m['modbus.operation'], row.operation);
      assert.equal(m['modbus.exception'], null);
    });
  }

  test('a signed request (0x38) is named and classified by the request it wraps', () => {
    const m = parsed(umasSignedRequest(30, 0x4c, U.STOP_PLC, [0xff, 0x00]), 0);
    assert.equal(m['modbus.umas.func'], 'STOP_PLC');
    assert.equal(m['modbus.umas.signed'], true);
    assert.equal(m['modbus.operation'], 'control');
  });

  test('a signed request cut before its wrapped header stays UMAS_RESERVED', () => {
    const m = parsed(umasRequest(31, 0x4c, 0x38, [0x02, 1, 2, 3]), 0);
    assert.equal(m['modbus.umas.func'], 'UMAS_RESERVED');
    assert.equal(m['modbus.umas.signed'], true);
    assert.equal(m['modbus.operation'], 'other');
  });

  test("the brief's table: every code has its name and one operation", () => {
    const expected: Record<number, string> = {
      1: 'INIT_COMM',
      2: 'READ_ID',
      3: 'READ_PROJECT_INFO',
      4: 'READ_PLC_INFO',
      6: 'READ_CARD_INFO',
      10: 'REPEAT',
      16: 'TAKE_PLC_RESERVATION',
      17: 'RELEASE_PLC_RESERVATION',
      18: 'KEEP_ALIVE',
      32: 'READ_MEMORY_BLOCK',
      34: 'READ_VARIABLES',
      35: 'WRITE_VARIABLES',
      36: 'READ_COILS_REGISTERS',
      37: 'WRITE_COILS_REGISTERS',
      48: 'INITIALIZE_UPLOAD',
      49: 'UPLOAD_BLOCK',
      50: 'END_STRATEGY_UPLOAD',
      51: 'INITIALIZE_DOWNLOAD',
      52: 'DOWNLOAD_BLOCK',
      53: 'END_STRATEGY_DOWNLOAD',
      57: 'READ_ETH_MASTER_DATA',
      64: 'START_PLC',
      65: 'STOP_PLC',
      80: 'MONITOR_PLC',
      88: 'CHECK_PLC',
      112: 'READ_IO_OBJECT',
      113: 'WRITE_IO_OBJECT',
      115: 'GET_STATUS_MODULE',
    };
    for (const [code, name] of Object.entries(expected)) {
      assert.equal(UMAS_FUNCTION_NAME_BY_CODE[Number(code)], name);
      assert.ok(name in UMAS_FUNCTION_OPERATIONS, name);
    }
    for (const name of [
      'INITIALIZE_UPLOAD',
      'UPLOAD_BLOCK',
      'END_STRATEGY_UPLOAD',
      'INITIALIZE_DOWNLOAD',
      'DOWNLOAD_BLOCK',
      'END_STRATEGY_DOWNLOAD',
    ] as const)
      assert.equal(UMAS_FUNCTION_OPERATIONS[name], 'program');
    assert.equal(UMAS_FUNCTION_OPERATIONS.START_PLC, 'control');
    assert.equal(UMAS_FUNCTION_OPERATIONS.STOP_PLC, 'control');
  });
});

/** An engineering session as Control Expert runs it: identify, reserve, download, stop, start, release. */
const SESSION: Transmission[] = [
  [0, 1.0, umasReadIdRequest(1)],
  [1, 1.01, umasReadIdResponse(1, 'BMX P34 2020', 0x06010e01)],
  [0, 1.1, umasTakeReservationRequest(2, 'ENG-WS01')],
  [1, 1.11, umasTakeReservationResponse(2, 0x4c)],
  [0, 1.2, umasInitializeDownloadRequest(3, 0x4c)],
  [1, 1.21, umasOkResponse(3, 0x4c)],
  [0, 1.3, umasDownloadBlockRequest(4, 0x4c, 1, [1, 2, 3, 4, 5, 6, 7, 8])],
  [1, 1.31, umasOkResponse(4, 0x4c)],
  [0, 1.4, umasEndStrategyDownloadRequest(5, 0x4c)],
  [1, 1.41, umasOkResponse(5, 0x4c)],
  [0, 1.5, umasStopPlcRequest(6, 0x4c)],
  [1, 1.51, umasErrorResponse(6, 0x4c)],
  [0, 1.6, umasStartPlcRequest(7, 0x4c)],
  [1, 1.61, umasOkResponse(7, 0x4c)],
  [0, 1.7, umasReleaseReservationRequest(8, 0x4c)],
  [1, 1.71, umasOkResponse(8, 0x4c)],
];

describe('UMAS through the session', () => {
  test("responses take their request's function and operation; READ_ID names the PLC", () => {
    const ctx = replay(modbusDissector, SESSION);
    assert.equal(ctx.violations().length, 0);
    const msgs = ctx.messages();
    assert.equal(msgs.length, SESSION.length);
    const responses = msgs.filter((m) => m['modbus.pdu_type'] === 'RESP');
    assert.deepEqual(
      responses.map((m) => [
        m['modbus.umas.func'],
        m['modbus.operation'],
        m['modbus.umas.status'],
        m['modbus.matched'],
      ]),
      [
        ['READ_ID', 'discovery', 'OK', true],
        ['TAKE_PLC_RESERVATION', 'auth', 'OK', true],
        ['INITIALIZE_DOWNLOAD', 'program', 'OK', true],
        ['DOWNLOAD_BLOCK', 'program', 'OK', true],
        ['END_STRATEGY_DOWNLOAD', 'program', 'OK', true],
        ['STOP_PLC', 'control', 'ERROR', true],
        ['START_PLC', 'control', 'OK', true],
        ['RELEASE_PLC_RESERVATION', 'auth', 'OK', true],
      ],
    );
    const readId = responses[0];
    assert.equal(readId['modbus.device.model'], 'BMX P34 2020');
    assert.equal(readId['modbus.device.vendor'], 'Schneider Electric');
    assert.equal(readId['modbus.umas.hardware_id'], 0x06010e01);
    // Only READ_ID names the device, and an error answer is the errorField's error.
    for (const r of responses.slice(1)) assert.equal(r['modbus.device.model'], null);
    assert.equal(responses[5]['modbus.exception'], UMAS_ERROR);
    assert.equal(responses[4]['modbus.exception'], null);
  });

  test('the same session in chunks of every size gives the same events', () => {
    const whole = replay(modbusDissector, SESSION).events;
    const longest = Math.max(...SESSION.map(([, , b]) => b.length));
    for (let chunk = 1; chunk <= longest; chunk++) {
      assert.deepEqual(replay(modbusDissector, SESSION, chunk).events, whole, `chunk ${chunk}`);
    }
  });

  test('READ_ID-shaped bytes answering another function, or unpaired, name no device', () => {
    const other = replay(modbusDissector, [
      [0, 1, umasRequest(1, 0, U.READ_PLC_INFO)],
      [1, 2, umasReadIdResponse(1)],
      [1, 3, umasReadIdResponse(99)],
    ]).messages();
    assert.equal(other[1]['modbus.umas.func'], 'READ_PLC_INFO');
    assert.equal(other[1]['modbus.device.model'], null);
    assert.equal(other[2]['modbus.matched'], false);
    assert.equal(other[2]['modbus.umas.func'], null);
    assert.equal(other[2]['modbus.operation'], 'other');
    assert.equal(other[2]['modbus.device.model'], null);
  });

  test("a Modbus exception to a UMAS request (0xDA) keeps the request's operation", () => {
    const msgs = replay(modbusDissector, [
      [0, 1, umasStopPlcRequest(1, 0)],
      [1, 2, modbusAdu(1, 0, Uint8Array.from([0xda, 0x01]))],
    ]).messages();
    assert.equal(msgs[1]['modbus.func'], 'PROGRAM_UNITY_EXCEPTION');
    assert.equal(msgs[1]['modbus.exception'], 'ILLEGAL_FUNCTION');
    assert.equal(msgs[1]['modbus.operation'], 'control');
  });
});

describe('malformed UMAS', () => {
  const READ_ID_PREFIX = Array.from(umasReadIdResponse(1, 'BMX P34 2020').subarray(10, 10 + 22));
  const rows: {
    name: string;
    bytes: Uint8Array;
    dir: 0 | 1;
    violation: RegExp | null;
    model?: string | null;
  }[] = [
    {
      name: 'request without session and function',
      bytes: modbusAdu(1, 0, Uint8Array.from([0x5a])),
      dir: 0,
      violation: /PROGRAM_UNITY request: 0 data bytes/,
    },
    {
      name: 'request with a session but no function',
      bytes: modbusAdu(1, 0, Uint8Array.from([0x5a, 0x00])),
      dir: 0,
      violation: /PROGRAM_UNITY request: 1 data bytes/,
    },
    {
      name: 'response without status',
      bytes: modbusAdu(1, 0, Uint8Array.from([0x5a, 0x00])),
      dir: 1,
      violation: /PROGRAM_UNITY response: 1 data bytes/,
    },
    {
      name: 'unknown status byte is named, not a violation',
      bytes: umasRequest(1, 0, 0x77).map((b, i) => (i === 7 ? 0x5a : b)),
      dir: 1,
      violation: null,
    },
    {
      name: 'READ_ID name length past the end',
      bytes: umasResponse(1, 0, [...READ_ID_PREFIX, 12, 0x42, 0x4d]),
      dir: 1,
      violation: null,
      model: null,
    },
    {
      name: 'READ_ID name not printable',
      bytes: umasResponse(1, 0, [...READ_ID_PREFIX, 3, 0x42, 0x01, 0x4d]),
      dir: 1,
      violation: null,
      model: null,
    },
    {
      name: 'READ_ID name too long',
      bytes: umasResponse(1, 0, [
        ...READ_ID_PREFIX,
        UMAS_MAX_MODEL_LENGTH + 1,
        ...new Array(UMAS_MAX_MODEL_LENGTH + 1).fill(0x41),
      ]),
      dir: 1,
      violation: null,
      model: null,
    },
    {
      name: 'READ_ID name NUL-padded',
      bytes: umasResponse(1, 0, [
        ...READ_ID_PREFIX,
        14,
        ...[...'BME P58 4040'].map((c) => c.charCodeAt(0)),
        0,
        0,
      ]),
      dir: 1,
      violation: null,
      model: 'BME P58 4040',
    },
    {
      name: 'READ_ID answer cut before the name length',
      bytes: umasResponse(1, 0, READ_ID_PREFIX.slice(0, 10)),
      dir: 1,
      violation: null,
      model: null,
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const r = parseAdu(row.bytes, 0, row.dir);
      if (row.violation !== null) {
        assert.equal(r.kind, 'violation');
        assert.ok(r.kind === 'violation');
        assert.match(r.reason, row.violation);
        assert.equal(r.consumed, row.bytes.length, 'the ADU is skipped whole: framing stays');
        return;
      }
      assert.equal(r.kind, 'ok');
      if (row.model !== undefined) {
        // Pair with a READ_ID request so the session would keep what the parser found.
        const msgs = replay(modbusDissector, [
          [0, 1, umasReadIdRequest(1)],
          [1, 2, row.bytes],
        ]).messages();
        assert.equal(msgs[1]['modbus.device.model'], row.model);
      }
    });
  }

  test('a truncated UMAS ADU between good ones: one violation, the stream stays in sync', () => {
    const ctx = replay(modbusDissector, [
      [0, 1, umasStopPlcRequest(1, 0)],
      [0, 2, modbusAdu(2, 0, Uint8Array.from([0x5a, 0x00]))],
      [0, 3, umasStartPlcRequest(3, 0)],
    ]);
    assert.equal(ctx.violations().length, 1);
    assert.deepEqual(
      ctx.messages().map((m) => m['modbus.umas.func']),
      ['STOP_PLC', 'START_PLC'],
    );
  });

  test('random UMAS payloads in either direction never throw and always frame', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 252 }),
        fc.constantFrom<0 | 1>(0, 1),
        (body, dir) => {
          const bytes = modbusAdu(7, 1, Uint8Array.from([0x5a, ...body]));
          const r = parseAdu(bytes, 0, dir);
          assert.notEqual(r.kind, 'incomplete');
          if (r.kind !== 'incomplete') assert.equal(r.consumed, bytes.length);
          const ctx = new RecordingContext();
          const s = modbusDissector.createSession(ctx);
          s.data(dir, 0, bytes);
          s.end(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
