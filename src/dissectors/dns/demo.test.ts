// The demo plant's DNS traffic (src/demo/dns-messages.ts, dns-client.ts) decoded: the messages the
// demo writes, one by one, and a whole demo capture through the real pipeline, checked against the
// datagrams an independent pcap reader finds in the same file.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTestPcap, type TestPacket } from '../../demo/capture-test-reader.ts';
import { type DnsZone, writeDnsQuery, writeDnsResponse } from '../../demo/dns-messages.ts';
import { type DemoSummary, writeDemoCapture } from '../../demo/generate.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { dnsDissector } from './dissector.ts';
import { dnsFields, parseDns } from './parser.ts';

const ZONE: DnsZone = {
  name: 'plant.example',
  primaryLabel: 'dns-1',
  mailboxLabel: 'hostmaster',
  serial: 2026030201,
  ttl: 3600,
};

function decode(bytes: Uint8Array) {
  const r = parseDns(bytes);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : '');
  return r.kind === 'ok' ? dnsFields(r.message) : {};
}

describe('dns: the demo plant messages', () => {
  const buf = new Uint8Array(1024);
  it('a query, an answer and an NXDOMAIN with SOA', () => {
    const q = decode(buf.slice(0, writeDnsQuery(buf, 0, 0x1a2b, 'historian-1.plant.example')));
    assert.equal(q['dns.query'], 'historian-1.plant.example');
    assert.equal(q['dns.qtype'], 'A');
    assert.deepEqual(q['dns.flags'], ['RD']);
    const a = decode(
      buf.slice(0, writeDnsResponse(buf, 0, 0x1a2b, 'historian-1.plant.example', [0xc6336405], ZONE)),
    );
    assert.deepEqual(a['dns.answers'], ['A historian-1.plant.example 198.51.100.5']);
    assert.equal(a['dns.rcode'], 'NOERROR');
    const nx = decode(buf.slice(0, writeDnsResponse(buf, 0, 0x1a2c, 'wpad.plant.example', [], ZONE)));
    assert.equal(nx['dns.error'], 'NXDOMAIN');
    assert.deepEqual(nx['dns.flags'], ['AA', 'RD', 'RA']);
    assert.equal(nx['dns.kind'], 'dns');
  });
});

describe('dns: a demo capture through the pipeline', () => {
  let dir = '';
  let summary: DemoSummary;
  let packets: TestPacket[];
  const events: AppEvent[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zoneward-dns-'));
    const out = join(dir, 'plant.pcap');
    summary = await writeDemoCapture({ out, packets: 40_000, seed: 11 });
    packets = readTestPcap(out);
    await decodeCaptureFile(
      out,
      { event: (e) => events.push(e), arp() {}, link() {}, connection() {} },
      { dissectors: [dnsDissector] },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('one event per DNS, mDNS and NBNS datagram, no violation, ids and rcodes as in the bytes', () => {
    const ports = new Set([53, 5353, 137]);
    const datagrams = packets.filter((p) => p.udp && (ports.has(p.udp.dstPort) || ports.has(p.udp.srcPort)));
    const unicast = datagrams.filter((p) => p.udp!.dstPort === 53 || p.udp!.srcPort === 53);
    assert.ok(unicast.length >= 10, `only ${unicast.length} DNS datagrams in the capture`);
    const messages = events.filter((e) => e.kind === 'message');
    assert.equal(events.length - messages.length, 0);
    assert.equal(messages.length, datagrams.length);
    messages.forEach((e, i) => {
      const p = datagrams[i];
      const payload = p.udp!.payload;
      const port = Math.min(p.udp!.srcPort, p.udp!.dstPort);
      assert.equal(e.app, 'dns');
      assert.equal(e.fields['dns.kind'], port === 53 ? 'dns' : port === 5353 ? 'mdns' : 'nbns');
      assert.equal(e.fields['dns.id'], payload.readUInt16BE(0));
      assert.equal(e.fields['dns.qr'], (payload[2] & 0x80) !== 0);
      assert.equal(e.fields['dns.ancount'], payload.readUInt16BE(6));
      if (port !== 53) {
        // A multicast or broadcast announcement names its sender: the address it binds is the sender's own.
        assert.equal(e.fields['dns.device.ip'], p.ip!.src);
        assert.equal(e.fields['dns.operation'], 'discovery');
        return;
      }
      assert.equal(e.dir, p.udp!.dstPort === 53 ? 0 : 1);
      if (e.fields['dns.qr']) {
        const rcode = payload[3] & 0x0f;
        assert.equal(e.fields['dns.rcode'], rcode === 3 ? 'NXDOMAIN' : 'NOERROR');
        assert.equal((e.fields['dns.answers'] as string[]).length, payload.readUInt16BE(6));
      }
      assert.ok((e.fields['dns.query'] as string).endsWith(`.${summary.domain}`));
      assert.equal(e.fields['dns.device.name'], undefined, 'unicast answers name nobody');
    });
  });
});
