// PROFINET descriptor tests (STYLE.md 8 and 12): the two descriptors' contracts, the CM probe,
// link-layer decode() into a recording context, the UDP session (messages, violations, giving up
// on a flow that is not PNIO), and empty, truncated and random input that never throws.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isOperation } from '../operations.ts';
import { RecordingContext, RecordingLinkContext, replay } from '../testing.ts';
import { MAX_VIOLATIONS_BEFORE_ABANDON, profinetCmDissector, profinetDissector } from './dissector.ts';
import { ETHERTYPE_PROFINET, PNIO_CM_PORT } from './spec.ts';
import {
  alarmNotification,
  connectRequest,
  connectResponse,
  dcpHello,
  dcpIdentifyRequest,
  dcpIdentifyResponse,
  dcpSetName,
  readRequest,
  readResponseIm0,
  rtCyclic,
  SAMPLE,
} from './testing.ts';

const target = { arUuid: SAMPLE.arUuid, activity: SAMPLE.activity, seq: 1, target: SAMPLE.device };
const connect = {
  arUuid: SAMPLE.arUuid,
  activity: SAMPLE.activity,
  target: SAMPLE.device,
  controller: SAMPLE.controller,
};

describe('profinet (link layer)', () => {
  test('descriptor', () => {
    assert.equal(profinetDissector.name, 'profinet');
    assert.equal(profinetDissector.transport, 'link');
    assert.deepEqual(profinetDissector.ethertypes, [ETHERTYPE_PROFINET]);
    assert.equal(profinetDissector.operationField, 'profinet.operation');
  });

  test('every frame kind gives one message with a function field and an operation', () => {
    const ctx = new RecordingLinkContext();
    const frames = [
      dcpIdentifyRequest(1),
      dcpIdentifyResponse(1, SAMPLE.device),
      dcpHello(2, SAMPLE.device),
      dcpSetName(3, 'x'),
      rtCyclic(0xc000, 1),
      alarmNotification(1, 1, 1, 0),
    ];
    for (const f of frames) profinetDissector.decode(0, f, ctx);
    assert.equal(ctx.messages.length, frames.length);
    assert.equal(ctx.violations.length, 0);
    for (const m of ctx.messages) {
      assert.ok(profinetDissector.funcFields.some((f) => typeof m[f] === 'string'));
      assert.ok(isOperation(m['profinet.operation']));
    }
  });

  test('a malformed frame is a violation that still names the frame', () => {
    const ctx = new RecordingLinkContext();
    profinetDissector.decode(0, dcpIdentifyResponse(1, SAMPLE.device).subarray(0, 20), ctx);
    assert.equal(ctx.violations.length, 1);
    assert.equal(ctx.violations[0].fields['profinet.frame_type'], 'DCP_IDENTIFY_RESPONSE');
    profinetDissector.decode(0, new Uint8Array(0), ctx);
    profinetDissector.decode(0, Uint8Array.from([0xfe]), ctx);
    assert.equal(ctx.violations.length, 3);
  });

  test('random frames never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const ctx = new RecordingLinkContext();
        profinetDissector.decode(0, b, ctx);
        assert.equal(ctx.messages.length + ctx.violations.length, 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('profinet_cm (DCE/RPC over UDP)', () => {
  test('descriptor', () => {
    assert.equal(profinetCmDissector.name, 'profinet_cm');
    assert.equal(profinetCmDissector.transport, 'udp');
    assert.deepEqual(profinetCmDissector.ports, [PNIO_CM_PORT]);
    assert.deepEqual(profinetCmDissector.funcFields, ['profinet_cm.opnum', 'profinet_cm.packet_type']);
    assert.equal(profinetCmDissector.operationField, 'profinet_cm.operation');
    assert.equal(profinetCmDissector.errorField, 'profinet_cm.error');
  });

  test('probe: yes for PNIO requests and responses, no for anything else', () => {
    assert.equal(profinetCmDissector.probe(0, connectRequest(connect)), 'yes');
    assert.equal(profinetCmDissector.probe(1, connectResponse(connect, SAMPLE.deviceMac)), 'yes');
    assert.equal(profinetCmDissector.probe(0, new Uint8Array(0)), 'no');
    assert.equal(profinetCmDissector.probe(0, connectRequest(connect).subarray(0, 60)), 'no');
    // A DCE/RPC call to another interface (the endpoint mapper) is not PNIO.
    const epm = connectRequest(connect);
    epm.set([0xe1, 0xaf, 0x83, 0x08], 24);
    epm.set([0x00, 0x00, 0x00, 0x00], 8);
    assert.equal(profinetCmDissector.probe(0, epm), 'no');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => profinetCmDissector.probe(0, b) !== 'maybe'),
    );
  });

  test('a session reports one event per datagram', () => {
    const ctx = replay(profinetCmDissector, [
      [0, 1, connectRequest(connect)],
      [1, 2, connectResponse(connect, SAMPLE.deviceMac)],
      [0, 3, readRequest(target)],
      [1, 4, readResponseIm0(target, SAMPLE.im0)],
    ]);
    assert.equal(ctx.violations().length, 0);
    assert.deepEqual(
      ctx.messages().map((m) => `${m['profinet_cm.packet_type']} ${m['profinet_cm.opnum']}`),
      ['REQUEST CONNECT', 'RESPONSE CONNECT', 'REQUEST READ', 'RESPONSE READ'],
    );
    for (const m of ctx.messages()) assert.ok(isOperation(m['profinet_cm.operation']));
  });

  test(`a flow of garbage is abandoned after ${MAX_VIOLATIONS_BEFORE_ABANDON} violations`, () => {
    const ctx = new RecordingContext();
    const s = profinetCmDissector.createSession(ctx);
    for (let i = 0; i < MAX_VIOLATIONS_BEFORE_ABANDON + 3; i++) s.data(0, i, new Uint8Array(90).fill(7));
    assert.equal(ctx.violations().length, MAX_VIOLATIONS_BEFORE_ABANDON);
    assert.equal(ctx.abandoned.length, 1);
  });

  test('a flow that once spoke PNIO is not abandoned for malformed datagrams', () => {
    const ctx = new RecordingContext();
    const s = profinetCmDissector.createSession(ctx);
    s.data(0, 0, readRequest(target));
    for (let i = 0; i < MAX_VIOLATIONS_BEFORE_ABANDON + 3; i++) s.data(0, i, new Uint8Array(90).fill(7));
    assert.equal(ctx.abandoned.length, 0);
  });

  test('empty, truncated and random datagrams never throw', () => {
    const whole = readResponseIm0(target, SAMPLE.im0);
    const ctx = new RecordingContext();
    const s = profinetCmDissector.createSession(ctx);
    s.data(0, 0, new Uint8Array(0));
    for (let n = 0; n <= whole.length; n++) s.data(1, n, whole.subarray(0, n));
    s.gap(0, 1, 100);
    s.end(2);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (datagrams) => {
        replay(
          profinetCmDissector,
          datagrams.map((d, i) => [0, i, d] as const),
        );
      }),
      { numRuns: 300 },
    );
  });
});
