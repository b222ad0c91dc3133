// Golden test on a real capture: dig (BIND 9.18) querying dnsmasq 2.90 over UDP and TCP on
// loopback (fixtures/record.sh). The capture goes through the real pipeline, and every response is
// compared with dig's own reading of it (fixtures/dns-dig-dnsmasq.expected.json): the queried
// name and type, the rcode and each answer record. The server listens on port 5300, no hint of
// ours: the probes find DNS from the bytes alone.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { dnsDissector, dnsTcpDissector } from './dissector.ts';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;

interface Exchange {
  transport: 'udp' | 'tcp';
  query: string;
  qtype: string;
  rcode: string;
  answers: string[];
}

/**
 * dig prints names fully qualified with the root's trailing dot (RFC 1035 §5.1 master-file form);
 * our fields leave it out, as Zeek's dns.log does. Only the dots that end names are removed.
 */
function withoutRootDots(answer: string): string {
  return answer.replace(/\.(?=\s|$)/g, '');
}

describe('dns golden: dig against dnsmasq', () => {
  it('every query and response, field by field as dig read them', async () => {
    const expected = JSON.parse(readFileSync(fixture('dns-dig-dnsmasq.expected.json'), 'utf8'))
      .exchanges as Exchange[];
    const events: AppEvent[] = [];
    const result = await decodeCaptureFile(
      fixture('dns-dig-dnsmasq.pcap'),
      { event: (e) => events.push(e), arp() {}, link() {}, connection() {} },
      { dissectors: [dnsDissector, dnsTcpDissector] },
    );
    assert.equal(result.capture.warnings.length, 0);
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    const queries = events.filter((e) => e.fields['dns.qr'] === false);
    const responses = events.filter((e) => e.fields['dns.qr'] === true);
    assert.equal(queries.length, expected.length);
    assert.equal(responses.length, expected.length);
    responses.forEach((e, i) => {
      const x = expected[i];
      const what = `${x.transport} ${x.query} ${x.qtype}`;
      assert.equal(e.app, 'dns', what);
      assert.equal(e.dir, 1, what);
      assert.equal(e.fields['dns.kind'], 'dns', what);
      assert.equal(e.fields['dns.query'], x.query, what);
      assert.equal(e.fields['dns.qtype'], x.qtype, what);
      assert.equal(e.fields['dns.rcode'], x.rcode, what);
      assert.equal(e.fields['dns.error'], x.rcode === 'NOERROR' ? null : x.rcode, what);
      assert.deepEqual(e.fields['dns.answers'], x.answers.map(withoutRootDots), what);
      // The query with the same id came first, from the client.
      const q = queries[i];
      assert.equal(q.fields['dns.id'], e.fields['dns.id'], what);
      assert.equal(q.fields['dns.query'], x.query, what);
      assert.equal(q.dir, 0, what);
    });
  });
});
