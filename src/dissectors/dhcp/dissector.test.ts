import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Direction, Fields, SessionContext } from '../types.ts';
import { dhcpDissector, MAX_VIOLATIONS_BEFORE_ABANDON } from './dissector.ts';
import { buildDatagram, serverAck, windowsRequest } from './fixtures/datagrams.ts';

interface Recorded {
  messages: { dir: Direction; ts: number; fields: Fields }[];
  violations: { dir: Direction; ts: number; reason: string; fields?: Fields }[];
  abandoned: string[];
}

function recordingContext(): { ctx: SessionContext; seen: Recorded } {
  const seen: Recorded = { messages: [], violations: [], abandoned: [] };
  const ctx: SessionContext = {
    message: (dir, ts, fields) => seen.messages.push({ dir, ts, fields }),
    violation: (dir, ts, reason, fields) => seen.violations.push({ dir, ts, reason, fields }),
    abandon: (reason) => seen.abandoned.push(reason),
    ignoreRest: () => {},
  };
  return { ctx, seen };
}

describe('dhcp dissector descriptor', () => {
  test('is UDP on the BOOTP ports', () => {
    assert.equal(dhcpDissector.name, 'dhcp');
    assert.equal(dhcpDissector.transport, 'udp');
    assert.deepEqual(dhcpDissector.ports, [67, 68]);
  });

  test('probe: yes with the cookie, no without it, whatever the port', () => {
    assert.equal(dhcpDissector.probe(0, windowsRequest()), 'yes');
    assert.equal(dhcpDissector.probe(1, serverAck()), 'yes');
    assert.equal(dhcpDissector.probe(0, buildDatagram({ cookie: false })), 'no');
    assert.equal(dhcpDissector.probe(0, new Uint8Array(0)), 'no');
    assert.equal(dhcpDissector.probe(0, new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')), 'no');
  });
});

describe('dhcp session', () => {
  test('one message per datagram, in both directions', () => {
    const { ctx, seen } = recordingContext();
    const session = dhcpDissector.createSession(ctx);
    session.data(0, 10.5, windowsRequest());
    session.data(1, 10.6, serverAck());
    session.end(11);
    assert.deepEqual(
      seen.messages.map((m) => [m.dir, m.ts, m.fields['dhcp.msg_type']]),
      [
        [0, 10.5, 'REQUEST'],
        [1, 10.6, 'ACK'],
      ],
    );
    assert.equal(seen.violations.length, 0);
  });

  test('a malformed datagram is a violation carrying its xid, and the session goes on', () => {
    const { ctx, seen } = recordingContext();
    const session = dhcpDissector.createSession(ctx);
    session.data(0, 1, windowsRequest().subarray(0, 245));
    session.data(0, 2, windowsRequest());
    assert.equal(seen.violations.length, 1);
    assert.equal(seen.violations[0].fields?.['dhcp.xid'], 0xdeadbeef);
    assert.equal(seen.messages.length, 1);
    assert.deepEqual(seen.abandoned, []);
  });

  test('a flow that never says DHCP is abandoned after a few violations', () => {
    const { ctx, seen } = recordingContext();
    const session = dhcpDissector.createSession(ctx);
    for (let i = 0; i < MAX_VIOLATIONS_BEFORE_ABANDON + 3; i += 1)
      session.data(0, i, new Uint8Array([1, 2, 3]));
    assert.equal(seen.violations.length, MAX_VIOLATIONS_BEFORE_ABANDON);
    assert.equal(seen.abandoned.length, 1);
    assert.equal(seen.violations[0].fields?.['dhcp.xid'], null);
  });

  test('gaps are harmless', () => {
    const { ctx, seen } = recordingContext();
    const session = dhcpDissector.createSession(ctx);
    session.gap(0, 1, 100);
    session.data(0, 2, windowsRequest());
    assert.equal(seen.messages.length, 1);
  });
});
