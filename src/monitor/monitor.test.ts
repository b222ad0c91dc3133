// Monitoring end to end on the real captures in ../shared/captures: a baseline learned from a
// capture makes monitoring that same capture silent (issue 4), while without a baseline the
// rule-based detections still see the S7 program transfers of snap7.pcap.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharedCapture } from '../../test/zeek-log.ts';
import { learnBaseline } from '../baseline/learn.ts';
import type { Alert } from '../detect/alert.ts';
import { mergeAlert, monitorFile } from './monitor.ts';

const CAPTURES = [
  's7comm/snap7.pcap',
  's7comm/iti_s7comm_varservice_libnodavedemo_bench.pcap',
  'modbus/iti_ModbusTCP.pcap',
  'modbus/modbus_example.pcap',
  'dnp3/dnp3_example.pcap',
  'enip/enip_cip_example.pcap',
  'opcua/open62541_client-server_mainloop.pcap',
  'iec104/iti_TestDissectIec104.pcap',
  'profinet/profinet_io_cm_mixed_1.pcap',
  'bacnet/bacnet_example.pcap',
  'enip/iti_cip_only.pcap',
];

describe('monitoring the capture a baseline was learned from raises nothing', () => {
  for (const name of CAPTURES) {
    it(name, async () => {
      const path = sharedCapture(name);
      const baseline = await learnBaseline([path], { site: 'test' });
      const alerts: Alert[] = [];
      await monitorFile(path, { baseline, suppressions: [], onAlert: (a) => alerts.push(a) });
      assert.deepEqual(
        alerts.map((a) => `${a.category}: ${a.summary}`),
        [],
      );
    });
  }
});

describe('monitoring without a baseline', () => {
  it('sees the program transfers and the stop of snap7.pcap', async () => {
    const alerts: Alert[] = [];
    const r = await monitorFile(sharedCapture('s7comm/snap7.pcap'), {
      baseline: null,
      suppressions: [],
      onAlert: (a, isNew) => {
        if (isNew) alerts.push(a);
      },
    });
    const categories = new Set(alerts.map((a) => a.category));
    for (const c of ['program-upload', 'program-download', 'cpu-mode-change'])
      assert.ok(categories.has(c), c);
    assert.equal(r.alerts.length, new Set(r.alerts.map((a) => a.id)).size);
  });

  it('a stored suppression mutes its category between its addresses for the whole run', async () => {
    const alerts: Alert[] = [];
    await monitorFile(sharedCapture('s7comm/snap7.pcap'), {
      baseline: null,
      suppressions: [
        {
          id: 's',
          category: 'program-upload',
          src: '134.217.61.131',
          dst: '134.217.61.211',
          key: null,
          until: Date.now() / 1000 + 60,
          by: 'j.doe',
          why: 'planned backup of the PLC program',
          createdAt: Date.now() / 1000,
        },
      ],
      onAlert: (a) => alerts.push(a),
    });
    assert.ok(!alerts.some((a) => a.category === 'program-upload'));
    assert.ok(alerts.some((a) => a.category === 'program-download'));
  });
});

describe('mergeAlert', () => {
  const stored: Alert = {
    id: 'x',
    ts: 100,
    severity: 'high',
    category: 'program-download',
    technique: 'T0843',
    techniqueName: 'Program Download',
    src: 'a',
    dst: 'b',
    assets: [],
    summary: 'first',
    evidence: [{ ts: 100, detail: 'one' }],
    firstSeen: 100,
    lastSeen: 200,
    count: 3,
    state: 'closed',
  };

  it('adds the counts of later traffic and opens a closed alert that happens again', () => {
    const m = mergeAlert(stored, {
      ...stored,
      ts: 300,
      firstSeen: 300,
      lastSeen: 400,
      count: 2,
      state: 'open',
    });
    assert.deepEqual([m.count, m.firstSeen, m.lastSeen, m.state], [5, 100, 400, 'open']);
  });

  it('monitoring the same capture again changes nothing', () => {
    const m = mergeAlert(stored, { ...stored, state: 'open' });
    assert.deepEqual(m, stored);
  });
});
