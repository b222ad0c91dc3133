import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { alertLine } from '../alert.ts';
import { alertFixture } from './testing.ts';
import { backoffDelay, parseRetryAfter, WebhookSink } from './webhook.ts';

interface Hit {
  at: number;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A real HTTP server on 127.0.0.1 answering each request with `reply(n)` (n counts from 0). */
async function server(reply: (n: number, res: http.ServerResponse) => void) {
  const hits: Hit[] = [];
  const srv = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => {
      hits.push({ at: performance.now(), body: Buffer.concat(parts).toString('utf8'), headers: req.headers });
      reply(hits.length - 1, res);
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/hook`;
  const close = async () => {
    srv.closeAllConnections();
    await new Promise<void>((r) => srv.close(() => r()));
  };
  return { hits, url, close };
}

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('webhook', () => {
  it('retries 503 twice with exponential backoff, then delivers', async () => {
    const s = await server((n, res) => {
      res.statusCode = n < 2 ? 503 : 204;
      res.end();
    });
    const base = 40;
    const sink = new WebhookSink({ url: s.url, baseDelayMs: base, maxDelayMs: 1000 });
    try {
      const alert = alertFixture();
      await sink.send(alert);
      await waitFor(() => sink.counters().sent === 1);
      assert.equal(s.hits.length, 3);
      for (const hit of s.hits) {
        assert.equal(hit.body, alertLine(alert));
        assert.equal(hit.headers['content-type'], 'application/json');
      }
      // Equal jitter: retry 1 waits in [base/2, base], retry 2 in [base, 2·base] (+ scheduling slack).
      const gap1 = s.hits[1].at - s.hits[0].at;
      const gap2 = s.hits[2].at - s.hits[1].at;
      assert.ok(gap1 >= base / 2 - 2 && gap1 < base + 60, `gap1 ${gap1}`);
      assert.ok(gap2 >= base - 2 && gap2 < 2 * base + 60, `gap2 ${gap2}`);
      assert.deepEqual(sink.counters(), { sent: 1, failed: 0, dropped: 0, truncated: 0 });
    } finally {
      await sink.close(500);
      await s.close();
    }
  });

  it('honours Retry-After on 429 (capped by the named maximum)', async () => {
    const s = await server((n, res) => {
      res.statusCode = n === 0 ? 429 : 200;
      if (n === 0) res.setHeader('retry-after', '30');
      res.end();
    });
    const sink = new WebhookSink({ url: s.url, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 120 });
    try {
      await sink.send(alertFixture());
      await waitFor(() => sink.counters().sent === 1);
      const gap = s.hits[1].at - s.hits[0].at;
      assert.ok(gap >= 118, `waited ${gap} ms, Retry-After asked for more than the 120 ms cap`);
    } finally {
      await sink.close(500);
      await s.close();
    }
  });

  it('does not retry other 4xx and reports the reason', async () => {
    const s = await server((_, res) => {
      res.statusCode = 400;
      res.end();
    });
    const problems: string[] = [];
    const sink = new WebhookSink({ url: s.url, baseDelayMs: 1, onProblem: (r) => problems.push(r) });
    try {
      await sink.send(alertFixture());
      await waitFor(() => sink.counters().failed === 1);
      await new Promise((r) => setTimeout(r, 30));
      assert.equal(s.hits.length, 1);
      assert.deepEqual(problems, [`http://127.0.0.1:${new URL(s.url).port}/hook: HTTP 400`]);
    } finally {
      await sink.close(500);
      await s.close();
    }
  });

  it('times out a server that never answers, retries, then gives up', async () => {
    const s = await server(() => {}); // never responds
    const problems: string[] = [];
    const sink = new WebhookSink({
      url: s.url,
      timeoutMs: 50,
      maxAttempts: 2,
      baseDelayMs: 1,
      onProblem: (r) => problems.push(r),
    });
    try {
      const started = performance.now();
      await sink.send(alertFixture());
      await waitFor(() => sink.counters().failed === 1);
      const elapsed = performance.now() - started;
      assert.equal(s.hits.length, 2);
      assert.ok(elapsed >= 98 && elapsed < 1000, `elapsed ${elapsed}`);
      assert.match(problems[0], /no response within 50 ms after 2 attempts/);
    } finally {
      await sink.close(500);
      await s.close();
    }
  });

  it('retries network errors (nothing listening)', async () => {
    const s = await server(() => {});
    const url = s.url;
    await s.close();
    const problems: string[] = [];
    const sink = new WebhookSink({ url, maxAttempts: 3, baseDelayMs: 1, onProblem: (r) => problems.push(r) });
    await sink.send(alertFixture());
    await waitFor(() => sink.counters().failed === 1);
    assert.match(problems[0], /ECONNREFUSED.*after 3 attempts/);
    await sink.close(100);
  });

  it('bounds its queue, counts overflow, and close() drops what misses the deadline', async () => {
    const s = await server(() => {}); // holds every request
    const sink = new WebhookSink({ url: s.url, queueLimit: 2, timeoutMs: 10_000 });
    try {
      for (let n = 0; n < 5; n++) await sink.send(alertFixture({ id: `a${n}` }));
      assert.equal(sink.counters().dropped, 3);
      const started = performance.now();
      await sink.close(80);
      const took = performance.now() - started;
      assert.ok(took >= 78 && took < 1000, `close took ${took}`);
      assert.deepEqual(sink.counters(), { sent: 0, failed: 0, dropped: 5, truncated: 0 });
      await sink.send(alertFixture());
      assert.equal(sink.counters().dropped, 6, 'closed sink drops');
    } finally {
      await s.close();
    }
  });

  it('close() flushes the queue when the server is healthy', async () => {
    const s = await server((_, res) => res.end());
    const sink = new WebhookSink({ url: s.url });
    try {
      for (let n = 0; n < 4; n++) await sink.send(alertFixture({ id: `a${n}` }));
      await sink.close(2000);
      assert.equal(sink.counters().sent, 4);
      assert.deepEqual(
        s.hits.map((h) => JSON.parse(h.body).id),
        ['a0', 'a1', 'a2', 'a3'],
      );
    } finally {
      await s.close();
    }
  });

  it('computes backoff bounds and parses Retry-After', () => {
    assert.equal(
      backoffDelay(1, 100, 1000, () => 0),
      50,
    );
    assert.equal(
      backoffDelay(1, 100, 1000, () => 0.999_999),
      99.99995,
    );
    assert.equal(
      backoffDelay(3, 100, 1000, () => 0),
      200,
    );
    assert.equal(
      backoffDelay(10, 100, 1000, () => 1),
      1000,
      'capped at the maximum',
    );
    assert.equal(parseRetryAfter('7'), 7000);
    assert.equal(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
      10_000,
    );
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(undefined), null);
  });
});
