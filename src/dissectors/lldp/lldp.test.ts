// LLDP tests (STYLE.md 8): valid LLDPDUs built from IEEE 802.1AB-2016 §8 layouts, malformed rows
// (order, lengths, truncation at every point), random bytes, and decode() through a
// RecordingLinkContext as the pipeline calls it.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RecordingLinkContext } from '../testing.ts';
import { lldpDissector } from './dissector.ts';
import { MAX_MANAGEMENT_ADDRESSES, parseLldpdu } from './parser.ts';
import { TLV_TYPES as T } from './spec.ts';
import {
  lldpdu,
  lldpMedEndpoint,
  lldpProfinetDevice,
  lldpShutdown,
  lldpSwitch,
  orgTlv,
  tlv,
} from './testing.ts';

function decode(payload: Uint8Array): RecordingLinkContext {
  const ctx = new RecordingLinkContext();
  lldpDissector.decode(0, payload, ctx);
  return ctx;
}

function ok(payload: Uint8Array) {
  const r = parseLldpdu(payload);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  return r.message;
}

describe('LLDP valid LLDPDUs', () => {
  test('a managed switch: ids, TTL, strings, capabilities, management address, port VLAN', () => {
    const m = ok(lldpSwitch('plant-core-sw1', '10.10.1.2', 'GigabitEthernet1/0/7'));
    assert.equal(m['lldp.type'], 'ADVERTISEMENT');
    assert.equal(m['lldp.operation'], 'discovery');
    assert.equal(m['lldp.chassis_id_subtype'], 'MAC_ADDRESS');
    assert.equal(m['lldp.chassis_id'], '00:1b:1b:4a:10:20');
    assert.equal(m['lldp.port_id_subtype'], 'LOCALLY_ASSIGNED');
    assert.equal(m['lldp.port_id'], 'GigabitEthernet1/0/7');
    assert.equal(m['lldp.ttl'], 120);
    assert.equal(m['lldp.port_description'], 'Uplink to cell 3');
    assert.equal(m['lldp.system_name'], 'plant-core-sw1');
    assert.deepEqual(m['lldp.capabilities'], ['bridge', 'router']);
    assert.deepEqual(m['lldp.capabilities_enabled'], ['bridge']);
    assert.deepEqual(m['lldp.mgmt_addresses'], ['10.10.1.2']);
    assert.equal(m['lldp.port_vlan_id'], 100);
    assert.deepEqual(m['lldp.org_tlvs'], ['IEEE_802_1/PORT_VLAN_ID']);
    assert.equal(m['lldp.device.name'], 'plant-core-sw1');
    assert.equal(m['lldp.device.description'], 'Siemens SCALANCE XC208, SW: V4.3.1');
    assert.equal(m['lldp.device.ip'], '10.10.1.2');
  });

  test('a PROFINET device: the NameOfStation in the chassis id is its name', () => {
    const m = ok(lldpProfinetDevice('et200sp-cell3', '10.10.3.21', '28:63:36:5a:11:02'));
    assert.equal(m['lldp.system_name'], null);
    assert.equal(m['lldp.device.name'], 'et200sp-cell3');
    assert.equal(m['lldp.ttl'], 20);
    assert.equal(m['lldp.profinet.chassis_mac'], '28:63:36:5a:11:02');
    assert.deepEqual(m['lldp.org_tlvs'], [
      'PROFINET/PORT_STATUS',
      'PROFINET/CHASSIS_MAC',
      'IEEE_802_3/MAC_PHY_CONFIGURATION_STATUS',
    ]);
    assert.deepEqual(m['lldp.capabilities'], ['station']);
  });

  test('a locally assigned chassis id without PROFINET TLVs does not name the device', () => {
    const m = ok(lldpdu({ chassisName: 'SN-0042-77', portName: 'eth0' }));
    assert.equal(m['lldp.chassis_id'], 'SN-0042-77');
    assert.equal(m['lldp.device.name'], null);
  });

  test('LLDP-MED inventory TLVs carry vendor, model, firmware, hardware and serial', () => {
    const m = ok(lldpMedEndpoint());
    assert.equal(m['lldp.device.vendor'], 'Polycom');
    assert.equal(m['lldp.device.model'], 'VVX 450');
    assert.equal(m['lldp.device.firmware'], '5.4.1');
    assert.equal(m['lldp.device.hardware'], 'Rev 2');
    assert.equal(m['lldp.device.serial'], 'PH2231A0042');
    assert.deepEqual(m['lldp.capabilities'], ['bridge', 'telephone']);
  });

  test('a shutdown LLDPDU (TTL 0)', () => {
    const m = ok(lldpShutdown());
    assert.equal(m['lldp.type'], 'SHUTDOWN');
    assert.equal(m['lldp.ttl'], 0);
  });

  test('network-address ids, IPv6 management addresses, 0.0.0.0 is not the device IP', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x21];
    const payload = Uint8Array.from([
      ...tlv(T.CHASSIS_ID, [5, 1, 10, 0, 0, 9]),
      ...tlv(T.PORT_ID, [3, 0x00, 0x1b, 0x1b, 0x01, 0x02, 0x03]),
      ...tlv(T.TIME_TO_LIVE, [0, 120]),
      ...tlv(T.MANAGEMENT_ADDRESS, [5, 1, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0]),
      ...tlv(T.MANAGEMENT_ADDRESS, [17, 2, ...v6, 2, 0, 0, 0, 1, 0]),
      ...tlv(T.END_OF_LLDPDU, []),
    ]);
    const m = ok(payload);
    assert.equal(m['lldp.chassis_id_subtype'], 'NETWORK_ADDRESS');
    assert.equal(m['lldp.chassis_id'], '10.0.0.9');
    assert.equal(m['lldp.port_id'], '00:1b:1b:01:02:03');
    assert.deepEqual(m['lldp.mgmt_addresses'], ['0.0.0.0', '2001:db8::21']);
    assert.equal(m['lldp.device.ip'], '2001:db8::21');
  });

  test('binary ids print as hex; unknown OUIs and reserved TLV types are kept or skipped', () => {
    const payload = Uint8Array.from([
      ...tlv(T.CHASSIS_ID, [7, 0x01, 0x02, 0xff]),
      ...tlv(T.PORT_ID, [6, 0x00, 0x10]),
      ...tlv(T.TIME_TO_LIVE, [0, 30]),
      ...tlv(42, [1, 2, 3]),
      ...orgTlv(0x00000c, 9, [1]),
      ...tlv(T.END_OF_LLDPDU, []),
    ]);
    const m = ok(payload);
    assert.equal(m['lldp.chassis_id'], '0102ff');
    assert.equal(m['lldp.port_id_subtype'], 'AGENT_CIRCUIT_ID');
    assert.equal(m['lldp.port_id'], '0010');
    assert.deepEqual(m['lldp.org_tlvs'], ['UNKNOWN-12/UNKNOWN-9']);
  });

  test('Ethernet padding after End is ignored; a frame without End after the mandatory TLVs is accepted', () => {
    const base = lldpSwitch();
    const padded = new Uint8Array(base.length + 20);
    padded.set(base);
    ok(padded);
    ok(base.subarray(0, base.length - 2));
  });

  test('management address list is capped', () => {
    const one = tlv(T.MANAGEMENT_ADDRESS, [5, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 0]);
    const extra: number[] = [];
    for (let i = 0; i < MAX_MANAGEMENT_ADDRESSES + 3; i++) extra.push(...one);
    const m = ok(lldpdu({ chassisMac: '00:00:00:00:00:01', portName: 'p', extra }));
    assert.equal(m['lldp.mgmt_addresses']?.length, MAX_MANAGEMENT_ADDRESSES);
  });
});

describe('LLDP malformed LLDPDUs', () => {
  const good = lldpSwitch();
  const rows: { name: string; bytes: Uint8Array; reason: RegExp }[] = [
    { name: 'empty', bytes: new Uint8Array(0), reason: /ends after 0 TLVs/ },
    {
      name: 'port id first',
      bytes: Uint8Array.from([...tlv(T.PORT_ID, [7, 0x41]), ...tlv(T.CHASSIS_ID, [7, 0x41])]),
      reason: /TLV 1 is type 2/,
    },
    {
      name: 'TTL missing',
      bytes: Uint8Array.from([
        ...tlv(T.CHASSIS_ID, [7, 0x41]),
        ...tlv(T.PORT_ID, [7, 0x41]),
        ...tlv(T.END_OF_LLDPDU, []),
      ]),
      reason: /TLV 3 is type 0/,
    },
    {
      name: 'chassis id too short',
      bytes: Uint8Array.from([...tlv(T.CHASSIS_ID, [7])]),
      reason: /chassis id length 1/,
    },
    { name: 'TLV runs past the frame', bytes: good.subarray(0, 12), reason: /runs past the LLDPDU/ },
    {
      name: 'second chassis id',
      bytes: Uint8Array.from([...good.subarray(0, good.length - 2), ...tlv(T.CHASSIS_ID, [7, 0x41]), 0, 0]),
      reason: /second TLV of type 1/,
    },
    {
      name: 'capabilities of 3 octets',
      bytes: lldpdu({
        chassisMac: '00:00:00:00:00:01',
        portName: 'p',
        extra: tlv(T.SYSTEM_CAPABILITIES, [0, 4, 0]),
      }),
      reason: /capabilities length 3/,
    },
    {
      name: 'management address string past the TLV',
      bytes: lldpdu({
        chassisMac: '00:00:00:00:00:01',
        portName: 'p',
        extra: tlv(T.MANAGEMENT_ADDRESS, [30, 1, 10, 0, 0, 1, 2, 0, 0, 0, 1, 0]),
      }),
      reason: /runs past the TLV/,
    },
    {
      name: 'org TLV shorter than its header',
      bytes: lldpdu({
        chassisMac: '00:00:00:00:00:01',
        portName: 'p',
        extra: tlv(T.ORGANIZATIONALLY_SPECIFIC, [0, 0x0e, 0xcf]),
      }),
      reason: /organizationally specific TLV length 3/,
    },
    {
      name: 'End with a length',
      bytes: Uint8Array.from([...good.subarray(0, good.length - 2), 0x00, 0x01, 0x00]),
      reason: /End Of LLDPDU with length 1/,
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

  test('the violation keeps the ids decoded before the fault', () => {
    const ctx = decode(
      Uint8Array.from([...good.subarray(0, good.length - 2), ...tlv(T.CHASSIS_ID, [7, 0x41])]),
    );
    assert.equal(ctx.violations[0].fields['lldp.chassis_id'], '00:1b:1b:4a:10:20');
    assert.equal(ctx.violations[0].fields['lldp.port_id'], 'GigabitEthernet1/0/7');
  });

  test('every truncation of valid LLDPDUs is one event and never throws', () => {
    for (const frame of [lldpSwitch(), lldpProfinetDevice(), lldpMedEndpoint()]) {
      for (let n = 0; n <= frame.length; n++) {
        const ctx = decode(frame.subarray(0, n));
        assert.equal(ctx.messages.length + ctx.violations.length, 1, `cut at ${n}`);
      }
    }
  });

  test('random bytes never throw and give exactly one event', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1600 }), (bytes) => {
        const ctx = decode(bytes);
        assert.equal(ctx.messages.length + ctx.violations.length, 1);
      }),
      { numRuns: 2000 },
    );
  });

  test('random TLV sequences after valid mandatory TLVs never throw', () => {
    const head = lldpSwitch().subarray(0, 27);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 127 }), fc.uint8Array({ maxLength: 40 })), {
          maxLength: 12,
        }),
        (tlvs) => {
          const body = tlvs.flatMap(([t, v]) => tlv(t, [...v]));
          decode(Uint8Array.from([...head, ...body]));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
