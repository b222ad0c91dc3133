// SNMP tests (STYLE.md 8): rows per PDU type for v1, v2c and v3, pairing of responses to requests,
// the system group identity, BER edge cases (long lengths, negative integers, big OID arcs) and
// malformed rows, every truncation, random bytes. Bytes are BER as RFC 3417 §8 specifies, written
// by the builders in testing.ts, plus a few hand-written hex rows.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { replay } from '../testing.ts';
import { type Element, MAX_BER_DEPTH, readElement, readInteger, readOid } from './ber.ts';
import { MAX_VIOLATIONS_BEFORE_ABANDON, snmpDissector } from './dissector.ts';
import { MAX_OIDS_LISTED, parseSnmp } from './parser.ts';
import { PDU_TYPES, TAGS } from './spec.ts';
import {
  ber,
  berInteger,
  communityMessage,
  HIRSCHMANN_SWITCH,
  pduBytes,
  SCHNEIDER_NOC,
  snmpErrorResponse,
  snmpGetBulk,
  snmpSetContact,
  snmpSystemGet,
  snmpSystemResponse,
  snmpV1LinkDownTrap,
  snmpV2ColdStartTrap,
  snmpV3Discovery,
  snmpV3DiscoveryReport,
  snmpV3EncryptedGet,
} from './testing.ts';

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return Uint8Array.from(clean.match(/../g)!.map((x) => Number.parseInt(x, 16)));
}

function ok(bytes: Uint8Array) {
  const r = parseSnmp(bytes);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  return r.message;
}

describe('SNMP messages', () => {
  test('a v1 GetRequest for sysDescr.0 written out by hand', () => {
    // SEQUENCE { INTEGER 0, OCTET STRING "public", GetRequest { id 1, 0, 0, { { sysDescr.0, NULL } } } }
    const m = ok(
      hex('30 26 020100 0406 7075626c6963 a019 020101 020100 020100 300e 300c 0608 2b06010201010100 0500'),
    );
    assert.equal(m['snmp.version'], '1');
    assert.equal(m['snmp.community'], 'public');
    assert.equal(m['snmp.pdu_type'], 'GET_REQUEST');
    assert.equal(m['snmp.operation'], 'read');
    assert.equal(m['snmp.request_id'], 1);
    assert.equal(m['snmp.error_status'], null);
    assert.deepEqual(m['snmp.oids'], ['1.3.6.1.2.1.1.1.0']);
    assert.equal(m['snmp.varbind_count'], 1);
  });

  test('v2c system group response: identity, vendor from sysObjectID', () => {
    const m = ok(snmpSystemResponse(77, HIRSCHMANN_SWITCH));
    assert.equal(m['snmp.version'], '2c');
    assert.equal(m['snmp.pdu_type'], 'RESPONSE');
    assert.equal(m['snmp.sys_descr'], HIRSCHMANN_SWITCH.sysDescr);
    assert.equal(m['snmp.sys_object_id'], HIRSCHMANN_SWITCH.sysObjectID);
    assert.equal(m['snmp.sys_uptime'], HIRSCHMANN_SWITCH.sysUpTime);
    assert.equal(m['snmp.sys_name'], 'rs20-cell3');
    assert.equal(m['snmp.sys_location'], 'Hall 2, cabinet 3B');
    assert.equal(m['snmp.device.name'], 'rs20-cell3');
    assert.equal(m['snmp.device.description'], HIRSCHMANN_SWITCH.sysDescr);
    assert.equal(m['snmp.device.vendor'], 'Hirschmann');
    assert.equal(m['snmp.device.vendor_id'], '248');
    const noc = ok(snmpSystemResponse(78, SCHNEIDER_NOC));
    assert.equal(noc['snmp.device.vendor'], 'Schneider Electric');
  });

  test('a request carrying system OIDs names no device', () => {
    const m = ok(snmpSetContact(5));
    assert.equal(m['snmp.pdu_type'], 'SET_REQUEST');
    assert.equal(m['snmp.operation'], 'write');
    assert.equal(m['snmp.community'], 'private');
    assert.equal(m['snmp.sys_contact'], null);
    assert.equal(m['snmp.device.name'], null);
  });

  test('GetBulk: non-repeaters and max-repetitions, not an error', () => {
    const m = ok(snmpGetBulk(9));
    assert.equal(m['snmp.pdu_type'], 'GET_BULK_REQUEST');
    assert.equal(m['snmp.operation'], 'read');
    assert.equal(m['snmp.non_repeaters'], 0);
    assert.equal(m['snmp.max_repetitions'], 10);
    assert.equal(m['snmp.error_status'], null);
  });

  test('error statuses by name; unknown ones as UNKNOWN-<n>', () => {
    assert.equal(ok(snmpErrorResponse(5, 17))['snmp.error_status'], 'NOT_WRITABLE');
    assert.equal(ok(snmpErrorResponse(5, 2))['snmp.error_status'], 'NO_SUCH_NAME');
    assert.equal(ok(snmpErrorResponse(5, 99))['snmp.error_status'], 'UNKNOWN-99');
  });

  test('v1 trap: enterprise, agent address, generic and specific trap', () => {
    const m = ok(snmpV1LinkDownTrap('10.10.0.7'));
    assert.equal(m['snmp.pdu_type'], 'TRAP');
    assert.equal(m['snmp.operation'], 'other');
    assert.equal(m['snmp.trap.oid'], '1.3.6.1.4.1.248.14');
    assert.equal(m['snmp.trap.agent_addr'], '10.10.0.7');
    assert.equal(m['snmp.trap.generic'], 'LINK_DOWN');
    assert.equal(m['snmp.trap.specific'], 0);
    assert.equal(m['snmp.request_id'], null);
  });

  test('v2 notification: snmpTrapOID.0 names it', () => {
    const m = ok(snmpV2ColdStartTrap(3));
    assert.equal(m['snmp.pdu_type'], 'SNMPV2_TRAP');
    assert.equal(m['snmp.trap.oid'], '1.3.6.1.6.3.1.1.5.1');
  });

  test('v3 engine discovery and its REPORT are auth; USM engine id and user', () => {
    const d = ok(snmpV3Discovery(100));
    assert.equal(d['snmp.version'], '3');
    assert.equal(d['snmp.community'], null);
    assert.equal(d['snmp.pdu_type'], 'GET_REQUEST');
    assert.equal(d['snmp.operation'], 'auth');
    assert.equal(d['snmp.v3.security_level'], 'NO_AUTH_NO_PRIV');
    assert.equal(d['snmp.v3.reportable'], true);
    assert.equal(d['snmp.v3.security_model'], 'USM');
    assert.equal(d['snmp.v3.user'], null);
    const r = ok(snmpV3DiscoveryReport(100));
    assert.equal(r['snmp.pdu_type'], 'REPORT');
    assert.equal(r['snmp.operation'], 'auth');
    assert.equal(r['snmp.v3.engine_id'], '800000f803ece555010203');
  });

  test('v3 authPriv: recognised, user reported, PDU not decrypted', () => {
    const m = ok(snmpV3EncryptedGet(7, 'nms-ro'));
    assert.equal(m['snmp.pdu_type'], 'ENCRYPTED_PDU');
    assert.equal(m['snmp.operation'], 'other');
    assert.equal(m['snmp.v3.encrypted'], true);
    assert.equal(m['snmp.v3.security_level'], 'AUTH_PRIV');
    assert.equal(m['snmp.v3.user'], 'nms-ro');
    assert.equal(m['snmp.v3.msg_id'], 7);
  });

  test('the OID list is capped, the count is not', () => {
    const binds = Array.from(
      { length: MAX_OIDS_LISTED + 5 },
      (_, i) => [`1.3.6.1.2.1.2.2.1.10.${i + 1}`, null] as const,
    );
    const m = ok(communityMessage(1, 'public', pduBytes(PDU_TYPES.GET_REQUEST, 1, binds)));
    assert.equal(m['snmp.oids'].length, MAX_OIDS_LISTED);
    assert.equal(m['snmp.varbind_count'], MAX_OIDS_LISTED + 5);
  });
});

describe('SNMP sessions', () => {
  test('responses take their request operation by request-id; unmatched ones are other', () => {
    const ctx = replay(snmpDissector, [
      [0, 1, snmpSystemGet(10)],
      [0, 2, snmpSetContact(11)],
      [1, 3, snmpErrorResponse(11, 17)],
      [1, 4, snmpSystemResponse(10)],
      [1, 5, snmpSystemResponse(12)],
    ]);
    const msgs = ctx.messages();
    assert.deepEqual(
      msgs.map((m) => [m['snmp.pdu_type'], m['snmp.operation'], m['snmp.matched']]),
      [
        ['GET_REQUEST', 'read', null],
        ['SET_REQUEST', 'write', null],
        ['RESPONSE', 'write', true],
        ['RESPONSE', 'read', true],
        ['RESPONSE', 'other', false],
      ],
    );
    assert.equal(msgs[2]['snmp.error_status'], 'NOT_WRITABLE');
  });

  test('a flow of garbage is abandoned; one valid message keeps it', () => {
    const junk = Array.from(
      { length: MAX_VIOLATIONS_BEFORE_ABANDON },
      (_, i) => [0, i, Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x07])] as const,
    );
    const ctx = replay(snmpDissector, junk);
    assert.equal(ctx.abandoned.length, 1);
    const kept = replay(snmpDissector, [[0, 0, snmpSystemGet(1)], ...junk]);
    assert.equal(kept.abandoned.length, 0);
  });

  test('probe: yes on SNMP, no on anything else', () => {
    assert.equal(snmpDissector.probe(0, snmpSystemGet(1)), 'yes');
    assert.equal(snmpDissector.probe(0, new Uint8Array([0x30, 0x00])), 'no');
    assert.equal(snmpDissector.probe(0, new Uint8Array(0)), 'no');
  });
});

describe('BER', () => {
  const e: Element = { tag: 0, start: 0, end: 0 };

  test('long-form lengths, negative integers, large OID arcs', () => {
    const long = Uint8Array.from(ber(TAGS.OCTET_STRING, new Array(300).fill(0x41)));
    assert.equal(readElement(long, 0, long.length, e), null);
    assert.equal(e.end - e.start, 300);
    const neg = Uint8Array.from(berInteger(-129));
    readElement(neg, 0, neg.length, e);
    assert.equal(readInteger(neg, e), -129);
    const big = Uint8Array.from(berInteger(0xfffffffe));
    readElement(big, 0, big.length, e);
    assert.equal(readInteger(big, e), 0xfffffffe);
    const oid = hex('06 0a 2b 06 01 04 01 8f ff ff ff 7f');
    readElement(oid, 0, oid.length, e);
    assert.equal(readOid(oid, e), '1.3.6.1.4.1.4294967295');
  });

  test('malformed elements', () => {
    assert.match(readElement(hex('04 80 00 00'), 0, 4, e) ?? '', /indefinite/);
    assert.match(readElement(hex('1f 01 00'), 0, 3, e) ?? '', /multi-octet tag/);
    assert.match(readElement(hex('04 85 00 00 00 00 01 00'), 0, 8, e) ?? '', /5 length octets/);
    assert.match(readElement(hex('04 05 41'), 0, 3, e) ?? '', /runs past/);
    const overflow = hex('06 07 2b 90 80 80 80 80 00');
    readElement(overflow, 0, overflow.length, e);
    assert.equal(readOid(overflow, e), null);
    assert.ok(MAX_BER_DEPTH >= 6);
  });
});

describe('SNMP malformed datagrams', () => {
  const good = snmpSystemGet(42);
  const rows: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
    { name: 'not a SEQUENCE', bytes: hex('31 03 02 01 00'), reason: /message has tag 0x31/ },
    {
      name: 'octets after the message',
      bytes: Uint8Array.from([...good, 0]),
      reason: /1 octets after the message/,
    },
    { name: 'version 2', bytes: hex('30 03 02 01 02'), reason: /version 2 is not/ },
    { name: 'missing community', bytes: hex('30 03 02 01 01'), reason: /community missing/ },
    {
      name: 'GetBulk in v1',
      bytes: communityMessage(0, 'public', pduBytes(PDU_TYPES.GET_BULK_REQUEST, 1, [])),
      reason: /GET_BULK_REQUEST in an SNMPv1 message/,
    },
    {
      name: 'v1 Trap-PDU in v2c',
      bytes: communityMessage(1, 'public', ber(PDU_TYPES.TRAP, [])),
      reason: /SNMPv1 TRAP in a version 2c message/,
    },
    { name: 'unknown PDU tag', bytes: communityMessage(1, 'public', ber(0xa9, [])), reason: /PDU tag 0xa9/ },
    {
      name: 'varbind without a value',
      bytes: communityMessage(
        1,
        'public',
        ber(PDU_TYPES.GET_REQUEST, [
          ...berInteger(1),
          ...berInteger(0),
          ...berInteger(0),
          ...ber(0x30, ber(0x30, [6, 1, 0x2b])),
        ]),
      ),
      reason: /varbind 1 value missing/,
    },
    {
      name: 'varbind name not an OID',
      bytes: communityMessage(
        1,
        'public',
        ber(PDU_TYPES.GET_REQUEST, [
          ...berInteger(1),
          ...berInteger(0),
          ...berInteger(0),
          ...ber(0x30, ber(0x30, [4, 1, 0x41, 5, 0])),
        ]),
      ),
      reason: /varbind 1 name has tag 0x4/,
    },
    {
      name: 'v3 msgFlags of 2 octets',
      bytes: hex('30 14 020103 300f 020101 020300ffe3 0402 0404 020103'),
      reason: /msgFlags of 2 octets/,
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const ctx = replay(snmpDissector, [[0, 0, row.bytes]]);
      assert.equal(ctx.messages().length, 0);
      assert.equal(ctx.violations().length, 1);
      assert.match(ctx.violations()[0].reason ?? '', row.reason);
    });
  }

  test('an empty datagram', () => {
    const r = parseSnmp(new Uint8Array(0));
    assert.ok(r.kind === 'violation');
    assert.match(r.reason, /message missing/);
  });

  test('every truncation of valid messages is a violation and never throws', () => {
    for (const msg of [
      snmpSystemResponse(1),
      snmpV1LinkDownTrap(),
      snmpV3DiscoveryReport(2),
      snmpV3EncryptedGet(3),
    ]) {
      for (let n = 0; n < msg.length; n++)
        assert.equal(parseSnmp(msg.subarray(0, n)).kind, 'violation', `cut at ${n}`);
    }
  });

  test('random bytes and random mutations never throw', () => {
    const seed = snmpSystemResponse(1);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        parseSnmp(bytes);
        const copy = seed.slice();
        for (let i = 0; i < bytes.length && i < 8; i++)
          copy[bytes[i] % copy.length] ^= bytes[(i + 1) % bytes.length] | 1;
        parseSnmp(copy);
      }),
      { numRuns: 3000 },
    );
  });
});
