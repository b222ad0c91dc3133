import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AddressRangeSet, mergeAddressRanges } from './address-ranges.ts';
import type { AddressRange } from './types.ts';

/**
 * What AddressRangeSet must compute, written plainly and slowly: the new range swallows every
 * range of its space it overlaps or touches; past the bound, the first pair of neighbours in one
 * space with the smallest hole merges, or, when every range is alone in its space, the range the
 * add landed in goes.
 */
function modelRanges(adds: readonly [string, number, number][], max: number): AddressRange[] {
  let ranges: AddressRange[] = [];
  const order = (a: AddressRange, b: AddressRange) =>
    a.space < b.space ? -1 : a.space > b.space ? 1 : a.start - b.start;
  for (const [space, start, rawEnd] of adds) {
    let added: AddressRange = { space, start, end: Math.max(start, rawEnd) };
    let swallowed = true;
    while (swallowed) {
      swallowed = false;
      for (const r of ranges) {
        if (r.space === space && r.start <= added.end + 1 && added.start <= r.end + 1) {
          added = { space, start: Math.min(r.start, added.start), end: Math.max(r.end, added.end) };
          ranges = ranges.filter((x) => x !== r);
          swallowed = true;
          break;
        }
      }
    }
    ranges = [...ranges, added].sort(order);
    while (ranges.length > max) {
      let best = -1;
      for (let i = 0; i + 1 < ranges.length; i++) {
        if (ranges[i].space !== ranges[i + 1].space) continue;
        const gap = ranges[i + 1].start - ranges[i].end;
        if (best < 0 || gap < ranges[best + 1].start - ranges[best].end) best = i;
      }
      if (best < 0) {
        ranges = ranges.filter((r) => r !== added);
        continue;
      }
      const merged = { ...ranges[best], end: Math.max(ranges[best].end, ranges[best + 1].end) };
      ranges.splice(best, 2, merged);
      added = merged;
    }
  }
  return ranges;
}

describe('AddressRangeSet', () => {
  test('merges overlapping and adjacent ranges of one space, keeps spaces apart', () => {
    const set = new AddressRangeSet(64);
    set.add('holding_register', 10, 19);
    set.add('holding_register', 20, 29); // adjacent
    set.add('holding_register', 25, 40); // overlapping
    set.add('holding_register', 100, 100);
    set.add('coil', 0, 7);
    set.add('holding_register', 0, 9); // adjacent below
    assert.deepEqual(set.toArray(), [
      { space: 'coil', start: 0, end: 7 },
      { space: 'holding_register', start: 0, end: 40 },
      { space: 'holding_register', start: 100, end: 100 },
    ]);
  });

  test('a range bridging several ranges swallows them', () => {
    const set = new AddressRangeSet(64);
    for (const start of [0, 10, 20, 30]) set.add('coil', start, start + 1);
    set.add('coil', 1, 29);
    assert.deepEqual(set.toArray(), [{ space: 'coil', start: 0, end: 31 }]);
  });

  test('past the bound, the closest ranges are merged', () => {
    const set = new AddressRangeSet(3);
    set.add('holding_register', 0, 0);
    set.add('holding_register', 100, 100);
    set.add('holding_register', 1000, 1000);
    set.add('holding_register', 105, 105); // closest to 100
    assert.deepEqual(set.toArray(), [
      { space: 'holding_register', start: 0, end: 0 },
      { space: 'holding_register', start: 100, end: 105 },
      { space: 'holding_register', start: 1000, end: 1000 },
    ]);
  });

  test('stays bounded and covers every added address, whatever the input', () => {
    const space = fc.constantFrom('coil', 'discrete_input', 'holding_register', 'input_register');
    const range = fc.tuple(space, fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 200 }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 300 }), (adds) => {
        const set = new AddressRangeSet(16);
        for (const [s, start, length] of adds) set.add(s, start, start + length);
        const ranges = set.toArray();
        assert.ok(ranges.length <= 16);
        for (let i = 1; i < ranges.length; i += 1) {
          const a = ranges[i - 1];
          const b = ranges[i];
          assert.ok(a.space < b.space || (a.space === b.space && a.end + 1 < b.start), 'sorted, disjoint');
        }
        for (const [s, start, length] of adds) {
          assert.ok(ranges.some((r) => r.space === s && r.start <= start && r.end >= start + length));
        }
      }),
    );
  });

  test('computes what the plain model computes, polls and scans alike, under any bound', () => {
    const space = fc.constantFrom(
      'coil',
      'discrete_input',
      'holding_register',
      'input_register',
      'a',
      'b',
      'c',
    );
    // Few distinct blocks, as a poller reads them, mixed with scattered ones, as a scan touches them.
    const polled = fc.tuple(space, fc.constantFrom(0, 10, 100, 120, 3000), fc.constantFrom(0, 9, 19, 49));
    const scattered = fc.tuple(space, fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 20 }));
    const add = fc
      .oneof(polled, scattered)
      .map(([s, start, length]) => [s, start, start + length] as [string, number, number]);
    fc.assert(
      fc.property(fc.array(add, { maxLength: 200 }), fc.integer({ min: 1, max: 10 }), (adds, max) => {
        const set = new AddressRangeSet(max);
        for (const [s, start, end] of adds) set.add(s, start, end);
        assert.deepEqual(set.toArray(), modelRanges(adds, max));
      }),
      { numRuns: 500 },
    );
  });

  test('mergeAddressRanges unites two lists under the bound', () => {
    const merged = mergeAddressRanges(
      [{ space: 'coil', start: 0, end: 9 }],
      [
        { space: 'coil', start: 5, end: 20 },
        { space: 'holding_register', start: 3, end: 3 },
      ],
      64,
    );
    assert.deepEqual(merged, [
      { space: 'coil', start: 0, end: 20 },
      { space: 'holding_register', start: 3, end: 3 },
    ]);
  });
});
