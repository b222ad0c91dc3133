import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  conn,
  dhcpMessage,
  modbusRequest,
  modbusResponse,
  summary,
} from '../flows/fixtures/pipeline-events.ts';
import { InventoryBuilder } from './inventory-builder.ts';
import { mergeAsset, withOverrides } from './merge.ts';
import type { Asset } from './types.ts';

const PLC_MAC = '00:1d:9c:00:00:20';

/** One discovery of the PLC: `clients` HMIs poll it; it reports `revision` when asked. */
function discoverPlc(opts: {
  clients: number;
  revision: string;
  at: number;
  ip?: string;
  hostname?: string;
}): Asset {
  const inventory = new InventoryBuilder();
  const ip = opts.ip ?? '192.0.2.20';
  if (opts.hostname !== undefined) {
    inventory.event(
      dhcpMessage(opts.at, { msgType: 'ACK', clientMac: PLC_MAC, assignedIp: ip, hostname: opts.hostname }),
    );
  }
  for (let i = 0; i < opts.clients; i += 1) {
    const c = conn({
      client: `192.0.2.${10 + i}`,
      clientMac: `3c:52:82:00:00:${10 + i}`,
      server: ip,
      serverMac: PLC_MAC,
    });
    inventory.event(modbusRequest(c, opts.at + i, 'READ_HOLDING_REGISTERS', { address: 0, quantity: 4 }));
    inventory.event(modbusResponse(c, opts.at + i + 0.01, 'READ_HOLDING_REGISTERS'));
    inventory.event(modbusRequest(c, opts.at + i + 1, 'ENCAP_INTERFACE_TRANSPORT'));
    inventory.event(
      modbusResponse(c, opts.at + i + 1.01, 'ENCAP_INTERFACE_TRANSPORT', {
        deviceId: {
          vendor_name: 'Schneider Electric',
          product_code: 'BMX P34 2020',
          revision: opts.revision,
        },
      }),
    );
    inventory.connection(summary(c, 'modbus', { first: opts.at + i, last: opts.at + i + 2 }));
  }
  const plc = inventory.result().find((a) => a.id === `mac:${PLC_MAC}`);
  assert.ok(plc);
  return plc;
}

describe('mergeAsset', () => {
  test('unites addresses and protocols, widens times, reports identity changes', () => {
    const stored = discoverPlc({
      clients: 1,
      revision: 'v3.10',
      at: 1000,
      ip: '192.0.2.20',
      hostname: 'plc-a',
    });
    const fresh = discoverPlc({
      clients: 3,
      revision: 'v3.20',
      at: 9000,
      ip: '192.0.2.21',
      hostname: 'plc-a',
    });
    const { asset, changes } = mergeAsset(stored, fresh);
    assert.deepEqual(asset.ips, ['192.0.2.20', '192.0.2.21']);
    assert.equal(asset.ip, '192.0.2.21');
    assert.equal(asset.firmware, 'v3.20');
    assert.equal(asset.firstSeen, 1000);
    assert.equal(asset.lastSeen, fresh.lastSeen);
    assert.deepEqual(asset.protocols, ['dhcp/client', 'modbus/server']);
    assert.deepEqual(changes, [
      {
        assetId: `mac:${PLC_MAC}`,
        field: 'firmware',
        oldValue: 'v3.10',
        newValue: 'v3.20',
        source: 'modbus',
        ts: fresh.lastSeen,
      },
      {
        assetId: `mac:${PLC_MAC}`,
        field: 'ip',
        oldValue: '192.0.2.20',
        newValue: '192.0.2.21',
        source: 'dhcp',
        ts: fresh.lastSeen,
      },
    ]);
  });

  test('a first sighting of a value is a change from null; an unchanged value is none', () => {
    const stored = { ...discoverPlc({ clients: 1, revision: 'v1', at: 1 }), model: null };
    const { changes } = mergeAsset(stored, discoverPlc({ clients: 1, revision: 'v1', at: 2 }));
    assert.deepEqual(
      changes.map((c) => [c.field, c.oldValue, c.newValue]),
      [['model', null, 'BMX P34 2020']],
    );
  });

  test('evidence keeps one statement per rule, the newest, and the role follows it', () => {
    const stored = discoverPlc({ clients: 1, revision: 'v1', at: 1 });
    const fresh = discoverPlc({ clients: 4, revision: 'v1', at: 2 });
    const { asset } = mergeAsset(stored, fresh);
    const serving = asset.evidence.filter((e) => e.rule === 'industrial-server');
    assert.equal(serving.length, 1);
    assert.equal(serving[0].detail, 'serves Modbus/TCP (port 502) to 4 clients');
    assert.equal(asset.role, 'plc');
    assert.equal(asset.roleConfidence, fresh.roleConfidence);
    assert.equal(asset.evidence.filter((e) => e.rule === 'level-of-role').length, 1);
  });

  test('stored evidence without rule ids is superseded, not double counted', () => {
    const discovered = discoverPlc({ clients: 2, revision: 'v1', at: 1 });
    const stripped = { ...discovered, evidence: discovered.evidence.map(({ rule: _rule, ...rest }) => rest) };
    const fresh = discoverPlc({ clients: 2, revision: 'v1', at: 2 });
    const { asset } = mergeAsset(stripped, fresh);
    assert.equal(asset.roleConfidence, fresh.roleConfidence);
    assert.equal(asset.purdueConfidence, fresh.purdueConfidence);
    assert.equal(asset.evidence.length, fresh.evidence.length);
  });

  test('user overrides always win for role, Purdue level and name, and survive re-ingesting', () => {
    const discovered = discoverPlc({ clients: 2, revision: 'v1', at: 1, hostname: 'plc-a' });
    const stored = withOverrides(discovered, {
      role: 'hmi',
      name: 'Pump station North',
      criticality: 'high',
    });
    assert.equal(stored.role, 'hmi');
    assert.equal(stored.purdueLevel, 'L2', 'the level follows the overridden role');

    const fresh = discoverPlc({ clients: 3, revision: 'v2', at: 100, hostname: 'plc-b' });
    const { asset, changes } = mergeAsset(stored, fresh);
    assert.equal(asset.role, 'hmi');
    assert.equal(asset.roleConfidence, 1);
    assert.equal(asset.purdueLevel, 'L2');
    assert.equal(asset.purdueConfidence, 1);
    assert.equal(asset.name, 'Pump station North');
    assert.deepEqual(asset.overrides, { role: 'hmi', name: 'Pump station North', criticality: 'high' });
    assert.deepEqual(
      asset.evidence.filter((e) => e.source === 'user').map((e) => [e.field, e.value, e.rule]),
      [
        ['name', 'Pump station North', 'user-override'],
        ['purdueLevel', 'L2', 'level-of-role'],
        ['role', 'hmi', 'user-override'],
      ],
    );
    assert.ok(
      asset.evidence.some((e) => e.field === 'role' && e.value === 'plc'),
      'what traffic says stays visible',
    );
    // The observed host name still has a history, under the user's name.
    assert.deepEqual(
      changes.filter((c) => c.field === 'name').map((c) => [c.oldValue, c.newValue]),
      [['plc-a', 'plc-b']],
    );

    const level = withOverrides(asset, { ...asset.overrides, purdueLevel: 'L3' });
    assert.equal(level.purdueLevel, 'L3');
    const cleared = withOverrides(asset, {});
    assert.equal(cleared.role, 'plc');
    assert.equal(cleared.purdueLevel, 'L1');
    assert.equal(cleared.name, 'plc-b');
  });

  test('is pure and idempotent', () => {
    const stored = discoverPlc({ clients: 2, revision: 'v1', at: 1 });
    const fresh = discoverPlc({ clients: 2, revision: 'v2', at: 50 });
    const copies = structuredClone([stored, fresh]);
    mergeAsset(stored, fresh);
    assert.deepEqual([stored, fresh], copies);
    const { asset, changes } = mergeAsset(fresh, fresh);
    assert.deepEqual(asset, fresh);
    assert.deepEqual(changes, []);
  });

  test('refuses assets with different ids', () => {
    const a = discoverPlc({ clients: 1, revision: 'v1', at: 1 });
    assert.throws(() => mergeAsset(a, { ...a, id: 'ip:192.0.2.99' }), /different asset/);
  });
});
