// End to end on the synthetic plant: the demo generator writes a capture with known devices, the
// pipeline decodes it, and the inventory and the communication map must find those devices as
// the generator describes them (DemoSummary.devices is the ground truth). Lists of protocols are
// compared as "what was seen is true", since a capture of this length need not show every
// protocol a device would ever speak.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type DemoSummary, writeDemoCapture } from '../demo/generate.ts';
import { FlowMapBuilder } from '../flows/flow-map.ts';
import type { Flow } from '../flows/types.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import { FanOut } from '../pipeline/fan-out.ts';
import { InventoryBuilder } from './inventory-builder.ts';
import { mergeAsset } from './merge.ts';
import type { Asset } from './types.ts';

const PACKETS = 50_000;
const SEED = 7;

describe('discovery of the demo plant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneward-inventory-'));
  let plant: DemoSummary;
  let assets: Asset[];
  let flows: Flow[];

  before(async () => {
    plant = await writeDemoCapture({ out: join(dir, 'plant.pcap'), packets: PACKETS, seed: SEED });
    const inventory = new InventoryBuilder();
    const map = new FlowMapBuilder();
    await decodeCaptureFile(join(dir, 'plant.pcap'), new FanOut([inventory, map]));
    assets = inventory.result();
    flows = map.result();
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const assetOf = (d: DemoSummary['devices'][number]) =>
    assets.find((a) => a.id === (d.beyondRouter ? `ip:${d.ip}` : `mac:${d.mac}`));

  test('one asset per device, and one per device behind a gateway, no more', () => {
    const expected = plant.devices.map((d) => (d.beyondRouter ? `ip:${d.ip}` : `mac:${d.mac}`));
    // Devices behind a gateway: the Modbus gateway's serial meters, the BACnet router's MS/TP devices.
    plant.devices.forEach((d, i) => {
      for (const b of d.behind) expected.push(`${expected[i]}/${b.unit.replaceAll(' ', '-')}`);
    });
    expected.sort();
    assert.deepEqual(assets.map((a) => a.id).sort(), expected);
  });

  test('roles and Purdue levels match the plant', () => {
    for (const d of plant.devices) {
      const a = assetOf(d);
      assert.equal(a?.role, d.role, `${d.name} role`);
      assert.equal(a?.purdueLevel, d.purdueLevel, `${d.name} level`);
    }
  });

  test('addresses: own ones for devices on the link, one per device behind the router, leases oldest first', () => {
    for (const d of plant.devices) {
      const a = assetOf(d)!;
      if (d.beyondRouter) {
        assert.equal(a.mac, null, d.name);
        assert.deepEqual(a.ips, [d.ip], d.name);
      } else if (d.dhcp) {
        assert.deepEqual(a.ips, d.ips, d.name);
        assert.equal(a.ip, d.ips.at(-1), d.name);
      } else {
        assert.deepEqual([...a.ips].sort(), [...d.ips].sort(), d.name);
      }
    }
  });

  test('identity: what devices report about themselves over the OUI, else the OUI', () => {
    for (const d of plant.devices) {
      const a = assetOf(d)!;
      const id = d.modbus?.identification;
      if (d.reports) {
        const r = d.reports;
        assert.deepEqual(
          [a.vendor, a.model, a.firmware, a.serial, a.name],
          [r.vendor, r.model, r.firmware, r.serial, r.name ?? a.name],
          d.name,
        );
      } else if (id) {
        // The model a device names outranks its product code (identity.ts).
        assert.deepEqual(
          [a.vendor, a.model, a.firmware],
          [id.vendorName, id.modelName ?? id.productCode, id.revision],
          d.name,
        );
      } else if (!d.beyondRouter) {
        // The plant names the registry's first line as it is ("Siemens AG,"); the lookup drops
        // trailing punctuation (oui.ts).
        assert.equal(a.vendor, d.ouiOrganization.replace(/[\s,;]+$/, ''), d.name);
      }
    }
  });

  test('devices behind a gateway have their own identity, linked to the gateway', () => {
    for (const d of plant.devices) {
      const gateway = assetOf(d)!;
      for (const b of d.behind) {
        const a = assets.find((x) => x.parent === gateway.id && x.unit === b.unit);
        assert.ok(a, `${d.name}: ${b.unit}`);
        assert.equal(a.ip, gateway.ip);
        assert.equal(a.role, 'plc');
        if (b.reported) {
          const r = b.reported;
          assert.deepEqual(
            [a.vendor, a.model, a.firmware, a.serial, a.name],
            [r.vendor, r.model, r.firmware, r.serial, r.name],
          );
          assert.ok(
            a.evidence.some(
              (e) => e.field === 'model' && e.source === 'bacnet' && e.detail.includes(r.model!),
            ),
          );
        }
      }
    }
  });

  test('every protocol seen is one the device speaks, and Modbus sides are complete', () => {
    for (const d of plant.devices) {
      const a = assetOf(d)!;
      for (const p of a.protocols) assert.ok(d.protocols.includes(p), `${d.name} does not speak ${p}`);
      const modbus = (list: readonly string[]) => list.filter((p) => p.startsWith('modbus/'));
      assert.deepEqual(modbus(a.protocols), modbus(d.protocols), d.name);
    }
  });

  test('the communication map covers every Modbus server and counts consistently', () => {
    const modbusFlows = flows.filter((f) => f.app === 'modbus');
    for (const d of plant.devices.filter((x) => x.protocols.includes('modbus/server'))) {
      assert.ok(
        modbusFlows.some((f) => f.server === d.ip && f.operations.reads > 0),
        `${d.name}: no Modbus flow with reads`,
      );
    }
    for (const f of modbusFlows) {
      const requests = Object.values(f.operations.functions).reduce((sum, n) => sum + n, 0);
      assert.equal(requests, f.operations.reads + f.operations.writes + f.operations.other, f.id);
      assert.ok(f.operations.addressRanges.length <= 64, f.id);
    }
    assert.deepEqual(
      flows.map((f) => f.id),
      flows.map((f) => f.id).sort(),
    );
  });

  test('re-ingesting the same discovery changes nothing', () => {
    for (const a of assets) {
      const { asset, changes } = mergeAsset(a, a);
      assert.deepEqual(asset, a, a.id);
      assert.deepEqual(changes, [], a.id);
    }
  });
});
