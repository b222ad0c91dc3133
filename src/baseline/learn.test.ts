// Learning end to end: the demo plant's capture (the plan in src/demo/plant-modbus.ts is the
// ground truth for who polls whom how often, and who writes where) and a real capture.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSummary, writeDemoCapture } from '../demo/generate.ts';
import { CONTROLLER_PLANS, type ControllerPlan, type PollSpec } from '../demo/plant-modbus.ts';
import { learnBaseline } from './learn.ts';
import type { BaselineChannel, BaselineDocument } from './types.ts';

const PACKETS = 60_000;
const SEED = 11;
/** The demo's scan classes jitter by 3% (modbus-client.ts POLL_JITTER); the mean must be far closer. */
const PERIOD_TOLERANCE = 0.03;
const ITI_CAPTURE = '/work/shared/captures/modbus/iti_ModbusTCP.pcap';

interface ExpectedChannel {
  readonly client: string;
  readonly plan: ControllerPlan;
  readonly polls: readonly PollSpec[];
  readonly writes: boolean;
}

describe('learning the demo plant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneward-baseline-'));
  let plant: DemoSummary;
  let doc: BaselineDocument;
  const ipOf = (name: string): string => {
    const device = plant.devices.find((d) => d.name === name);
    assert.ok(device, `no device ${name} in the plant`);
    return device.ip;
  };
  const channel = (client: string, server: string): BaselineChannel | undefined =>
    doc.channels.find((c) => c.client === ipOf(client) && c.server === ipOf(server) && c.app === 'modbus');

  const expected = (): ExpectedChannel[] =>
    CONTROLLER_PLANS.flatMap((plan) => [
      { client: 'scada-1', plan, polls: plan.scadaPolls, writes: false },
      {
        client: plan.hmi,
        plan,
        polls: plan.hmiPolls,
        writes: plan.operator.setpoints !== null || plan.operator.coils !== null,
      },
      { client: 'historian-1', plan, polls: plan.historianPolls, writes: false },
    ]).filter((e) => e.polls.length > 0);

  before(async () => {
    const out = join(dir, 'plant.pcap');
    plant = await writeDemoCapture({ out, packets: PACKETS, seed: SEED });
    doc = await learnBaseline([out], { site: 'demo plant' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every Modbus poller has a channel with its read functions and units', () => {
    for (const e of expected()) {
      const c = channel(e.client, e.plan.device);
      assert.ok(c, `${e.client} > ${e.plan.device}: no channel`);
      const functions = new Set(
        e.polls.map(
          (p) =>
            ['', 'READ_COILS', 'READ_DISCRETE_INPUTS', 'READ_HOLDING_REGISTERS', 'READ_INPUT_REGISTERS'][
              p.functionCode
            ],
        ),
      );
      for (const f of functions)
        assert.ok((c.functions[f] ?? 0) > 0, `${e.client} > ${e.plan.device}: no ${f}`);
      assert.ok((c.operations.read ?? 0) > 0);
      assert.deepEqual(
        c.units,
        [...new Set(e.polls.map((p) => p.unit))].sort((a, b) => a - b),
        `${e.client} > ${e.plan.device}`,
      );
    }
  });

  test('polling is the fastest scan class of the plan, within its jitter', () => {
    for (const e of expected()) {
      const c = channel(e.client, e.plan.device)!;
      const period = Math.min(...e.polls.map((p) => p.periodMillis)) / 1000;
      assert.ok(c.polling, `${e.client} > ${e.plan.device}: no polling`);
      assert.ok(
        Math.abs(c.polling.periodS - period) <= period * PERIOD_TOLERANCE,
        `${e.client} > ${e.plan.device}: period ${c.polling.periodS}, plan ${period}`,
      );
      assert.ok(
        c.polling.jitterS < period * 0.1,
        `${e.client} > ${e.plan.device}: jitter ${c.polling.jitterS}`,
      );
    }
  });

  test('writes only from the HMIs with operator targets, inside those targets', () => {
    for (const e of expected()) {
      const c = channel(e.client, e.plan.device)!;
      const label = `${e.client} > ${e.plan.device}`;
      if (!e.writes) {
        assert.deepEqual(c.writes, [], label);
        assert.equal(c.operations.write, undefined, label);
        continue;
      }
      assert.ok(c.writes.length > 0, `${label}: no writes learned`);
      for (const w of c.writes) {
        const { setpoints, coils } = e.plan.operator;
        const target = w.space === 'holding_register' ? setpoints : w.space === 'coil' ? coils : null;
        assert.ok(target, `${label}: write to ${w.space}`);
        for (const [first, last] of w.ranges) {
          assert.ok(
            first >= target.address && last < target.address + target.count,
            `${label}: ${first}-${last}`,
          );
        }
        if (w.space === 'holding_register' && setpoints !== null) {
          assert.ok(
            w.values && w.values.min >= setpoints.min && w.values.max <= setpoints.max,
            `${label}: values`,
          );
        }
      }
    }
  });

  test('assets carry the inventory roles', () => {
    const role = (name: string): string | null | undefined =>
      doc.assets.find((a) => a.ip === ipOf(name))?.role;
    for (const name of ['scada-1', 'hmi-1', 'historian-1', 'plc-boiler-1', 'rtu-tank-farm']) {
      const device = plant.devices.find((d) => d.name === name)!;
      assert.equal(role(name), device.role, name);
    }
    assert.equal(doc.learned.packets, PACKETS);
    assert.match(doc.learned.sources[0].sha256 ?? '', /^[0-9a-f]{64}$/);
  });

  test('the document is sorted', () => {
    const keys = doc.channels.map((c) => [c.client, c.server, c.app].join(' '));
    assert.ok(doc.channels.length > 0);
    const sorted = [...doc.channels]
      .sort((a, b) =>
        a.client < b.client
          ? -1
          : a.client > b.client
            ? 1
            : a.server < b.server
              ? -1
              : a.server > b.server
                ? 1
                : a.app < b.app
                  ? -1
                  : 1,
      )
      .map((c) => [c.client, c.server, c.app].join(' '));
    assert.deepEqual(keys, sorted);
  });
});

describe('learning a real capture', () => {
  test('iti_ModbusTCP.pcap: one HMI polling 13 controllers every 1 or 2 seconds', async () => {
    const doc = await learnBaseline([ITI_CAPTURE], { site: 'iti' });
    assert.equal(doc.channels.length, 13);
    for (const c of doc.channels) {
      assert.equal(c.client, '141.81.0.10');
      assert.equal(c.app, 'modbus');
      assert.deepEqual(c.units, [255]);
      assert.ok(c.polling, `${c.server}: no polling`);
      const nearest = c.polling.periodS < 1.5 ? 1 : 2;
      assert.ok(Math.abs(c.polling.periodS - nearest) < 0.1, `${c.server}: period ${c.polling.periodS}`);
      assert.ok((c.functions.WRITE_MULTIPLE_COILS ?? 0) > 0);
      assert.ok(c.writes.some((w) => w.space === 'coil'));
    }
  });
});
