// Golden test on a real capture: curl 7.88 against Node.js's http server (keep-alive, chunked and
// Content-Length bodies, 304, HEAD, 100-continue, six requests on one connection) and Python's
// http.server (HTTP/1.0, a connection per request), recorded by fixtures/record.sh. Every request
// and final response is compared with curl's own account of the transfer
// (fixtures/http-curl.expected.json). Ports 48080 and 48000 are not among our hints.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { httpDissector } from './dissector.ts';

const fixture = (name: string) => new URL(`fixtures/${name}`, import.meta.url).pathname;

interface Transfer {
  method: string;
  url: string;
  status: number;
  content_type: string;
  server: string;
  connects: number;
}

describe('http golden: curl against Node.js and Python', () => {
  it('every request and response as curl saw it', async () => {
    const expected = JSON.parse(readFileSync(fixture('http-curl.expected.json'), 'utf8'))
      .transfers as Transfer[];
    const events: AppEvent[] = [];
    await decodeCaptureFile(
      fixture('http-curl.pcap'),
      { event: (e) => events.push(e), arp() {}, link() {}, connection() {} },
      { dissectors: [httpDissector] },
    );
    assert.equal(events.filter((e) => e.kind === 'violation').length, 0);
    const requests = events.filter((e) => e.dir === 0);
    const finals = events.filter((e) => e.dir === 1 && (e.fields['http.status_code'] as number) >= 200);
    assert.equal(requests.length, expected.length);
    assert.equal(finals.length, expected.length);
    expected.forEach((x, i) => {
      const url = new URL(x.url);
      const req = requests[i];
      const resp = finals[i];
      const what = `${x.method} ${x.url}`;
      assert.equal(req.fields['http.method'], x.method, what);
      assert.equal(req.fields['http.uri'], url.pathname, what);
      assert.equal(req.fields['http.host'], url.host, what);
      assert.equal(req.fields['http.device.description'], req.fields['http.user_agent'], what);
      assert.equal(req.fields['http.operation'], x.method === 'POST' ? 'write' : 'read', what);
      assert.equal(resp.conn.uid, req.conn.uid, what);
      assert.equal(resp.fields['http.method'], x.method, what);
      assert.equal(resp.fields['http.uri'], url.pathname, what);
      assert.equal(resp.fields['http.status_code'], x.status, what);
      assert.equal(resp.fields['http.content_type'], x.content_type === '' ? null : x.content_type, what);
      assert.equal(resp.fields['http.server'], x.server, what);
      assert.equal(resp.fields['http.device.software'], x.server, what);
      assert.equal(resp.fields['http.error'], x.status >= 400 ? x.status : null, what);
    });
    // Connections: curl counts the new ones it opened.
    assert.equal(
      new Set(requests.map((e) => e.conn.uid)).size,
      expected.reduce((n, x) => n + x.connects, 0),
    );
    // Interim responses (100 Continue) answer the request whose final response follows them.
    for (const e of events.filter((x) => x.dir === 1 && (x.fields['http.status_code'] as number) < 200)) {
      const next = events.slice(events.indexOf(e) + 1).find((x) => x.dir === 1)!;
      assert.equal(next.fields['http.method'], e.fields['http.method']);
      assert.equal(next.fields['http.uri'], e.fields['http.uri']);
    }
  });
});
