import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conn, modbusRequest, summary } from './fixtures/pipeline-events.ts';
import { FlowMapBuilder } from './flow-map.ts';
import { mergeFlow } from './merge.ts';
import type { Flow } from './types.ts';

function captureOnce(start: number, func: string, address: number, unit: number): Flow {
  const map = new FlowMapBuilder();
  const c = conn({ client: '192.0.2.10', server: '192.0.2.20' });
  map.event(modbusRequest(c, start, func, { address, quantity: 5, unit }));
  map.connection(summary(c, 'modbus', { first: start, last: start + 10, packets: [2, 2], bytes: [100, 90] }));
  return map.result()[0];
}

test('mergeFlow sums counters, widens times and unites operations', () => {
  const stored = captureOnce(1000, 'READ_HOLDING_REGISTERS', 0, 1);
  const fresh = captureOnce(5000, 'WRITE_MULTIPLE_REGISTERS', 3, 2);
  const merged = mergeFlow(stored, fresh);
  assert.equal(merged.connections, 2);
  assert.equal(merged.packets, 8);
  assert.equal(merged.bytes, 380);
  assert.equal(merged.firstSeen, 1000);
  assert.equal(merged.lastSeen, 5010);
  assert.deepEqual(merged.operations.functions, { READ_HOLDING_REGISTERS: 1, WRITE_MULTIPLE_REGISTERS: 1 });
  assert.equal(merged.operations.reads, 1);
  assert.equal(merged.operations.writes, 1);
  assert.deepEqual(merged.operations.addressRanges, [{ space: 'holding_register', start: 0, end: 7 }]);
  assert.deepEqual(merged.operations.units, [1, 2]);
});

test('mergeFlow is pure and merging twice adds twice', () => {
  const stored = captureOnce(1000, 'READ_COILS', 0, 1);
  const copy = structuredClone(stored);
  const twice = mergeFlow(mergeFlow(stored, stored), stored);
  assert.deepEqual(stored, copy);
  assert.equal(twice.connections, 3);
  assert.equal(twice.operations.functions.READ_COILS, 3);
});

test('mergeFlow refuses flows with different ids', () => {
  const a = captureOnce(1, 'READ_COILS', 0, 1);
  assert.throws(() => mergeFlow(a, { ...a, id: 'tcp|x|y|502|modbus' }), /different flow/);
});
