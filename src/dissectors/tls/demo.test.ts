// The demo plant's TLS sessions (src/demo/session-payloads.ts, it-sessions.ts) decoded: the
// payloads the demo builds, and a whole demo capture through the real pipeline, checked against the
// records an independent pcap reader finds in the same file.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTestPcap, type TestPacket } from '../../demo/capture-test-reader.ts';
import { writeDemoCapture } from '../../demo/generate.ts';
import { Prng } from '../../demo/prng.ts';
import {
  tlsApplicationData,
  tlsClientFinished,
  tlsClientHello,
  tlsServerFlight,
} from '../../demo/session-payloads.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, ConnectionSummary } from '../../pipeline/events.ts';
import { replay } from '../testing.ts';
import { tlsDissector } from './dissector.ts';

describe('tls: the demo plant payloads', () => {
  it('ClientHello, the TLS 1.3 server flight, Finished and data: two events, then the session stops', () => {
    const prng = new Prng(5);
    const tx = [
      [0, 1, tlsClientHello(prng, 'dmz-hist-1.plant.example')],
      [1, 2, tlsServerFlight(prng, 2400)],
      [0, 3, tlsClientFinished(prng)],
      [0, 4, tlsApplicationData(prng, 30_000)],
    ] as const;
    for (const chunk of [undefined, 1, 7, 100, 1460]) {
      const ctx = replay(tlsDissector, tx, chunk);
      assert.equal(ctx.violations().length, 0);
      const [hello, server] = ctx.messages();
      assert.equal(ctx.messages().length, 2);
      assert.equal(hello['tls.handshake'], 'CLIENT_HELLO');
      assert.equal(hello['tls.version'], 'TLSv13');
      assert.equal(hello['tls.sni'], 'dmz-hist-1.plant.example');
      assert.deepEqual(hello['tls.alpn'], ['h2', 'http/1.1']);
      assert.equal(hello['tls.cipher_count'], 13);
      assert.equal(server['tls.handshake'], 'SERVER_HELLO');
      assert.equal(server['tls.version'], 'TLSv13');
      assert.equal(server['tls.cipher'], 'TLS_AES_256_GCM_SHA384');
      assert.equal(ctx.ignoredRest, true);
    }
  });
});

describe('tls: a demo capture through the pipeline', () => {
  let dir = '';
  let packets: TestPacket[];
  const events: AppEvent[] = [];
  const connections: ConnectionSummary[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zoneward-tls-'));
    const out = join(dir, 'plant.pcap');
    await writeDemoCapture({ out, packets: 40_000, seed: 12 });
    packets = readTestPcap(out);
    await decodeCaptureFile(
      out,
      { event: (e) => events.push(e), arp() {}, link() {}, connection: (c) => connections.push(c) },
      { dissectors: [tlsDissector] },
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Segments to or from port 443 whose payload starts a handshake record of the given message type. */
  const helloSegments = (type: number, fromServer: boolean) =>
    packets.filter((p) => {
      const t = p.tcp;
      if (!t || (fromServer ? t.srcPort : t.dstPort) !== 443) return false;
      return t.payload.length > 5 && t.payload[0] === 22 && t.payload[5] === type;
    });

  it('every ClientHello and ServerHello on port 443, with its SNI, and no violation', () => {
    const clientHellos = helloSegments(1, false);
    const serverHellos = helloSegments(2, true);
    assert.ok(clientHellos.length >= 3, `only ${clientHellos.length} ClientHellos in the capture`);
    const messages = events.filter((e) => e.kind === 'message' && e.conn.serverPort === 443);
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    assert.equal(
      messages.filter((e) => e.fields['tls.handshake'] === 'CLIENT_HELLO').length,
      clientHellos.length,
    );
    assert.equal(
      messages.filter((e) => e.fields['tls.handshake'] === 'SERVER_HELLO').length,
      serverHellos.length,
    );
    for (const e of messages) {
      if (e.fields['tls.handshake'] === 'CLIENT_HELLO')
        assert.match(e.fields['tls.sni'] as string, /^[a-z0-9-]+(\.[a-z0-9-]+)*$/);
    }
    // After a TLS 1.3 ServerHello nothing is readable: it is the last event of its connection.
    const byConnection = new Map<string, AppEvent[]>();
    for (const e of messages) byConnection.set(e.conn.uid, [...(byConnection.get(e.conn.uid) ?? []), e]);
    let tls13 = 0;
    for (const list of byConnection.values()) {
      const i = list.findIndex(
        (e) => e.fields['tls.handshake'] === 'SERVER_HELLO' && e.fields['tls.version'] === 'TLSv13',
      );
      if (i < 0) continue;
      tls13++;
      assert.equal(i, list.length - 1);
    }
    assert.ok(tls13 >= 1);
    const https = connections.filter((c) => c.conn.serverPort === 443 && c.packets[0] > 1);
    assert.ok(
      https.every((c) => c.app === 'tls'),
      'every HTTPS connection is counted under tls',
    );
  });
});
