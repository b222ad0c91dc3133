// The dissectors end to end on built messages (STYLE.md 8): a whole EtherNet/IP conversation fed in
// chunks of every size gives the same events; probes; pairing of replies with requests; identity
// through a chassis route; operations; violations, resynchronisation and abandoning; UDP and I/O;
// random and truncated input never throws.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Direction, Fields } from '../types.ts';
import {
  type EnipSession,
  enipDissector,
  enipIoDissector,
  enipUdpDissector,
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_PENDING_REQUESTS,
} from './dissector.ts';
import { MAX_ENCAP_MESSAGE_LENGTH } from './parser.ts';
import {
  cipReply,
  EXAMPLE_IDENTITIES,
  encapsulate,
  executePccc,
  executePcccReply,
  type ForwardOpenSpec,
  forwardClose,
  forwardOpen,
  forwardOpenReply,
  identityReply,
  identityRequest,
  ioDatagram,
  listIdentityReply,
  listIdentityRequest,
  listServicesReply,
  multipleServicePacket,
  multipleServiceReply,
  pcccChangeMode,
  pcccDiagnosticStatusReply,
  pcccTypedRead,
  pcccTypedWrite,
  readTag,
  readTagReply,
  registerSession,
  sendRRData,
  sendUnitData,
  unconnectedSend,
  unregisterSession,
  writeTag,
} from './testing.ts';

const SESSION = 0x11020100;
const CONNECTION: ForwardOpenSpec = {
  otId: 0,
  toId: 0x00fe0028,
  serial: 0x1234,
  vendor: 1,
  originatorSerial: 0x00c0ffee,
  rpiMicroseconds: 500_000,
  transportClass: 3,
  slot: 2,
};
const ASSIGNED = { ...CONNECTION, otId: 0x80fe0028 };

/** A client talking to a ControlLogix chassis through its 1756-ENBT, request then reply each time. */
function conversation(): Transmission[] {
  const s = { session: SESSION };
  let context = 0;
  const rr = (cip: Uint8Array, reply: Uint8Array): Transmission[] => {
    context++;
    return [
      [0, context, sendRRData(cip, { ...s, context })],
      [1, context, sendRRData(reply, { ...s, context })],
    ];
  };
  return [
    [0, 0.1, registerSession()],
    [1, 0.1, registerSession(s)],
    [0, 0.2, listIdentityRequest()],
    [1, 0.2, listIdentityReply(EXAMPLE_IDENTITIES.enbt, '10.1.1.164')],
    [0, 0.25, encapsulate(0x04, new Uint8Array(0))],
    [1, 0.25, listServicesReply()],
    ...rr(unconnectedSend(identityRequest(), 0), identityReply(EXAMPLE_IDENTITIES.logix)),
    ...rr(unconnectedSend(readTag('Line1.Speed'), 0), readTagReply([1500])),
    ...rr(
      multipleServicePacket([readTag('Tank[1]'), writeTag('Setpoint', [42])]),
      multipleServiceReply([readTagReply([7]), cipReply(0x4d)]),
    ),
    ...rr(forwardOpen(CONNECTION), forwardOpenReply(ASSIGNED)),
    [0, 10, sendUnitData(ASSIGNED.otId, 1, identityRequest(), s)],
    [1, 10, sendUnitData(ASSIGNED.toId, 1, identityReply(EXAMPLE_IDENTITIES.powerflex), s)],
    ...rr(forwardClose(CONNECTION), cipReply(0x4e, 0, new Uint8Array(10))),
    ...rr(executePccc(0x06, 0x03, 77), pcccDiagnosticStatusReply(77, '1766-LEC')),
    ...rr(pcccTypedRead(78, 7, 0), executePcccReply(0x0f, 0, 78, Uint8Array.of(1, 0))),
    ...rr(pcccTypedWrite(79, 7, 0, [5]), executePcccReply(0x0f, 0x10, 79)),
    ...rr(pcccChangeMode(80, 0x06), executePcccReply(0x0f, 0, 80)),
    [0, 20, unregisterSession(s)],
  ];
}

const messages = (ctx: RecordingContext) => ctx.messages();
const pick = (f: Fields, ...keys: string[]) => keys.map((k) => f[k]);

describe('enip over TCP: a whole conversation', () => {
  const whole = replay(enipDissector, conversation());

  it('decodes every message without a violation', () => {
    assert.deepEqual(whole.violations(), []);
    // 38 messages, plus one event for each Multiple_Service_Packet member on either side.
    assert.equal(messages(whole).length, conversation().length + 4);
  });

  it('gives the same events for chunks of every size', () => {
    const expected = JSON.stringify(whole.events);
    const longest = Math.max(...conversation().map(([, , b]) => b.length));
    for (let size = 1; size <= longest; size++) {
      const ctx = replay(enipDissector, conversation(), size);
      assert.equal(JSON.stringify(ctx.events), expected, `chunks of ${size}`);
    }
  });

  it('names commands and services, with operations', () => {
    const rows = messages(whole).map((f) =>
      [f['enip.command'], f['cip.service'], f['pccc.function'] ?? null, f['enip.operation']].join(' '),
    );
    assert.deepEqual(rows, [
      'REGISTER_SESSION   auth',
      'REGISTER_SESSION   auth',
      'LIST_IDENTITY   discovery',
      'LIST_IDENTITY   discovery',
      'LIST_SERVICES   discovery',
      'LIST_SERVICES   discovery',
      'SEND_RR_DATA GET_ATTRIBUTES_ALL  discovery',
      'SEND_RR_DATA GET_ATTRIBUTES_ALL  discovery',
      'SEND_RR_DATA READ_TAG  read',
      'SEND_RR_DATA READ_TAG  read',
      'SEND_RR_DATA MULTIPLE_SERVICE_PACKET  write',
      'SEND_RR_DATA READ_TAG  read',
      'SEND_RR_DATA WRITE_TAG  write',
      'SEND_RR_DATA MULTIPLE_SERVICE_PACKET  write',
      'SEND_RR_DATA READ_TAG  read',
      'SEND_RR_DATA WRITE_TAG  write',
      'SEND_RR_DATA FORWARD_OPEN  other',
      'SEND_RR_DATA FORWARD_OPEN  other',
      'SEND_UNIT_DATA GET_ATTRIBUTES_ALL  discovery',
      'SEND_UNIT_DATA GET_ATTRIBUTES_ALL  discovery',
      'SEND_RR_DATA FORWARD_CLOSE  other',
      'SEND_RR_DATA FORWARD_CLOSE  other',
      'SEND_RR_DATA EXECUTE_PCCC DIAGNOSTIC_STATUS discovery',
      'SEND_RR_DATA EXECUTE_PCCC DIAGNOSTIC_STATUS discovery',
      'SEND_RR_DATA EXECUTE_PCCC PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS read',
      'SEND_RR_DATA EXECUTE_PCCC PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS read',
      'SEND_RR_DATA EXECUTE_PCCC PROTECTED_TYPED_LOGICAL_WRITE_3_ADDRESS_FIELDS write',
      'SEND_RR_DATA EXECUTE_PCCC PROTECTED_TYPED_LOGICAL_WRITE_3_ADDRESS_FIELDS write',
      'SEND_RR_DATA EXECUTE_PCCC CHANGE_CPU_MODE control',
      'SEND_RR_DATA EXECUTE_PCCC CHANGE_CPU_MODE control',
      'UNREGISTER_SESSION   auth',
    ]);
  });

  it('the ListIdentity reply is the adapter’s own identity', () => {
    const f = messages(whole)[3];
    assert.deepEqual(
      pick(f, 'enip.device.vendor', 'enip.device.model', 'enip.device.firmware', 'enip.device.serial'),
      ['Rockwell Automation/Allen-Bradley', '1756-ENBT/A', '4.3', '0x00524d8e'],
    );
    assert.equal(f['enip.device.unit'], undefined);
    assert.equal(f['enip.identity.socket_address'], '10.1.1.164');
  });

  it('an identity answered through the backplane is the module in that slot', () => {
    const reply = messages(whole)[7];
    assert.deepEqual(
      pick(
        reply,
        'cip.response',
        'cip.class',
        'cip.route',
        'enip.device.unit',
        'enip.device.model',
        'enip.device.product',
      ),
      [true, 1, 'slot 0', 'slot 0', '1756-L61/B LOGIX5561', 'Programmable Logic Controller'],
    );
    assert.equal(reply['enip.device.firmware'], '20.11');
  });

  it('a tag read routed to the controller carries its tag and route on both sides', () => {
    const [request, reply] = messages(whole).slice(8, 10);
    assert.deepEqual(pick(request, 'cip.symbol', 'cip.route', 'cip.response'), [
      'Line1.Speed',
      'slot 0',
      false,
    ]);
    assert.deepEqual(pick(reply, 'cip.symbol', 'cip.route', 'cip.status'), [
      'Line1.Speed',
      'slot 0',
      'SUCCESS',
    ]);
  });

  it('Multiple_Service_Packet members are numbered and answered member by member', () => {
    const members = messages(whole)
      .slice(10, 16)
      .map((f) => pick(f, 'cip.embedded', 'cip.service', 'cip.symbol', 'cip.response'));
    assert.deepEqual(members, [
      [null, 'MULTIPLE_SERVICE_PACKET', null, false],
      [1, 'READ_TAG', 'Tank[1]', false],
      [2, 'WRITE_TAG', 'Setpoint', false],
      [null, 'MULTIPLE_SERVICE_PACKET', null, true],
      [1, 'READ_TAG', 'Tank[1]', true],
      [2, 'WRITE_TAG', 'Setpoint', true],
    ]);
  });

  it('connected messages travel the route their Forward_Open opened', () => {
    const [open, opened, request, reply] = messages(whole).slice(16, 20);
    assert.deepEqual(pick(open, 'cip.route', 'cip.connection.transport_class', 'cip.connection.rpi_o_t'), [
      'slot 2',
      3,
      500_000,
    ]);
    assert.deepEqual(pick(opened, 'cip.connection.o_t_id', 'cip.connection.t_o_id'), [
      ASSIGNED.otId,
      ASSIGNED.toId,
    ]);
    assert.deepEqual(pick(request, 'cip.connection_id', 'cip.sequence', 'cip.route'), [
      ASSIGNED.otId,
      1,
      'slot 2',
    ]);
    assert.deepEqual(pick(reply, 'cip.connection_id', 'enip.device.unit', 'enip.device.model'), [
      ASSIGNED.toId,
      'slot 2',
      'PowerFlex 525 1P 240V .4kW',
    ]);
  });

  it('PCCC replies carry the catalog number and the PCCC status as the error', () => {
    const all = messages(whole);
    assert.deepEqual(pick(all[23], 'pccc.catalog', 'enip.device.model', 'pccc.command'), [
      '1766-LEC',
      '1766-LEC',
      0x46,
    ]);
    assert.deepEqual(pick(all[27], 'pccc.status', 'enip.error'), [0x10, 'ILLEGAL_COMMAND_OR_FORMAT']);
    assert.equal(all[25]['enip.error'], null);
  });
});

describe('pairing and errors', () => {
  it('a reply without its request is named from its code alone', () => {
    const ctx = replay(enipDissector, [[1, 1, sendRRData(cipReply(0x0e, 0x05), { session: 1 })]]);
    const [f] = ctx.messages();
    assert.deepEqual(pick(f, 'cip.service', 'cip.class', 'cip.status', 'enip.error'), [
      'GET_ATTRIBUTE_SINGLE',
      null,
      'PATH_DESTINATION_UNKNOWN',
      'PATH_DESTINATION_UNKNOWN',
    ]);
  });

  it('an encapsulation error status is the error', () => {
    const ctx = replay(enipDissector, [
      [1, 1, encapsulate(0x65, Uint8Array.of(1, 0, 0, 0), { status: 0x69 })],
    ]);
    assert.equal(ctx.messages()[0]['enip.error'], 'UNSUPPORTED_PROTOCOL_VERSION');
  });

  it('PARTIAL_TRANSFER of a fragmented read is not an error', () => {
    const request = sendRRData(readTag('Big'), { context: 9 });
    const reply = sendRRData(cipReply(0x4c, 0x06, Uint8Array.of(0xc4, 0, 1, 0, 0, 0)), { context: 9 });
    const [, f] = replay(enipDissector, [
      [0, 1, request],
      [1, 1, reply],
    ]).messages();
    assert.deepEqual(pick(f, 'cip.status', 'enip.error', 'cip.symbol'), ['PARTIAL_TRANSFER', null, 'Big']);
  });

  it('a router that rejects an Unconnected_Send answers for it', () => {
    const request = sendRRData(unconnectedSend(identityRequest(), 5), { context: 3 });
    const reply = sendRRData(cipReply(0x52, 0x01, Uint8Array.of(0, 0), [0x0311]), { context: 3 });
    const [, f] = replay(enipDissector, [
      [0, 1, request],
      [1, 1, reply],
    ]).messages();
    assert.deepEqual(pick(f, 'cip.service', 'cip.route', 'cip.extended_status', 'enip.error'), [
      'UNCONNECTED_SEND',
      'slot 5',
      0x0311,
      'CONNECTION_FAILURE',
    ]);
  });

  it(`remembers at most ${MAX_PENDING_REQUESTS} requests, the newest ones`, () => {
    const t: Transmission[] = [];
    for (let i = 0; i < MAX_PENDING_REQUESTS + 10; i++)
      t.push([0, i, sendRRData(readTag(`T${i}`), { context: i })]);
    t.push([1, 99, sendRRData(readTagReply([1]), { context: MAX_PENDING_REQUESTS + 9 })]);
    t.push([1, 99, sendRRData(readTagReply([1]), { context: 0 })]);
    const replies = replay(enipDissector, t)
      .messages()
      .filter((f) => f['cip.response'] === true);
    assert.deepEqual(
      replies.map((f) => f['cip.symbol']),
      [`T${MAX_PENDING_REQUESTS + 9}`, null],
    );
  });
});

describe('violations and resynchronisation', () => {
  it('a header with non-zero options is reported and the stream resynchronises', () => {
    const bad = registerSession();
    bad[21] = 7;
    const ctx = replay(enipDissector, [[0, 1, new Uint8Array([...bad, ...listIdentityRequest()])]], 5);
    assert.equal(ctx.violations().length, 1);
    assert.match(String(ctx.violations()[0].reason), /options/);
    assert.deepEqual(
      ctx.messages().map((f) => f['enip.command']),
      ['LIST_IDENTITY'],
    );
  });

  it('a malformed body keeps the framing: the next message decodes', () => {
    const ctx = replay(enipDissector, [
      [0, 1, encapsulate(0x65, Uint8Array.of(1, 0, 0))],
      [0, 2, registerSession()],
    ]);
    assert.equal(ctx.violations().length, 1);
    assert.equal(ctx.violations()[0].fields['enip.command'], 'REGISTER_SESSION');
    assert.equal(ctx.messages().length, 1);
  });

  it('after a capture gap the next header is found', () => {
    const ctx = new RecordingContext();
    const s = enipDissector.createSession(ctx);
    const m = sendRRData(identityRequest(), { context: 1 });
    s.data(0, 1, m.subarray(0, 30));
    s.gap(0, 1, 100);
    s.data(0, 2, new Uint8Array([...m.subarray(40), ...registerSession()]));
    s.end(3);
    assert.deepEqual(
      ctx.messages().map((f) => f['enip.command']),
      ['REGISTER_SESSION'],
    );
    assert.equal(ctx.violations().length, 0);
  });

  it(`garbage is abandoned after ${MAX_CONSECUTIVE_VIOLATIONS} violations in a row`, () => {
    const ctx = new RecordingContext();
    const s = enipDissector.createSession(ctx);
    const junk = new Uint8Array(100_000).map((_, i) => (i * 7 + 3) & 0xff);
    s.data(0, 1, junk);
    assert.equal(ctx.abandoned.length, 1);
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
  });

  it('a long message arriving slowly is buffered up to the largest message, no further', () => {
    const ctx = new RecordingContext();
    const s = enipDissector.createSession(ctx) as EnipSession;
    const header = encapsulate(0x6f, new Uint8Array(65_000)).subarray(0, 24);
    s.data(0, 1, header);
    for (let i = 0; i < 64; i++) s.data(0, 1, new Uint8Array(1000));
    const carry = (s as unknown as { dirs: { carry: Uint8Array | null }[] }).dirs[0].carry;
    assert.ok(carry !== null && carry.length <= MAX_ENCAP_MESSAGE_LENGTH);
    assert.deepEqual(ctx.events, []);
  });
});

describe('probes', () => {
  const rows: Array<[string, Uint8Array, string]> = [
    ['RegisterSession', registerSession(), 'yes'],
    ['the first ten bytes of one', registerSession().subarray(0, 10), 'maybe'],
    ['ListIdentity reply', listIdentityReply(EXAMPLE_IDENTITIES.wago, '192.168.1.20'), 'yes'],
    ['SendRRData still arriving, sound prefix', sendRRData(readTag('A'.repeat(200))).subarray(0, 40), 'yes'],
    ['HTTP', new TextEncoder().encode('GET / HTTP/1.1\r\nHost: plc\r\n\r\n'), 'no'],
    ['a Modbus/TCP request', Uint8Array.of(0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10), 'no'],
    ['unknown command', encapsulate(0x99, new Uint8Array(0)), 'no'],
    ['SendRRData with a malformed CIP request', sendRRData(Uint8Array.of(0x0e, 9)), 'no'],
  ];
  for (const [name, data, verdict] of rows) {
    it(`tcp: ${name} -> ${verdict}`, () => assert.equal(enipDissector.probe(0, data), verdict));
  }

  it('udp: whole messages only', () => {
    const reply = listIdentityReply(EXAMPLE_IDENTITIES.enbt, '10.0.0.2');
    assert.equal(enipUdpDissector.probe(1, reply), 'yes');
    assert.equal(enipUdpDissector.probe(1, reply.subarray(0, reply.length - 1)), 'no');
    assert.equal(enipUdpDissector.probe(0, listIdentityRequest()), 'yes');
    assert.equal(enipUdpDissector.probe(0, ioDatagram(1, 1, Uint8Array.of(1, 2))), 'no');
  });

  it('io: CPF datagrams only', () => {
    assert.equal(enipIoDissector.probe(0, ioDatagram(5, 6, Uint8Array.of(1, 2, 3))), 'yes');
    assert.equal(enipIoDissector.probe(0, listIdentityRequest()), 'no');
  });
});

describe('enip over UDP, and enip_io', () => {
  it('a broadcast ListIdentity reply names the device under enip.device.*', () => {
    const ctx = replay(enipUdpDissector, [
      [1, 1, listIdentityReply(EXAMPLE_IDENTITIES.wago, '192.168.1.20')],
    ]);
    const [f] = ctx.messages();
    assert.deepEqual(pick(f, 'enip.device.vendor', 'enip.device.model', 'enip.identity.socket_address'), [
      'Wago Corporation',
      'WAGO 750-363 ETHERNET IP',
      '192.168.1.20',
    ]);
  });

  it('a datagram that ends inside its message is a violation', () => {
    const d = listIdentityReply(EXAMPLE_IDENTITIES.wago, '192.168.1.20');
    const ctx = replay(enipUdpDissector, [[1, 1, d.subarray(0, 40)]]);
    assert.match(String(ctx.violations()[0]?.reason), /ends inside/);
  });

  it('I/O datagrams give connection id, sequence and length', () => {
    const ctx = replay(enipIoDissector, [
      [0, 1, ioDatagram(0x4b0603, 10, Uint8Array.of(1, 2, 3, 4, 5, 6))],
      [0, 2, Uint8Array.of(2, 0, 0xb1, 0)],
    ]);
    assert.deepEqual(
      pick(ctx.messages()[0], 'enip.command', 'cip.connection_id', 'cip.io.sequence', 'cip.io.length'),
      ['CIP_IO', 0x4b0603, 10, 6],
    );
    assert.equal(ctx.violations().length, 1);
  });
});

describe('conformance: nothing throws', () => {
  const descriptors = [enipDissector, enipUdpDissector, enipIoDissector];
  const valid = conversation().map(([, , b]) => b);

  it('empty input', () => {
    for (const d of descriptors) {
      assert.ok(['maybe', 'no'].includes(d.probe(0, new Uint8Array(0))));
      const ctx = new RecordingContext();
      const s = d.createSession(ctx);
      s.data(0, 0, new Uint8Array(0));
      s.gap(0, 0, 10);
      s.end(0);
    }
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 1 }), (bytes, dir) => {
        for (const d of descriptors) {
          d.probe(dir as Direction, bytes);
          const ctx = new RecordingContext();
          const s = d.createSession(ctx);
          s.data(dir as Direction, 0, bytes);
          s.end(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('valid messages with random corruption and truncation', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        (which, flips, cut) => {
          const m = valid[which].slice();
          for (const [at, v] of flips) m[at % m.length] = v;
          const truncated = m.subarray(0, cut % (m.length + 1));
          for (const d of descriptors) {
            d.probe(0, truncated);
            const ctx = new RecordingContext();
            const s = d.createSession(ctx);
            s.data(0, 0, truncated);
            s.data(1, 0, m);
            s.end(0);
            for (const e of ctx.events) if (e.kind === 'violation') assert.ok(String(e.reason).length > 0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
