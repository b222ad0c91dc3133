import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { shardOf, shardOfIpv4 } from './shard.ts';

const ipv4Text = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const shards = fc.integer({ min: 1, max: 16 });

describe('shard of an address pair', () => {
  test('IPv4 text and numbers agree, in either order, signed or unsigned, within range', () => {
    fc.assert(
      fc.property(u32, u32, shards, (a, b, n) => {
        const s = shardOf(ipv4Text(a), ipv4Text(b), n);
        assert.ok(Number.isInteger(s) && s >= 0 && s < n);
        assert.equal(shardOf(ipv4Text(b), ipv4Text(a), n), s);
        assert.equal(shardOfIpv4(a, b, n), s);
        assert.equal(shardOfIpv4(b | 0, a | 0, n), s, 'signed 32-bit numbers, as bit arithmetic gives them');
      }),
    );
  });

  test('any other text is symmetric and within range', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), shards, (a, b, n) => {
        const s = shardOf(a, b, n);
        assert.ok(Number.isInteger(s) && s >= 0 && s < n);
        assert.equal(shardOf(b, a, n), s);
      }),
    );
  });

  test('pinned values: the pipeline and the merge must keep agreeing on them', () => {
    // Changing the hash changes no result, but a pipeline built against another version would
    // split traffic differently from this one; these values make such a change deliberate.
    const pairs: [string, string, number][] = [
      ['192.168.1.10', '192.168.1.20', 335941],
      ['10.0.0.1', '10.0.0.2', 610118],
      ['0.0.0.0', '255.255.255.255', 899308],
      ['fe80::1', 'ff02::1:2', 429182],
    ];
    for (const [a, b, expected] of pairs) assert.equal(shardOf(a, b, 1_000_003), expected, `${a} ${b}`);
  });

  test('one shard takes everything', () => {
    assert.equal(shardOf('192.0.2.1', '2001:db8::1', 1), 0);
    assert.equal(shardOfIpv4(0xc0000201, 0xc0000202, 1), 0);
  });

  test('host pairs of one subnet spread over the shards', () => {
    const counts = [0, 0, 0];
    for (let host = 1; host < 255; host++) counts[shardOf('10.1.2.1', `10.1.2.${host}`, 3)] += 1;
    for (const c of counts) assert.ok(c > 254 / 3 / 2, `uneven: ${counts}`);
  });
});
