import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseIpv4, parseMac } from './addresses.ts';
import { finishChecksum, sumWords } from './checksum.ts';
import { writeDhcpMessage } from './dhcp-messages.ts';
import { writeDnsQuery, writeDnsResponse } from './dns-messages.ts';
import {
  ARP_OPERATION,
  ETHER_TYPE,
  finishTcpChecksum,
  finishUdpChecksum,
  IP_PROTOCOL,
  padFrame,
  TCP_FLAGS,
  UNTAGGED,
  writeArpPacket,
  writeEthernetHeader,
  writeIpv4Header,
  writeTcpHeader,
  writeUdpHeader,
} from './frames.ts';
import { writePcap } from './pcap-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoneward-frames-'));
const A = parseMac('00:80:f4:01:02:03');
const B = parseMac('d4:be:d9:04:05:06');
const SRC = parseIpv4('192.0.2.100');
const DST = parseIpv4('192.0.2.11');

function tcpdumpVerbose(frames: Buffer[]): Promise<string> {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.pcap`);
  return writePcap(
    path,
    frames.map((data, i) => ({ ts: 1772431200 + i, data })),
  ).then(() =>
    execFileSync('tcpdump', ['-r', path, '-nn', '-vv', '-e'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
}

function tcpFrame(vlan: number, payload: Buffer, flags = TCP_FLAGS.PSH | TCP_FLAGS.ACK): Buffer {
  const buf = Buffer.alloc(200, 0xee); // stale bytes must never leak into a frame
  let off = writeEthernetHeader(buf, 0, B, A, vlan, ETHER_TYPE.IPV4);
  off = writeIpv4Header(buf, off, SRC, DST, IP_PROTOCOL.TCP, 20 + payload.length, 0x1234, 128, true);
  writeTcpHeader(buf, off, 50000, 502, 0xfffffff0, 7, flags, 1026, 20);
  payload.copy(buf, off + 20);
  finishTcpChecksum(buf, off, 20 + payload.length, SRC, DST);
  return buf.subarray(0, padFrame(buf, 0, off + 20 + payload.length));
}

describe('checksums (RFC 1071)', () => {
  it('matches a known IPv4 header checksum', () => {
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    assert.equal(finishChecksum(sumWords(header, 0, 20, 0)), 0xb861);
  });

  it('pads an odd trailing byte with zero', () => {
    assert.equal(sumWords(Buffer.from([0x01, 0x02, 0x03]), 0, 3, 0), 0x0102 + 0x0300);
  });

  it('writes IPv4 headers whose checksum verifies to zero', () => {
    const buf = Buffer.alloc(20);
    writeIpv4Header(buf, 0, SRC, DST, IP_PROTOCOL.UDP, 100, 0xbeef, 64, false);
    assert.equal(finishChecksum(sumWords(buf, 0, 20, 0)), 0);
    assert.equal(buf.readUInt16BE(2), 120);
    assert.equal(buf[6], 0);
  });
});

describe('frame builders', () => {
  it('build TCP segments with correct checksums, tagged or not, that tcpdump accepts', async () => {
    const payload = Buffer.from('000100000006ff0300000018', 'hex');
    const out = await tcpdumpVerbose([
      tcpFrame(UNTAGGED, payload),
      tcpFrame(10, payload),
      tcpFrame(UNTAGGED, Buffer.alloc(0), TCP_FLAGS.ACK),
    ]);
    assert.doesNotMatch(out, /incorrect/);
    assert.match(out, /vlan 10, p 0, ethertype IPv4/);
    assert.match(
      out,
      /192\.0\.2\.100\.50000 > 192\.0\.2\.11\.502: Flags \[P\.\], cksum 0x[0-9a-f]+ \(correct\), seq 4294967280:4294967292, ack 7, win 1026, length 12/,
    );
    assert.equal(out.match(/cksum 0x[0-9a-f]+ \(correct\)/g)?.length, 3);
  });

  it('pads short frames to 60 bytes with zeros', () => {
    const frame = tcpFrame(UNTAGGED, Buffer.alloc(0), TCP_FLAGS.ACK);
    assert.equal(frame.length, 60);
    assert.deepEqual([...frame.subarray(54)], [0, 0, 0, 0, 0, 0]);
  });

  it('builds UDP with a checksum, sending a computed zero as 0xffff (RFC 768)', async () => {
    const buf = Buffer.alloc(100);
    let off = writeEthernetHeader(buf, 0, B, A, UNTAGGED, ETHER_TYPE.IPV4);
    off = writeIpv4Header(buf, off, SRC, DST, IP_PROTOCOL.UDP, 8 + 4, 1, 64, false);
    writeUdpHeader(buf, off, 1234, 5678, 4);
    buf.writeUInt32BE(0xdeadbeef, off + 8);
    finishUdpChecksum(buf, off, 12, SRC, DST);
    assert.notEqual(buf.readUInt16BE(off + 6), 0);
    const out = await tcpdumpVerbose([buf.subarray(0, padFrame(buf, 0, off + 12))]);
    assert.match(out, /udp sum ok/);
  });

  it('builds ARP requests and replies (RFC 826)', async () => {
    const buf = Buffer.alloc(120);
    let off = writeEthernetHeader(buf, 0, parseMac('ff:ff:ff:ff:ff:ff'), A, UNTAGGED, ETHER_TYPE.ARP);
    writeArpPacket(buf, off, ARP_OPERATION.REQUEST, A, DST, new Uint8Array(6), SRC);
    const request = Buffer.from(buf.subarray(0, padFrame(buf, 0, off + 28)));
    off = writeEthernetHeader(buf, 0, A, B, UNTAGGED, ETHER_TYPE.ARP);
    writeArpPacket(buf, off, ARP_OPERATION.REPLY, B, SRC, A, DST);
    const reply = Buffer.from(buf.subarray(0, padFrame(buf, 0, off + 28)));
    const out = await tcpdumpVerbose([request, reply]);
    assert.match(out, /Request who-has 192\.0\.2\.100 tell 192\.0\.2\.11/);
    assert.match(out, /Reply 192\.0\.2\.100 is-at d4:be:d9:04:05:06/);
  });
});

describe('DHCP and DNS messages', () => {
  function udpFrame(
    srcIp: number,
    dstIp: number,
    sport: number,
    dport: number,
    write: (b: Buffer, o: number) => number,
  ): Buffer {
    const buf = Buffer.alloc(800, 0xaa);
    let off = writeEthernetHeader(buf, 0, B, A, UNTAGGED, ETHER_TYPE.IPV4);
    const n = write(buf, off + 28);
    off = writeIpv4Header(buf, off, srcIp, dstIp, IP_PROTOCOL.UDP, 8 + n, 1, 128, false);
    writeUdpHeader(buf, off, sport, dport, n);
    finishUdpChecksum(buf, off, 8 + n, srcIp, dstIp);
    return buf.subarray(0, padFrame(buf, 0, off + 8 + n));
  }

  it('writes DHCP messages with the options of RFC 2132 that tcpdump decodes', async () => {
    const chaddr = parseMac('00:1e:67:aa:bb:cc');
    const discover = udpFrame(0, 0xffffffff, 68, 67, (b, o) =>
      writeDhcpMessage(b, o, {
        op: 1,
        messageType: 1,
        xid: 0x11223344,
        chaddr,
        clientIdentifier: Uint8Array.from([1, ...chaddr]),
        requestedIp: parseIpv4('203.0.113.150'),
        hostName: 'LAPTOP',
        vendorClass: 'MSFT 5.0',
        parameterRequestList: [1, 3, 6, 15],
      }),
    );
    const ack = udpFrame(parseIpv4('203.0.113.129'), parseIpv4('203.0.113.150'), 67, 68, (b, o) =>
      writeDhcpMessage(b, o, {
        op: 2,
        messageType: 5,
        xid: 0x11223344,
        chaddr,
        yiaddr: parseIpv4('203.0.113.150'),
        giaddr: parseIpv4('203.0.113.129'),
        serverIdentifier: parseIpv4('203.0.113.11'),
        leaseSeconds: 691200,
        renewalSeconds: 345600,
        rebindingSeconds: 604800,
        subnetMask: parseIpv4('255.255.255.192'),
        router: parseIpv4('203.0.113.129'),
        domainNameServers: [parseIpv4('203.0.113.10')],
        domainName: 'plant.example',
      }),
    );
    assert.equal(discover.length, 14 + 20 + 8 + 300, 'padded to the BOOTP minimum of 300 bytes');
    const out = await tcpdumpVerbose([discover, ack]);
    assert.doesNotMatch(out, /incorrect|malformed|\[\|/i);
    for (const expected of [
      /DHCP-Message \(53\), length 1: Discover/,
      /Client-ID \(61\), length 7: ether 00:1e:67:aa:bb:cc/,
      /Requested-IP \(50\), length 4: 203\.0\.113\.150/,
      /Hostname \(12\), length 6: "LAPTOP"/,
      /Vendor-Class \(60\), length 8: "MSFT 5\.0"/,
      /Parameter-Request \(55\), length 4/,
      /DHCP-Message \(53\), length 1: ACK/,
      /Server-ID \(54\), length 4: 203\.0\.113\.11/,
      /Lease-Time \(51\), length 4: 691200/,
      /Your-IP 203\.0\.113\.150/,
      /Gateway-IP 203\.0\.113\.129/,
      /Domain-Name \(15\), length 13: "plant\.example"/,
    ]) {
      assert.match(out, expected);
    }
  });

  it('writes DNS queries, A answers and NXDOMAIN with the zone SOA (RFC 1035, RFC 2308)', async () => {
    const zone = {
      name: 'plant.example',
      primaryLabel: 'dns-1',
      mailboxLabel: 'hostmaster',
      serial: 7,
      ttl: 3600,
    };
    const client = parseIpv4('192.0.2.100');
    const server = parseIpv4('203.0.113.10');
    const frames = [
      udpFrame(client, server, 50001, 53, (b, o) => writeDnsQuery(b, o, 0x1234, 'scada-1.plant.example')),
      udpFrame(server, client, 53, 50001, (b, o) =>
        writeDnsResponse(b, o, 0x1234, 'scada-1.plant.example', [parseIpv4('192.0.2.100')], zone),
      ),
      udpFrame(server, client, 53, 50002, (b, o) =>
        writeDnsResponse(b, o, 0x4321, 'wpad.plant.example', [], zone),
      ),
    ];
    const out = await tcpdumpVerbose(frames);
    assert.doesNotMatch(out, /incorrect|malformed|\[\|/i);
    assert.match(out, /4660\+ A\? scada-1\.plant\.example\./);
    assert.match(
      out,
      /4660\* q: A\? scada-1\.plant\.example\. 1\/0\/0 scada-1\.plant\.example\. A 192\.0\.2\.100/,
    );
    assert.match(
      out,
      /17185 NXDomain\* q: A\? wpad\.plant\.example\. 0\/1\/0 ns: plant\.example\. SOA dns-1\.plant\.example\. hostmaster\.plant\.example\. 7 900 600 86400 3600/,
    );
  });
});
