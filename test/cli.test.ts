// The `zoneward` command as a user runs it: real files, real SQLite and PostgreSQL stores, exit
// codes and messages. Captures come from ../shared/captures and from the demo generator.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const shared = new URL('../../shared/captures/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'zw-cli-'));

function zw(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/zoneward.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ZONEWARD_DATABASE_URL: '', ...env },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const demo = join(dir, 'demo.pcap');
const demo2 = join(dir, 'demo-seed2.pcap');

before(() => {
  assert.equal(zw(['demo-capture', '--out', demo, '--packets', '40000', '--seed', '1']).code, 0);
  assert.equal(zw(['demo-capture', '--out', demo2, '--packets', '20000', '--seed', '2']).code, 0);
});

describe('zoneward: help and usage', () => {
  it('explains itself', () => {
    const r = zw(['--help']);
    assert.equal(r.code, 0);
    for (const c of ['discover', 'decode', 'assets', 'flows', 'asset', 'demo-capture', 'start'])
      assert.match(r.stdout, new RegExp(`\\b${c}\\b`));
    assert.match(zw(['discover', '--help']).stdout, /Exit status: 0 done, 1 a capture was damaged/);
  });

  it('exits 2 on usage errors with a clear message', () => {
    const unknown = zw(['discover', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown option '--bogus'/);
    const none = zw(['discover']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /ZW_USAGE.*name at least one capture file/);
    assert.equal(zw(['discover', join(dir, 'missing.pcap')]).code, 2);
    assert.equal(zw(['assets', '--role', 'toaster']).code, 2);
    assert.equal(zw(['decode', demo, '--format', 'xml']).code, 2);
  });
});

describe('zoneward decode', () => {
  it('prints one JSON object per Modbus message with the contract fields', () => {
    const r = zw(['decode', join(shared, 'modbus/modbus_example.pcap'), '--format', 'jsonl']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const modbus = lines.filter((l) => l.app === 'modbus' && l.kind === 'message');
    assert.ok(modbus.length >= 46);
    for (const l of modbus) {
      for (const k of [
        'ts',
        'src',
        'sport',
        'dst',
        'dport',
        'proto',
        'modbus.func',
        'modbus.unit',
        'modbus.pdu_type',
      ])
        assert.ok(k in l, k);
    }
    assert.deepEqual(
      { src: modbus[0].src, dport: modbus[0].dport, proto: modbus[0].proto, func: modbus[0]['modbus.func'] },
      { src: '127.0.0.1', dport: 502, proto: 'tcp', func: 'READ_COILS' },
    );
  });

  it('decodes a truncated capture up to the damage, says where, and exits 1', () => {
    const whole = readFileSync(join(shared, 'modbus/modbus_example.pcap'));
    const cut = join(dir, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 30));
    const r = zw(['decode', cut]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /ZW_CAPTURE_TRUNCATED.*the packet record at byte \d+ needs \d+ bytes but the file ends after \d+/,
    );
    assert.ok(r.stdout.trim().split('\n').length > 40, 'messages before the damage are printed');
  });

  it('refuses files that are not captures, and empty files, precisely', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a capture\n');
    const a = zw(['decode', text]);
    assert.equal(a.code, 1);
    assert.match(
      a.stderr,
      /ZW_CAPTURE_NOT_A_CAPTURE.*not a pcap or pcapng capture \(it looks like a text file\)/,
    );
    const empty = join(dir, 'empty.pcap');
    writeFileSync(empty, '');
    const b = zw(['decode', empty]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /ZW_CAPTURE_EMPTY/);
  });
});

describe('zoneward discover with the embedded store', () => {
  const db = join(dir, 'plant.db');

  it('prints one JSON document with stats, assets and flows', () => {
    const r = zw(['discover', demo, '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      stats: { frames: number; alreadyStored: boolean };
      assets: Record<string, unknown>[];
      flows: unknown[];
    };
    assert.equal(doc.stats.frames, 40000);
    assert.equal(doc.stats.alreadyStored, false);
    assert.ok(doc.assets.length >= 25);
    assert.ok(doc.flows.length > 20);
    for (const a of doc.assets) {
      for (const k of [
        'ip',
        'mac',
        'vendor',
        'model',
        'firmware',
        'serial',
        'name',
        'role',
        'purdueLevel',
        'protocols',
        'evidence',
      ])
        assert.ok(k in a, k);
    }
    const plc = doc.assets.find((a) => a.ip === '192.0.2.11');
    assert.equal(plc?.role, 'plc');
    assert.equal(plc?.purdueLevel, 'L1');
  });

  it('changes nothing when the same capture is discovered again', () => {
    const before = zw(['assets', '--json', '--db', db]).stdout;
    const flowsBefore = zw(['flows', '--json', '--db', db]).stdout;
    const r = zw(['discover', demo, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /already discovered earlier, store unchanged/);
    assert.equal(zw(['assets', '--json', '--db', db]).stdout, before);
    assert.equal(zw(['flows', '--json', '--db', db]).stdout, flowsBefore);
  });

  it('merges a new capture into what is stored', () => {
    const flowsBefore = JSON.parse(zw(['flows', '--json', '--db', db]).stdout) as {
      id: string;
      packets: number;
    }[];
    assert.equal(zw(['discover', demo2, '--db', db]).code, 0);
    const flowsAfter = JSON.parse(zw(['flows', '--json', '--db', db]).stdout) as {
      id: string;
      packets: number;
    }[];
    const scada = (fs: typeof flowsBefore) =>
      fs.find((f) => f.id === 'tcp|192.0.2.100|192.0.2.11|502|modbus')!.packets;
    assert.ok(scada(flowsAfter) > scada(flowsBefore), 'counters add up');
  });

  it("keeps a person's corrections through later discoveries", () => {
    const set = zw([
      'asset',
      '192.0.2.62',
      '--role',
      'network-device',
      '--name',
      'power-meter-gateway',
      '--db',
      db,
    ]);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /role\s+network-device \(100%\)/);
    const copy = join(dir, 'demo-copy-seed3.pcap');
    assert.equal(zw(['demo-capture', '--out', copy, '--packets', '20000', '--seed', '3']).code, 0);
    assert.equal(zw(['discover', copy, '--db', db]).code, 0);
    const a = JSON.parse(zw(['asset', '192.0.2.62', '--json', '--db', db]).stdout) as {
      role: string;
      name: string;
      overrides: object;
    };
    assert.equal(a.role, 'network-device');
    assert.equal(a.name, 'power-meter-gateway');
    assert.equal(zw(['asset', '192.0.2.62', '--clear', '--db', db]).code, 0);
    const cleared = JSON.parse(zw(['asset', '192.0.2.62', '--json', '--db', db]).stdout) as {
      role: string;
      overrides: object;
    };
    assert.deepEqual(cleared.overrides, {});
    assert.equal(cleared.role, 'plc');
  });

  it('gives the same inventory and flows on two threads as on one', () => {
    const one = join(dir, 'one-thread.db');
    const two = join(dir, 'two-threads.db');
    assert.equal(zw(['discover', demo, '--db', one]).code, 0);
    const r = zw(['discover', demo, '--db', two, '--threads', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(zw(['assets', '--json', '--db', two]).stdout, zw(['assets', '--json', '--db', one]).stdout);
    assert.equal(zw(['flows', '--json', '--db', two]).stdout, zw(['flows', '--json', '--db', one]).stdout);
  });

  it('prints tab-separated tables when piped', () => {
    const r = zw(['assets', '--db', db, '--level', 'L1']);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'IP\tMAC\tVENDOR\tMODEL\tFIRMWARE\tNAME\tROLE\tLEVEL\tPROTOCOLS');
    assert.ok(lines.length >= 13);
    assert.ok(lines.slice(1).every((l) => l.split('\t').length === 9 && l.includes('\tL1\t')));
  });

  it('reports a damaged capture, keeps what came before, and exits 1', () => {
    const cut = join(dir, 'demo-cut.pcap');
    const whole = readFileSync(demo2);
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const r = zw(['discover', cut, '--db', join(dir, 'damaged.db'), '--json']);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as {
      stats: { damage: { code: string; offset: number }; frames: number };
      assets: unknown[];
    };
    assert.equal(doc.stats.damage.code, 'ZW_CAPTURE_TRUNCATED');
    assert.ok(doc.stats.frames > 1000 && doc.assets.length > 10);
    assert.match(r.stderr, /everything before byte \d+ was decoded/);
  });
});

describe('zoneward discover on PostgreSQL (ZONEWARD_DATABASE_URL)', () => {
  const name = `zw_cli_${process.pid}`;
  const psql = (sql: string) =>
    execFileSync(
      'psql',
      ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'test', '-v', 'ON_ERROR_STOP=1', '-c', sql],
      { stdio: 'pipe' },
    );
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;

  before(() => psql(`CREATE DATABASE ${name}`));
  after(() => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('stores and lists the same inventory as SQLite', () => {
    const db = join(dir, 'compare.db');
    assert.equal(zw(['discover', demo2, '--db', db]).code, 0);
    const r = zw(['discover', demo2], { ZONEWARD_DATABASE_URL: url });
    assert.equal(r.code, 0, r.stderr);
    const fromPg = zw(['assets', '--json'], { ZONEWARD_DATABASE_URL: url });
    assert.equal(fromPg.code, 0, fromPg.stderr);
    assert.equal(fromPg.stdout, zw(['assets', '--json', '--db', db]).stdout);
    assert.equal(
      zw(['flows', '--json'], { ZONEWARD_DATABASE_URL: url }).stdout,
      zw(['flows', '--json', '--db', db]).stdout,
    );
    // And a second discovery of the same capture changes nothing there either.
    assert.match(zw(['discover', demo2], { ZONEWARD_DATABASE_URL: url }).stderr, /store unchanged/);
  });

  it('says which database it could not reach, without the password', () => {
    const r = zw(['assets'], { ZONEWARD_DATABASE_URL: 'postgres://zw:secret@127.0.0.1:5999/nope' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /127\.0\.0\.1:5999/);
    assert.doesNotMatch(r.stderr, /secret/);
  });
});

describe('npm start (the main job)', () => {
  it('writes the demo, discovers it and prints the inventory by Purdue level', () => {
    const work = mkdtempSync(join(tmpdir(), 'zw-start-'));
    copyFileSync(join(root, 'package.json'), join(work, 'package.json'));
    const r = spawnSync(process.execPath, [join(root, 'bin/zoneward.js'), 'start', '--packets', '30000'], {
      cwd: work,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Inventory by Purdue level/);
    // 17 controllers of the plant and the 4 devices behind its Modbus gateway and BACnet router.
    assert.match(r.stdout, /L1 basic control \(PLC, RTU, IED\): 21 assets/);
    assert.match(r.stdout, /Communication summary/);
    assert.match(r.stdout, /modbus \(tcp\/502\)/);
  });
});

describe('zoneward alerts and alert', () => {
  const db = join(dir, 'alerts.db');
  const alert = {
    id: 'f00d',
    ts: 1772431300,
    severity: 'critical',
    category: 'program-download',
    technique: 'T0843',
    techniqueName: 'Program Download',
    src: '192.0.2.110',
    dst: '192.0.2.22',
    assets: [],
    summary: 'ews-1 downloaded a program block to plc-palletizer',
    evidence: [{ ts: 1772431300, detail: 'S7comm REQUEST_DOWNLOAD OB 1' }],
    firstSeen: 1772431300,
    lastSeen: 1772431301,
    count: 2,
    state: 'open',
  };

  before(async () => {
    // Stored as `monitor` stores them: through the store's own API, into a real SQLite file.
    const { openStore } = await import('../src/store/store.ts');
    const store = await openStore({ db });
    await store.transaction((tx) => tx.upsertAlerts([alert as never]));
    await store.close();
  });

  it('lists alerts as JSON and as tab-separated text', () => {
    const json = zw(['alerts', '--db', db, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [alert]);
    const tsv = zw(['alerts', '--db', db, '--severity', 'high']);
    assert.match(tsv.stdout.split('\n')[0], /^LAST SEEN\tSEVERITY\tCATEGORY\tTECHNIQUE/);
    assert.match(tsv.stdout, /program-download\tT0843\t192\.0\.2\.110\t192\.0\.2\.22\t2\topen\tf00d/);
    assert.equal(zw(['alerts', '--db', db, '--state', 'closed', '--json']).stdout.trim(), '[]');
    assert.equal(zw(['alerts', '--db', db, '--severity', 'apocalyptic']).code, 2);
  });

  it('records who acknowledged and suppressed an alert, and why; refuses an action without them', () => {
    const refused = zw(['alert', 'f00d', '--db', db, '--ack']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--by NAME and --why TEXT/);
    assert.equal(zw(['alert', 'f00d', '--db', db, '--ack', '--by', 'j.doe', '--why', 'on it']).code, 0);
    const suppressed = zw([
      'alert',
      'f00d',
      '--db',
      db,
      '--suppress',
      '8h',
      '--by',
      'j.doe',
      '--why',
      'planned download',
    ]);
    assert.equal(suppressed.code, 0, suppressed.stderr);
    assert.match(suppressed.stdout, /acknowledge by j\.doe: on it/);
    assert.match(suppressed.stdout, /suppress by j\.doe: planned download/);
    assert.match(suppressed.stdout, /CRITICAL program-download \(T0843 Program Download\), closed/);
    assert.equal(zw(['alert', 'nope', '--db', db]).code, 2);
  });
});

describe('zoneward monitor and baseline', () => {
  const snap7 = join(shared, 's7comm/snap7.pcap');
  const db = join(dir, 'monitor.db');

  it('raises program alerts on the S7 block upload and download of snap7.pcap without any baseline', () => {
    const r = zw(['monitor', snap7, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no baseline: rule-based detections only/);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // Every line is one alert object with the contract's keys first, in order.
    for (const a of alerts) {
      assert.deepEqual(Object.keys(a).slice(0, 9), [
        'id',
        'ts',
        'severity',
        'category',
        'technique',
        'src',
        'dst',
        'summary',
        'evidence',
      ]);
    }
    const byCategory = new Map(alerts.map((a) => [a.category, a]));
    assert.equal(byCategory.get('program-download')?.technique, 'T0843');
    assert.equal(byCategory.get('program-upload')?.technique, 'T0845');
    assert.equal(byCategory.get('program-upload')?.src, '134.217.61.131');
    const stored = JSON.parse(zw(['alerts', '--db', db, '--json']).stdout);
    assert.ok(stored.some((a: { category: string }) => a.category === 'program-download'));
  });

  it('learning a capture and monitoring the same capture raises nothing', () => {
    const baseline = join(dir, 'snap7.baseline.json');
    const learned = zw(['baseline', 'learn', snap7, '--out', baseline, '--db', db]);
    assert.equal(learned.code, 0, learned.stderr);
    const doc = JSON.parse(readFileSync(baseline, 'utf8'));
    assert.equal(doc.format, 'zoneward.baseline/1');
    assert.ok(doc.channels.some((c: { app: string }) => c.app === 's7comm'));
    const r = zw(['monitor', snap7, '--baseline', baseline, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /0 alert lines printed/);
  });

  it('rejects a hand-edited baseline with every error named, and runs nothing', () => {
    const baseline = join(dir, 'snap7.baseline.json');
    const doc = JSON.parse(readFileSync(baseline, 'utf8'));
    doc.pairs[0].port = 70000;
    doc.channels[0].writes = [{ space: 'DB1', ranges: [[20, 10]], values: { min: 5, max: 1 } }];
    const broken = join(dir, 'broken.baseline.json');
    writeFileSync(broken, JSON.stringify(doc, null, 2));
    const r = zw(['monitor', snap7, '--baseline', broken, '--db', db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is not valid \(3 errors\)/);
    assert.match(r.stderr, /pairs\[0\]\.port/);
    assert.match(r.stderr, /channels\[0\]\.writes\[0\]\.ranges\[0\]/);
    assert.match(r.stderr, /channels\[0\]\.writes\[0\]\.values/);
    assert.equal(r.stdout, '');
    const check = zw(['baseline', 'check', broken]);
    assert.equal(check.code, 2);
    writeFileSync(join(dir, 'not-json.json'), '{"format": "zoneward.baseline/1",');
    assert.match(zw(['baseline', 'check', join(dir, 'not-json.json')]).stderr, /line 1/);
  });
});

describe('zoneward monitor: maintenance windows and confirmed baselines', () => {
  const snap7 = join(shared, 's7comm/snap7.pcap');
  const db = join(dir, 'maintenance.db');

  it('lowers the severity of the authorised source inside a declared window, and only there', () => {
    const inside = zw([
      'monitor',
      snap7,
      '--db',
      db,
      '--no-updates',
      '--maintenance',
      '134.217.61.131>134.217.61.211@2016-02-08T22:00Z/2016-02-08T23:00Z',
    ]);
    assert.equal(inside.code, 0, inside.stderr);
    const severities = inside.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).severity);
    assert.ok(severities.length > 0);
    assert.deepEqual([...new Set(severities)], ['info']);
    // The same window for another source changes nothing.
    const other = zw([
      'monitor',
      snap7,
      '--db',
      db,
      '--no-updates',
      '--maintenance',
      '192.0.2.110@2016-02-08T22:00Z/2016-02-08T23:00Z',
    ]);
    assert.ok(other.stdout.includes('"severity":"high"'));
    const bad = zw([
      'monitor',
      snap7,
      '--db',
      db,
      '--maintenance',
      '192.0.2.110@2016-02-08T23:00Z/2016-02-08T22:00Z',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ends .* before it starts/);
  });

  it('a confirmed baseline says who confirmed it and switches to monitoring mode', () => {
    const file = join(dir, 'confirm.baseline.json');
    assert.equal(zw(['baseline', 'learn', snap7, '--out', file, '--db', db]).code, 0);
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).mode, 'learning');
    const r = zw(['baseline', 'confirm', file, '--by', 'j.doe', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(doc.mode, 'monitoring');
    assert.equal(doc.confirmed.by, 'j.doe');
    assert.equal(zw(['baseline', 'check', file]).code, 0);
    const monitored = zw(['monitor', snap7, '--stored-baseline', '--db', db]);
    assert.match(monitored.stderr, /from the store/);
    assert.equal(monitored.stdout, '');
  });
});

describe('zoneward alert --learn', () => {
  it('makes a finding normal in a new version of the stored baseline, recorded with who and why', () => {
    const db = join(dir, 'learn.db');
    const modbus = join(shared, 'modbus/modbus_example.pcap');
    assert.equal(
      zw(['baseline', 'learn', join(shared, 's7comm/snap7.pcap'), '--out', join(dir, 'l.json'), '--db', db])
        .code,
      0,
    );
    const first = zw(['monitor', modbus, '--stored-baseline', '--db', db, '--no-updates']);
    const alerts = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; category: string; src: string; dst: string });
    const pair = alerts.find((a) => a.category === 'new-pair' && a.src === '192.168.1.6');
    assert.ok(pair, JSON.stringify(alerts.map((a) => a.category)));
    const learned = zw([
      'alert',
      pair.id,
      '--learn',
      '--by',
      'j.doe',
      '--why',
      'the historian link is planned',
      '--db',
      db,
    ]);
    assert.equal(learned.code, 0, learned.stderr);
    assert.match(learned.stdout, /learn by j\.doe: the historian link is planned/);
    const again = zw(['monitor', modbus, '--stored-baseline', '--db', db, '--no-updates']);
    const ids = again.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    assert.ok(!ids.includes(pair.id), 'the learned pair is normal now');
    assert.ok(ids.length > 0 && ids.length < alerts.length);
    assert.equal(zw(['alert', pair.id, '--learn', '--db', db]).code, 2);
  });
});

describe('zoneward baseline learn on a damaged capture', () => {
  it('learns up to the damage, names it, and exits 1', () => {
    const original = readFileSync(join(shared, 'modbus/modbus_example.pcap'));
    const cut = join(dir, 'cut-for-baseline.pcap');
    // Cut inside the last packet record: everything before it is whole.
    writeFileSync(cut, original.subarray(0, original.length - 40));
    const out = join(dir, 'cut.baseline.json');
    const r = zw(['baseline', 'learn', cut, '--out', out, '--db', join(dir, 'cut.db')]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ZW_CAPTURE_TRUNCATED/);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).learned.packets, 99);
  });
});
