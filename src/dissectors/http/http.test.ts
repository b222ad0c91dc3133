import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import { httpDissector, probeHttp } from './dissector.ts';
import { MAX_CONSECUTIVE_VIOLATIONS, MAX_HEADER_BLOCK } from './spec.ts';
import {
  CURL_USER_AGENT,
  EDGE_USER_AGENT,
  httpRequest,
  httpResponse,
  restWrite,
  wbmPageRequest,
  wbmPageResponse,
} from './testing.ts';

const text = (s: string) => new TextEncoder().encode(s);

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

const PLC = '192.0.2.51';
const LIGHTTPD = 'lighttpd/1.4.59';

/** [dir, method, status, extra] of every event, the shape most rows compare. */
function summary(ctx: RecordingContext): unknown[] {
  return ctx.events.map((e) =>
    e.kind === 'violation'
      ? ['violation', e.dir, e.reason]
      : [e.dir, e.fields['http.method'], e.fields['http.status_code']],
  );
}

describe('http: messages', () => {
  it('a browser fetching a page: request and response fields, identity on each side', () => {
    const ctx = replay(httpDissector, [
      [0, 1, wbmPageRequest(PLC)],
      [1, 1.01, wbmPageResponse(LIGHTTPD, 3000)],
    ]);
    const [req, resp] = ctx.messages();
    assert.deepEqual(req, {
      'http.method': 'GET',
      'http.uri': '/wbm/index.php',
      'http.version': '1.1',
      'http.host': PLC,
      'http.user_agent': EDGE_USER_AGENT,
      'http.status_code': null,
      'http.status_msg': null,
      'http.server': null,
      'http.content_type': null,
      'http.content_length': null,
      'http.error': null,
      'http.operation': 'read',
      'http.device.description': EDGE_USER_AGENT,
    });
    assert.deepEqual(resp, {
      'http.method': 'GET',
      'http.uri': '/wbm/index.php',
      'http.version': '1.1',
      'http.host': null,
      'http.user_agent': null,
      'http.status_code': 200,
      'http.status_msg': 'OK',
      'http.server': LIGHTTPD,
      'http.content_type': 'text/html; charset=UTF-8',
      'http.content_length': 3000,
      'http.error': null,
      'http.operation': 'read',
      'http.device.software': LIGHTTPD,
    });
    assert.equal(ctx.violations().length, 0);
  });

  const rows: { name: string; tx: Transmission[]; expect: unknown[] }[] = [
    {
      name: 'pipelined requests in one chunk, answered with Content-Length, chunked and 304',
      tx: [
        [
          0,
          1,
          concat(
            httpRequest({ uri: '/a', host: PLC }),
            httpRequest({ uri: '/b', host: PLC }),
            httpRequest({ uri: '/c', host: PLC, headers: ['If-None-Match: "5f3a"'] }),
          ),
        ],
        [
          1,
          2,
          concat(
            httpResponse({ server: 'Boa/0.94.13', body: 'x'.repeat(700) }),
            httpResponse({
              server: 'Boa/0.94.13',
              body: 'GET /fake HTTP/1.1\r\n\r\n'.repeat(40),
              chunkSize: 100,
            }),
            httpResponse({ status: 304, server: 'Boa/0.94.13' }),
          ),
        ],
      ],
      expect: [
        [0, 'GET', null],
        [0, 'GET', null],
        [0, 'GET', null],
        [1, 'GET', 200],
        [1, 'GET', 200],
        [1, 'GET', 304],
      ],
    },
    {
      name: 'HEAD: the response has a length and no body (RFC 9112 §6.3 rule 1)',
      tx: [
        [0, 1, httpRequest({ method: 'HEAD', uri: '/firmware.bin', host: PLC })],
        [1, 2, httpResponse({ server: LIGHTTPD, body: 'z'.repeat(5000), headOnly: true })],
        [0, 3, httpRequest({ uri: '/', host: PLC })],
        [1, 4, httpResponse({ server: LIGHTTPD, body: 'ok' })],
      ],
      expect: [
        [0, 'HEAD', null],
        [1, 'HEAD', 200],
        [0, 'GET', null],
        [1, 'GET', 200],
      ],
    },
    {
      name: 'a POST body that looks like a request is skipped, not parsed',
      tx: [
        [0, 1, restWrite(PLC, '/api/v1/setpoint', '{"note":"GET / HTTP/1.1\\r\\n\\r\\n","value":72.5}')],
        [0, 2, httpRequest({ method: 'PUT', uri: '/api/v1/mode', host: PLC, body: 'RUN', chunkSize: 2 })],
        [1, 3, httpResponse({ status: 204, server: LIGHTTPD })],
        [1, 4, httpResponse({ status: 200, server: LIGHTTPD, body: '{}', contentType: 'application/json' })],
      ],
      expect: [
        [0, 'POST', null],
        [0, 'PUT', null],
        [1, 'POST', 204],
        [1, 'PUT', 200],
      ],
    },
    {
      name: '100 Continue comes before the final answer to the same request',
      tx: [
        [
          0,
          1,
          httpRequest({
            method: 'POST',
            uri: '/upload',
            host: PLC,
            headers: ['Expect: 100-continue'],
            body: 'abc',
          }),
        ],
        [
          1,
          2,
          concat(
            httpResponse({ status: 100, noLength: true }),
            httpResponse({ status: 201, reason: 'Created', body: '' }),
          ),
        ],
        [0, 3, httpRequest({ uri: '/after', host: PLC })],
        [1, 4, httpResponse({ status: 404, body: 'none' })],
      ],
      expect: [
        [0, 'POST', null],
        [1, 'POST', 100],
        [1, 'POST', 201],
        [0, 'GET', null],
        [1, 'GET', 404],
      ],
    },
    {
      name: 'a response without a length lasts until the connection closes',
      tx: [
        [0, 1, httpRequest({ uri: '/log', host: PLC, version: '1.0' })],
        [1, 2, httpResponse({ server: 'GoAhead-Webs', body: 'HTTP/1.1 200 OK\r\n\r\n', noLength: true })],
        [1, 3, text('HTTP/1.1 500 looks like a response but is body\r\n\r\n')],
      ],
      expect: [
        [0, 'GET', null],
        [1, 'GET', 200],
      ],
    },
  ];
  for (const row of rows) {
    it(`${row.name}, in chunks of every size`, () => {
      const whole = replay(httpDissector, row.tx);
      assert.deepEqual(summary(whole), row.expect);
      const longest = Math.max(...row.tx.map(([, , b]) => b.length));
      for (let chunk = 1; chunk <= longest; chunk += chunk < 40 ? 1 : 37) {
        assert.deepEqual(summary(replay(httpDissector, row.tx, chunk)), row.expect, `chunk ${chunk}`);
      }
    });
  }

  it('errors: a 4xx/5xx status is the error field', () => {
    const ctx = replay(httpDissector, [
      [0, 1, httpRequest({ uri: '/admin', host: PLC, userAgent: CURL_USER_AGENT })],
      [
        1,
        2,
        httpResponse({
          status: 401,
          server: 'MoxaHttp/1.0',
          headers: ['WWW-Authenticate: Basic realm="NPort"'],
        }),
      ],
    ]);
    const resp = ctx.messages()[1];
    assert.equal(resp['http.error'], 401);
    assert.equal(resp['http.device.software'], 'MoxaHttp/1.0');
  });

  it('101 Switching Protocols and a CONNECT tunnel end the session (ignoreRest)', () => {
    const ws = replay(httpDissector, [
      [0, 1, httpRequest({ uri: '/ws', host: PLC, headers: ['Upgrade: websocket', 'Connection: Upgrade'] })],
      [
        1,
        2,
        concat(
          httpResponse({ status: 101, noLength: true, headers: ['Upgrade: websocket'] }),
          Uint8Array.of(0x81, 0x02, 0x68, 0x69),
        ),
      ],
      [0, 3, Uint8Array.of(0x81, 0x82, 1, 2, 3, 4, 5, 6)],
    ]);
    assert.deepEqual(summary(ws), [
      [0, 'GET', null],
      [1, 'GET', 101],
    ]);
    assert.equal(ws.ignoredRest, true);
    const tunnel = replay(httpDissector, [
      [
        0,
        1,
        httpRequest({
          method: 'CONNECT',
          uri: 'historian.plant.example:443',
          host: 'historian.plant.example:443',
        }),
      ],
      [0, 1.1, Uint8Array.of(0x16, 0x03, 0x01, 0x00, 0x05)],
      [1, 2, httpResponse({ status: 200, reason: 'Connection established', noLength: true })],
    ]);
    assert.deepEqual(summary(tunnel), [
      [0, 'CONNECT', null],
      [1, 'CONNECT', 200],
    ]);
    assert.equal(tunnel.ignoredRest, true);
    assert.equal(tunnel.messages()[0]['http.operation'], 'other');
  });
});

describe('http: violations and resynchronisation', () => {
  it(`a head longer than ${MAX_HEADER_BLOCK} bytes is a violation; the next request is found`, () => {
    const huge = httpRequest({ uri: '/', host: PLC, headers: [`Cookie: ${'a'.repeat(MAX_HEADER_BLOCK)}`] });
    for (const chunk of [undefined, 1000, 7]) {
      const ctx = replay(
        httpDissector,
        [
          [0, 1, huge],
          [0, 2, httpRequest({ uri: '/next', host: PLC })],
        ],
        chunk,
      );
      assert.deepEqual(
        ctx.events.map((e) => (e.kind === 'violation' ? e.reason : e.fields['http.uri'])),
        [`message head longer than ${MAX_HEADER_BLOCK} bytes`, '/next'],
        `chunk ${chunk}`,
      );
    }
  });

  it('malformed heads, lengths and chunks are violations, and decoding goes on', () => {
    const ctx = replay(httpDissector, [
      [0, 1, text('GET /no-version\r\nHost: x\r\n\r\n')],
      [0, 2, httpRequest({ uri: '/ok-1', host: PLC })],
      [0, 3, text('POST /x HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n')],
      [0, 4, httpRequest({ uri: '/ok-2', host: PLC })],
      [0, 5, text('POST /y HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')],
      [0, 6, httpRequest({ uri: '/ok-3', host: PLC })],
      [1, 7, text('HTTP/1.1 2OO OK\r\n\r\n')],
      [1, 8, httpResponse({ body: 'fine' })],
    ]);
    assert.deepEqual(
      ctx.events.map((e) =>
        e.kind === 'violation' ? e.reason : (e.fields['http.uri'] ?? e.fields['http.status_code']),
      ),
      [
        'request line has no HTTP version',
        '/ok-1',
        'invalid or conflicting Content-Length',
        '/ok-2',
        '/y',
        'malformed chunk size (RFC 9112 §7.1)',
        '/ok-3',
        'status code is not three digits from 100 to 599',
        '/ok-1',
      ],
    );
  });

  it('a gap inside a body keeps the framing; a gap in a head resynchronises', () => {
    const body = 'b'.repeat(4000);
    const response = httpResponse({ server: LIGHTTPD, body });
    const headLength = response.length - body.length;
    const ctx = new RecordingContext();
    const s = httpDissector.createSession(ctx);
    s.data(0, 1, concat(httpRequest({ uri: '/1', host: PLC }), httpRequest({ uri: '/2', host: PLC })));
    s.data(1, 2, response.subarray(0, headLength + 1000));
    s.gap(1, 2, 1500);
    s.data(1, 2, response.subarray(headLength + 2500));
    s.data(1, 3, httpResponse({ server: LIGHTTPD, body: 'second' }));
    s.data(0, 4, httpRequest({ uri: '/3', host: PLC }).subarray(0, 10));
    s.gap(0, 4, 20);
    s.data(0, 5, httpRequest({ uri: '/4', host: PLC }));
    assert.deepEqual(
      ctx.events.map((e) => [e.dir, e.fields['http.uri'], e.fields['http.status_code']]),
      [
        [0, '/1', null],
        [0, '/2', null],
        [1, '/1', 200],
        [1, '/2', 200],
        [0, '/4', null],
      ],
    );
  });

  it(`abandons after ${MAX_CONSECUTIVE_VIOLATIONS} violations in a row`, () => {
    const bad = text('GET /pot HTTP/9.9\r\n\r\n');
    const ctx = replay(
      httpDissector,
      Array.from({ length: 20 }, (_, i) => [0, i, bad] as const),
    );
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    assert.equal(ctx.abandoned.length, 1);
  });
});

describe('http: probe', () => {
  const rows: [string, 0 | 1, string, string][] = [
    ['a GET request line', 0, 'GET /index.html HTTP/1.1\r\nHost: a\r\n', 'yes'],
    ['a request line still coming', 0, 'GET /index.ht', 'maybe'],
    ['a method still coming', 0, 'PROPF', 'maybe'],
    ['an extension method', 0, 'M-SEARCH * HTTP/1.1\r\n', 'yes'],
    ['lower-case is not a method', 0, 'get / HTTP/1.1\r\n', 'no'],
    ['RTSP', 0, 'OPTIONS rtsp://cam/ RTSP/1.0\r\n', 'no'],
    ['HTTP/2 prior knowledge', 0, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'no'],
    ['SSH banner', 0, 'SSH-2.0-OpenSSH_9.6\r\n', 'no'],
    ['a status line', 1, 'HTTP/1.1 200 OK\r\n', 'yes'],
    ['a status line still coming', 1, 'HTTP/1.', 'maybe'],
    ['not a status line', 1, 'HTTP/2 200\r\n', 'no'],
    ['binary', 1, '\x16\x03\x01\x02\x00', 'no'],
  ];
  for (const [name, dir, bytes, verdict] of rows) {
    it(`${name}: ${verdict}`, () => assert.equal(probeHttp(dir, text(bytes)), verdict));
  }
});

describe('http: hostile input', () => {
  it('probes and sessions never throw on random or mutated bytes', () => {
    const seed = concat(
      wbmPageRequest(PLC),
      httpRequest({ method: 'PUT', uri: '/x', host: PLC, body: 'abcdef', chunkSize: 4 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }).map((edits) => {
            const b = Uint8Array.from(seed);
            for (const [at, v] of edits) b[at % b.length] = v;
            return b;
          }),
        ),
        fc.integer({ min: 1, max: 50 }),
        (bytes, chunk) => {
          probeHttp(0, bytes);
          probeHttp(1, bytes);
          replay(
            httpDissector,
            [
              [0, 0, bytes],
              [1, 0, bytes],
            ],
            chunk,
          );
        },
      ),
      { numRuns: 1500 },
    );
  });
});
