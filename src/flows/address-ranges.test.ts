import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { AddressRangeSet, mergeAddressRanges } from './address-ranges.ts';

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
