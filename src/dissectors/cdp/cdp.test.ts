// CDP tests (STYLE.md 8): frames built from the layouts in spec.ts, the checksum (even and odd
// lengths, both signs of the last octet), malformed rows, every truncation, random bytes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RecordingLinkContext } from '../testing.ts';
import { cdpDissector } from './dissector.ts';
import { cdpChecksum, MAX_ADDRESSES, parseCdp } from './parser.ts';
import { CDP_SNAP_ID, TLV_TYPES as T } from './spec.ts';
import { cdpFrame, cdpIndustrialSwitch, cdpIpv4Addresses, cdpTlv, cdpV1Router } from './testing.ts';

function decode(payload: Uint8Array): RecordingLinkContext {
  const ctx = new RecordingLinkContext();
  cdpDissector.decode(0, payload, ctx);
  return ctx;
}

function ok(payload: Uint8Array) {
  const r = parseCdp(payload);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  return r.message;
}

describe('CDP valid frames', () => {
  test('the descriptor routes SNAP OUI 00-00-0C protocol 0x2000', () => {
    assert.deepEqual(cdpDissector.snap, [CDP_SNAP_ID]);
    assert.equal(CDP_SNAP_ID, 0x00000c * 0x10000 + 0x2000);
  });

  test('an industrial switch: every decoded TLV and the identity', () => {
    const m = ok(cdpIndustrialSwitch());
    assert.equal(m['cdp.type'], 'ADVERTISEMENT');
    assert.equal(m['cdp.operation'], 'discovery');
    assert.equal(m['cdp.version'], 2);
    assert.equal(m['cdp.ttl'], 180);
    assert.equal(m['cdp.checksum_ok'], true);
    assert.equal(m['cdp.device_id'], 'ie3400-cell3.plant.local');
    assert.deepEqual(m['cdp.addresses'], ['10.10.0.5']);
    assert.equal(m['cdp.port_id'], 'GigabitEthernet1/4');
    assert.deepEqual(m['cdp.capabilities'], ['switch', 'igmp']);
    assert.equal(m['cdp.platform'], 'cisco IE-3400-8T2S');
    assert.equal(m['cdp.vtp_domain'], 'PLANT');
    assert.equal(m['cdp.native_vlan'], 10);
    assert.equal(m['cdp.duplex'], 'FULL');
    assert.deepEqual(m['cdp.mgmt_addresses'], ['10.10.0.5']);
    assert.equal(m['cdp.device.name'], 'ie3400-cell3.plant.local');
    assert.equal(m['cdp.device.vendor'], 'Cisco');
    assert.equal(m['cdp.device.model'], 'cisco IE-3400-8T2S');
    assert.equal(m['cdp.device.firmware'], '17.6.4');
    assert.match(String(m['cdp.device.description']), /^Cisco IOS Software.*\nTechnical Support/s);
    assert.equal(m['cdp.device.ip'], '10.10.0.5');
  });

  test('a version 1 router: addresses without management addresses give the device IP', () => {
    const m = ok(cdpV1Router());
    assert.equal(m['cdp.version'], 1);
    assert.deepEqual(m['cdp.capabilities'], ['router']);
    assert.equal(m['cdp.device.ip'], '10.10.255.1');
    assert.equal(m['cdp.device.firmware'], '12.2(4)YA2');
    assert.equal(m['cdp.native_vlan'], null);
  });

  test('IPv6 addresses (802.2 protocol), other protocols as hex, the list capped', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5];
    const value = [
      0,
      0,
      0,
      2,
      2,
      8,
      0xaa,
      0xaa,
      0x03,
      0,
      0,
      0,
      0x86,
      0xdd,
      0,
      16,
      ...v6,
      1,
      1,
      0x81,
      0,
      2,
      0xab,
      0xcd,
    ];
    const m = ok(cdpFrame([...cdpTlv(T.ADDRESSES, value)]));
    assert.deepEqual(m['cdp.addresses'], ['2001:db8::5', 'abcd']);
    const many = Array.from({ length: MAX_ADDRESSES + 4 }, (_, i) => `10.0.0.${i + 1}`);
    assert.equal(
      ok(cdpFrame(cdpTlv(T.ADDRESSES, cdpIpv4Addresses(many))))['cdp.addresses']?.length,
      MAX_ADDRESSES,
    );
  });

  test('unknown TLVs are skipped; a wrong checksum is reported, not fatal', () => {
    const frame = cdpFrame([...cdpTlv(0x1234, [1, 2, 3]), ...cdpTlv(T.DEVICE_ID, [0x41])]);
    assert.equal(ok(frame)['cdp.device_id'], 'A');
    frame[3] ^= 0xff;
    assert.equal(ok(frame)['cdp.checksum_ok'], false);
  });
});

describe('CDP checksum', () => {
  test('verifies for even and odd lengths, with the last octet below and above 0x80', () => {
    for (const last of [0x41, 0xc1]) {
      for (const extra of [[], [0x42]]) {
        const frame = cdpFrame(cdpTlv(T.DEVICE_ID, [...extra, last]));
        assert.equal(cdpChecksum(frame), 0, `last 0x${last.toString(16)}, length ${frame.length}`);
        assert.equal(ok(frame)['cdp.checksum_ok'], true);
      }
    }
  });

  test('a reference value computed by hand (RFC 1071 over an even frame)', () => {
    // 02 b4 cs cs | 00 01 00 05 41: odd, last octet 0x41 goes in the low byte.
    // Words: 0x02b4 + 0x0001 + 0x0005 + 0x0041 = 0x02fb, so the checksum is ~0x02fb = 0xfd04.
    const frame = cdpFrame(cdpTlv(T.DEVICE_ID, [0x41]));
    assert.equal((frame[2] << 8) | frame[3], 0xfd04);
  });
});

describe('CDP malformed frames', () => {
  const rows: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
    {
      name: 'shorter than the header',
      bytes: Uint8Array.from([2, 180, 0]),
      reason: /below its 4-octet header/,
    },
    { name: 'version 3', bytes: Uint8Array.from([3, 180, 0, 0]), reason: /version 3/ },
    { name: 'TLV length below 4', bytes: cdpFrame([0, 1, 0, 3, 0x41]), reason: /length 3, below/ },
    { name: 'TLV past the frame', bytes: cdpFrame([0, 1, 0, 40, 0x41]), reason: /runs past the frame/ },
    {
      name: 'a partial TLV header at the end',
      bytes: cdpFrame([...cdpTlv(T.DEVICE_ID, [0x41]), 0, 1]),
      reason: /too few for a TLV header/,
    },
    {
      name: 'capabilities of 3 octets',
      bytes: cdpFrame(cdpTlv(T.CAPABILITIES, [0, 0, 1])),
      reason: /CAPABILITIES length 7/,
    },
    {
      name: 'address count above the entries',
      bytes: cdpFrame(cdpTlv(T.ADDRESSES, [0, 0, 0, 2, 1, 1, 0xcc, 0, 4, 10, 0, 0, 1])),
      reason: /address 2 of 2 missing/,
    },
    {
      name: 'native VLAN of 1 octet',
      bytes: cdpFrame(cdpTlv(T.NATIVE_VLAN, [10])),
      reason: /NATIVE_VLAN length 5/,
    },
    {
      name: 'longer than an 802.3 payload allows',
      bytes: new Uint8Array(1493).fill(2),
      reason: /above 1492/,
    },
  ];
  for (const row of rows) {
    test(row.name, () => {
      const ctx = decode(row.bytes);
      assert.equal(ctx.messages.length, 0);
      assert.equal(ctx.violations.length, 1);
      assert.match(ctx.violations[0].reason, row.reason);
    });
  }

  test('the violation keeps the device id decoded before the fault', () => {
    const ctx = decode(cdpFrame([...cdpTlv(T.DEVICE_ID, [0x41, 0x42]), 0, 4, 0, 2]));
    assert.equal(ctx.violations[0].fields['cdp.device_id'], 'AB');
  });

  test('every truncation of valid frames is one event and never throws', () => {
    for (const frame of [cdpIndustrialSwitch(), cdpV1Router()]) {
      for (let n = 0; n <= frame.length; n++) {
        const ctx = decode(frame.subarray(0, n));
        assert.equal(ctx.messages.length + ctx.violations.length, 1, `cut at ${n}`);
      }
    }
  });

  test('random bytes and random TLV sequences never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), (bytes) => {
        const ctx = decode(bytes);
        assert.equal(ctx.messages.length + ctx.violations.length, 1);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0x20 }), fc.uint8Array({ maxLength: 30 })), {
          maxLength: 10,
        }),
        (tlvs) => {
          decode(cdpFrame(tlvs.flatMap(([t, v]) => cdpTlv(t, [...v]))));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
