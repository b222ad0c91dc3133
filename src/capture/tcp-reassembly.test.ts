import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Defragmenter } from './defrag.ts';
import { MAX_TCP_PENDING_SEGMENTS } from './limits.ts';
import { TcpDirection } from './tcp-reassembly.ts';

function recorder() {
  const out: number[] = [];
  const gaps: number[] = [];
  const dir = new TcpDirection({
    data: (_ts, b) => out.push(...b),
    gap: (_ts, n) => gaps.push(n),
  });
  return { dir, out, gaps };
}

const bytes = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe('TCP reassembly', () => {
  it('delivers in-order segments as they come', () => {
    const r = recorder();
    r.dir.syn(999);
    r.dir.segment(1, 1000, bytes(0, 10));
    r.dir.segment(2, 1010, bytes(10, 5));
    assert.deepEqual(r.out, [...bytes(0, 15)]);
    assert.deepEqual(r.gaps, []);
  });

  it('reorders out-of-order segments', () => {
    const r = recorder();
    r.dir.syn(0);
    r.dir.segment(1, 11, bytes(10, 10));
    r.dir.segment(2, 21, bytes(20, 10));
    assert.deepEqual(r.out, []);
    r.dir.segment(3, 1, bytes(0, 10));
    assert.deepEqual(r.out, [...bytes(0, 30)]);
  });

  it('trims retransmitted and overlapping bytes, keeping the first copy', () => {
    const r = recorder();
    r.dir.syn(0);
    r.dir.segment(1, 1, bytes(0, 10));
    r.dir.segment(
      2,
      1,
      Uint8Array.from({ length: 10 }, () => 0xee),
    ); // full retransmission with other bytes
    r.dir.segment(3, 6, Uint8Array.from([...Array(5).fill(0xee), ...bytes(10, 5)])); // overlaps 5 old bytes
    assert.deepEqual(r.out, [...bytes(0, 15)]);
    assert.equal(r.dir.retransmittedBytes, 15);
  });

  it('handles sequence numbers wrapping past 2^32', () => {
    const r = recorder();
    r.dir.syn(0xfffffff9);
    r.dir.segment(1, 0xfffffffa, bytes(0, 10));
    r.dir.segment(2, 4, bytes(10, 4));
    assert.deepEqual(r.out, [...bytes(0, 14)]);
  });

  it('picks a stream up mid-way at the first data seen', () => {
    const r = recorder();
    r.dir.segment(1, 123456, bytes(0, 4));
    r.dir.segment(2, 123460, bytes(4, 4));
    assert.deepEqual(r.out, [...bytes(0, 8)]);
  });

  it('reports a hole that never fills as a gap when the stream ends', () => {
    const r = recorder();
    r.dir.syn(0);
    r.dir.segment(1, 1, bytes(0, 10));
    r.dir.segment(2, 31, bytes(30, 10));
    r.dir.flush();
    assert.deepEqual(r.gaps, [20]);
    assert.deepEqual(r.out, [...bytes(0, 10), ...bytes(30, 10)]);
    assert.equal(r.dir.missedBytes, 20);
  });

  it('gives up on a hole once too much is held, so memory stays bounded', () => {
    const r = recorder();
    r.dir.syn(0);
    for (let i = 0; i <= MAX_TCP_PENDING_SEGMENTS; i++) r.dir.segment(i, 101 + i * 10, bytes(i, 10));
    assert.deepEqual(r.gaps, [100]);
    assert.equal(r.dir.buffered, 0);
    assert.equal(r.out.length, (MAX_TCP_PENDING_SEGMENTS + 1) * 10);
  });

  it('yields the same stream however the segments were split, ordered and repeated (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        // At least 4 bytes a segment keeps every case under MAX_TCP_PENDING_SEGMENTS, so no gap is expected.
        fc.array(fc.integer({ min: 4, max: 60 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (data, sizes, isn, swaps, dups) => {
          // Split into segments of the given sizes (cycled).
          const segs: { seq: number; b: Uint8Array }[] = [];
          for (let off = 0, i = 0; off < data.length; i++) {
            const n = Math.min(sizes[i % sizes.length], data.length - off);
            segs.push({ seq: (isn + 1 + off) >>> 0, b: data.subarray(off, off + n) });
            off += n;
          }
          for (const d of dups) segs.push(segs[d % segs.length]);
          for (let i = 0; i < swaps.length - 1; i += 2) {
            const a = swaps[i] % segs.length;
            const b = swaps[i + 1] % segs.length;
            [segs[a], segs[b]] = [segs[b], segs[a]];
          }
          const r = recorder();
          r.dir.syn(isn);
          for (const s of segs) r.dir.segment(0, s.seq, s.b);
          r.dir.flush();
          assert.deepEqual(Uint8Array.from(r.out), data);
          assert.deepEqual(r.gaps, []);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('IP defragmentation', () => {
  it('reassembles fragments in any order and keeps the first copy of overlaps', () => {
    const d = new Defragmenter();
    const payload = bytes(0, 40);
    assert.equal(d.add('k', 0, 16, true, payload.subarray(16, 32)), null);
    assert.equal(d.add('k', 0, 32, false, payload.subarray(32, 40)), null);
    const whole = d.add('k', 0, 0, true, payload.subarray(0, 24));
    assert.deepEqual(whole, payload);
    assert.equal(d.stats.reassembled, 1);
    assert.equal(d.stats.overlaps, 1);
  });

  it('drops datagrams whose pieces never all arrive, and refuses ones past 65535 bytes', () => {
    const d = new Defragmenter();
    assert.equal(d.add('a', 0, 0, true, bytes(0, 8)), null);
    assert.equal(d.add('b', 100, 0, true, bytes(0, 8)), null);
    assert.equal(d.stats.timedOut, 1);
    assert.equal(d.add('c', 100, 65528, false, bytes(0, 16)), null);
    assert.equal(d.stats.oversized, 1);
  });
});
