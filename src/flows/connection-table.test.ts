import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionTable } from './connection-table.ts';
import { conn } from './fixtures/pipeline-events.ts';

test('ConnectionTable finds every entry, also when connections share a slot', () => {
  const table = new ConnectionTable<string>();
  // Same ports, different hosts: one slot for all of them.
  const conns = Array.from({ length: 5 }, (_, i) =>
    conn({ client: `192.0.2.${i}`, server: '192.0.2.99', clientPort: 40000 }),
  );
  for (const [i, c] of conns.entries()) table.set(c, `v${i}`);
  for (let round = 0; round < 3; round++) {
    for (const [i, c] of conns.entries()) assert.equal(table.get(c), `v${i}`);
  }
  assert.equal(table.size, 5);
  table.delete(conns[4]);
  table.delete(conns[1]);
  assert.equal(table.get(conns[4]), undefined);
  assert.equal(table.get(conns[1]), undefined);
  assert.equal(table.get(conns[0]), 'v0');
  assert.deepEqual([...table.values()], ['v0', 'v2', 'v3']);
  table.set(conns[0], 'again');
  assert.equal(table.get(conns[0]), 'again');
  assert.equal(table.get(conn({ client: '192.0.2.0', server: '192.0.2.99', clientPort: 40000 })), undefined);
});
