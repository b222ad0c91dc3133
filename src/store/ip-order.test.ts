// The asset listing order: ip_sort keys must sort bytewise exactly as addresses sort numerically.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipSortKey, NO_IP_SORT_KEY } from './ip-order.ts';

test('keys for IPv4 and IPv6 text forms', () => {
  const rows: [string | null, string][] = [
    ['10.0.0.2', '40a000002'],
    ['255.255.255.255', '4ffffffff'],
    ['::', `6${'0'.repeat(32)}`],
    ['::1', `6${'0'.repeat(31)}1`],
    ['2001:DB8::1', '620010db8000000000000000000000001'],
    ['fe80::1%eth0', '6fe800000000000000000000000000001'],
    ['::ffff:192.0.2.1', '600000000000000000000ffffc0000201'],
    ['1:2:3:4:5:6:7:8', '600010002000300040005000600070008'],
    ['1:2:3:4:5:6:7::', '60001000200030004000500060007' + '0000'],
    [null, NO_IP_SORT_KEY],
  ];
  for (const [ip, key] of rows) assert.equal(ipSortKey(ip), key, String(ip));
});

test('text that is not an address sorts after every address, as itself', () => {
  for (const text of ['256.1.1.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gggg::1', 'host.local', '']) {
    assert.equal(ipSortKey(text), `x${text}`, text);
  }
});

test('sorting keys bytewise sorts addresses numerically, IPv4 first, no address last', () => {
  const ordered = [
    '0.0.0.0',
    '9.255.255.255',
    '10.0.0.2',
    '10.0.0.10',
    '192.168.1.1',
    '::1',
    '2001:db8::1',
    '2001:db8::10',
    'fe80::1',
    'not-an-ip',
    null,
  ];
  const shuffled = [...ordered].reverse();
  const sorted = shuffled.sort((a, b) =>
    ipSortKey(a) < ipSortKey(b) ? -1 : ipSortKey(a) > ipSortKey(b) ? 1 : 0,
  );
  assert.deepEqual(sorted, ordered);
});
