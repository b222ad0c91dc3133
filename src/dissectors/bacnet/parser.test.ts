// Table-driven tests of the BACnet/IP parser (STYLE.md 8): valid rows per layer and service, built
// with testing.ts, and malformed rows (truncated, bad length, bad tags). Expected values come from
// the bytes each row builds, never from the parser.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Fields } from '../types.ts';
import { bvlcLengthProblem, MAX_BVLL_LENGTH, MAX_LIST_ITEMS, parseBacnet } from './parser.ts';
import { CONFIRMED_SERVICES as CS, OBJECT_TYPE, PROPERTY } from './spec.ts';
import { MAX_STRING_CHARS } from './tags.ts';
import {
  abort,
  appObject,
  appUnsigned,
  atomicReadFile,
  atomicReadFileAck,
  atomicWriteFile,
  bvlcResult,
  bvll,
  closing,
  ctxObject,
  ctxUnsigned,
  DEMO_DEVICES,
  datagram,
  demoIdentityExchange,
  deviceCommunicationControl,
  errorPdu,
  iAm,
  iAmRouterToNetwork,
  iHave,
  opening,
  readBdtAck,
  readProperty,
  readPropertyAck,
  readPropertyMultiple,
  registerForeignDevice,
  reinitializeDevice,
  reject,
  segmentAck,
  simpleAck,
  timeSynchronization,
  whoHas,
  whoIs,
  whoIsRouterToNetwork,
  writeProperty,
} from './testing.ts';

function ok(bytes: Uint8Array): Fields {
  const r = parseBacnet(bytes);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : '');
  if (r.kind !== 'ok') throw new Error('unreachable');
  return r.message;
}

function violation(bytes: Uint8Array): string {
  const r = parseBacnet(bytes);
  assert.equal(r.kind, 'violation', `expected a violation, got ${JSON.stringify(r)}`);
  if (r.kind !== 'violation') throw new Error('unreachable');
  return r.reason;
}

/** Picks the named fields, so a row states only what it is about. */
function pick(f: Fields, names: readonly string[]): Fields {
  return Object.fromEntries(names.map((n) => [n, f[n] === undefined ? '<absent>' : f[n]]));
}

interface Row {
  name: string;
  bytes: Uint8Array;
  expect: Fields;
}

const SENSOR = 0; // analog-input

/** Sets the BVLC length to the datagram's, for rows cut short on purpose. */
function withLength(bytes: Uint8Array): Uint8Array {
  bytes[2] = bytes.length >> 8;
  bytes[3] = bytes.length & 0xff;
  return bytes;
}

const valid: Row[] = [
  {
    name: 'Who-Is, global broadcast, no range',
    bytes: whoIs(),
    expect: {
      'bacnet.bvlc_function': 'ORIGINAL_BROADCAST_NPDU',
      'bacnet.pdu_type': 'UNCONFIRMED_REQUEST',
      'bacnet.service': 'WHO_IS',
      'bacnet.operation': 'discovery',
      'bacnet.dnet': 65535,
      'bacnet.dadr': null,
      'bacnet.hop_count': 255,
      'bacnet.unit': null,
      'bacnet.low_limit': null,
      'bacnet.high_limit': null,
    },
  },
  {
    name: 'Who-Is with a range',
    bytes: whoIs({ low: 100, high: 70000 }),
    expect: { 'bacnet.low_limit': 100, 'bacnet.high_limit': 70000 },
  },
  {
    name: 'I-Am of a Delta Controls device',
    bytes: iAm({ instance: 1001, vendorId: 8, maxApdu: 1476, segmentation: 0 }),
    expect: {
      'bacnet.service': 'I_AM',
      'bacnet.operation': 'discovery',
      'bacnet.object_type': 'device',
      'bacnet.instance': 1001,
      'bacnet.max_apdu': 1476,
      'bacnet.segmentation': 'segmented-both',
      'bacnet.vendor_id': 8,
      'bacnet.device.id': 'device 1001',
      'bacnet.device.vendor_id': '8',
      'bacnet.device.vendor': 'Delta Controls',
      'bacnet.device.unit': '<absent>',
    },
  },
  {
    name: 'I-Am with a vendor id outside the registry: id kept, no name',
    bytes: iAm({ instance: 5, vendorId: 4000 }),
    expect: { 'bacnet.device.vendor_id': '4000', 'bacnet.device.vendor': '<absent>' },
  },
  {
    name: 'I-Am of a device behind a router (SNET/SADR)',
    bytes: iAm({ instance: 77001, vendorId: 24 }, { source: { net: 5, mac: [0x0a] } }),
    expect: {
      'bacnet.snet': 5,
      'bacnet.sadr': '0a',
      'bacnet.unit': 'net 5 mac 0a',
      'bacnet.device.unit': 'net 5 mac 0a',
      'bacnet.device.id': 'device 77001',
      'bacnet.device.vendor': 'Automated Logic Corporation',
    },
  },
  {
    name: 'Who-Has by name',
    bytes: whoHas('OAT'),
    expect: { 'bacnet.service': 'WHO_HAS', 'bacnet.object_name': 'OAT', 'bacnet.low_limit': null },
  },
  {
    name: 'I-Have',
    bytes: iHave(1001, SENSOR, 3, 'OAT'),
    expect: {
      'bacnet.service': 'I_HAVE',
      'bacnet.device.id': 'device 1001',
      'bacnet.object_type': 'analog-input',
      'bacnet.instance': 3,
      'bacnet.object_name': 'OAT',
    },
  },
  {
    name: 'TimeSynchronization',
    bytes: timeSynchronization(new Date(Date.UTC(2024, 2, 5, 14, 7, 9, 250))),
    expect: {
      'bacnet.service': 'TIME_SYNCHRONIZATION',
      'bacnet.operation': 'diagnostic',
      'bacnet.time': '2024-03-05 tue 14:07:09.25',
    },
  },
  {
    name: 'UTCTimeSynchronization',
    bytes: timeSynchronization(new Date(Date.UTC(1999, 11, 31, 23, 59, 59, 0)), true),
    expect: { 'bacnet.service': 'UTC_TIME_SYNCHRONIZATION', 'bacnet.time': '1999-12-31 fri 23:59:59.00' },
  },
  {
    name: 'ReadProperty with an array index',
    bytes: readProperty(7, OBJECT_TYPE.DEVICE, 1001, 76, 0),
    expect: {
      'bacnet.pdu_type': 'CONFIRMED_REQUEST',
      'bacnet.service': 'READ_PROPERTY',
      'bacnet.operation': 'read',
      'bacnet.invoke_id': 7,
      'bacnet.object_type': 'device',
      'bacnet.instance': 1001,
      'bacnet.property': 'object-list',
      'bacnet.array_index': 0,
      'bacnet.value': null,
    },
  },
  {
    name: 'ReadProperty of a proprietary property and object type',
    bytes: readProperty(8, 130, 2, 5000),
    expect: { 'bacnet.object_type': 'UNKNOWN-130', 'bacnet.property': 'UNKNOWN-5000' },
  },
  {
    name: 'ReadProperty-ACK, real present value',
    bytes: readPropertyAck(9, SENSOR, 1, PROPERTY.PRESENT_VALUE, { real: 21.5 }),
    expect: {
      'bacnet.pdu_type': 'COMPLEX_ACK',
      'bacnet.value': 21.5,
      'bacnet.value_type': 'real',
      'bacnet.value_count': 1,
      'bacnet.device.model': '<absent>',
    },
  },
  {
    name: 'ReadProperty-ACK, units named',
    bytes: readPropertyAck(9, SENSOR, 1, PROPERTY.UNITS, { enumerated: 62 }),
    expect: { 'bacnet.value': 'degrees-celsius', 'bacnet.value_type': 'enumerated' },
  },
  {
    name: 'ReadProperty-ACK, binary present value named',
    bytes: readPropertyAck(9, OBJECT_TYPE.BINARY_OUTPUT, 4, PROPERTY.PRESENT_VALUE, { enumerated: 1 }),
    expect: { 'bacnet.object_type': 'binary-output', 'bacnet.value': 'active' },
  },
  {
    name: 'ReadProperty-ACK, object list as a list of strings',
    bytes: readPropertyAck(10, OBJECT_TYPE.DEVICE, 1001, 76, {
      objects: [
        [8, 1001],
        [0, 1],
        [3, 2],
      ],
    }),
    expect: {
      'bacnet.value': ['device 1001', 'analog-input 1', 'binary-input 2'],
      'bacnet.value_count': 3,
      'bacnet.value_type': 'object-identifier',
    },
  },
  {
    name: 'ReadProperty-ACK of the Device model name fills the identity',
    bytes: readPropertyAck(11, OBJECT_TYPE.DEVICE, 2101, PROPERTY.MODEL_NAME, { string: 'MS-FEC2611-0' }),
    expect: {
      'bacnet.value': 'MS-FEC2611-0',
      'bacnet.device.model': 'MS-FEC2611-0',
      'bacnet.device.id': 'device 2101',
    },
  },
  {
    name: 'ReadProperty-ACK of firmware-revision',
    bytes: readPropertyAck(12, OBJECT_TYPE.DEVICE, 2101, PROPERTY.FIRMWARE_REVISION, {
      string: '10.1.0.1200',
    }),
    expect: { 'bacnet.device.firmware': '10.1.0.1200' },
  },
  {
    name: 'ReadProperty-ACK of application-software-version',
    bytes: readPropertyAck(13, OBJECT_TYPE.DEVICE, 2101, PROPERTY.APPLICATION_SOFTWARE_VERSION, {
      string: 'CCT 14.0',
    }),
    expect: {
      'bacnet.device.description': 'application software CCT 14.0',
      'bacnet.device.firmware': '<absent>',
    },
  },
  {
    name: 'ReadProperty-ACK of the object name of a sensor is not device identity',
    bytes: readPropertyAck(14, SENSOR, 1, PROPERTY.OBJECT_NAME, { string: 'OAT' }),
    expect: { 'bacnet.value': 'OAT', 'bacnet.device.name': '<absent>' },
  },
  {
    name: 'WriteProperty with priority',
    bytes: writeProperty(15, OBJECT_TYPE.BINARY_OUTPUT, 4, PROPERTY.PRESENT_VALUE, { enumerated: 0 }, 8),
    expect: {
      'bacnet.service': 'WRITE_PROPERTY',
      'bacnet.operation': 'write',
      'bacnet.value': 'inactive',
      'bacnet.priority': 8,
    },
  },
  {
    name: 'WriteProperty relinquish (NULL)',
    bytes: writeProperty(16, 1, 2, PROPERTY.PRESENT_VALUE, { null: true }, 16),
    expect: { 'bacnet.value': null, 'bacnet.value_type': 'null', 'bacnet.priority': 16 },
  },
  {
    name: 'SimpleACK of WriteProperty',
    bytes: simpleAck(15, CS.WRITE_PROPERTY),
    expect: { 'bacnet.pdu_type': 'SIMPLE_ACK', 'bacnet.service': 'WRITE_PROPERTY', 'bacnet.invoke_id': 15 },
  },
  {
    name: 'Error PDU: security / password-failure',
    bytes: errorPdu(17, CS.REINITIALIZE_DEVICE, 4, 26),
    expect: {
      'bacnet.pdu_type': 'ERROR_PDU',
      'bacnet.service': 'REINITIALIZE_DEVICE',
      'bacnet.operation': 'control',
      'bacnet.error_class': 'security',
      'bacnet.error': 'password-failure',
    },
  },
  {
    name: 'Reject',
    bytes: reject(18, 9),
    expect: {
      'bacnet.pdu_type': 'REJECT_PDU',
      'bacnet.service': null,
      'bacnet.error': 'unrecognized-service',
    },
  },
  {
    name: 'Abort by the server',
    bytes: abort(19, 4),
    expect: {
      'bacnet.pdu_type': 'ABORT_PDU',
      'bacnet.error': 'segmentation-not-supported',
      'bacnet.from_server': true,
    },
  },
  {
    name: 'SegmentACK',
    bytes: segmentAck(20, 3, 4, false),
    expect: {
      'bacnet.pdu_type': 'SEGMENT_ACK',
      'bacnet.sequence': 3,
      'bacnet.window': 4,
      'bacnet.nak': false,
    },
  },
  {
    name: 'ReinitializeDevice warmstart with a password: the password stays out of the event',
    bytes: reinitializeDevice(21, 1, 'secret'),
    expect: {
      'bacnet.service': 'REINITIALIZE_DEVICE',
      'bacnet.operation': 'control',
      'bacnet.state': 'warmstart',
      'bacnet.password_given': true,
    },
  },
  {
    name: 'DeviceCommunicationControl disable for 60 minutes',
    bytes: deviceCommunicationControl(22, 1, 60),
    expect: {
      'bacnet.service': 'DEVICE_COMMUNICATION_CONTROL',
      'bacnet.operation': 'control',
      'bacnet.state': 'disable',
      'bacnet.duration': 60,
      'bacnet.password_given': false,
    },
  },
  {
    name: 'AtomicReadFile',
    bytes: atomicReadFile(23, 2, 0, 480),
    expect: {
      'bacnet.service': 'ATOMIC_READ_FILE',
      'bacnet.operation': 'file',
      'bacnet.object_type': 'file',
      'bacnet.instance': 2,
      'bacnet.file_access': 'stream',
      'bacnet.file_start': 0,
      'bacnet.file_count': 480,
    },
  },
  {
    name: 'AtomicReadFile-ACK',
    bytes: atomicReadFileAck(23, true, 0, [1, 2, 3, 4, 5]),
    expect: { 'bacnet.end_of_file': true, 'bacnet.file_start': 0, 'bacnet.file_count': 5 },
  },
  {
    name: 'AtomicWriteFile',
    bytes: atomicWriteFile(24, 2, -1, [9, 9, 9]),
    expect: { 'bacnet.service': 'ATOMIC_WRITE_FILE', 'bacnet.file_start': -1, 'bacnet.file_count': 3 },
  },
  {
    name: 'ReadPropertyMultiple request',
    bytes: readPropertyMultiple(25, OBJECT_TYPE.DEVICE, 1001, [
      PROPERTY.MODEL_NAME,
      PROPERTY.FIRMWARE_REVISION,
    ]),
    expect: {
      'bacnet.service': 'READ_PROPERTY_MULTIPLE',
      'bacnet.object_type': 'device',
      'bacnet.property': 'model-name',
      'bacnet.objects': ['device 1001'],
      'bacnet.properties': ['model-name', 'firmware-revision'],
      'bacnet.property_count': 2,
    },
  },
  {
    name: 'ReadPropertyMultiple-ACK of a Device object behind a router: full identity',
    bytes: demoIdentityExchange(DEMO_DEVICES[0], 26, { net: 12, mac: [0x22] })[1],
    expect: {
      'bacnet.device.unit': 'net 12 mac 22',
      'bacnet.device.id': 'device 1001',
      'bacnet.device.name': 'AHU-1 Controller',
      'bacnet.device.vendor': 'Delta Controls',
      'bacnet.device.vendor_id': '8',
      'bacnet.device.model': 'eBCON',
      'bacnet.device.firmware': '3.40.1',
      'bacnet.device.description': 'application software V3.40 Build 1622',
      'bacnet.device.serial': 'DC-0413-88213',
      'bacnet.property_count': 7,
    },
  },
  {
    name: 'Forwarded-NPDU keeps the original address',
    bytes: iAm({ instance: 9, vendorId: 36 }, { forwardedFrom: [10, 1, 2, 3, 47808] }),
    expect: {
      'bacnet.bvlc_function': 'FORWARDED_NPDU',
      'bacnet.forwarded_from': '10.1.2.3:47808',
      'bacnet.service': 'I_AM',
      'bacnet.device.ip': '10.1.2.3',
      'bacnet.device.id': 'device 9',
    },
  },
  {
    name: 'Who-Is-Router-To-Network',
    bytes: whoIsRouterToNetwork(5),
    expect: {
      'bacnet.network_message': 'WHO_IS_ROUTER_TO_NETWORK',
      'bacnet.operation': 'discovery',
      'bacnet.networks': [5],
    },
  },
  {
    name: 'I-Am-Router-To-Network',
    bytes: iAmRouterToNetwork([5, 6, 1100]),
    expect: {
      'bacnet.network_message': 'I_AM_ROUTER_TO_NETWORK',
      'bacnet.networks': [5, 6, 1100],
      'bacnet.network_count': 3,
      'bacnet.pdu_type': null,
      'bacnet.service': null,
    },
  },
  {
    name: 'Register-Foreign-Device',
    bytes: registerForeignDevice(300),
    expect: {
      'bacnet.bvlc_function': 'REGISTER_FOREIGN_DEVICE',
      'bacnet.operation': 'write',
      'bacnet.ttl': 300,
    },
  },
  {
    name: 'BVLC-Result NAK',
    bytes: bvlcResult(0x30),
    expect: {
      'bacnet.bvlc_result': 'register-foreign-device-nak',
      'bacnet.error': 'register-foreign-device-nak',
    },
  },
  {
    name: 'BVLC-Result success is no error',
    bytes: bvlcResult(0),
    expect: { 'bacnet.bvlc_result': 'successful-completion', 'bacnet.error': null },
  },
  {
    name: 'Read-BDT-Ack',
    bytes: readBdtAck([
      [192, 168, 1, 10, 47808],
      [10, 0, 0, 1, 47809],
    ]),
    expect: { 'bacnet.entries': 2, 'bacnet.addresses': ['192.168.1.10:47808', '10.0.0.1:47809'] },
  },
  {
    name: 'unknown unconfirmed service: recognised',
    bytes: datagram([0x10, 99]),
    expect: { 'bacnet.service': 'UNKNOWN-99', 'bacnet.operation': 'other' },
  },
  {
    name: 'segmented request, later segment: recognised, not decoded',
    bytes: datagram([0x08, 0x05, 30, 2, 4, CS.WRITE_PROPERTY_MULTIPLE, 0xde, 0xad]),
    expect: {
      'bacnet.service': 'WRITE_PROPERTY_MULTIPLE',
      'bacnet.sequence': 2,
      'bacnet.objects': '<absent>',
    },
  },
];

const malformed: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
  { name: 'empty', bytes: new Uint8Array(0), reason: /BVLC header/ },
  { name: 'not B/IP', bytes: Uint8Array.from([0x82, 0x0a, 0, 4]), reason: /not BACnet\/IP/ },
  { name: 'NPDU version 2', bytes: bvll(0x0a, [2, 0, 0x10, 8]), reason: /version 2/ },
  { name: 'reserved NPCI bits', bytes: bvll(0x0a, [1, 0x40, 0x10, 8]), reason: /reserved bits/ },
  { name: 'SLEN 0', bytes: bvll(0x0a, [1, 0x08, 0, 5, 0, 0x10, 8]), reason: /length 0/ },
  { name: 'source truncated', bytes: bvll(0x0a, [1, 0x08, 0, 5, 6, 1]), reason: /truncated/ },
  { name: 'hop count missing', bytes: bvll(0x0a, [1, 0x20, 0xff, 0xff, 0]), reason: /hop count/ },
  { name: 'no APDU', bytes: bvll(0x0a, [1, 0]), reason: /without an APDU/ },
  { name: 'reserved APDU type', bytes: bvll(0x0a, [1, 0, 0x90, 0]), reason: /reserved APDU type 9/ },
  { name: 'Confirmed-Request header truncated', bytes: bvll(0x0a, [1, 0, 0x00, 5]), reason: /truncated/ },
  {
    name: 'ReadProperty without the property',
    bytes: datagram([0x00, 5, 1, CS.READ_PROPERTY, ...ctxObject(0, 0, 1)]),
    reason: /missing tag/,
  },
  {
    name: 'ReadProperty with a tag longer than the data',
    bytes: datagram([0x00, 5, 1, CS.READ_PROPERTY, 0x0c, 0, 0, 0]),
    reason: /beyond the end/,
  },
  {
    name: 'ReadProperty with trailing octets',
    bytes: datagram([0x00, 5, 1, CS.READ_PROPERTY, ...ctxObject(0, 0, 1), ...ctxUnsigned(1, 85), 0x00]),
    reason: /after the service parameters/,
  },
  {
    name: 'ReadProperty-ACK whose value never closes',
    bytes: datagram([
      0x30,
      1,
      CS.READ_PROPERTY,
      ...ctxObject(0, 0, 1),
      ...ctxUnsigned(1, 85),
      ...opening(3),
      0x44,
      0,
      0,
      0,
      0,
    ]),
    reason: /missing tag/,
  },
  {
    name: 'ReadProperty-ACK closed by the wrong tag',
    bytes: datagram([
      0x30,
      1,
      CS.READ_PROPERTY,
      ...ctxObject(0, 0, 1),
      ...ctxUnsigned(1, 85),
      ...opening(3),
      0x21,
      5,
      ...closing(4),
    ]),
    reason: /closing tag 4/,
  },
  {
    name: 'real of 3 octets',
    bytes: readPropertyAck(1, 0, 1, 85, { real: 1 }).map((b, i, a) => (i === a.length - 6 ? 0x43 : b)),
    reason: /real of other than 4 octets/,
  },
  {
    name: 'I-Am that is not a device',
    bytes: datagram([0x10, 0, ...appObject(0, 1), ...appUnsigned(1476), 0x91, 3, ...appUnsigned(8)]),
    reason: /analog-input/,
  },
  {
    name: 'I-Am truncated',
    bytes: withLength(iAm({ instance: 1, vendorId: 8 }).slice(0, 14)),
    reason: /beyond the end/,
  },
  {
    name: 'SimpleACK with extra octets',
    bytes: datagram([0x20, 1, 15, 0]),
    reason: /after the service choice/,
  },
  { name: 'Reject of 2 octets', bytes: datagram([0x60, 1]), reason: /Reject PDU/ },
  { name: 'write priority 17', bytes: writeProperty(1, 1, 1, 85, { real: 1 }, 17), reason: /priority 17/ },
  { name: 'BVLC-Result of 5 octets', bytes: bvll(0, [0]), reason: /BVLC-Result/ },
  { name: 'BDT not whole entries', bytes: bvll(3, [1, 2, 3]), reason: /whole number/ },
  { name: 'I-Am-Router odd length', bytes: bvll(0x0b, [1, 0x80, 1, 0, 5, 0]), reason: /odd length/ },
  { name: 'Reject-Message-To-Network short', bytes: bvll(0x0b, [1, 0x80, 3, 1]), reason: /Reject-Message/ },
  {
    name: 'datagram over the B/IP maximum',
    bytes: new Uint8Array(MAX_BVLL_LENGTH + 1).fill(0x81, 0, 1),
    reason: /exceeds/,
  },
];

describe('bacnet parser: valid messages', () => {
  for (const row of valid) {
    it(row.name, () => {
      const f = ok(row.bytes);
      assert.deepEqual(pick(f, Object.keys(row.expect)), row.expect);
      // Every message is classified into the shared vocabulary.
      assert.equal(typeof f['bacnet.operation'], 'string');
      assert.equal(bvlcLengthProblem(row.bytes), null);
    });
  }
});

describe('bacnet parser: malformed messages are violations', () => {
  for (const row of malformed) {
    it(row.name, () => assert.match(violation(row.bytes), row.reason));
  }
});

describe('bacnet parser: bounds', () => {
  it('a BVLC length that disagrees with the datagram is decoded by the datagram and reported apart', () => {
    const bytes = reinitializeDevice(1, 0, 'x');
    bytes[3] = 17;
    assert.equal(ok(bytes)['bacnet.state'], 'coldstart');
    assert.match(bvlcLengthProblem(bytes) ?? '', /BVLC length 17 does not match/);
  });

  it('long strings are cut to MAX_STRING_CHARS', () => {
    const name = 'x'.repeat(MAX_STRING_CHARS + 50);
    const f = ok(readPropertyAck(1, 8, 1, PROPERTY.OBJECT_NAME, { string: name }));
    assert.equal((f['bacnet.value'] as string).length, MAX_STRING_CHARS);
  });

  it('list values and object lists are capped at MAX_LIST_ITEMS, counts are not', () => {
    const objects = Array.from({ length: MAX_LIST_ITEMS + 10 }, (_, i) => [0, i] as const);
    const f = ok(readPropertyAck(1, 8, 1, 76, { objects }));
    assert.equal((f['bacnet.value'] as string[]).length, MAX_LIST_ITEMS);
    assert.equal(f['bacnet.value_count'], MAX_LIST_ITEMS + 10);
  });

  it('every prefix of every valid message parses without throwing', () => {
    for (const row of valid) {
      for (let n = 0; n <= row.bytes.length; n++) {
        const cut = row.bytes.slice(0, n);
        // Fix the BVLC length so the cut reaches the inner layers instead of stopping at J.2.
        if (n >= 4) {
          cut[2] = n >> 8;
          cut[3] = n & 0xff;
        }
        parseBacnet(cut);
      }
    }
  });

  it('random bytes, and random bytes behind a valid header, never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, framed) => {
        const bytes = framed ? bvll(0x0a, [1, tail[0] ?? 0, ...tail.subarray(1)]) : tail;
        const r = parseBacnet(bytes);
        assert.ok(r.kind === 'ok' || r.kind === 'violation');
      }),
      { numRuns: 3000 },
    );
  });
});
