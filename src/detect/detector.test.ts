import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BaselineDocument } from '../baseline/types.ts';
import type { Fields } from '../dissectors/types.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import type { AppEvent, ArpEvent, ConnectionInfo, ConnectionSummary } from '../pipeline/events.ts';
import { type Alert, MAX_EVIDENCE_PER_ALERT } from './alert.ts';
import { Detector, type DetectorOptions } from './detector.ts';
import { learnFromAlert } from './lifecycle.ts';
import { HOST_SWEEP_MIN_HOSTS, PORT_SCAN_MIN_PORTS, UNIT_SWEEP_MIN_UNITS } from './limits.ts';

const CAPTURES = '/work/shared/captures';
const T0 = 1_700_000_000;

function collect(opts: Partial<DetectorOptions> = {}): {
  d: Detector;
  got: { alert: Alert; isNew: boolean }[];
} {
  const got: { alert: Alert; isNew: boolean }[] = [];
  const d = new Detector({ ...opts, onAlert: (alert, isNew) => got.push({ alert, isNew }) });
  return { d, got };
}

let uid = 0;
function conn(client: string, server: string, port = 502, transport: 'tcp' | 'udp' = 'tcp'): ConnectionInfo {
  return {
    uid: `C${uid++}`,
    transport,
    clientIp: client,
    clientPort: 40000,
    serverIp: server,
    serverPort: port,
    clientMac: null,
    serverMac: null,
    vlan: null,
  };
}
function msg(c: ConnectionInfo, ts: number, app: string, fields: Fields, dir: 0 | 1 = 0): AppEvent {
  return { ts, conn: c, dir, app, kind: 'message', fields };
}
const mb = (func: string, op: string, extra: Fields = {}): Fields => ({
  'modbus.func': func,
  'modbus.operation': op,
  'modbus.unit': 1,
  ...extra,
});
function summary(c: ConnectionInfo, ts: number): ConnectionSummary {
  return {
    conn: c,
    app: null,
    firstTs: ts,
    lastTs: ts,
    packets: [1, 1],
    bytes: [60, 54],
    missedBytes: [0, 0],
    rolesFromHandshake: true,
  };
}

test('snap7.pcap without a baseline: program upload and download alerts with their techniques', async () => {
  const { d, got } = collect();
  await decodeCaptureFile(`${CAPTURES}/s7comm/snap7.pcap`, d);
  const byCat = new Map(got.filter((g) => g.isNew).map((g) => [g.alert.category, g.alert]));
  assert.equal(byCat.get('program-upload')?.technique, 'T0845');
  assert.equal(byCat.get('program-download')?.technique, 'T0843');
  assert.equal(byCat.get('cpu-mode-change')?.technique, 'T0858');
  const upload = d
    .alerts()
    .find((a) => a.category === 'program-upload' && a.summary.includes('START_UPLOAD'));
  assert.ok(upload !== undefined && upload.count >= 5, 'START_UPLOAD repeats aggregate into one alert');
});

test('iti_ModbusTCP.pcap without a baseline raises no program or control alerts', async () => {
  const { d } = collect();
  await decodeCaptureFile(`${CAPTURES}/modbus/iti_ModbusTCP.pcap`, d);
  const bad = d
    .alerts()
    .filter((a) =>
      ['program-download', 'program-upload', 'cpu-mode-change', 'device-restart'].includes(a.category),
    );
  assert.deepEqual(bad, []);
});

const commandRows: {
  name: string;
  app: string;
  fields: Fields;
  category: string | null;
  technique?: string;
}[] = [
  {
    name: 'DNP3 cold restart',
    app: 'dnp3',
    fields: { 'dnp3.func': 'COLD_RESTART', 'dnp3.operation': 'control' },
    category: 'device-restart',
    technique: 'T0816',
  },
  {
    name: 'DNP3 operate is routine',
    app: 'dnp3',
    fields: { 'dnp3.func': 'OPERATE', 'dnp3.operation': 'control' },
    category: null,
  },
  {
    name: 'Modbus restart communications',
    app: 'modbus',
    fields: mb('DIAGNOSTICS', 'control', { 'modbus.subfunction': 'RESTART_COMMUNICATIONS_OPTION' }),
    category: 'device-restart',
  },
  {
    name: 'CIP reset',
    app: 'enip',
    fields: { 'cip.service': 'RESET', 'enip.operation': 'control' },
    category: 'device-restart',
  },
  {
    name: 'ENIP RegisterSession is routine',
    app: 'enip',
    fields: { 'enip.command': 'REGISTER_SESSION', 'enip.operation': 'auth' },
    category: null,
  },
  {
    name: 'UMAS stop',
    app: 'modbus',
    fields: mb('UMAS', 'control', { 'modbus.umas.func': 'STOP_PLC' }),
    category: 'cpu-mode-change',
    technique: 'T0858',
  },
  {
    name: 'UMAS reservation',
    app: 'modbus',
    fields: mb('UMAS', 'auth', { 'modbus.umas.func': 'TAKE_PLC_RESERVATION' }),
    category: 'auth-operation',
    technique: 'T0859',
  },
  {
    name: 'Modbus firmware',
    app: 'modbus',
    fields: mb('FIRMWARE_REPLACEMENT', 'program'),
    category: 'firmware-update',
    technique: 'T0839',
  },
  {
    name: 'DNP3 open file',
    app: 'dnp3',
    fields: { 'dnp3.func': 'OPEN_FILE', 'dnp3.operation': 'file' },
    category: 'file-operation',
  },
  { name: 'plain read', app: 'modbus', fields: mb('READ_HOLDING_REGISTERS', 'read'), category: null },
];
for (const row of commandRows) {
  test(`command rule: ${row.name}`, () => {
    const { d, got } = collect();
    d.event(msg(conn('10.0.0.5', '10.0.0.10', 20000), T0, row.app, row.fields));
    assert.deepEqual(
      got.map((g) => g.alert.category),
      row.category === null ? [] : [row.category],
    );
    if (row.technique !== undefined) assert.equal(got[0].alert.technique, row.technique);
  });
}

test('aggregation: repeats update count, evidence is capped, re-notify is rate limited', () => {
  const { d, got } = collect({ renotifyIntervalS: 10 });
  const c = conn('10.0.0.5', '10.0.0.10');
  for (let i = 0; i < 30; i++)
    d.event(msg(c, T0 + i, 'modbus', mb('UMAS', 'control', { 'modbus.umas.func': 'STOP_PLC' })));
  const alerts = d.alerts();
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].count, 30);
  assert.equal(alerts[0].ts, T0);
  assert.equal(alerts[0].lastSeen, T0 + 29);
  assert.equal(alerts[0].evidence.length, MAX_EVIDENCE_PER_ALERT);
  assert.deepEqual(
    got.map((g) => g.isNew),
    [true, false, false],
  ); // at T0, T0+10, T0+20
  assert.equal(got[0].alert.id, alerts[0].id);
});

test('maintenance window lowers severity for the authorised source only, inside the window', () => {
  const { d } = collect({ maintenanceWindows: [{ source: '10.0.0.5', from: T0, to: T0 + 100 }] });
  const stop = mb('UMAS', 'control', { 'modbus.umas.func': 'STOP_PLC' });
  d.event(msg(conn('10.0.0.5', '10.0.0.10'), T0 + 1, 'modbus', stop));
  d.event(msg(conn('10.0.0.5', '10.0.0.10'), T0 + 500, 'modbus', stop));
  d.event(msg(conn('10.0.0.6', '10.0.0.10'), T0 + 2, 'modbus', stop));
  const sev = d
    .alerts()
    .map((a) => `${a.src} ${a.severity}`)
    .sort();
  assert.deepEqual(sev, ['10.0.0.5 high', '10.0.0.5 info', '10.0.0.6 high']);
});

test('suppression mutes matching alerts until it expires', () => {
  const { d, got } = collect({
    suppressions: [
      { category: 'cpu-mode-change', src: '10.0.0.5', until: T0 + 10, by: 'ana', why: 'commissioning' },
    ],
  });
  const stop = mb('UMAS', 'control', { 'modbus.umas.func': 'STOP_PLC' });
  d.event(msg(conn('10.0.0.5', '10.0.0.10'), T0, 'modbus', stop));
  assert.equal(got.length, 0);
  d.event(msg(conn('10.0.0.5', '10.0.0.11'), T0 + 20, 'modbus', stop));
  assert.equal(got.length, 1);
});

test('scans: port scan, host sweep, unit-id sweep', () => {
  const { d } = collect();
  for (let p = 0; p < PORT_SCAN_MIN_PORTS; p++)
    d.connection(summary(conn('10.0.0.66', '10.0.0.10', 1000 + p), T0 + p));
  for (let h = 0; h < HOST_SWEEP_MIN_HOSTS; h++)
    d.connection(summary(conn('10.0.0.67', `10.0.1.${h}`, 102), T0 + h));
  const c = conn('10.0.0.68', '10.0.0.10');
  for (let u = 0; u < UNIT_SWEEP_MIN_UNITS; u++)
    d.event(msg(c, T0 + u, 'modbus', { ...mb('READ_COILS', 'read'), 'modbus.unit': u }));
  const cats = d
    .alerts()
    .map((a) => `${a.category} ${a.src}`)
    .sort();
  assert.deepEqual(cats, ['host-sweep 10.0.0.67', 'port-scan 10.0.0.66', 'unit-id-sweep 10.0.0.68']);
});

test('a slow trickle of ports stays below the scan threshold', () => {
  const { d } = collect();
  for (let p = 0; p < PORT_SCAN_MIN_PORTS; p++)
    d.connection(summary(conn('10.0.0.66', '10.0.0.10', 1000 + p), T0 + p * 1000));
  assert.deepEqual(d.alerts(), []);
});

test('ARP: spoofed sender and IP claimed by two MACs', () => {
  const { d } = collect();
  const arp = (ts: number, senderMac: string, frameSrcMac: string): ArpEvent => ({
    ts,
    op: 'reply',
    senderMac,
    senderIp: '10.0.0.1',
    targetMac: '00:00:00:00:00:00',
    targetIp: '10.0.0.9',
    frameSrcMac,
    vlan: null,
  });
  d.arp(arp(T0, 'aa:aa:aa:aa:aa:01', 'aa:aa:aa:aa:aa:01'));
  d.arp(arp(T0 + 5, 'aa:aa:aa:aa:aa:01', 'bb:bb:bb:bb:bb:02'));
  d.arp(arp(T0 + 6, 'bb:bb:bb:bb:bb:02', 'bb:bb:bb:bb:bb:02'));
  assert.deepEqual(
    d
      .alerts()
      .map((a) => a.category)
      .sort(),
    ['arp-spoofing', 'ip-conflict'],
  );
});

test('violations aggregate per pair; floods fire within the first second', () => {
  const { d } = collect();
  const c = conn('10.0.0.5', '10.0.0.10');
  for (let i = 0; i < 5; i++)
    d.event({
      ts: T0 + i,
      conn: c,
      dir: 0,
      app: 'modbus',
      kind: 'violation',
      fields: { reason: 'bad length' },
    });
  for (let i = 0; i < 600; i++) d.event(msg(c, T0 + 10 + i / 1000, 'modbus', mb('READ_COILS', 'read')));
  const v = d.alerts().find((a) => a.category === 'protocol-violation');
  assert.equal(v?.count, 5);
  const f = d.alerts().find((a) => a.category === 'flood');
  assert.ok(f !== undefined && f.ts - (T0 + 10) < 1);
});

const HMI = '10.0.0.100';
const PLC = '10.0.0.10';
const baseline: BaselineDocument = {
  format: 'zoneward.baseline/1',
  site: 'test',
  mode: 'monitoring',
  confirmed: null,
  learned: { sources: [], firstTs: T0 - 3600, lastTs: T0, packets: 1000 },
  assets: [
    { ip: HMI, mac: null, role: 'hmi', vendor: null, model: null, firmware: null, serial: null },
    { ip: PLC, mac: null, role: 'plc', vendor: 'Schneider', model: 'M340', firmware: 'V3.2', serial: null },
  ],
  pairs: [
    { client: HMI, server: PLC, transport: 'tcp', port: 502, app: 'modbus', connections: 1, packets: 1000 },
  ],
  channels: [
    {
      client: HMI,
      server: PLC,
      app: 'modbus',
      functions: { READ_HOLDING_REGISTERS: 1800, WRITE_SINGLE_REGISTER: 10 },
      operations: { read: 1800, write: 10 },
      units: [1],
      writes: [{ space: 'holding_register', ranges: [[100, 110]], values: { min: 0, max: 500 } }],
      polling: { periodS: 2, jitterS: 0.05, samples: 1800 },
    },
  ],
};
const read = () =>
  mb('READ_HOLDING_REGISTERS', 'read', { 'modbus.space': 'holding_register', 'modbus.address': 0 });
const write = (address: number, value: number) =>
  mb('WRITE_SINGLE_REGISTER', 'write', {
    'modbus.space': 'holding_register',
    'modbus.address': address,
    'modbus.values': [value],
  });

test('baseline: normal polling and in-range writes raise nothing', () => {
  const { d } = collect({ baseline });
  const c = conn(HMI, PLC);
  for (let i = 0; i < 200; i++) d.event(msg(c, T0 + i * 2 + (i % 3) * 0.01, 'modbus', read()));
  d.event(msg(c, T0 + 401, 'modbus', write(105, 300)));
  assert.deepEqual(d.alerts(), []);
});

const baselineRows: { name: string; run: (d: Detector) => void; expect: string[] }[] = [
  {
    name: 'new pair and new asset',
    run: (d) => d.event(msg(conn('10.0.0.99', PLC), T0, 'modbus', read())),
    expect: ['new-asset', 'new-pair'],
  },
  {
    name: 'new protocol on a known pair',
    run: (d) =>
      d.event(
        msg(conn(HMI, PLC, 102), T0, 's7comm', { 's7comm.function': 'READ_VAR', 's7comm.operation': 'read' }),
      ),
    expect: ['new-protocol'],
  },
  {
    name: 'new function',
    run: (d) => d.event(msg(conn(HMI, PLC), T0, 'modbus', mb('READ_COILS', 'read'))),
    expect: ['new-function'],
  },
  {
    name: 'write address out of range',
    run: (d) => d.event(msg(conn(HMI, PLC), T0, 'modbus', write(200, 1))),
    expect: ['write-address-out-of-range'],
  },
  {
    name: 'write value out of range',
    run: (d) => d.event(msg(conn(HMI, PLC), T0, 'modbus', write(105, 9000))),
    expect: ['write-value-out-of-range'],
  },
  {
    name: 'firmware changed',
    run: (d) =>
      d.event(msg(conn(HMI, PLC), T0, 'modbus', { ...read(), 'modbus.device.firmware': 'V9.9' }, 1)),
    expect: ['firmware-changed'],
  },
  {
    name: 'cadence drift',
    run: (d) => {
      const c = conn(HMI, PLC);
      for (let i = 0; i < 40; i++) d.event(msg(c, T0 + i * 4, 'modbus', read()));
    },
    expect: ['cadence-drift'],
  },
  {
    name: 'silence while other traffic flows',
    run: (d) => {
      const c = conn(HMI, PLC);
      for (let i = 0; i < 5; i++) d.event(msg(c, T0 + i * 2, 'modbus', read()));
      for (let t = 10; t < 100; t++)
        d.arp({
          ts: T0 + t,
          op: 'request',
          senderMac: 'aa:aa:aa:aa:aa:01',
          senderIp: HMI,
          targetMac: '00:00:00:00:00:00',
          targetIp: PLC,
          frameSrcMac: 'aa:aa:aa:aa:aa:01',
          vlan: null,
        });
    },
    expect: ['missing-traffic'],
  },
];
for (const row of baselineRows) {
  test(`baseline: ${row.name}`, () => {
    const { d } = collect({ baseline });
    row.run(d);
    assert.deepEqual(
      d
        .alerts()
        .map((a) => a.category)
        .sort(),
      row.expect,
    );
  });
}

test('learnFromAlert makes an out-of-range write normal, recorded with who and why', () => {
  const { d } = collect({ baseline });
  d.event(msg(conn(HMI, PLC), T0, 'modbus', write(105, 9000)));
  const [alert] = d.alerts();
  const learned = learnFromAlert(baseline, alert, {
    by: 'ana',
    why: 'new recipe',
    at: '2026-01-01T00:00:00Z',
  });
  assert.deepEqual(learned.channels[0].writes[0].values, { min: 0, max: 9000 });
  assert.match(learned.learned.sources.at(-1)?.source ?? '', /by ana .*new recipe/);
  const again = collect({ baseline: learned });
  again.d.event(msg(conn(HMI, PLC), T0, 'modbus', write(105, 9000)));
  assert.deepEqual(again.d.alerts(), []);
});
