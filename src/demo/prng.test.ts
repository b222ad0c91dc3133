import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    assert.deepEqual(
      seqA,
      Array.from({ length: 8 }, () => b.nextUint32()),
    );
    assert.notDeepEqual(
      seqA,
      Array.from({ length: 8 }, () => c.nextUint32()),
    );
  });

  it('derives independent streams by label', () => {
    assert.notEqual(Prng.derive(1, 'a').nextUint32(), Prng.derive(1, 'b').nextUint32());
    assert.equal(Prng.derive(1, 'a').nextUint32(), Prng.derive(1, 'a').nextUint32());
  });

  it('keeps int(), float() and jitter() within their bounds', () => {
    const prng = new Prng(7);
    for (let i = 0; i < 10_000; i++) {
      const n = prng.int(-3, 5);
      assert.ok(n >= -3 && n <= 5 && Number.isInteger(n));
      const f = prng.float();
      assert.ok(f >= 0 && f < 1);
      const j = prng.jitter(1000, 0.03);
      assert.ok(j >= 970 && j <= 1030);
    }
  });
});
