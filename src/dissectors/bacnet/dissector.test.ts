// The BACnet/IP descriptor and session: probe verdicts from bytes, one event per datagram in both
// directions, pairing by invoke id, devices behind routers, violations and when the session gives
// up, and hostile input (empty, truncated, chunked, random) that must never throw.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { OPERATIONS } from '../operations.ts';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import { BACNET_IP_PORT, bacnetDissector, MAX_VIOLATIONS_BEFORE_ABANDON } from './dissector.ts';
import { CONFIRMED_SERVICES as CS, OBJECT_TYPE, PROPERTY } from './spec.ts';
import {
  abort,
  bvll,
  DEMO_DEVICES,
  demoIAm,
  demoIdentityExchange,
  errorPdu,
  iAm,
  readProperty,
  readPropertyAck,
  registerForeignDevice,
  reinitializeDevice,
  reject,
  segmentAck,
  simpleAck,
  whoIs,
  writeProperty,
} from './testing.ts';

describe('bacnet descriptor', () => {
  it('is UDP on 47808 with the shared vocabulary', () => {
    assert.equal(bacnetDissector.name, 'bacnet');
    assert.equal(bacnetDissector.transport, 'udp');
    assert.deepEqual(bacnetDissector.ports, [BACNET_IP_PORT]);
    assert.equal(bacnetDissector.funcFields[0], 'bacnet.service');
    assert.equal(bacnetDissector.operationField, 'bacnet.operation');
  });

  it('probe: yes for BACnet/IP whatever the port, no for anything else', () => {
    const probe = bacnetDissector.probe;
    assert.equal(probe(0, whoIs()), 'yes');
    assert.equal(probe(1, readPropertyAck(1, 8, 5, PROPERTY.MODEL_NAME, { string: 'x' })), 'yes');
    assert.equal(probe(0, registerForeignDevice(60)), 'yes');
    assert.equal(probe(0, new Uint8Array(0)), 'no');
    assert.equal(probe(0, Uint8Array.from([0x81, 0x0a, 0x00])), 'no');
    assert.equal(probe(0, Uint8Array.from([0x82, 0x0a, 0, 4])), 'no', 'BACnet/IPv6 is not handled');
    assert.equal(probe(0, Uint8Array.from([0x81, 0x0d, 0, 4])), 'no', 'unassigned BVLC function');
    assert.equal(probe(0, bvll(0x0a, [2, 0, 0x10, 8])), 'no', 'NPDU version 2');
    assert.equal(probe(0, new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')), 'no');
    // A wrong BVLC length is accepted only when the rest decodes cleanly.
    const crafted = reinitializeDevice(1, 0, 'pw');
    crafted[3] = 17;
    assert.equal(probe(0, crafted), 'yes');
    const garbage = Uint8Array.from([0x81, 0x0a, 0, 17, 1, 0, 0x00, 0x05]);
    assert.equal(probe(0, garbage), 'no');
  });
});

describe('bacnet session', () => {
  it('one message per datagram, requests dir 0 and responses dir 1, every one classified', () => {
    const ctx = replay(bacnetDissector, [
      [0, 1, readProperty(1, OBJECT_TYPE.DEVICE, 1001, PROPERTY.MODEL_NAME)],
      [1, 2, readPropertyAck(1, OBJECT_TYPE.DEVICE, 1001, PROPERTY.MODEL_NAME, { string: 'eBCON' })],
      [0, 3, writeProperty(2, OBJECT_TYPE.BINARY_OUTPUT, 1, PROPERTY.PRESENT_VALUE, { enumerated: 1 }, 8)],
      [1, 4, simpleAck(2, CS.WRITE_PROPERTY)],
    ]);
    assert.deepEqual(
      ctx.events.map((e) => [
        e.kind,
        e.dir,
        e.fields['bacnet.pdu_type'],
        e.fields['bacnet.service'],
        e.fields['bacnet.operation'],
      ]),
      [
        ['message', 0, 'CONFIRMED_REQUEST', 'READ_PROPERTY', 'read'],
        ['message', 1, 'COMPLEX_ACK', 'READ_PROPERTY', 'read'],
        ['message', 0, 'CONFIRMED_REQUEST', 'WRITE_PROPERTY', 'write'],
        ['message', 1, 'SIMPLE_ACK', 'WRITE_PROPERTY', 'write'],
      ],
    );
    for (const f of ctx.messages())
      assert.ok((OPERATIONS as readonly unknown[]).includes(f['bacnet.operation']));
  });

  it('a Reject, an Abort or a SegmentACK gets the service of the request with its invoke id', () => {
    const ctx = replay(bacnetDissector, [
      [0, 1, reinitializeDevice(7, 0, 'guess')],
      [1, 2, reject(7, 4)],
      [0, 3, writeProperty(8, 1, 1, 85, { real: 5 })],
      [1, 4, abort(8, 0)],
      [0, 5, readProperty(9, 8, 1, 76)],
      [0, 6, segmentAck(9, 0, 1, false)],
      [1, 7, reject(99, 0)],
    ]);
    const m = ctx.messages();
    assert.deepEqual(
      m.map((f) => [f['bacnet.pdu_type'], f['bacnet.service'], f['bacnet.operation'], f['bacnet.error']]),
      [
        ['CONFIRMED_REQUEST', 'REINITIALIZE_DEVICE', 'control', null],
        ['REJECT_PDU', 'REINITIALIZE_DEVICE', 'control', 'invalid-tag'],
        ['CONFIRMED_REQUEST', 'WRITE_PROPERTY', 'write', null],
        ['ABORT_PDU', 'WRITE_PROPERTY', 'write', 'other'],
        ['CONFIRMED_REQUEST', 'READ_PROPERTY', 'read', null],
        ['SEGMENT_ACK', 'READ_PROPERTY', 'read', null],
        // No request with invoke id 99: the service stays unknown and the PDU type names it.
        ['REJECT_PDU', null, 'other', 'other'],
      ],
    );
  });

  it('an answered request is forgotten: a later Reject with its invoke id is not paired', () => {
    const ctx = replay(bacnetDissector, [
      [0, 1, reinitializeDevice(3, 1)],
      [1, 2, errorPdu(3, CS.REINITIALIZE_DEVICE, 4, 26)],
      [1, 3, reject(3, 0)],
    ]);
    assert.equal(ctx.messages()[2]['bacnet.service'], null);
  });

  it('devices behind a router: identity with the unit the NPDU source names', () => {
    const device = DEMO_DEVICES[1];
    const behind = { net: 5, mac: [0x0a] };
    const [request, ack] = demoIdentityExchange(device, 12, behind);
    const ctx = replay(bacnetDissector, [
      [0, 1, request],
      [1, 2, ack],
    ]);
    const [req, resp] = ctx.messages();
    // The request addresses the remote device; the ack comes from it.
    assert.equal(req['bacnet.unit'], 'net 5 mac 0a');
    assert.equal(req['bacnet.device.unit'], undefined);
    assert.equal(resp['bacnet.unit'], 'net 5 mac 0a');
    assert.equal(resp['bacnet.device.unit'], 'net 5 mac 0a');
    assert.equal(resp['bacnet.device.id'], `device ${device.instance}`);
    assert.equal(resp['bacnet.device.model'], device.modelName);
    assert.equal(resp['bacnet.device.firmware'], device.firmwareRevision);
    assert.equal(resp['bacnet.device.serial'], device.serialNumber);
    assert.equal(resp['bacnet.device.vendor'], device.vendorName);
    assert.equal(resp['bacnet.device.vendor_id'], String(device.vendorId));
    assert.equal(resp['bacnet.device.name'], device.objectName);
  });

  it('I-Am of every demo device names its vendor from the registry', () => {
    for (const d of DEMO_DEVICES) {
      const [f] = replay(bacnetDissector, [[0, 1, demoIAm(d)]]).messages();
      assert.equal(f['bacnet.device.vendor'], d.vendorName);
      assert.equal(f['bacnet.device.id'], `device ${d.instance}`);
    }
  });

  it('malformed datagrams are violations with what framed; a flow that never spoke BACnet is abandoned', () => {
    const ctx = new RecordingContext();
    const s = bacnetDissector.createSession(ctx);
    const bad = bvll(0x0a, [1, 0, 0x00, 5, 1, CS.READ_PROPERTY]);
    for (let i = 0; i < MAX_VIOLATIONS_BEFORE_ABANDON + 3; i++) s.data(0, i, bad);
    assert.equal(ctx.violations().length, MAX_VIOLATIONS_BEFORE_ABANDON);
    assert.equal(ctx.abandoned.length, 1);
    const v = ctx.violations()[0];
    assert.equal(v.fields['bacnet.service'], 'READ_PROPERTY');
    assert.equal(v.fields['bacnet.invoke_id'], 1);
    assert.match(v.reason ?? '', /missing tag/);
  });

  it('a flow that has spoken BACnet is never abandoned: every later datagram is still decoded', () => {
    const ctx = new RecordingContext();
    const s = bacnetDissector.createSession(ctx);
    s.data(0, 0, whoIs());
    for (let i = 0; i < 5 * MAX_VIOLATIONS_BEFORE_ABANDON; i++)
      s.data(0, i, Uint8Array.from([0x81, 0x0a, 0, 5, 9]));
    s.data(0, 99, writeProperty(1, 1, 1, 85, { real: 1 }));
    assert.equal(ctx.abandoned.length, 0);
    assert.equal(ctx.violations().length, 5 * MAX_VIOLATIONS_BEFORE_ABANDON);
    assert.equal(ctx.messages().at(-1)?.['bacnet.service'], 'WRITE_PROPERTY');
  });

  it('a BVLC length that disagrees: the message and a violation', () => {
    const crafted = reinitializeDevice(1, 0, 'Delcatty70');
    crafted[3] = 17;
    const ctx = replay(bacnetDissector, [[0, 1, crafted]]);
    assert.deepEqual(
      ctx.events.map((e) => [e.kind, e.fields['bacnet.service']]),
      [
        ['message', 'REINITIALIZE_DEVICE'],
        ['violation', 'REINITIALIZE_DEVICE'],
      ],
    );
    assert.equal(JSON.stringify(ctx.events).includes('Delcatty70'), false, 'passwords never reach events');
  });

  it('the same exchange gives the same events whatever the chunk size', () => {
    const exchange: Transmission[] = [
      [0, 1, whoIs()],
      [1, 2, iAm({ instance: 1001, vendorId: 8 })],
      [0, 3, readProperty(1, 8, 1001, PROPERTY.FIRMWARE_REVISION)],
      [1, 4, readPropertyAck(1, 8, 1001, PROPERTY.FIRMWARE_REVISION, { string: '3.40.1' })],
    ];
    const whole = replay(bacnetDissector, exchange).events;
    const longest = Math.max(...exchange.map(([, , b]) => b.length));
    for (let chunk = 1; chunk <= longest; chunk++)
      assert.deepEqual(replay(bacnetDissector, exchange, chunk).events, whole);
  });

  it('gaps and the end leave nothing behind', () => {
    const ctx = new RecordingContext();
    const s = bacnetDissector.createSession(ctx);
    s.data(0, 1, reinitializeDevice(4, 0));
    s.gap(0, 2, 100);
    s.end(3);
    s.data(1, 4, reject(4, 0));
    // After end() the pending request is forgotten.
    assert.equal(ctx.messages()[1]['bacnet.service'], null);
  });

  it('hostile input never throws: empty, every truncation, random', () => {
    const samples = [
      whoIs(),
      ...demoIdentityExchange(DEMO_DEVICES[0], 1, { net: 3, mac: [1, 2, 3, 4, 0xba, 0xc0] }),
      errorPdu(1, CS.ATOMIC_WRITE_FILE, 5, 5),
    ];
    const s = bacnetDissector.createSession(new RecordingContext());
    s.data(0, 0, new Uint8Array(0));
    for (const bytes of samples) {
      for (let n = 0; n <= bytes.length; n++) {
        bacnetDissector.probe(0, bytes.subarray(0, n));
        s.data(0, n, bytes.slice(0, n));
      }
    }
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<0 | 1>(0, 1), fc.uint8Array({ maxLength: 120 })), {
          maxLength: 10,
        }),
        (chunks) => {
          const session = bacnetDissector.createSession(new RecordingContext());
          for (const [dir, bytes] of chunks) {
            bacnetDissector.probe(dir, bytes);
            // Half of them behind a valid BVLC/NPDU header, to reach the APDU and tag parsers.
            session.data(dir, 0, bytes);
            session.data(dir, 0, bvll(0x0a, [1, 0, ...bytes]));
          }
          session.end(1);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
