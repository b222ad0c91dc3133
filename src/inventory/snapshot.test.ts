// Snapshots and merge on hand-built traffic, for the cases where one device's facts come from
// several shards: the part-by-part identity of a device asked by two clients, DHCP names, polling
// statistics. Each case feeds one builder everything, and two builders a split of it by
// connection (ARP to the first), and compares the merged result with the single one.

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
import type { AppEvent, ArpEvent, ConnectionInfo, ConnectionSummary } from '../pipeline/events.ts';
import { InventoryBuilder, type InventorySnapshot } from './inventory-builder.ts';

type Input = { event: AppEvent } | { arp: ArpEvent } | { connection: ConnectionSummary };

function feed(builder: InventoryBuilder, inputs: readonly Input[]): InventoryBuilder {
  for (const input of inputs) {
    if ('event' in input) builder.event(input.event);
    else if ('arp' in input) builder.arp(input.arp);
    else builder.connection(input.connection);
  }
  return builder;
}

/** Single pass against two shards merged; `second` says which connections the second shard has. */
function assertMergesExactly(inputs: readonly Input[], second: ReadonlySet<ConnectionInfo>): void {
  const single = feed(new InventoryBuilder(), inputs).result();
  const connOf = (input: Input) =>
    'event' in input ? input.event.conn : 'connection' in input ? input.connection.conn : null;
  const shards = [
    feed(
      new InventoryBuilder(),
      inputs.filter((i) => !second.has(connOf(i)!)),
    ),
    feed(
      new InventoryBuilder(),
      inputs.filter((i) => second.has(connOf(i)!)),
    ),
  ];
  for (const order of [shards, [...shards].reverse()]) {
    const merged = new InventoryBuilder();
    for (const shard of order) merged.merge(structuredClone(shard.snapshot()));
    assert.deepEqual(merged.result(), single);
  }
}

const HMI = { ip: '192.0.2.10', mac: '3c:52:82:00:00:10' };
const ENG = { ip: '192.0.2.11', mac: '3c:52:82:00:00:11' };
const PLC = { ip: '192.0.2.20', mac: '00:1d:9c:00:00:20' };
const PLC2 = { ip: '192.0.2.21', mac: '00:1d:9c:00:00:21' };

function modbusConn(client: typeof HMI, server: typeof PLC): ConnectionInfo {
  return conn({ client: client.ip, clientMac: client.mac, server: server.ip, serverMac: server.mac });
}

describe('InventoryBuilder snapshot and merge', () => {
  test('a device identified in parts to two clients keeps each part of its latest report', () => {
    const fromHmi = modbusConn(HMI, PLC);
    const fromEng = modbusConn(ENG, PLC);
    const identify = (c: ConnectionInfo, ts: number, deviceId: Record<string, string>): Input[] => [
      { event: modbusRequest(c, ts, 'ENCAP_INTERFACE_TRANSPORT') },
      { event: modbusResponse(c, ts + 0.01, 'ENCAP_INTERFACE_TRANSPORT', { deviceId }) },
    ];
    const inputs: Input[] = [
      ...identify(fromHmi, 10, { vendor_name: 'Rockwell Automation', product_code: '1756-L71' }),
      ...identify(fromEng, 20, { revision: '20.11' }),
      // The firmware changed: the later report wins, and the vendor of the first report stays.
      ...identify(fromHmi, 30, { revision: '21.3', product_name: 'ControlLogix 5571' }),
      ...identify(fromEng, 40, { product_code: '1756-L72' }),
      { connection: summary(fromHmi, 'modbus', { first: 10, last: 31 }) },
      { connection: summary(fromEng, 'modbus', { first: 20, last: 41 }) },
    ];
    assertMergesExactly(inputs, new Set([fromEng]));
    const plc = feed(new InventoryBuilder(), inputs)
      .result()
      .find((a) => a.id === `mac:${PLC.mac}`)!;
    assert.deepEqual([plc.vendor, plc.model, plc.firmware], ['Rockwell Automation', '1756-L72', '21.3']);
  });

  test('a poller of servers in two shards keeps its polling statistics and its role', () => {
    const toPlc = modbusConn(HMI, PLC);
    const toPlc2 = modbusConn(HMI, PLC2);
    const inputs: Input[] = [];
    for (let i = 0; i < 40; i++) {
      for (const [c, offset] of [
        [toPlc, 0],
        [toPlc2, 0.3],
      ] as const) {
        const ts = 100 + i * 2 + offset;
        inputs.push({ event: modbusRequest(c, ts, 'READ_HOLDING_REGISTERS', { address: 0, quantity: 10 }) });
        inputs.push({ event: modbusResponse(c, ts + 0.01, 'READ_HOLDING_REGISTERS') });
      }
    }
    inputs.push({ event: modbusRequest(toPlc2, 190, 'WRITE_SINGLE_COIL', { address: 3 }) });
    inputs.push({ connection: summary(toPlc, 'modbus', { first: 99, last: 181, packets: [80, 80] }) });
    inputs.push({ connection: summary(toPlc2, 'modbus', { first: 99, last: 191, packets: [81, 80] }) });
    assertMergesExactly(inputs, new Set([toPlc2]));
    const hmi = feed(new InventoryBuilder(), inputs)
      .result()
      .find((a) => a.id === `mac:${HMI.mac}`)!;
    assert.equal(hmi.role, 'hmi');
  });

  test('ARP, DHCP leases, host names and vendor classes from different shards', () => {
    const laptop = '00:21:cc:00:00:40';
    const viaRelay = conn({
      transport: 'udp',
      client: '192.0.2.1',
      server: '198.51.100.2',
      port: 67,
      clientPort: 67,
    });
    const inputs: Input[] = [
      { arp: arpReply(1, PLC.mac, PLC.ip) },
      {
        event: dhcpMessage(5, {
          msgType: 'REQUEST',
          clientMac: laptop,
          hostname: 'ENG-OLD',
          vendorClass: 'MSFT 5.0',
        }),
      },
      {
        event: dhcpMessage(
          6,
          {
            msgType: 'ACK',
            clientMac: laptop,
            assignedIp: '192.0.2.40',
            serverId: '198.51.100.2',
            routers: ['192.0.2.1'],
            relayIp: '192.0.2.1',
          },
          viaRelay,
        ),
      },
      {
        event: dhcpMessage(50, {
          msgType: 'REQUEST',
          clientMac: laptop,
          clientIp: '192.0.2.40',
          hostname: 'ENG-NEW',
        }),
      },
      {
        event: dhcpMessage(
          51,
          {
            msgType: 'ACK',
            clientMac: laptop,
            assignedIp: '192.0.2.41',
            serverId: '198.51.100.2',
            routers: ['192.0.2.1'],
            relayIp: '192.0.2.1',
          },
          viaRelay,
        ),
      },
    ];
    assertMergesExactly(inputs, new Set([viaRelay]));
  });

  test('a snapshot is plain data, and merge refuses another format', () => {
    const c = modbusConn(HMI, PLC);
    const builder = feed(new InventoryBuilder(), [
      { event: modbusRequest(c, 1, 'READ_COILS', { address: 0, quantity: 8 }) },
      { connection: summary(c, 'modbus', { first: 1, last: 2 }) },
    ]);
    const snapshot = builder.snapshot();
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
    const wrong = { ...snapshot, format: 'zoneward.inventory-snapshot/0' } as unknown as InventorySnapshot;
    assert.throws(() => new InventoryBuilder().merge(wrong), /unknown snapshot format/);
  });
});
