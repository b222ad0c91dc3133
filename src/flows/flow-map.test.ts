import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conn, dhcpMessage, modbusRequest, modbusResponse, summary } from './fixtures/pipeline-events.ts';
import { FlowMapBuilder, type FlowMapSnapshot } from './flow-map.ts';
import { MAX_ADDRESS_RANGES } from './limits.ts';
import { mergeFlow } from './merge.ts';

const HMI = '192.0.2.10';
const PLC = '192.0.2.20';

describe('FlowMapBuilder', () => {
  test('aggregates function counts, reads, writes, exceptions, ranges and units over connections', () => {
    const map = new FlowMapBuilder();
    const first = conn({ client: HMI, server: PLC, clientPort: 50001 });
    const second = conn({ client: HMI, server: PLC, clientPort: 50002 });
    map.event(modbusRequest(first, 100, 'READ_HOLDING_REGISTERS', { address: 0, quantity: 10, unit: 1 }));
    map.event(modbusResponse(first, 100.01, 'READ_HOLDING_REGISTERS'));
    map.event(modbusRequest(first, 101, 'READ_HOLDING_REGISTERS', { address: 10, quantity: 10, unit: 1 }));
    map.event(modbusRequest(first, 102, 'WRITE_SINGLE_COIL', { address: 7, unit: 3 }));
    map.event(modbusResponse(first, 102.01, 'WRITE_SINGLE_COIL', { exception: 'ILLEGAL_DATA_ADDRESS' }));
    map.event(modbusRequest(first, 103, 'DIAGNOSTICS', { unit: 2 }));
    map.connection(
      summary(first, 'modbus', { first: 99.9, last: 103.5, packets: [6, 5], bytes: [400, 380] }),
    );
    map.event(
      modbusRequest(second, 200, 'READ_WRITE_MULTIPLE_REGISTERS', {
        address: 50,
        quantity: 2,
        writeAddress: 20,
        writeQuantity: 4,
        unit: 1,
      }),
    );
    map.connection(summary(second, 'modbus', { first: 199, last: 201, packets: [3, 2], bytes: [200, 150] }));

    const flows = map.result();
    assert.equal(flows.length, 1);
    assert.deepEqual(flows[0], {
      id: 'tcp|192.0.2.10|192.0.2.20|502|modbus',
      client: HMI,
      server: PLC,
      transport: 'tcp',
      port: 502,
      app: 'modbus',
      connections: 2,
      packets: 16,
      bytes: 1130,
      firstSeen: 99.9,
      lastSeen: 201,
      operations: {
        functions: {
          DIAGNOSTICS: 1,
          READ_HOLDING_REGISTERS: 2,
          READ_WRITE_MULTIPLE_REGISTERS: 1,
          WRITE_SINGLE_COIL: 1,
        },
        reads: 3,
        writes: 2,
        other: 1,
        exceptions: 1,
        addressRanges: [
          { space: 'coil', start: 7, end: 7 },
          { space: 'holding_register', start: 0, end: 23 },
          { space: 'holding_register', start: 50, end: 51 },
        ],
        units: [1, 2, 3],
      },
    });
  });

  test('keys flows by client, server, transport, port and app; sorted by id', () => {
    const map = new FlowMapBuilder();
    map.connection(summary(conn({ client: '192.0.2.30', server: PLC }), 'modbus'));
    map.connection(summary(conn({ client: HMI, server: PLC, port: 80 }), null));
    map.connection(summary(conn({ client: HMI, server: PLC, port: 53, transport: 'udp' }), null));
    map.event(dhcpMessage(5, { msgType: 'DISCOVER', clientMac: '00:1d:9c:00:00:01' }));
    assert.deepEqual(
      map.result().map((f) => f.id),
      [
        'tcp|192.0.2.10|192.0.2.20|80|-',
        'tcp|192.0.2.30|192.0.2.20|502|modbus',
        'udp|0.0.0.0|255.255.255.255|67|dhcp',
        'udp|192.0.2.10|192.0.2.20|53|-',
      ],
    );
  });

  test('a flow seen only through events (no summary yet) is reported with event times', () => {
    const map = new FlowMapBuilder();
    const c = conn({ client: HMI, server: PLC });
    map.event(modbusRequest(c, 10, 'READ_COILS', { address: 0, quantity: 16 }));
    map.event(modbusRequest(c, 12, 'READ_COILS', { address: 0, quantity: 16 }));
    const [flow] = map.result();
    assert.equal(flow.connections, 0);
    assert.equal(flow.firstSeen, 10);
    assert.equal(flow.lastSeen, 12);
    assert.equal(flow.operations.functions.READ_COILS, 2);
  });

  test('responses and violations are not requests', () => {
    const map = new FlowMapBuilder();
    const c = conn({ client: HMI, server: PLC });
    map.event(modbusResponse(c, 1, 'READ_COILS'));
    map.event({ ts: 2, conn: c, dir: 0, app: 'modbus', kind: 'violation', fields: { reason: 'bad length' } });
    const [flow] = map.result();
    assert.deepEqual(flow.operations.functions, {});
    assert.equal(flow.operations.reads + flow.operations.writes + flow.operations.other, 0);
    assert.equal(flow.lastSeen, 2);
  });

  test('the address range list stays bounded under a register scan', () => {
    const map = new FlowMapBuilder();
    const c = conn({ client: HMI, server: PLC });
    for (let address = 0; address < 20000; address += 3) {
      map.event(modbusRequest(c, address, 'READ_HOLDING_REGISTERS', { address, quantity: 1 }));
    }
    const ranges = map.result()[0].operations.addressRanges;
    assert.equal(ranges.length, MAX_ADDRESS_RANGES);
    assert.equal(ranges[0].start, 0);
    assert.equal(ranges.at(-1)?.end, 19998);
  });
});

describe('FlowMapBuilder snapshot and merge', () => {
  const PLC2 = '192.0.2.21';

  function polled(server: string, start: number, func = 'READ_HOLDING_REGISTERS'): FlowMapBuilder {
    const map = new FlowMapBuilder();
    const c = conn({ client: HMI, server });
    map.event(modbusRequest(c, start, func, { address: 0, quantity: 10, unit: 1 }));
    map.event(modbusResponse(c, start + 0.01, func));
    map.connection(
      summary(c, 'modbus', { first: start, last: start + 1, packets: [2, 2], bytes: [120, 110] }),
    );
    return map;
  }

  test('merging the snapshots of disjoint maps gives their flows, cloned, in id order', () => {
    const a = polled(PLC2, 10);
    const b = polled(PLC, 20);
    const merged = new FlowMapBuilder();
    merged.merge(structuredClone(a.snapshot()));
    merged.merge(structuredClone(b.snapshot()));
    assert.deepEqual(merged.result(), [...b.result(), ...a.result()]);
    assert.deepEqual(merged.stats(), { flows: 2, droppedConnections: 0 });
    const snapshot = merged.snapshot();
    assert.deepEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
    merged.result()[0].connections = 99;
    assert.equal(merged.result()[0].connections, 1, 'result() hands out copies');
  });

  test('a flow in several snapshots, or also built here, combines with mergeFlow', () => {
    const first = polled(PLC, 10).result()[0];
    const second = polled(PLC, 20, 'READ_COILS').result()[0];
    const third = polled(PLC, 30).result()[0];
    const merged = polled(PLC, 30);
    merged.merge(polled(PLC, 10).snapshot());
    merged.merge(polled(PLC, 20, 'READ_COILS').snapshot());
    assert.deepEqual(merged.result(), [mergeFlow(third, mergeFlow(first, second))]);
    assert.equal(merged.result()[0].connections, 3);
    assert.equal(merged.stats().flows, 1);
  });

  test('merge refuses another format', () => {
    const wrong = { format: 'zoneward.flow-map-snapshot/0', flows: [], droppedConnections: 0 };
    assert.throws(
      () => new FlowMapBuilder().merge(wrong as unknown as FlowMapSnapshot),
      /unknown snapshot format/,
    );
  });
});
