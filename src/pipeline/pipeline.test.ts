// The pipeline with a minimal test dissector ("echo": records what it is fed). The real
// dissectors have their own suites; this one checks the layers below them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { LINKTYPE } from '../capture/link-types.ts';
import { ethernet, ip4, ipv4, ipv6, TCP, tcp, tcpFrame, udp } from '../capture/testing.ts';
import type { Direction, DissectorDescriptor, ProbeVerdict } from '../dissectors/types.ts';
import type { AppEvent, ArpEvent, ConnectionSummary, LinkEvent, PipelineSink } from './events.ts';
import { Pipeline } from './pipeline.ts';

interface Fed {
  dir: Direction;
  text: string;
}

function echoDissector(
  opts: { transport?: 'tcp' | 'udp'; ports?: number[]; probe?: (d: Uint8Array) => ProbeVerdict } = {},
) {
  const fed: Fed[] = [];
  const gaps: number[] = [];
  const d: DissectorDescriptor = {
    name: 'echo',
    transport: opts.transport ?? 'tcp',
    ports: opts.ports ?? [7],
    funcFields: [],
    operationField: 'echo.operation',
    coverage: { protocol: 'Echo', decoded: [], recognised: [], notHandled: [] },
    probe: (_dir, data) => (opts.probe ? opts.probe(data) : 'yes'),
    createSession: (ctx) => ({
      data(dir, ts, chunk) {
        const text = Buffer.from(chunk).toString('latin1');
        fed.push({ dir, text });
        ctx.message(dir, ts, { 'echo.text': text });
      },
      gap(_dir, _ts, n) {
        gaps.push(n);
      },
      end() {},
    }),
  };
  return { d, fed, gaps };
}

class Recorder implements PipelineSink {
  events: AppEvent[] = [];
  arps: ArpEvent[] = [];
  conns: ConnectionSummary[] = [];
  event(e: AppEvent) {
    this.events.push(e);
  }
  arp(e: ArpEvent) {
    this.arps.push(e);
  }
  links: LinkEvent[] = [];
  link(e: LinkEvent) {
    this.links.push(e);
  }
  connection(c: ConnectionSummary) {
    this.conns.push(c);
  }
}

const text = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** A complete TCP conversation: handshake, one request, one response, FINs, final ACK. */
function conversation(client: string, server: string, cport: number, sport: number): Uint8Array[] {
  return [
    tcpFrame(client, cport, server, sport, 100, TCP.SYN),
    tcpFrame(server, sport, client, cport, 500, TCP.SYN | TCP.ACK),
    tcpFrame(client, cport, server, sport, 101, TCP.ACK),
    tcpFrame(client, cport, server, sport, 101, TCP.ACK | TCP.PSH, text('hello')),
    tcpFrame(server, sport, client, cport, 501, TCP.ACK | TCP.PSH, text('world')),
    tcpFrame(client, cport, server, sport, 106, TCP.FIN | TCP.ACK),
    tcpFrame(server, sport, client, cport, 506, TCP.FIN | TCP.ACK),
    tcpFrame(client, cport, server, sport, 107, TCP.ACK),
  ];
}

describe('pipeline', () => {
  it('follows a TCP conversation: roles from the handshake, data to the dissector, one summary', () => {
    const echo = echoDissector();
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    for (const [i, f] of conversation('192.0.2.10', '192.0.2.20', 40000, 7).entries()) {
      p.frame(LINKTYPE.ETHERNET, 100 + i, f, 0, f.length, f.length, 0);
    }
    p.finish();
    assert.deepEqual(echo.fed, [
      { dir: 0, text: 'hello' },
      { dir: 1, text: 'world' },
    ]);
    assert.equal(sink.conns.length, 1, 'the last ACK must not open a phantom connection');
    const c = sink.conns[0];
    assert.equal(c.conn.clientIp, '192.0.2.10');
    assert.equal(c.conn.serverPort, 7);
    assert.equal(c.conn.clientMac, '02:00:00:00:00:01');
    assert.equal(c.app, 'echo');
    assert.equal(c.rolesFromHandshake, true);
    assert.deepEqual(c.packets, [4, 3]);
    assert.equal(sink.events[0].conn, c.conn);
    assert.equal(sink.events[1].dir, 1);
  });

  it('guesses roles from ports for a stream picked up mid-way', () => {
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [] });
    // First packet seen is the server's answer: from port 502 to an ephemeral port.
    const f = tcpFrame('192.0.2.20', 502, '192.0.2.10', 51000, 1, TCP.ACK | TCP.PSH, text('x'));
    p.frame(LINKTYPE.ETHERNET, 1, f, 0, f.length, f.length, 0);
    p.finish();
    assert.equal(sink.conns[0].conn.serverIp, '192.0.2.20');
    assert.equal(sink.conns[0].conn.serverPort, 502);
    assert.equal(sink.conns[0].rolesFromHandshake, false);
    assert.deepEqual(sink.conns[0].packets, [0, 1]);
  });

  it('decodes every supported link type to the same connection', () => {
    const seg = tcp(40000, 7, 1, TCP.ACK | TCP.PSH, text('hi'));
    const ip = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', proto: 6, payload: seg });
    const sll = Uint8Array.from([0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 9, 0, 0, 0x08, 0x00, ...ip]);
    const sll2 = Uint8Array.from([0x08, 0x00, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 2, 0, 0, 0, 0, 9, 0, 0, ...ip]);
    const nullLe = Uint8Array.from([2, 0, 0, 0, ...ip]);
    const nullBe = Uint8Array.from([0, 0, 0, 2, ...ip]);
    const cases: [string, number, Uint8Array, string | null][] = [
      [
        'ethernet',
        LINKTYPE.ETHERNET,
        ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, ip),
        '02:00:00:00:00:01',
      ],
      [
        '802.1Q',
        LINKTYPE.ETHERNET,
        ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, ip, [42]),
        '02:00:00:00:00:01',
      ],
      [
        'QinQ',
        LINKTYPE.ETHERNET,
        ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, ip, [100, 42]),
        '02:00:00:00:00:01',
      ],
      ['SLL', LINKTYPE.LINUX_SLL, sll, '02:00:00:00:00:09'],
      ['SLL2', LINKTYPE.LINUX_SLL2, sll2, '02:00:00:00:00:09'],
      ['NULL little-endian', LINKTYPE.NULL, nullLe, null],
      ['NULL big-endian', LINKTYPE.NULL, nullBe, null],
      ['LOOP', LINKTYPE.LOOP, nullBe, null],
      ['RAW', LINKTYPE.RAW, ip, null],
      ['IPV4', LINKTYPE.IPV4, ip, null],
    ];
    for (const [name, lt, frame, clientMac] of cases) {
      const echo = echoDissector();
      const sink = new Recorder();
      const p = new Pipeline(sink, { dissectors: [echo.d] });
      p.frame(lt, 1, frame, 0, frame.length, frame.length, 0);
      p.finish();
      assert.deepEqual(echo.fed, [{ dir: 0, text: 'hi' }], name);
      assert.equal(sink.conns[0].conn.clientIp, '192.0.2.1', name);
      assert.equal(sink.conns[0].conn.clientMac, clientMac, name);
      if (name === '802.1Q' || name === 'QinQ') assert.equal(sink.conns[0].conn.vlan, 42, name);
    }
  });

  it('walks IPv6 extension headers and reassembles IPv6 fragments', () => {
    const src = [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1];
    const dst = [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 2];
    const seg = tcp(40000, 7, 1, TCP.ACK, text('v6 data'));
    // Hop-by-hop (8 bytes) then destination options (8 bytes) then TCP.
    const ext = [60, 0, 1, 4, 0, 0, 0, 0, 6, 0, 1, 4, 0, 0, 0, 0];
    const plain = ipv6(src, dst, 0, Uint8Array.from([...ext, ...seg]));
    const dgram = udp(5000, 9, text('fragmented-udp-payload!'));
    const frag1 = ipv6(
      src,
      dst,
      44,
      Uint8Array.from([17, 0, 0x00, 0x01, 0, 0, 0, 7, ...dgram.subarray(0, 16)]),
    );
    const frag2 = ipv6(src, dst, 44, Uint8Array.from([17, 0, 0x00, 0x10, 0, 0, 0, 7, ...dgram.subarray(16)]));
    const tcpEcho = echoDissector();
    const udpEcho = echoDissector({ transport: 'udp', ports: [9] });
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [tcpEcho.d, { ...udpEcho.d, name: 'uecho' }] });
    for (const f of [plain, frag2, frag1]) p.frame(LINKTYPE.RAW, 1, f, 0, f.length, f.length, 0);
    p.finish();
    assert.deepEqual(tcpEcho.fed, [{ dir: 0, text: 'v6 data' }]);
    assert.deepEqual(udpEcho.fed, [{ dir: 0, text: 'fragmented-udp-payload!' }]);
    assert.equal(sink.conns.find((c) => c.conn.transport === 'tcp')?.conn.clientIp, '2001:db8::1');
  });

  it('reassembles IPv4 fragments before the transport layer', () => {
    const echo = echoDissector({ transport: 'udp', ports: [9] });
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    const dgram = udp(5000, 9, text('0123456789abcdefghijklmnop'));
    const a = ipv4({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      proto: 17,
      payload: dgram.subarray(0, 16),
      id: 9,
      moreFragments: true,
    });
    const b = ipv4({
      src: '192.0.2.1',
      dst: '192.0.2.2',
      proto: 17,
      payload: dgram.subarray(16),
      id: 9,
      fragOffset: 16,
    });
    p.frame(LINKTYPE.IPV4, 1, b, 0, b.length, b.length, 0);
    p.frame(LINKTYPE.IPV4, 1, a, 0, a.length, a.length, 0);
    p.finish();
    assert.deepEqual(echo.fed, [{ dir: 0, text: '0123456789abcdefghijklmnop' }]);
    assert.equal(p.stats.reassembledDatagrams, 1);
  });

  it('cuts Ethernet padding off by the IP total length', () => {
    const echo = echoDissector();
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    const f = tcpFrame('192.0.2.1', 40000, '192.0.2.2', 7, 1, TCP.ACK, text('ab'));
    const padded = Uint8Array.from([...f, 0, 0, 0, 0, 0, 0]);
    p.frame(LINKTYPE.ETHERNET, 1, padded, 0, padded.length, padded.length, 0);
    p.finish();
    assert.deepEqual(echo.fed, [{ dir: 0, text: 'ab' }]);
  });

  it('lets probes wait for more bytes, then replays what they saw to the session', () => {
    const echo = echoDissector({
      ports: [],
      probe: (d) => (d.length < 6 ? 'maybe' : d[0] === 0x41 ? 'yes' : 'no'),
    });
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    const frames = [
      tcpFrame('192.0.2.1', 40000, '192.0.2.2', 9999, 1, TCP.ACK, text('ABC')),
      tcpFrame('192.0.2.1', 40000, '192.0.2.2', 9999, 4, TCP.ACK, text('DEF')),
      tcpFrame('192.0.2.1', 40000, '192.0.2.2', 9999, 7, TCP.ACK, text('GHI')),
    ];
    for (const f of frames) p.frame(LINKTYPE.ETHERNET, 1, f, 0, f.length, f.length, 0);
    p.finish();
    assert.deepEqual(
      echo.fed.map((x) => x.text),
      ['ABC', 'DEF', 'GHI'],
    );
    assert.equal(sink.conns[0].app, 'echo');
  });

  it('does not hand a stream to a dissector whose probe refuses it', () => {
    const echo = echoDissector({ probe: () => 'no' });
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    const f = tcpFrame('192.0.2.1', 40000, '192.0.2.2', 7, 1, TCP.ACK, text('GET / HTTP/1.0'));
    p.frame(LINKTYPE.ETHERNET, 1, f, 0, f.length, f.length, 0);
    p.finish();
    assert.deepEqual(echo.fed, []);
    assert.equal(sink.conns[0].app, null);
  });

  it('reports a capture gap to the session and counts it', () => {
    const echo = echoDissector();
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [echo.d] });
    const frames = [
      tcpFrame('192.0.2.1', 40000, '192.0.2.2', 7, 1, TCP.ACK, text('aaaa')),
      tcpFrame('192.0.2.1', 40000, '192.0.2.2', 7, 105, TCP.ACK, text('bbbb')),
    ];
    for (const f of frames) p.frame(LINKTYPE.ETHERNET, 1, f, 0, f.length, f.length, 0);
    p.finish();
    assert.deepEqual(echo.gaps, [100]);
    assert.equal(p.stats.tcpMissedBytes, 100);
    assert.deepEqual(sink.conns[0].missedBytes, [100, 0]);
  });

  it('closes idle connections and keeps the table bounded', () => {
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [], maxConnections: 50 });
    for (let i = 0; i < 500; i++) {
      const f = tcpFrame('192.0.2.1', 10000 + i, '192.0.2.2', 7, 1, TCP.SYN);
      p.frame(LINKTYPE.ETHERNET, 1 + i * 0.001, f, 0, f.length, f.length, 0);
      assert.ok(p.openConnections <= 50);
    }
    assert.ok(p.stats.evicted > 0);
    // Time passes beyond the idle timeout: the next sweep closes everything left.
    const late = tcpFrame('192.0.2.3', 1, '192.0.2.4', 7, 1, TCP.SYN);
    p.frame(LINKTYPE.ETHERNET, 10_000, late, 0, late.length, late.length, 0);
    p.frame(LINKTYPE.ETHERNET, 10_020, late, 0, late.length, late.length, 0);
    assert.equal(p.openConnections, 1);
    p.finish();
    assert.equal(sink.conns.length, 501);
  });

  it('reports ARP with sender and frame addresses', () => {
    const sink = new Recorder();
    const p = new Pipeline(sink, { dissectors: [] });
    const arp = Uint8Array.from([
      0,
      1,
      8,
      0,
      6,
      4,
      0,
      2,
      2,
      0,
      0,
      0,
      0,
      0xaa,
      ...ip4('192.0.2.5'),
      2,
      0,
      0,
      0,
      0,
      0xbb,
      ...ip4('192.0.2.6'),
    ]);
    const f = ethernet('02:00:00:00:00:cc', '02:00:00:00:00:bb', 0x0806, arp);
    p.frame(LINKTYPE.ETHERNET, 3, f, 0, f.length, f.length, 0);
    assert.equal(sink.arps.length, 1);
    assert.deepEqual(
      { ...sink.arps[0] },
      {
        ts: 3,
        op: 'reply',
        senderMac: '02:00:00:00:00:aa',
        senderIp: '192.0.2.5',
        targetMac: '02:00:00:00:00:bb',
        targetIp: '192.0.2.6',
        frameSrcMac: '02:00:00:00:00:cc',
        vlan: null,
      },
    );
  });

  it('never throws on random frames of any link type (property)', () => {
    const echo = echoDissector();
    const p = new Pipeline(new Recorder(), { dissectors: [echo.d], maxConnections: 64 });
    const base = tcpFrame('192.0.2.1', 40000, '192.0.2.2', 7, 1, TCP.ACK, text('payload'));
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 12, 101, 108, 113, 228, 229, 276, 999),
        fc.oneof(
          fc.uint8Array({ maxLength: 120 }),
          fc
            .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })
            .map((flips) => {
              const b = base.slice();
              for (const [i, v] of flips) b[i] = v;
              return b;
            }),
        ),
        (lt, frame) => {
          p.frame(lt, 1, frame, 0, frame.length, frame.length, 0);
        },
      ),
      { numRuns: 3000 },
    );
    p.finish();
  });
});
