import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ZonewardError } from '../../errors.ts';
import type { Alert } from '../alert.ts';
import { AlertOutputs, parseOutputSpec } from './outputs.ts';
import { type AlertSink, zeroCounters } from './sink.ts';
import { alertFixture, parseCef, parseSyslog } from './testing.ts';

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A sink whose behaviour the test chooses. */
function fakeSink(name: string, behave: (alert: Alert) => Promise<void>): AlertSink & { got: Alert[] } {
  const got: Alert[] = [];
  const counters = zeroCounters();
  return {
    name,
    got,
    async send(alert) {
      await behave(alert);
      got.push(alert);
      counters.sent++;
    },
    async close() {},
    counters: () => ({ ...counters }),
  };
}

describe('parseOutputSpec', () => {
  const valid = [
    ['syslog+udp://127.0.0.1:5514', { kind: 'syslog', transport: 'udp', host: '127.0.0.1', port: 5514 }],
    [
      'syslog+tcp://siem.example:6514?facility=local7',
      { kind: 'syslog', transport: 'tcp', host: 'siem.example', port: 6514, facility: 'local7' },
    ],
    ['syslog+udp://[::1]:514', { kind: 'syslog', transport: 'udp', host: '::1', port: 514 }],
    ['ecs:/var/log/zw.ndjson', { kind: 'ecs', path: '/var/log/zw.ndjson' }],
    ['jsonl:-', { kind: 'jsonl', path: '-' }],
    ['https://hooks.example/zw?k=1', { kind: 'webhook', url: 'https://hooks.example/zw?k=1' }],
  ] as const;
  for (const [text, spec] of valid) {
    it(`reads ${text}`, () => assert.deepEqual(parseOutputSpec(text), spec));
  }
  const invalid = [
    ['syslog+udp://127.0.0.1', /host and a port/],
    ['syslog+tcp://127.0.0.1:70000', /./],
    ['syslog+udp://h:514?facility=nope', /unknown facility "nope"/],
    ['ecs:', /file name/],
    ['ftp://x', /unknown kind/],
    ['alerts.json', /unknown kind/],
  ] as const;
  for (const [text, why] of invalid) {
    it(`rejects ${text}`, () => {
      assert.throws(
        () => parseOutputSpec(text),
        (e: unknown) => e instanceof ZonewardError && e.code === 'ZW_USAGE' && why.test(e.message),
      );
    });
  }
});

describe('AlertOutputs fan-out', () => {
  it('a stalled output and a broken output do not hold back a healthy one', async () => {
    const problems: Array<[string, string]> = [];
    const healthy = fakeSink('healthy', async () => {});
    const stalled = fakeSink('stalled', () => new Promise(() => {}));
    const broken = fakeSink('broken', async () => {
      throw new Error('disk full');
    });
    const outputs = new AlertOutputs([() => healthy, () => stalled, () => broken], {
      onProblem: (name, reason) => problems.push([name, reason]),
      queueLimit: 2,
    });
    for (let n = 0; n < 5; n++) {
      outputs.send(alertFixture({ id: `a${n}` }));
      await new Promise((r) => setImmediate(r)); // the healthy output keeps up
    }
    await waitFor(() => healthy.got.length === 5);
    const [h, s, b] = outputs.status();
    assert.deepEqual(h, {
      name: 'healthy',
      state: 'ok',
      reason: null,
      counters: { ...zeroCounters(), sent: 5 },
    });
    // The stalled one holds a0 in send() and 2 in its queue; a3 and a4 overflowed.
    assert.equal(s.counters.dropped, 2);
    assert.equal(s.state, 'ok');
    assert.equal(b.state, 'failed');
    assert.equal(b.reason, 'disk full');
    assert.equal(b.counters.dropped, 4, 'after failing, the broken output gets nothing more');
    assert.deepEqual(problems, [['broken', 'disk full']], 'reported once');
    outputs.send(alertFixture({ id: 'late' }));
    await waitFor(() => healthy.got.length === 6);
    assert.deepEqual(problems.length, 1);
    await outputs.close(50);
    // a3, a4 and `late` overflowed; close() drops a1 and a2, still queued (a0 is the sink's own business).
    assert.equal(outputs.status()[1].counters.dropped, 5, 'close() drops what the stalled output never took');
  });

  it('sends one alert to syslog, ECS and a webhook opened from specs, reporting a dead webhook once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zw-out-'));
    const udp = dgram.createSocket('udp4');
    const datagrams: Buffer[] = [];
    udp.on('message', (m) => datagrams.push(m));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    const bodies: string[] = [];
    const web = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        bodies.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', () => r()));
    const problems: Array<[string, string]> = [];
    const ecsPath = join(dir, 'alerts.ndjson');
    const outputs = AlertOutputs.open(
      [
        `syslog+udp://127.0.0.1:${udp.address().port}`,
        `ecs:${ecsPath}`,
        `http://127.0.0.1:${(web.address() as AddressInfo).port}/hook`,
        'ecs:/nonexistent-dir/zw/x.ndjson',
      ],
      { onProblem: (name, reason) => problems.push([name, reason]) },
    );
    try {
      outputs.send(alertFixture({ summary: 'fan|out=ok' }));
      outputs.send(alertFixture({ id: 'second' }));
      await waitFor(() => datagrams.length === 2 && bodies.length === 2);
      await outputs.close(1000);
      assert.equal(parseCef(parseSyslog(datagrams[0]).msg).header[5], 'fan|out=ok');
      assert.deepEqual(
        bodies.map((b) => JSON.parse(b).id),
        ['a-7f3c2e', 'second'],
      );
      const ecs = readFileSync(ecsPath, 'utf8').trim().split('\n');
      assert.equal(ecs.length, 2);
      assert.equal(JSON.parse(ecs[0]).message, 'fan|out=ok');
      assert.equal(problems.length, 1);
      assert.equal(problems[0][0], 'ecs:/nonexistent-dir/zw/x.ndjson');
      assert.match(problems[0][1], /ENOENT/);
      assert.deepEqual(
        outputs.status().map((s) => [s.state, s.counters.sent]),
        [
          ['ok', 2],
          ['ok', 2],
          ['ok', 2],
          ['failed', 0],
        ],
      );
    } finally {
      udp.close();
      web.closeAllConnections();
      web.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses every bad spec before opening anything', () => {
    assert.throws(() => AlertOutputs.open(['ecs:/tmp/x', 'bogus']), /bogus/);
  });
});
