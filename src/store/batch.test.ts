// Batched writes: statements never exceed the engine's bind-parameter limit, and duplicate keys in
// one batch collapse to the last record.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunks, lastPerKey, rowsPerStatement } from './batch.ts';

test('rows per statement stay within the parameter limit, at least one row', () => {
  assert.equal(rowsPerStatement(32_766, 12), 2730);
  assert.ok(2730 * 12 <= 32_766 && 2731 * 12 > 32_766);
  assert.equal(rowsPerStatement(65_535, 19), 3449);
  assert.equal(rowsPerStatement(10, 19), 1);
});

test('chunks cover every item once, in order', () => {
  const items = Array.from({ length: 10 }, (_, i) => i);
  assert.deepEqual(chunks(items, 4), [
    [0, 1, 2, 3],
    [4, 5, 6, 7],
    [8, 9],
  ]);
  assert.deepEqual(chunks(items, 10), [items]);
  assert.deepEqual(chunks([], 3), []);
});

test('the last record per key wins', () => {
  const records = [
    { id: 'a', v: 1 },
    { id: 'b', v: 2 },
    { id: 'a', v: 3 },
  ];
  assert.deepEqual(
    lastPerKey(records, (r) => r.id),
    [
      { id: 'a', v: 3 },
      { id: 'b', v: 2 },
    ],
  );
});
