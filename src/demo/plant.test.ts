import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { inSubnet, parseIpv4 } from './addresses.ts';
import { demoPlant } from './generate.ts';

// The IEEE registry as packaged by oui-data: keys are six upper-case hex digits.
const ouiRegistry = createRequire(import.meta.url)('oui-data') as Record<string, string>;

const DOCUMENTATION_RANGES = ['192.0.2.0', '198.51.100.0', '203.0.113.0'].map(parseIpv4);
const plant = demoPlant(1);

describe('demo plant', () => {
  it('has at least 10 PLCs/RTUs of at least 4 vendors serving Modbus, and controllers of every other control protocol, all at L1', () => {
    const controllers = plant.devices.filter((d) => d.role === 'plc');
    const modbus = controllers.filter((d) => d.protocols.includes('modbus/server'));
    assert.ok(modbus.length >= 10, `${modbus.length} Modbus controllers`);
    assert.ok(new Set(modbus.map((d) => d.vendor)).size >= 4);
    for (const c of modbus) assert.ok(c.modbus && c.modbus.units.length > 0);
    for (const c of controllers) {
      assert.equal(c.purdueLevel, 'L1');
      assert.ok(c.ip.startsWith('192.0.2.'));
    }
    const served = new Set(controllers.flatMap((d) => d.protocols));
    for (const p of ['dnp3/server', 'iec104/server', 'bacnet/server', 'profinet_cm/server'])
      assert.ok(served.has(p), p);
  });

  it('has two HMIs and a SCADA server at L2, an engineering workstation, a historian at L3 and the OT DMZ at L3.5', () => {
    const byName = new Map(plant.devices.map((d) => [d.name, d]));
    for (const name of ['hmi-1', 'hmi-2', 'scada-1']) assert.equal(byName.get(name)?.role, 'hmi');
    assert.equal(byName.get('ews-1')?.role, 'engineering-workstation');
    assert.equal(byName.get('historian-1')?.purdueLevel, 'L3');
    assert.equal(byName.get('dmz-hist-1')?.purdueLevel, 'L3.5');
    assert.ok(plant.devices.filter((d) => d.role === 'it-host' && d.purdueLevel === 'L4').length >= 3);
  });

  it('uses real IEEE OUIs: every MAC resolves to the organisation the plant names', () => {
    for (const device of plant.devices) {
      const oui = device.mac.slice(0, 8).replaceAll(':', '').toUpperCase();
      const entry = ouiRegistry[oui];
      assert.ok(entry, `${device.name}: OUI ${oui} not in the registry`);
      assert.equal(entry.split('\n')[0], device.ouiOrganization, device.name);
    }
  });

  it('uses documentation addresses only (RFC 5737), each device its own', () => {
    const seen = new Set<string>();
    for (const device of plant.devices) {
      for (const ip of device.ips) {
        assert.ok(
          DOCUMENTATION_RANGES.some((net) => inSubnet(parseIpv4(ip), net, 24)),
          `${device.name}: ${ip}`,
        );
        assert.ok(!seen.has(ip), `${ip} used twice`);
        seen.add(ip);
      }
    }
    const macs = plant.devices.map((d) => d.mac);
    assert.equal(new Set(macs).size, macs.length);
  });

  it('puts enterprise hosts behind the IT router: their frames carry its MAC', () => {
    const router = plant.devices.find((d) => d.name === 'it-router-1')!;
    const beyond = plant.devices.filter((d) => d.beyondRouter);
    assert.ok(beyond.length >= 4);
    for (const d of beyond) assert.equal(d.macSeen, router.mac);
    for (const d of plant.devices.filter((x) => !x.beyondRouter)) assert.equal(d.macSeen, d.mac);
  });

  it('gives the laptop two addresses, and the same plant for the same seed', () => {
    const laptop = plant.devices.find((d) => d.name === 'office-laptop-1')!;
    assert.equal(laptop.ips.length, 2);
    assert.notEqual(laptop.ips[0], laptop.ips[1]);
    assert.deepEqual(demoPlant(1), plant);
    assert.equal(plant.epoch, Date.parse('2026-03-02T06:00:00Z') / 1000);
  });

  it('rejects seeds outside 32 bits', () => {
    assert.throws(() => demoPlant(-1), /seed/);
    assert.throws(() => demoPlant(2 ** 32), /seed/);
  });
});
