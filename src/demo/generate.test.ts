import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { readTestPcap, type TestPacket } from './capture-test-reader.ts';
import { type DemoSummary, writeDemoCapture } from './generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneward-demo-'));
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function tcpdump(path: string, ...args: string[]): string[] {
  const out = execFileSync('tcpdump', ['-r', path, '-nn', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out.split('\n').filter((l) => l.length > 0);
}

/** One line per packet: without -v, only some decoders (LLDP, CDP, SNMP) continue on indented lines. */
function tcpdumpPackets(path: string): string[] {
  return tcpdump(path).filter((l) => !/^\s/.test(l));
}

async function capture(
  name: string,
  packets: number,
  seed: number,
  format?: 'pcap' | 'pcapng',
): Promise<[string, DemoSummary]> {
  const out = join(dir, name);
  return [out, await writeDemoCapture({ out, packets, seed, format })];
}

describe('writeDemoCapture: packet count and determinism', () => {
  for (const n of [1, 10, 10_000]) {
    it(`writes exactly ${n} packets that tcpdump reads`, async () => {
      let progress = 0;
      const out = join(dir, `count-${n}.pcap`);
      const summary = await writeDemoCapture({ out, packets: n, seed: 1, onProgress: (w) => (progress = w) });
      assert.equal(summary.packets, n);
      assert.equal(progress, n);
      assert.equal(tcpdumpPackets(out).length, n);
      assert.equal(readTestPcap(out).length, n);
      assert.equal(summary.bytes, readFileSync(out).length);
    });
  }

  it('gives the same bytes for the same seed and different bytes for another seed', async () => {
    const [a] = await capture('seed-1a.pcap', 10_000, 1);
    const [b] = await capture('seed-1b.pcap', 10_000, 1);
    const [c] = await capture('seed-2.pcap', 10_000, 2);
    assert.equal(sha256(a), sha256(b));
    assert.notEqual(sha256(a), sha256(c));
  });

  it('writes the same packets as pcapng', async () => {
    const [pcap] = await capture('same.pcap', 3_000, 5);
    const [pcapng, summary] = await capture('same.pcapng', 3_000, 5);
    assert.equal(summary.format, 'pcapng');
    assert.equal(readFileSync(pcapng).readUInt32LE(0), 0x0a0d0d0a);
    assert.deepEqual(tcpdump(pcapng, '-tt', '-e'), tcpdump(pcap, '-tt', '-e'));
  });

  it('rejects a packet count below 1', async () => {
    await assert.rejects(writeDemoCapture({ out: join(dir, 'zero.pcap'), packets: 0, seed: 1 }), /--packets/);
  });
});

describe('writeDemoCapture: what is on the wire', () => {
  // Long enough (about five simulated minutes) for the laptop to use its second lease once the story moves it.
  const N = 80_000;
  let path = '';
  let summary: DemoSummary;
  let packets: TestPacket[] = [];

  before(async () => {
    [path, summary] = await capture('story.pcap', N, 11);
    packets = readTestPcap(path);
  });

  it('has correct IPv4, TCP and UDP checksums and nothing tcpdump finds malformed', () => {
    const lines = tcpdump(path, '-vv');
    const text = lines.join('\n');
    assert.doesNotMatch(text, /incorrect/);
    assert.doesNotMatch(text, /malformed|\[\|/i);
    assert.ok((text.match(/\(correct\)/g) ?? []).length > N / 2);
  });

  it('starts at the epoch and never goes back in time', () => {
    assert.ok(packets[0].tsMicros >= Date.parse('2026-03-02T06:00:00Z') * 1000);
    for (let i = 1; i < packets.length; i++)
      assert.ok(packets[i].tsMicros >= packets[i - 1].tsMicros, `packet ${i}`);
    assert.equal(summary.firstTimestamp * 1e6, packets[0].tsMicros);
  });

  it('advances TCP sequence numbers by exactly the bytes sent, and acknowledges what the peer sent', () => {
    const SYN = 0x02;
    const FIN = 0x01;
    const RST = 0x04;
    const ACK = 0x10;
    const next = new Map<string, { isn: number; next: number; last: number }>();
    let segments = 0;
    let retransmissions = 0;
    for (const p of packets) {
      if (!p.tcp || !p.ip) continue;
      const { tcp } = p;
      const key = `${p.ip.src}:${tcp.srcPort}>${p.ip.dst}:${tcp.dstPort}`;
      const reverse = `${p.ip.dst}:${tcp.dstPort}>${p.ip.src}:${tcp.srcPort}`;
      segments++;
      if (tcp.flags & SYN) {
        const known = next.get(key);
        if (known && known.isn === tcp.seq) {
          retransmissions++;
        } else {
          if (!(tcp.flags & ACK)) next.delete(reverse);
          next.set(key, { isn: tcp.seq, next: (tcp.seq + 1) >>> 0, last: tcp.seq });
        }
      } else {
        const state = next.get(key);
        assert.ok(state, `segment without a handshake: ${key}`);
        const length = tcp.payload.length;
        if (tcp.seq === state.next) {
          if (!(tcp.flags & RST)) state.next = (state.next + length + (tcp.flags & FIN ? 1 : 0)) >>> 0;
        } else {
          assert.ok(
            length > 0 && (tcp.seq + length) >>> 0 === state.next,
            `packet ${p.index}: seq ${tcp.seq}, expected ${state.next}`,
          );
          retransmissions++;
        }
      }
      if (tcp.flags & ACK) {
        const peer = next.get(reverse);
        assert.ok(peer, `ACK without the peer's SYN: packet ${p.index}`);
        assert.equal(tcp.ack, peer.next, `packet ${p.index} acknowledges all the peer sent`);
      }
    }
    assert.ok(segments > N / 2);
    assert.ok(retransmissions > 0, 'the power-cycled controller causes retransmissions');
  });

  it('carries well-formed Modbus/TCP: whole ADUs, responses matching requests', () => {
    const functions = new Set<number>();
    const exceptions = new Set<number>();
    const pending = new Map<string, Map<number, number>>();
    let responses = 0;
    const seen = new Set<string>();
    for (const p of packets) {
      const tcp = p.tcp;
      if (!tcp || tcp.payload.length === 0 || (tcp.srcPort !== 502 && tcp.dstPort !== 502)) continue;
      const conn = tcp.dstPort === 502 ? `${p.ip!.src}:${tcp.srcPort}` : `${p.ip!.dst}:${tcp.dstPort}`;
      const segmentKey = `${conn}:${tcp.srcPort}:${tcp.seq}`;
      if (seen.has(segmentKey)) continue; // a retransmission
      seen.add(segmentKey);
      const adu = tcp.payload;
      assert.equal(adu.readUInt16BE(2), 0, 'protocol id');
      assert.equal(adu.readUInt16BE(4) + 6, adu.length, `packet ${p.index}: one whole ADU per segment`);
      const tid = adu.readUInt16BE(0);
      const fc = adu[7];
      const outstanding = pending.get(conn) ?? new Map<number, number>();
      pending.set(conn, outstanding);
      if (tcp.dstPort === 502) {
        functions.add(fc);
        outstanding.set(tid, fc);
      } else {
        const requested = outstanding.get(tid);
        assert.equal(requested, fc & 0x7f, `packet ${p.index}: response to transaction ${tid}`);
        outstanding.delete(tid);
        responses++;
        if (fc & 0x80) exceptions.add(adu[8]);
      }
    }
    assert.ok(responses > N / 4);
    for (const fc of [1, 2, 3, 4, 5, 6, 8, 15, 16, 43])
      assert.ok(functions.has(fc), `function ${fc} present`);
    assert.ok(exceptions.has(1), 'ILLEGAL_FUNCTION (FC 43 on controllers without it)');
    assert.ok(exceptions.has(2), 'ILLEGAL_DATA_ADDRESS (engineering workstation probe)');
  });

  it('decodes as Modbus for an independent implementation (pymodbus)', () => {
    // Debian's python3-pymodbus, run with the system interpreter (DESIGN.md, "Runtime").
    const script = [
      'import sys',
      'from pymodbus.factory import ServerDecoder, ClientDecoder',
      'decoders = {"q": ServerDecoder(), "r": ClientDecoder()}',
      'names = set()',
      'for line in sys.stdin:',
      '    side, adu = line.split()',
      '    message = decoders[side].decode(bytes.fromhex(adu)[7:])',
      '    if message is None: sys.exit("undecodable " + line)',
      '    names.add(type(message).__name__)',
      'print("\\n".join(sorted(names)))',
    ].join('\n');
    const input = packets
      .filter((p) => p.tcp && p.tcp.payload.length > 0 && (p.tcp.srcPort === 502 || p.tcp.dstPort === 502))
      // Schneider's UMAS (FC 90) is vendor-specific: pymodbus knows only the public function codes.
      .filter((p) => p.tcp!.payload[7] !== 0x5a)
      .map((p) => `${p.tcp!.dstPort === 502 ? 'q' : 'r'} ${p.tcp!.payload.toString('hex')}`)
      .join('\n');
    const names = execFileSync('/usr/bin/python3', ['-c', script], {
      input,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }).split('\n');
    for (const name of [
      'ReadDeviceInformationResponse',
      'ReturnQueryDataResponse',
      'WriteMultipleRegistersRequest',
      'WriteSingleCoilResponse',
      'ExceptionResponse',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });

  it('reads device identification with the vendors named in the plant', () => {
    const text = packets
      .filter((p) => p.tcp?.srcPort === 502 && p.tcp.payload[7] === 0x2b)
      .map((p) => p.tcp!.payload.toString('latin1'))
      .join('\n');
    for (const device of summary.devices) {
      const id = device.modbus?.identification;
      if (id) {
        assert.ok(text.includes(id.vendorName), `${device.name} vendor name`);
        assert.ok(text.includes(id.productCode), `${device.name} product code`);
      }
    }
  });

  it('plays the whole story: SSH, engineering session, power cycle, DHCP address change, remote access', () => {
    const kinds = summary.events.map((e) => e.kind);
    assert.deepEqual(kinds, [
      'ssh-session',
      'engineering-session',
      'power-cycle',
      'link-down',
      'dhcp-address-change',
      'remote-access',
      'remote-access',
    ]);
  });

  it('moves the laptop to a new address through DHCPNAK and a new lease', () => {
    const laptop = summary.devices.find((d) => d.name === 'office-laptop-1')!;
    const chaddr = Buffer.from(laptop.mac.replaceAll(':', ''), 'hex');
    const acks: string[] = [];
    let naks = 0;
    for (const p of packets) {
      const udp = p.udp;
      if (udp?.srcPort !== 67 || !udp.payload.subarray(28, 34).equals(chaddr)) continue;
      const type = udp.payload[240 + 2]; // option 53 comes first
      if (type === 5) acks.push(udp.payload.subarray(16, 20).join('.'));
      if (type === 6) naks++;
    }
    assert.deepEqual([...new Set(acks)], laptop.ips);
    assert.ok(naks >= 1);
    const seenFrom = new Set(packets.filter((p) => p.srcMac === laptop.mac && p.ip).map((p) => p.ip!.src));
    for (const ip of laptop.ips) assert.ok(seenFrom.has(ip), `laptop sends from ${ip}`);
  });

  it('shows the IT router as one MAC with many source addresses, and every plant host with its own MAC', () => {
    const router = summary.devices.find((d) => d.name === 'it-router-1')!;
    const behind = new Set(packets.filter((p) => p.srcMac === router.mac && p.ip).map((p) => p.ip!.src));
    assert.ok(behind.size >= 5, `${behind.size} addresses behind the router`);
    for (const ip of behind) assert.ok(ip.startsWith('203.0.113.'));
    for (const device of summary.devices.filter((d) => d.role === 'plc' || d.role === 'hmi')) {
      const macs = new Set(packets.filter((p) => p.ip?.src === device.ip).map((p) => p.srcMac));
      assert.deepEqual([...macs], [device.mac], device.name);
    }
  });

  it('has ARP requests and replies, DNS queries and answers', () => {
    const arp = packets.filter((p) => p.etherType === 0x0806);
    assert.ok(arp.some((p) => p.frame.readUInt16BE(20) === 1));
    assert.ok(arp.some((p) => p.frame.readUInt16BE(20) === 2));
    const dns = packets.filter((p) => p.udp && (p.udp.srcPort === 53 || p.udp.dstPort === 53));
    assert.ok(dns.some((p) => p.udp!.dstPort === 53));
    assert.ok(dns.some((p) => p.udp!.srcPort === 53 && (p.udp!.payload[3] & 0x0f) === 0));
  });
});
