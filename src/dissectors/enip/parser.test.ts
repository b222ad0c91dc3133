// Table-driven tests of the pure parsers (STYLE.md 8): encapsulation framing, CPF bodies, EPATHs,
// CIP requests and replies, with valid rows per message kind and malformed rows (truncated, bad
// length, reserved segment types).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CIP_NESTING, MAX_EMBEDDED_SERVICES, parsePath, parseReply, parseRequest } from './cip.ts';
import {
  ENCAP_HEADER_LENGTH,
  looksLikeIoDatagram,
  MAX_CPF_ITEMS,
  parseBody,
  parseFrame,
  parseIoDatagram,
} from './parser.ts';
import { KNOWN_ENCAP_COMMAND, pcccName, pcccOperation, serviceName, serviceOperation } from './spec.ts';
import {
  cipReply,
  cipRequest,
  EXAMPLE_IDENTITIES,
  encapsulate,
  executePccc,
  forwardOpen,
  forwardOpenReply,
  identityReply,
  identityRequest,
  ioDatagram,
  listIdentityReply,
  logicalPath,
  multipleServicePacket,
  multipleServiceReply,
  pcccDiagnosticStatusReply,
  readTag,
  registerSession,
  sendRRData,
  sendUnitData,
  symbolPath,
  unconnectedSend,
  writeTag,
} from './testing.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);

function body(message: Uint8Array) {
  const frame = parseFrame(message, 0, message.length);
  assert.equal(frame.kind, 'ok');
  if (frame.kind !== 'ok') throw new Error('unreachable');
  return parseBody(frame.message.command, message, ENCAP_HEADER_LENGTH, message.length);
}

describe('parseFrame (Vol 2 §2-3.1)', () => {
  const rows: Array<[string, Uint8Array, string]> = [
    ['whole RegisterSession', registerSession({ session: 0x11020100 }), 'ok'],
    ['header only, 23 bytes', registerSession().subarray(0, 23), 'incomplete'],
    ['header without its data', registerSession().subarray(0, 26), 'incomplete'],
    ['empty', new Uint8Array(0), 'incomplete'],
  ];
  for (const [name, input, kind] of rows) {
    it(name, () => assert.equal(parseFrame(input, 0, input.length).kind, kind));
  }

  it('reports the bytes still needed', () => {
    const r = parseFrame(registerSession().subarray(0, 26), 0, 26);
    assert.deepEqual(r, { kind: 'incomplete', needed: 2 });
  });

  it('non-zero options are a violation', () => {
    const m = registerSession();
    m[20] = 1;
    const r = parseFrame(m, 0, m.length);
    assert.equal(r.kind, 'violation');
    assert.match(r.kind === 'violation' ? r.reason : '', /options 0x1 are not zero/);
  });

  it('a length beyond 65511 is a violation', () => {
    const m = new Uint8Array(24);
    m[0] = 0x6f;
    m[2] = 0xff;
    m[3] = 0xff;
    const r = parseFrame(m, 0, m.length);
    assert.equal(r.kind, 'violation');
  });

  it('reads session, status and sender context', () => {
    const m = encapsulate(0x6f, new Uint8Array(0), {
      session: 0x12345678,
      status: 0x65,
      context: 0xabcdef01,
    });
    const r = parseFrame(m, 0, m.length);
    assert.ok(r.kind === 'ok');
    assert.equal(r.message.session, 0x12345678);
    assert.equal(r.message.status, 0x65);
    assert.equal(r.message.contextLo, 0xabcdef01);
    assert.equal(r.message.contextHi, 0);
  });

  it('the resynchroniser knows the commands of Table 2-3.2 only', () => {
    assert.equal(KNOWN_ENCAP_COMMAND[0x65], true);
    assert.equal(KNOWN_ENCAP_COMMAND[0x6f], true);
    assert.equal(KNOWN_ENCAP_COMMAND[0x01], false);
  });
});

describe('parseBody (Vol 2 §2-4, §2-6)', () => {
  it('RegisterSession carries the protocol version', () => {
    const b = body(registerSession());
    assert.ok(typeof b !== 'string');
    assert.equal(b.protocolVersion, 1);
  });

  it('RegisterSession with 3 bytes of data is malformed', () => {
    assert.match(String(body(encapsulate(0x65, bytes(1, 0, 0)))), /RegisterSession data of 3 bytes/);
  });

  it('ListIdentity reply yields the identity item, socket address big-endian', () => {
    const b = body(listIdentityReply(EXAMPLE_IDENTITIES.enbt, '10.1.1.164'));
    assert.ok(typeof b !== 'string');
    assert.deepEqual(b.identity, {
      encapsulationVersion: 1,
      socketAddress: '10.1.1.164',
      socketPort: 44818,
      vendorId: 1,
      deviceType: 12,
      productCode: 58,
      revisionMajor: 4,
      revisionMinor: 3,
      status: 0x30,
      serial: 0x00524d8e,
      productName: '1756-ENBT/A',
      state: 3,
    });
  });

  it('SendRRData points at the unconnected CIP message', () => {
    const cip = identityRequest();
    const m = sendRRData(cip);
    const b = body(m);
    assert.ok(typeof b !== 'string');
    assert.deepEqual(Array.from(m.subarray(b.cipStart, b.cipEnd)), Array.from(cip));
    assert.equal(b.connectionId, null);
  });

  it('SendUnitData yields the connection id and the CIP sequence count', () => {
    const b = body(sendUnitData(0x80fe0028, 1929, identityRequest()));
    assert.ok(typeof b !== 'string');
    assert.equal(b.connectionId, 0x80fe0028);
    assert.equal(b.cipSequence, 1929);
  });

  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['SendRRData without CPF', encapsulate(0x6f, bytes(0, 0, 0, 0, 0, 0)), /is truncated/],
    [
      'CPF item longer than the message',
      encapsulate(0x6f, bytes(0, 0, 0, 0, 0, 0, 1, 0, 0xb2, 0, 50, 0, 1, 2)),
      /runs past the message/,
    ],
    [
      'too many CPF items',
      encapsulate(0x6f, bytes(0, 0, 0, 0, 0, 0, MAX_CPF_ITEMS + 1, 0)),
      new RegExp(`exceed ${MAX_CPF_ITEMS}`),
    ],
    [
      'connected address item of 2 bytes',
      encapsulate(0x70, bytes(0, 0, 0, 0, 0, 0, 1, 0, 0xa1, 0, 2, 0, 1, 2)),
      /not 4/,
    ],
    ['identity item too short', encapsulate(0x63, bytes(1, 0, 0x0c, 0, 4, 0, 1, 0, 0, 2)), /too short/],
  ];
  for (const [name, input, reason] of malformed) {
    it(`${name} is malformed`, () => assert.match(String(body(input)), reason));
  }

  it('a product name longer than the item is malformed', () => {
    const m = listIdentityReply(EXAMPLE_IDENTITIES.enbt, '10.0.0.1');
    // The name length byte sits 15 bytes before the end of the 11-character name and state.
    m[m.length - 13] = 200;
    assert.match(String(body(m)), /product name of 200 bytes/);
  });
});

describe('parsePath (Vol 1 Appendix C)', () => {
  const rows: Array<[string, Uint8Array, Record<string, unknown>]> = [
    [
      '8-bit class, instance, attribute',
      bytes(0x20, 0x01, 0x24, 0x01, 0x30, 0x07),
      { classId: 1, instanceId: 1, attributeId: 7 },
    ],
    [
      '16-bit instance with its pad byte',
      bytes(0x20, 0x68, 0x25, 0x00, 0x20, 0x24),
      { classId: 0x68, instanceId: 0x2420 },
    ],
    [
      '32-bit instance',
      bytes(0x20, 0x02, 0x26, 0x00, 0x78, 0x56, 0x34, 0x12),
      { classId: 2, instanceId: 0x12345678 },
    ],
    ['tag with member and index', symbolPath('Program:Main.Tank[3]'), { symbol: 'Program:Main.Tank[3]' }],
    ['backplane hop', bytes(0x01, 0x02, 0x20, 0x02, 0x24, 0x01), { route: 'slot 2', classId: 2 }],
    [
      'extended link address (IP)',
      Uint8Array.from([0x12, 8, ...Array.from('10.0.0.7', (c) => c.charCodeAt(0)), 0x01, 0x00]),
      { route: 'port 2 link 10.0.0.7, slot 0' },
    ],
    ['extended port id', bytes(0x0f, 0x12, 0x00, 0x03), { route: 'port 18 link 3' }],
    ['electronic key is skipped', bytes(0x34, 0x04, 1, 0, 12, 0, 58, 0, 4, 3, 0x20, 0x02), { classId: 2 }],
    ['connection point', bytes(0x20, 0x04, 0x24, 0x01, 0x2c, 0x64), { classId: 4, connectionPoint: 0x64 }],
  ];
  for (const [name, input, expected] of rows) {
    it(name, () => {
      const p = parsePath(input, 0, input.length);
      assert.ok(typeof p !== 'string', String(p));
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(p[k as keyof typeof p], v, k);
    });
  }

  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['truncated 16-bit segment', bytes(0x21, 0x00, 0x01), /truncated/],
    ['reserved logical format', bytes(0x23, 0x01), /reserved format/],
    ['reserved segment type', bytes(0xe0, 0x01), /not one Appendix C defines/],
    ['symbol longer than the path', bytes(0x91, 0x09, 0x41, 0x42), /runs past the path/],
    ['port link address longer than the path', bytes(0x11, 0x09, 0x31), /runs past the path/],
    ['undefined data segment', bytes(0x85, 0x00), /not defined/],
  ];
  for (const [name, input, reason] of malformed) {
    it(`${name} is malformed`, () => assert.match(String(parsePath(input, 0, input.length)), reason));
  }
});

describe('parseRequest (Vol 1 §2-4.1)', () => {
  it('Get_Attributes_All on the Identity object is discovery', () => {
    const r = parseRequest(identityRequest(), 0, identityRequest().length);
    assert.ok(typeof r !== 'string');
    assert.deepEqual(
      [r.name, r.operation, r.classId, r.instanceId],
      ['GET_ATTRIBUTES_ALL', 'discovery', 1, 1],
    );
  });

  it('Read_Tag and Write_Tag name the tag and classify read and write', () => {
    const read = parseRequest(readTag('Line1.Speed'), 0, readTag('Line1.Speed').length);
    const w = writeTag('Setpoint[2]', [42]);
    const write = parseRequest(w, 0, w.length);
    assert.ok(typeof read !== 'string' && typeof write !== 'string');
    assert.deepEqual([read.name, read.operation, read.symbol], ['READ_TAG', 'read', 'Line1.Speed']);
    assert.deepEqual([write.name, write.operation, write.symbol], ['WRITE_TAG', 'write', 'Setpoint[2]']);
  });

  it('Unconnected_Send is unwrapped to the routed request', () => {
    const m = unconnectedSend(identityRequest(), 2);
    const r = parseRequest(m, 0, m.length);
    assert.ok(typeof r !== 'string');
    assert.deepEqual([r.name, r.classId, r.route, r.routed], ['GET_ATTRIBUTES_ALL', 1, 'slot 2', true]);
  });

  it('Multiple_Service_Packet decodes every member and takes the strongest operation', () => {
    const m = multipleServicePacket([readTag('A'), writeTag('B', [1]), readTag('C')]);
    const r = parseRequest(m, 0, m.length);
    assert.ok(typeof r !== 'string');
    assert.equal(r.name, 'MULTIPLE_SERVICE_PACKET');
    assert.equal(r.serviceCount, 3);
    assert.deepEqual(
      r.embedded?.map((e) => [e.name, e.symbol]),
      [
        ['READ_TAG', 'A'],
        ['WRITE_TAG', 'B'],
        ['READ_TAG', 'C'],
      ],
    );
    assert.equal(r.operation, 'write');
  });

  it('Forward_Open yields connection parameters and the route to the module', () => {
    const spec = {
      otId: 0,
      toId: 0x2000,
      serial: 7,
      vendor: 1,
      originatorSerial: 0x1234,
      rpiMicroseconds: 500_000,
      transportClass: 3,
      slot: 0,
    };
    const m = forwardOpen(spec);
    const r = parseRequest(m, 0, m.length);
    assert.ok(typeof r !== 'string');
    assert.equal(r.name, 'FORWARD_OPEN');
    assert.equal(r.route, 'slot 0');
    assert.deepEqual(r.connection, {
      otId: 0,
      toId: 0x2000,
      serial: 7,
      originatorVendor: 1,
      originatorSerial: 0x1234,
      rpiOt: 500_000,
      rpiTo: 500_000,
      transportClass: 3,
    });
  });

  it('Execute_PCCC names the PCCC function and takes its operation', () => {
    const rows: Array<[number, number | null, string, string]> = [
      [0x06, 0x03, 'DIAGNOSTIC_STATUS', 'discovery'],
      [0x0f, 0xa2, 'PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS', 'read'],
      [0x0f, 0xaa, 'PROTECTED_TYPED_LOGICAL_WRITE_3_ADDRESS_FIELDS', 'write'],
      [0x0f, 0x80, 'CHANGE_CPU_MODE', 'control'],
      [0x0f, 0x50, 'DOWNLOAD_ALL_REQUEST', 'program'],
      [0x0f, 0x53, 'UPLOAD_ALL_REQUEST', 'program'],
      [0x0f, 0xaf, 'PROTECTED_TYPED_FILE_WRITE', 'file'],
      [0x01, null, 'UNPROTECTED_READ', 'read'],
      [0x0f, 0xa3, 'UNKNOWN-163', 'other'],
    ];
    for (const [cmd, fnc, name, op] of rows) {
      const m = executePccc(cmd, fnc, 1, bytes(0));
      const r = parseRequest(m, 0, m.length);
      assert.ok(typeof r !== 'string', String(r));
      assert.deepEqual([r.name, r.pccc?.name, r.operation], ['EXECUTE_PCCC', name, op], name);
    }
  });

  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['one byte', bytes(0x0e), /shorter than its service and path size/],
    ['path longer than the message', bytes(0x0e, 0x05, 0x20, 0x01), /runs past the message/],
    ['reply bit set', bytes(0x8e, 0x00), /reply bit/],
    [
      'MSP offsets past the packet',
      cipRequest(0x0a, logicalPath({ class: 2, instance: 1 }), bytes(2, 0, 6, 0, 90, 0)),
      /offsets/,
    ],
    [
      'Unconnected_Send message past the request',
      cipRequest(0x52, logicalPath({ class: 6, instance: 1 }), bytes(0x0a, 0x0e, 40, 0, 0x0e)),
      /runs past the request/,
    ],
    [
      'Forward_Open truncated',
      cipRequest(0x54, logicalPath({ class: 6, instance: 1 }), bytes(0x0a, 0x0e, 0)),
      /truncated/,
    ],
    [
      'PCCC command truncated',
      cipRequest(0x4b, logicalPath({ class: 0x67, instance: 1 }), bytes(7, 0, 0, 0, 0, 0, 0, 0x0f)),
      /truncated/,
    ],
  ];
  for (const [name, input, reason] of malformed) {
    it(`${name} is malformed`, () => assert.match(String(parseRequest(input, 0, input.length)), reason));
  }

  it(`nesting deeper than ${MAX_CIP_NESTING} is malformed`, () => {
    let m = identityRequest();
    for (let i = 0; i <= MAX_CIP_NESTING; i++) m = unconnectedSend(m, i);
    assert.match(String(parseRequest(m, 0, m.length)), /nested deeper/);
  });

  it(`a Multiple_Service_Packet decodes at most ${MAX_EMBEDDED_SERVICES} members but counts all`, () => {
    const m = multipleServicePacket(Array.from({ length: MAX_EMBEDDED_SERVICES + 4 }, () => readTag('T')));
    const r = parseRequest(m, 0, m.length);
    assert.ok(typeof r !== 'string');
    assert.equal(r.embedded?.length, MAX_EMBEDDED_SERVICES);
    assert.equal(r.serviceCount, MAX_EMBEDDED_SERVICES + 4);
  });
});

describe('parseReply (Vol 1 §2-4.2)', () => {
  const asked = (m: Uint8Array) => {
    const r = parseRequest(m, 0, m.length);
    assert.ok(typeof r !== 'string');
    return r;
  };

  it('an Identity Get_Attributes_All reply carries the identity', () => {
    const reply = identityReply(EXAMPLE_IDENTITIES.logix);
    const r = parseReply(reply, 0, reply.length, asked(identityRequest()));
    assert.ok(typeof r !== 'string');
    assert.equal(r.identity?.productName, '1756-L61/B LOGIX5561');
    assert.equal(r.identity?.revisionMajor, 20);
    assert.equal(r.identity?.serial, 0x00c0ffee);
  });

  it('without its request the reply data is not interpreted', () => {
    const reply = identityReply(EXAMPLE_IDENTITIES.logix);
    const r = parseReply(reply, 0, reply.length, null);
    assert.ok(typeof r !== 'string');
    assert.equal(r.identity, null);
  });

  it('general and extended status', () => {
    const reply = cipReply(0x54, 0x01, bytes(0, 0), [0x0100]);
    const r = parseReply(reply, 0, reply.length, null);
    assert.ok(typeof r !== 'string');
    assert.deepEqual([r.status, r.extendedStatus], [1, 0x0100]);
  });

  it('a Multiple_Service_Packet reply pairs each member with its request', () => {
    const request = asked(multipleServicePacket([identityRequest(), readTag('X')]));
    const reply = multipleServiceReply([identityReply(EXAMPLE_IDENTITIES.enbt), cipReply(0x4c, 0x04)]);
    const r = parseReply(reply, 0, reply.length, request);
    assert.ok(typeof r !== 'string');
    assert.equal(r.embedded?.length, 2);
    assert.equal(r.embedded?.[0].identity?.productName, '1756-ENBT/A');
    assert.equal(r.embedded?.[1].status, 0x04);
  });

  it('a Forward_Open reply assigns the connection ids', () => {
    const spec = {
      otId: 0,
      toId: 0x2000,
      serial: 7,
      vendor: 1,
      originatorSerial: 9,
      rpiMicroseconds: 1000,
      transportClass: 3,
    };
    const reply = forwardOpenReply({ ...spec, otId: 0x8001 });
    const r = parseReply(reply, 0, reply.length, asked(forwardOpen(spec)));
    assert.ok(typeof r !== 'string');
    assert.deepEqual([r.connection?.otId, r.connection?.toId, r.connection?.serial], [0x8001, 0x2000, 7]);
  });

  it('a PCCC Diagnostic Status reply carries the catalog number', () => {
    const reply = pcccDiagnosticStatusReply(5, '1766-LEC');
    const r = parseReply(reply, 0, reply.length, asked(executePccc(0x06, 0x03, 5)));
    assert.ok(typeof r !== 'string');
    assert.deepEqual([r.pccc?.cmd, r.pccc?.status, r.pccc?.catalog], [0x46, 0, '1766-LEC']);
  });

  const malformed: Array<[string, Uint8Array, RegExp]> = [
    ['three bytes', bytes(0x81, 0, 0), /4-byte header/],
    ['no reply bit', bytes(0x01, 0, 0, 0), /without the reply bit/],
    ['extended status past the reply', bytes(0x81, 0, 1, 3, 0, 0), /runs past the reply/],
    ['MSP reply offsets outside', bytes(0x8a, 0, 0, 0, 2, 0, 6, 0, 80, 0), /offsets outside/],
  ];
  for (const [name, input, reason] of malformed) {
    it(`${name} is malformed`, () => assert.match(String(parseReply(input, 0, input.length, null)), reason));
  }

  it('a truncated Identity reply is malformed when its request is known', () => {
    const reply = identityReply(EXAMPLE_IDENTITIES.enbt).subarray(0, 12);
    assert.match(
      String(parseReply(reply, 0, reply.length, asked(identityRequest()))),
      /identity attributes need 15/,
    );
  });
});

describe('implicit I/O datagrams (Vol 2 §3-2)', () => {
  it('connection id, sequence number and data length', () => {
    const d = ioDatagram(0x004b0603, 4166875, bytes(0xa5, 0x87, 0xe8, 0x0f, 3, 0));
    assert.equal(looksLikeIoDatagram(d), true);
    const b = parseIoDatagram(d);
    assert.ok(typeof b !== 'string');
    assert.deepEqual([b.connectionId, b.ioSequence, b.dataLength], [0x004b0603, 4166875, 6]);
  });

  it('a truncated datagram is not I/O', () => {
    const d = ioDatagram(1, 2, bytes(1, 2, 3, 4));
    assert.equal(looksLikeIoDatagram(d.subarray(0, d.length - 1)), false);
    assert.match(String(parseIoDatagram(d.subarray(0, d.length - 1))), /runs past/);
  });

  it('an encapsulation header is not I/O', () => {
    assert.equal(looksLikeIoDatagram(registerSession()), false);
  });
});

describe('spec tables', () => {
  it('class-specific codes are named by their class, unknown ones as UNKNOWN-<n>', () => {
    assert.equal(serviceName(0x54, 6, false), 'FORWARD_OPEN');
    assert.equal(serviceName(0x4c, null, true), 'READ_TAG');
    assert.equal(serviceName(0x4c, 0x37, false), 'INITIATE_DOWNLOAD');
    assert.equal(serviceName(0x4c, 0x8e, false), 'UNKNOWN-76');
    assert.equal(serviceOperation(0x4c, 0x37, false), 'file');
    assert.equal(serviceOperation(0x05, 1, false), 'control');
    assert.equal(serviceOperation(0x0e, 1, false), 'discovery');
    assert.equal(serviceOperation(0x0e, 0xf5, false), 'read');
  });

  it('PCCC names mask the priority bit', () => {
    assert.equal(pcccName(0x2f, 0xa2), 'PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS');
    assert.equal(pcccOperation(0x07, 0x04), 'program');
  });
});
