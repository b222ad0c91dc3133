import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { alertLine } from '../alert.ts';
import { ecsDocument, ecsFileSink, ecsSink } from './ecs.ts';
import { jsonlSink } from './jsonl.ts';
import { alertFixture } from './testing.ts';

describe('ECS documents', () => {
  it('fills the ECS 8.x fields field by field', () => {
    const doc = JSON.parse(JSON.stringify(ecsDocument(alertFixture())));
    assert.equal(doc['@timestamp'], '2023-11-14T22:13:20.123Z');
    assert.equal(doc.ecs.version, '8.11.0');
    assert.equal(doc.message, 'S7 block download to PLC 192.0.2.10 from 192.0.2.101');
    assert.equal(doc.event.kind, 'alert');
    assert.deepEqual(doc.event.category, ['intrusion_detection', 'network']);
    assert.deepEqual(doc.event.type, ['info']);
    assert.equal(doc.event.severity, 8);
    assert.equal(typeof doc.event.severity, 'number');
    assert.equal(doc.event.id, 'a-7f3c2e');
    assert.equal(doc.event.start, '2023-11-14T22:13:20.123Z');
    assert.equal(doc.event.end, '2023-11-14T22:13:22.500Z');
    assert.equal(doc.rule.name, 'program-download');
    assert.equal(doc.threat.framework, 'MITRE ATT&CK for ICS');
    assert.deepEqual(doc.threat.technique.id, ['T0843']);
    assert.deepEqual(doc.threat.technique.name, ['Program Download']);
    assert.deepEqual(doc.threat.technique.reference, ['https://attack.mitre.org/techniques/T0843/']);
    assert.deepEqual(doc.source, { ip: '192.0.2.101', address: '192.0.2.101' });
    assert.deepEqual(doc.destination, { ip: '192.0.2.10', address: '192.0.2.10' });
    assert.deepEqual(doc.related.ip, ['192.0.2.101', '192.0.2.10']);
    assert.deepEqual(doc.labels, { zoneward_severity: 'high', zoneward_state: 'open' });
    assert.equal(doc.zoneward.alert.count, 3);
    assert.deepEqual(doc.zoneward.alert.assets, ['asset-ews', 'asset-plc1']);
    assert.equal(doc.zoneward.alert.evidence[0].detail, 'S7 DOWNLOAD_BLOCK OB1');
    // Labels hold keywords only and no dotted keys (ECS "labels").
    for (const [k, v] of Object.entries(doc.labels)) {
      assert.doesNotMatch(k, /\./);
      assert.equal(typeof v, 'string');
    }
  });

  it('uses .mac in ECS format for link-layer findings and omits absent endpoints', () => {
    const doc = JSON.parse(
      JSON.stringify(ecsDocument(alertFixture({ src: '00:1b:1b:aa:bb:cc', dst: null }))),
    );
    assert.deepEqual(doc.source, { mac: '00-1B-1B-AA-BB-CC', address: '00-1B-1B-AA-BB-CC' });
    assert.equal(doc.destination, undefined);
    assert.equal(doc.related, undefined);
  });

  it('writes NDJSON to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zw-ecs-'));
    try {
      const path = join(dir, 'alerts.ndjson');
      const sink = ecsFileSink(path);
      await sink.send(alertFixture({ id: 'one' }));
      await sink.send(alertFixture({ id: 'two', summary: 'line\nbreak' }));
      await sink.close();
      const lines = readFileSync(path, 'utf8').split('\n');
      assert.equal(lines.length, 3);
      assert.equal(lines[2], '');
      assert.deepEqual(
        lines.slice(0, 2).map((l) => JSON.parse(l).event.id),
        ['one', 'two'],
      );
      assert.equal(JSON.parse(lines[1]).message, 'line\nbreak');
      assert.equal(sink.counters().sent, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects after a file cannot be opened, without crashing', async () => {
    const sink = ecsFileSink('/nonexistent-dir/zw/alerts.ndjson');
    await assert.rejects(sink.send(alertFixture()), /ENOENT/);
    await assert.rejects(sink.send(alertFixture()), /ENOENT/);
    assert.equal(sink.counters().failed, 2);
  });
});

describe('JSONL sink', () => {
  it('writes alertLine(alert) and a newline', async () => {
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (d) => parts.push(d));
    const sink = jsonlSink(out);
    const alert = alertFixture();
    await sink.send(alert);
    assert.equal(Buffer.concat(parts).toString(), `${alertLine(alert)}\n`);
    assert.equal(ecsSink(out).name, 'ecs');
  });

  it('waits for drain when the stream is full', async () => {
    let release: (() => void) | null = null;
    const out = new Writable({
      highWaterMark: 16,
      write(_chunk, _enc, done) {
        release = done; // the consumer stalls until released
      },
    });
    const sink = jsonlSink(out);
    let settled = false;
    const sending = sink.send(alertFixture()).then(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(settled, false, 'send() waits while the stream is over its high-water mark');
    release!();
    await sending;
    assert.equal(settled, true);
    assert.equal(sink.counters().sent, 1);
  });
});
