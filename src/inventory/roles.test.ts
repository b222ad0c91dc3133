import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  arpReply,
  conn,
  dhcpMessage,
  modbusRequest,
  modbusResponse,
  summary,
} from '../flows/fixtures/pipeline-events.ts';
import type { ConnectionInfo } from '../pipeline/events.ts';
import { InventoryBuilder } from './inventory-builder.ts';
import type { Asset } from './types.ts';

const HMI = { ip: '192.0.2.10', mac: '3c:52:82:00:00:10' };
const EWS = { ip: '192.0.2.11', mac: '3c:52:82:00:00:11' };
const HISTORIAN = { ip: '192.0.2.12', mac: '3c:52:82:00:00:12' };
const plc = (i: number) => ({ ip: `192.0.2.${100 + i}`, mac: `00:1d:9c:00:01:${(0x10 + i).toString(16)}` });

type Host = { ip: string; mac: string };

/** A Modbus session: `requests` of `funcs` (cycled) every `every` seconds from `start`, each answered. */
function modbusSession(
  inventory: InventoryBuilder,
  client: Host,
  server: Host,
  opts: { start: number; requests: number; every: number; funcs: string[] },
): ConnectionInfo {
  const c = conn({ client: client.ip, clientMac: client.mac, server: server.ip, serverMac: server.mac });
  for (let i = 0; i < opts.requests; i += 1) {
    const ts = opts.start + i * opts.every;
    const func = opts.funcs[i % opts.funcs.length];
    inventory.event(modbusRequest(c, ts, func, { address: 10 * (i % 4), quantity: 10 }));
    inventory.event(modbusResponse(c, ts + 0.005, func));
  }
  const last = opts.start + opts.requests * opts.every;
  inventory.connection(
    summary(c, 'modbus', { first: opts.start, last, packets: [opts.requests, opts.requests] }),
  );
  return c;
}

function plainConnection(
  inventory: InventoryBuilder,
  client: Host,
  server: Host,
  port: number,
  transport: 'tcp' | 'udp' = 'tcp',
) {
  const c = conn({
    client: client.ip,
    clientMac: client.mac,
    server: server.ip,
    serverMac: server.mac,
    port,
    transport,
  });
  inventory.connection(summary(c, null, { first: 50, last: 60 }));
}

function asset(assets: Asset[], host: Host): Asset {
  const found = assets.find((a) => a.id === `mac:${host.mac}`);
  assert.ok(found, `no asset for ${host.mac}`);
  return found;
}

function rules(a: Asset, field = 'role'): string[] {
  return a.evidence.filter((e) => e.field === field).map((e) => e.rule ?? '');
}

/** An HMI polling 10 PLCs every second, an engineering workstation, a historian. */
function plant(): Asset[] {
  const inventory = new InventoryBuilder();
  for (let i = 0; i < 10; i += 1) {
    modbusSession(inventory, HMI, plc(i), {
      start: 1000,
      requests: 600,
      every: 1,
      funcs: ['READ_HOLDING_REGISTERS', 'READ_COILS', 'READ_HOLDING_REGISTERS', 'READ_INPUT_REGISTERS'],
    });
  }
  for (let i = 0; i < 4; i += 1) {
    modbusSession(inventory, EWS, plc(i), {
      start: 1200 + i * 60,
      requests: 6,
      every: 3,
      funcs: [
        'READ_DEVICE_IDENTIFICATION',
        'DIAGNOSTICS',
        'READ_HOLDING_REGISTERS',
        'WRITE_SINGLE_COIL',
        'WRITE_MULTIPLE_REGISTERS',
      ],
    });
  }
  for (let i = 0; i < 5; i += 1) {
    modbusSession(inventory, HISTORIAN, plc(i), {
      start: 1000,
      requests: 20,
      every: 30,
      funcs: ['READ_HOLDING_REGISTERS'],
    });
  }
  plainConnection(inventory, { ip: '198.51.100.7', mac: '3c:52:82:00:00:77' }, HISTORIAN, 1433);
  return inventory.result();
}

describe('roles and Purdue levels', () => {
  const assets = plant();

  test('a device serving Modbus is a PLC at L1', () => {
    const p = asset(assets, plc(3));
    assert.equal(p.role, 'plc');
    assert.equal(p.purdueLevel, 'L1');
    assert.ok((p.roleConfidence ?? 0) >= 0.8);
    assert.deepEqual(p.protocols, ['modbus/server']);
    const serving = p.evidence.find((e) => e.rule === 'industrial-server');
    assert.equal(serving?.detail, 'serves Modbus/TCP (port 502) to 3 clients');
    assert.ok(rules(p).includes('automation-vendor'), 'a Rockwell MAC raises plc confidence');
  });

  test('a client polling 10 PLCs with reads is an HMI at L2', () => {
    const hmi = asset(assets, HMI);
    assert.equal(hmi.role, 'hmi');
    assert.equal(hmi.purdueLevel, 'L2');
    assert.deepEqual(hmi.protocols, ['modbus/client']);
    assert.match(
      hmi.evidence.find((e) => e.rule === 'industrial-poller')!.detail,
      /^polls 10 Modbus\/TCP servers with reads about every 1\.0 s \(6,000 requests, 100% reads\)$/,
    );
    assert.ok(!rules(hmi).includes('engineering-access'));
  });

  test('a client using diagnostics, identification and coil writes now and then is an engineering workstation', () => {
    const ews = asset(assets, EWS);
    assert.equal(ews.role, 'engineering-workstation');
    assert.equal(ews.purdueLevel, 'L2');
    const detail = ews.evidence.find((e) => e.rule === 'engineering-access')!.detail;
    assert.match(detail, /diagnostics/);
    assert.match(detail, /device identification/);
    assert.match(detail, /coil writes/);
    assert.match(detail, /5 different functions/);
    assert.match(detail, /occasional use/);
  });

  test('a client that only reads, slowly, and serves a database to IT is a historian at L3', () => {
    const historian = asset(assets, HISTORIAN);
    assert.equal(historian.role, 'historian');
    assert.equal(historian.purdueLevel, 'L3');
    assert.match(
      historian.evidence.find((e) => e.rule === 'historian-collector')!.detail,
      /only reads from 5 Modbus\/TCP servers, about every 30 s, and serves Microsoft SQL Server on the IT side/,
    );
  });

  test('a Windows DHCP client using DNS and the web, and no industrial protocol, is an IT host at L4', () => {
    const inventory = new InventoryBuilder();
    const pc = { ip: '198.51.100.20', mac: '3c:52:82:00:00:20' };
    const dns = { ip: '198.51.100.1', mac: '00:00:0c:00:00:01' };
    inventory.event(
      dhcpMessage(1, {
        msgType: 'REQUEST',
        clientMac: pc.mac,
        requestedIp: pc.ip,
        hostname: 'OFFICE-PC',
        vendorClass: 'MSFT 5.0',
      }),
    );
    plainConnection(inventory, pc, dns, 53, 'udp');
    plainConnection(inventory, pc, { ip: '198.51.100.80', mac: '00:00:0c:00:00:02' }, 443);
    const host = asset(inventory.result(), pc);
    assert.equal(host.role, 'it-host');
    assert.equal(host.purdueLevel, 'L4');
    assert.deepEqual(rules(host).sort(), ['dhcp-client', 'it-services', 'windows-dhcp-client']);
    assert.equal(host.roleConfidence, 0.81);
  });

  test('a Windows host that speaks Modbus is not called an IT host', () => {
    const inventory = new InventoryBuilder();
    inventory.event(
      dhcpMessage(1, {
        msgType: 'REQUEST',
        clientMac: HMI.mac,
        requestedIp: HMI.ip,
        vendorClass: 'MSFT 5.0',
      }),
    );
    modbusSession(inventory, HMI, plc(0), {
      start: 10,
      requests: 100,
      every: 1,
      funcs: ['READ_HOLDING_REGISTERS'],
    });
    plainConnection(inventory, HMI, { ip: '192.0.2.53', mac: '00:00:0c:00:00:01' }, 53, 'udp');
    const hmi = asset(inventory.result(), HMI);
    assert.equal(hmi.role, 'hmi');
    assert.ok(!rules(hmi).includes('windows-dhcp-client'));
  });

  test('a PLC polling its remote I/O stays a PLC', () => {
    const inventory = new InventoryBuilder();
    modbusSession(inventory, HMI, plc(0), { start: 10, requests: 100, every: 1, funcs: ['READ_COILS'] });
    for (let i = 1; i <= 3; i += 1) {
      modbusSession(inventory, plc(0), plc(i), {
        start: 10,
        requests: 500,
        every: 0.2,
        funcs: ['READ_INPUT_REGISTERS'],
      });
    }
    assert.equal(asset(inventory.result(), plc(0)).role, 'plc');
  });

  test('a host used by IT hosts that reaches into OT is a DMZ host at L3.5', () => {
    const inventory = new InventoryBuilder();
    const jump = { ip: '172.16.0.5', mac: '3c:52:82:00:05:05' };
    const dnsServer = { ip: '198.51.100.1', mac: '00:00:0c:00:00:01' };
    for (let i = 0; i < 3; i += 1) {
      const office = { ip: `198.51.100.${30 + i}`, mac: `3c:52:82:00:03:${(0x10 + i).toString(16)}` };
      plainConnection(inventory, office, dnsServer, 53, 'udp');
      plainConnection(inventory, office, jump, 3389);
    }
    modbusSession(inventory, EWS, plc(0), {
      start: 10,
      requests: 5,
      every: 7,
      funcs: ['DIAGNOSTICS', 'WRITE_SINGLE_COIL', 'READ_COILS'],
    });
    plainConnection(inventory, jump, EWS, 3389);
    const assets = inventory.result();
    assert.equal(asset(assets, EWS).role, 'engineering-workstation');
    const dmz = asset(assets, jump);
    assert.equal(dmz.purdueLevel, 'L3.5');
    assert.match(
      dmz.evidence.find((e) => e.rule === 'dmz-host')!.detail,
      /^serves 3 IT hosts and exchanges data with 1 OT host \(L0-L3\): a DMZ host$/,
    );
  });

  test('a host the historian pushes data to, which IT users read, is a historian mirror in the DMZ', () => {
    const inventory = new InventoryBuilder();
    const mirror = { ip: '198.51.100.140', mac: '00:50:56:55:de:f6' };
    for (let i = 0; i < 3; i += 1) {
      modbusSession(inventory, HISTORIAN, plc(i), {
        start: 10,
        requests: 20,
        every: 30,
        funcs: ['READ_INPUT_REGISTERS'],
      });
    }
    plainConnection(inventory, HISTORIAN, mirror, 443);
    const office = { ip: '203.0.113.21', mac: '3c:52:82:00:03:21' };
    plainConnection(inventory, office, { ip: '203.0.113.10', mac: '00:00:0c:00:00:01' }, 53, 'udp');
    plainConnection(inventory, office, mirror, 443);
    const assets = inventory.result();
    assert.equal(asset(assets, HISTORIAN).role, 'historian');
    const replica = asset(assets, mirror);
    assert.equal(replica.role, 'historian');
    assert.equal(replica.purdueLevel, 'L3.5');
    assert.match(
      replica.evidence.find((e) => e.rule === 'historian-mirror')!.detail,
      /^receives data from 1 historian over HTTPS and serves 1 other host: a historian mirror$/,
    );
    assert.deepEqual(replica.protocols, ['tls/server']);
  });

  test('a router takes the level of the networks it joins', () => {
    const inventory = new InventoryBuilder();
    const router = '00:00:0c:07:ac:01';
    inventory.arp(arpReply(1, router, '192.0.2.1'));
    for (let i = 0; i < 6; i += 1) {
      // Remote HMIs poll the local PLC through the router.
      modbusSession(inventory, { ip: `10.20.0.${i + 1}`, mac: router }, plc(0), {
        start: 10,
        requests: 100,
        every: 1,
        funcs: ['READ_HOLDING_REGISTERS'],
      });
    }
    const assets = inventory.result();
    const gateway = assets.find((a) => a.id === `mac:${router}`)!;
    assert.equal(gateway.role, 'network-device');
    assert.equal(asset(assets, plc(0)).purdueLevel, 'L1');
    assert.equal(assets.find((a) => a.id === 'ip:10.20.0.1')?.role, 'hmi');
    assert.equal(gateway.purdueLevel, 'L2');
    assert.match(
      gateway.evidence.find((e) => e.rule === 'joined-networks')!.detail,
      /L1, L2; placed at the highest/,
    );
  });

  test('garbage on port 502 that the dissector gave up on proves no Modbus server', () => {
    const inventory = new InventoryBuilder();
    const c = conn({ client: '203.0.113.5', server: plc(0).ip, serverMac: plc(0).mac });
    inventory.event({
      ts: 1,
      conn: c,
      dir: 0,
      app: 'modbus',
      kind: 'violation',
      fields: { reason: 'bad protocol id' },
    });
    inventory.connection(summary(c, null, { first: 1, last: 2 }));
    const target = asset(inventory.result(), plc(0));
    assert.deepEqual(rules(target), ['automation-vendor'], 'only its Rockwell MAC hints at a PLC');
    assert.equal(target.roleConfidence, 0.3);
    assert.deepEqual(target.protocols, []);
  });

  test('a device nothing is known about has no role and no level', () => {
    const inventory = new InventoryBuilder();
    inventory.arp(arpReply(1, '02:00:00:00:00:01', '192.0.2.200'));
    const [only] = inventory.result();
    assert.equal(only.role, null);
    assert.equal(only.roleConfidence, null);
    assert.equal(only.purdueLevel, null);
    assert.equal(only.vendor, null, 'locally administered MAC: no OUI');
  });
});
