// IEC 104 parser tests (STYLE.md 8): valid rows written out as hex from IEC 60870-5-104 §5 and the
// element sets of IEC 60870-5-101 §7.3, malformed rows (truncated, bad lengths, bad control octets,
// element sets of the wrong size), and random bytes that must never throw.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type Iec104Message,
  LOST_FRAMING,
  MAX_APDU_LENGTH,
  MAX_IOAS_IN_EVENT,
  MIN_APDU_LENGTH,
  parseApdu,
} from './parser.ts';
import { ELEMENT_SIZE_BY_CODE, OPERATION_BY_CODE, TYPE_IDS, TYPE_NAME_BY_CODE, VARIABLE } from './spec.ts';
import { cp56, iFrame, setpointFloat, singlePoints } from './testing.ts';

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  assert.equal(clean.length % 2, 0, `odd hex string ${s}`);
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) =>
    Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16),
  );
}

function ok(bytes: Uint8Array): Iec104Message {
  const r = parseApdu(bytes, 0);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  assert.equal(r.consumed, bytes.length);
  return r.message;
}

function violation(bytes: Uint8Array): { consumed: number; reason: string } {
  const r = parseApdu(bytes, 0);
  assert.equal(r.kind, 'violation', `expected a violation for ${Buffer.from(bytes).toString('hex')}`);
  assert.ok(r.kind === 'violation');
  return r;
}

describe('APCI formats (104 §5)', () => {
  const uRows: [string, string][] = [
    ['68 04 07 00 00 00', 'STARTDT_ACT'],
    ['68 04 0b 00 00 00', 'STARTDT_CON'],
    ['68 04 13 00 00 00', 'STOPDT_ACT'],
    ['68 04 23 00 00 00', 'STOPDT_CON'],
    ['68 04 43 00 00 00', 'TESTFR_ACT'],
    ['68 04 83 00 00 00', 'TESTFR_CON'],
  ];
  for (const [bytes, func] of uRows) {
    test(`U ${func}`, () => {
      const m = ok(hex(bytes));
      assert.equal(m['iec104.apci_type'], 'U');
      assert.equal(m['iec104.u_func'], func);
      assert.equal(m['iec104.type_id'], null);
      assert.equal(m['iec104.operation'], func.startsWith('TESTFR') ? 'diagnostic' : 'other');
    });
  }

  test('S format carries N(R) in octets 3-4, shifted by one bit', () => {
    const m = ok(hex('68 04 01 00 0a 00'));
    assert.equal(m['iec104.apci_type'], 'S');
    assert.equal(m['iec104.recv_seq'], 5);
    assert.equal(m['iec104.send_seq'], null);
    // 15-bit numbers span both octets: 0x7fff << 1 = 0xfffe
    assert.equal(ok(hex('68 04 01 00 fe ff'))['iec104.recv_seq'], 0x7fff);
  });

  test('I format: N(S) and N(R) and the data unit identifier', () => {
    // C_IC_NA_1 activation, common address 0x910d, QOI 20 (from the ITI trace)
    const m = ok(hex('68 0e 02 00 0a 00 64 01 06 00 0d 91 00 00 00 14'));
    assert.deepEqual(
      { ...m },
      {
        'iec104.apci_type': 'I',
        'iec104.u_func': null,
        'iec104.send_seq': 1,
        'iec104.recv_seq': 5,
        'iec104.type_id': 'C_IC_NA_1',
        'iec104.type_code': 100,
        'iec104.sq': false,
        'iec104.count': 1,
        'iec104.cot': 'ACT',
        'iec104.negative': false,
        'iec104.test': false,
        'iec104.originator': 0,
        'iec104.common_address': 0x910d,
        'iec104.ioa': [0],
        'iec104.operation': 'read',
        'iec104.select': null,
        'iec104.value': null,
        'iec104.qualifier': 20,
      },
    );
  });
});

describe('ASDU (101 §7, 104 §9)', () => {
  test('cause of transmission: negative and test bits, originator address', () => {
    // C_SC_NA_1 ACTCON with P/N and T set (COT octet 0xc7), originator 2
    const m = ok(hex('68 0e 0a 00 0a 00 2d 01 c7 02 0d 91 ce 56 00 81'));
    assert.equal(m['iec104.cot'], 'ACTCON');
    assert.equal(m['iec104.negative'], true);
    assert.equal(m['iec104.test'], true);
    assert.equal(m['iec104.originator'], 2);
    assert.equal(m['iec104.ioa']?.[0], 0x56ce);
  });

  test('unknown causes print UNKNOWN-<n>', () => {
    assert.equal(ok(hex('68 0e 00 00 00 00 64 01 3f 00 01 00 00 00 00 14'))['iec104.cot'], 'UNKNOWN-63');
  });

  test('SQ = 1: one address, the objects follow it', () => {
    const m = ok(singlePoints(7, 1000, [true, false, true]));
    assert.equal(m['iec104.sq'], true);
    assert.equal(m['iec104.count'], 3);
    assert.deepEqual(m['iec104.ioa'], [1000, 1001, 1002]);
    assert.equal(m['iec104.operation'], 'read');
  });

  test('SQ = 0: every object has its address', () => {
    const objects = [5, 900, 70000].map((ioa) => ({ ioa, element: [0x00, 0x40, 0x00] }));
    const m = ok(iFrame('M_ME_NA_1', objects, { cot: 'SPONT', commonAddress: 1 }));
    assert.deepEqual(m['iec104.ioa'], [5, 900, 70000]);
  });

  test(`addresses are capped at MAX_IOAS_IN_EVENT (${MAX_IOAS_IN_EVENT}), the count is not`, () => {
    const m = ok(
      singlePoints(
        1,
        1,
        Array.from({ length: 100 }, () => true),
      ),
    );
    assert.equal(m['iec104.count'], 100);
    assert.equal(m['iec104.ioa']?.length, MAX_IOAS_IN_EVENT);
  });

  test('every fixed-size type accepts exactly its element set size', () => {
    for (let code = 1; code < 256; code++) {
      const size = ELEMENT_SIZE_BY_CODE[code];
      if (size === VARIABLE) continue;
      const element = Array.from({ length: size }, () => 0);
      const good = iFrame(code, [{ ioa: 1, element }], { cot: 'ACT', commonAddress: 1 });
      const m = ok(good);
      assert.equal(m['iec104.type_id'], TYPE_NAME_BY_CODE[code]);
      assert.equal(m['iec104.operation'], OPERATION_BY_CODE[code]);
      const long = iFrame(code, [{ ioa: 1, element: [...element, 0] }], { cot: 'ACT', commonAddress: 1 });
      const bad = violation(long);
      assert.equal(bad.consumed, long.length, 'the framing held: the whole APDU is consumed');
      assert.match(bad.reason, new RegExp(TYPE_NAME_BY_CODE[code]));
    }
  });

  test('private and reserved types are recognised as UNKNOWN-<n>, operation other', () => {
    const m = ok(iFrame(200, [{ ioa: 3, element: [1, 2, 3, 4, 5] }], { cot: 'SPONT', commonAddress: 9 }));
    assert.equal(m['iec104.type_id'], 'UNKNOWN-200');
    assert.equal(m['iec104.operation'], 'other');
    assert.deepEqual(m['iec104.ioa'], [3]);
  });

  test('F_SG_NA_1: the segment length must match', () => {
    const seg = [1, 0, 1, 3, 0xaa, 0xbb, 0xcc]; // NOF 1, NOS 1, LOS 3, three octets
    assert.equal(
      ok(iFrame('F_SG_NA_1', [{ ioa: 1, element: seg }], { cot: 'FILE', commonAddress: 1 }))[
        'iec104.operation'
      ],
      'file',
    );
    const bad = [1, 0, 1, 4, 0xaa, 0xbb, 0xcc];
    violation(iFrame('F_SG_NA_1', [{ ioa: 1, element: bad }], { cot: 'FILE', commonAddress: 1 }));
  });
});

describe('command values (101 §7.2.6)', () => {
  const rows: [string, Uint8Array, Partial<Iec104Message>][] = [
    [
      'C_SC_NA_1 select ON',
      iFrame('C_SC_NA_1', [{ ioa: 10, element: [0x81] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 1, 'iec104.select': true, 'iec104.qualifier': 0, 'iec104.operation': 'control' },
    ],
    [
      'C_SC_NA_1 execute OFF, long pulse (QU 2)',
      iFrame('C_SC_NA_1', [{ ioa: 10, element: [0x08] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 0, 'iec104.select': false, 'iec104.qualifier': 2 },
    ],
    [
      'C_DC_NA_1 select ON (DCS 2)',
      iFrame('C_DC_NA_1', [{ ioa: 15000, element: [0x82] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 2, 'iec104.select': true, 'iec104.operation': 'control' },
    ],
    [
      'C_RC_NA_1 execute higher (RCS 2)',
      iFrame('C_RC_NA_1', [{ ioa: 1, element: [0x02] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 2, 'iec104.select': false },
    ],
    [
      'C_SE_NA_1 normalised 0.5, execute',
      iFrame('C_SE_NA_1', [{ ioa: 1, element: [0x00, 0x40, 0x00] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 0.5, 'iec104.select': false, 'iec104.operation': 'write' },
    ],
    [
      'C_SE_NB_1 scaled -2, select, QL 1',
      iFrame('C_SE_NB_1', [{ ioa: 1, element: [0xfe, 0xff, 0x81] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': -2, 'iec104.select': true, 'iec104.qualifier': 1 },
    ],
    ['C_SE_NC_1 float 12.5', setpointFloat(1, 1, 12.5), { 'iec104.value': 12.5, 'iec104.select': false }],
    [
      'C_SE_TC_1 float with CP56Time2a',
      iFrame('C_SE_TC_1', [{ ioa: 1, element: [0, 0, 0x80, 0x3f, 0x80, ...cp56(new Date(0))] }], {
        cot: 'ACT',
        commonAddress: 1,
      }),
      { 'iec104.value': 1, 'iec104.select': true },
    ],
    [
      'C_BO_NA_1 bitstring',
      iFrame('C_BO_NA_1', [{ ioa: 1, element: [0x78, 0x56, 0x34, 0x12] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 0x12345678, 'iec104.select': null, 'iec104.operation': 'write' },
    ],
    [
      'C_CI_NA_1 counter interrogation QCC 5',
      iFrame('C_CI_NA_1', [{ ioa: 0, element: [0x05] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.qualifier': 5, 'iec104.operation': 'read' },
    ],
    [
      'C_RD_NA_1 read',
      iFrame('C_RD_NA_1', [{ ioa: 77, element: [] }], { cot: 'REQ', commonAddress: 1 }),
      { 'iec104.ioa': [77], 'iec104.operation': 'read' },
    ],
    [
      'C_RP_NA_1 reset process QRP 1',
      iFrame('C_RP_NA_1', [{ ioa: 0, element: [0x01] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.qualifier': 1, 'iec104.operation': 'control' },
    ],
    [
      'C_TS_TA_1 test with time tag',
      iFrame('C_TS_TA_1', [{ ioa: 0, element: [0x34, 0x12, ...cp56(new Date(0))] }], {
        cot: 'ACT',
        commonAddress: 1,
      }),
      { 'iec104.value': 0x1234, 'iec104.operation': 'diagnostic' },
    ],
    [
      'C_CS_NA_1 clock synchronisation',
      iFrame('C_CS_NA_1', [{ ioa: 0, element: cp56(new Date(0)) }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.operation': 'diagnostic', 'iec104.value': null },
    ],
    [
      'P_ME_NC_1 parameter float, QPM 1',
      iFrame('P_ME_NC_1', [{ ioa: 1, element: [0, 0, 0x20, 0x41, 0x01] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': 10, 'iec104.qualifier': 1, 'iec104.select': null, 'iec104.operation': 'write' },
    ],
    [
      'C_SE_NC_1 NaN set point value is null',
      iFrame('C_SE_NC_1', [{ ioa: 1, element: [0, 0, 0xc0, 0x7f, 0] }], { cot: 'ACT', commonAddress: 1 }),
      { 'iec104.value': null },
    ],
  ];
  for (const [name, bytes, expected] of rows) {
    test(name, () => {
      const m = ok(bytes);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(m[k as keyof Iec104Message], v, k);
    });
  }
  test('every command type of the control direction has an operation of control or write', () => {
    for (const name of Object.keys(TYPE_IDS)) {
      if (!name.startsWith('C_SC') && !name.startsWith('C_DC') && !name.startsWith('C_RC')) continue;
      assert.equal(TYPE_IDS[name as keyof typeof TYPE_IDS].operation, 'control', name);
    }
    for (const name of [
      'C_SE_NA_1',
      'C_SE_NB_1',
      'C_SE_NC_1',
      'C_SE_TA_1',
      'C_SE_TB_1',
      'C_SE_TC_1',
      'C_BO_NA_1',
      'C_BO_TA_1',
    ] as const) {
      assert.equal(TYPE_IDS[name].operation, 'write', name);
    }
  });
});

describe('malformed APDUs', () => {
  const lost: [string, string][] = [
    ['a start byte other than 0x68', '67 04 07 00 00 00'],
    ['length 0', '68 00'],
    ['length 3, below the control field', '68 03 01 00 00'],
    [`length ${MAX_APDU_LENGTH + 1}, above the limit`, '68 fe'],
    ['length 255', '68 ff'],
  ];
  for (const [name, bytes] of lost) {
    test(`${name} loses the framing`, () => {
      assert.equal(violation(hex(bytes)).consumed, LOST_FRAMING);
    });
  }
  const bad: [string, string, RegExp][] = [
    ['U with two function bits', '68 04 17 00 00 00', /not one function/],
    ['U with a non-zero octet 2', '68 04 07 01 00 00', /not zero/],
    ['U longer than 4', '68 05 07 00 00 00 00', /must be 4/],
    ['S longer than 4', '68 06 01 00 00 00 00 00', /must be 4/],
    ['S with octet 2 set', '68 04 01 01 00 00', /0x01 0x00/],
    ['S with bit 1 of octet 3 set', '68 04 01 00 01 00', /bit 1/],
    ['I with no ASDU', '68 04 00 00 00 00', /without an ASDU/],
    ['I with a 2-byte ASDU', '68 06 18 18 18 18 18 18', /shorter than/],
    ['I with type 0', '68 0e 00 00 00 00 00 01 06 00 01 00 00 00 00 14', /type identification 0/],
    ['I with no objects', '68 0a 00 00 00 00 64 00 06 00 01 00', /no information objects/],
    ['I with bit 1 of octet 3 set', '68 0e 00 00 01 00 64 01 06 00 01 00 00 00 00 14', /bit 1/],
    ['C_IC_NA_1 one byte short', '68 0d 00 00 00 00 64 01 06 00 01 00 00 00 00', /needs 4 bytes/],
    [
      'M_SP_NA_1 with SQ, count 3, two elements',
      '68 0f 00 00 00 00 01 83 14 00 01 00 01 00 00 01 01',
      /needs 6 bytes/,
    ],
    [
      'an unknown type without an address',
      '68 0c 00 00 00 00 c8 01 03 00 01 00 01 02',
      /without an information object address/,
    ],
  ];
  for (const [name, bytes, reason] of bad) {
    test(`${name} is a violation that keeps the framing`, () => {
      const b = hex(bytes);
      const v = violation(b);
      assert.equal(v.consumed, b.length);
      assert.match(v.reason, reason);
    });
  }

  test('every truncation of a valid APDU is incomplete, and says how much is missing', () => {
    const whole = hex('68 0e 02 00 0a 00 64 01 06 00 0d 91 00 00 00 14');
    for (let n = 0; n < whole.length; n++) {
      const r = parseApdu(whole.subarray(0, n), 0);
      assert.equal(r.kind, 'incomplete', `at ${n}`);
      assert.ok(r.kind === 'incomplete');
      if (n >= 2) assert.equal(r.needed, whole.length - n);
      else assert.ok(r.needed >= 1);
    }
  });

  test(`limits: ${MIN_APDU_LENGTH} to ${MAX_APDU_LENGTH}`, () => {
    // The largest legal APDU: M_SP_NA_1 with SQ, 127 objects would need 6 + 3 + 127 = 136, so use
    // a private type that fills all 249 ASDU bytes.
    const body = new Uint8Array(MAX_APDU_LENGTH);
    body.set([0, 0, 0, 0, 200, 1, 3, 0, 1, 0]);
    const frame = new Uint8Array([0x68, MAX_APDU_LENGTH, ...body]);
    assert.equal(ok(frame)['iec104.type_id'], 'UNKNOWN-200');
  });

  test('random bytes never throw, and every answer is consistent', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.nat(10), (bytes, at) => {
        const offset = Math.min(at, bytes.length);
        const r = parseApdu(bytes, offset);
        if (r.kind === 'incomplete') assert.ok(r.needed > 0);
        else assert.ok(r.consumed >= 1 && r.consumed <= bytes.length - offset);
      }),
      { numRuns: 5000 },
    );
  });

  test('random ASDUs behind a valid header never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 6, maxLength: MAX_APDU_LENGTH - 4 }), (asdu) => {
        const frame = new Uint8Array([0x68, asdu.length + 4, 0, 0, 0, 0, ...asdu]);
        const r = parseApdu(frame, 0);
        assert.notEqual(r.kind, 'incomplete');
      }),
      { numRuns: 5000 },
    );
  });
});
