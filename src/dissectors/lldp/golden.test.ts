// LLDP through the real pipeline on the shared PROFINET capture, whose switch and IO device send
// LLDP every 5 s (PROFINET's rate). The expected count and senders come from an independent scan
// of the capture's frames for EtherType 0x88cc; the expected values are the TLV bytes of those
// frames, quoted beside each assertion.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sharedCapture } from '../../../test/zeek-log.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { LinkEvent } from '../../pipeline/events.ts';
import { lldpDissector } from './dissector.ts';
import { LLDP_ETHERTYPE } from './spec.ts';

const CAPTURE = sharedCapture('profinet/profinet_io_cm_mixed_1.pcap');

/** LLDP frames per source MAC, found by walking the classic pcap records (no pipeline involved). */
function scanLldpFrames(path: string): Map<string, number> {
  const b = readFileSync(path);
  const little = b.readUInt32LE(0) === 0xa1b2c3d4;
  const bySource = new Map<string, number>();
  for (let off = 24; off + 16 <= b.length; ) {
    const length = little ? b.readUInt32LE(off + 8) : b.readUInt32BE(off + 8);
    const f = b.subarray(off + 16, off + 16 + length);
    off += 16 + length;
    if (f.length < 14) continue;
    let type = f.readUInt16BE(12);
    if (type === 0x8100 && f.length >= 18) type = f.readUInt16BE(16);
    if (type !== LLDP_ETHERTYPE) continue;
    const src = [...f.subarray(6, 12)].map((x) => x.toString(16).padStart(2, '0')).join(':');
    bySource.set(src, (bySource.get(src) ?? 0) + 1);
  }
  return bySource;
}

describe('LLDP golden: shared/captures/profinet/profinet_io_cm_mixed_1.pcap', async () => {
  const links: LinkEvent[] = [];
  await decodeCaptureFile(
    CAPTURE,
    { event() {}, arp() {}, connection() {}, link: (e) => links.push(e) },
    { dissectors: [lldpDissector] },
  );
  const expected = scanLldpFrames(CAPTURE);

  test('one message per LLDP frame, per sender, and no violation', () => {
    assert.ok(expected.size > 0);
    const got = new Map<string, number>();
    for (const e of links) {
      assert.equal(e.app, 'lldp');
      assert.equal(e.kind, 'message', String(e.fields.reason));
      got.set(e.srcMac, (got.get(e.srcMac) ?? 0) + 1);
    }
    assert.deepEqual(got, expected);
  });

  const first = (mac: string) => links.find((e) => e.srcMac === mac)?.fields ?? {};

  test('the SCALANCE switch ports name the switch by its NameOfStation', () => {
    // Chassis id TLV 02 14 07 "siemens-x208-switch", port id 04 09 07 "port-004", TTL 06 02 00 14,
    // system description 0c 32 "Siemens AG SIMATIC S7 MULTIPORT SCALANCE X 200 FAM", capabilities
    // 0e 04 0080 0080, management address 0.0.0.0 (ifIndex 4), PROFINET chassis MAC 00:0e:8c:ef:75:c5.
    const f = first('00:0e:8c:ef:75:c9');
    assert.equal(f['lldp.chassis_id_subtype'], 'LOCALLY_ASSIGNED');
    assert.equal(f['lldp.chassis_id'], 'siemens-x208-switch');
    assert.equal(f['lldp.port_id'], 'port-004');
    assert.equal(f['lldp.ttl'], 20);
    assert.equal(f['lldp.device.name'], 'siemens-x208-switch');
    assert.equal(f['lldp.device.description'], 'Siemens AG SIMATIC S7 MULTIPORT SCALANCE X 200 FAM');
    assert.deepEqual(f['lldp.capabilities'], ['station']);
    assert.deepEqual(f['lldp.mgmt_addresses'], ['0.0.0.0']);
    assert.equal(f['lldp.device.ip'], null);
    assert.equal(f['lldp.profinet.chassis_mac'], '00:0e:8c:ef:75:c5');
    assert.deepEqual(f['lldp.org_tlvs'], [
      'PROFINET/PORT_STATUS',
      'PROFINET/CHASSIS_MAC',
      'IEEE_802_3/MAC_PHY_CONFIGURATION_STATUS',
    ]);
    assert.equal(first('00:0e:8c:ef:75:cd')['lldp.port_id'], 'port-008');
  });

  test('the VersaMax IO device names itself and its management IP', () => {
    // Chassis id 02 0f 07 "versamax-pns11", port id "port-001", management address 0c 05 01 c0a80102.
    const f = first('00:09:91:43:e0:68');
    assert.equal(f['lldp.device.name'], 'versamax-pns11');
    assert.equal(f['lldp.port_id'], 'port-001');
    assert.equal(f['lldp.device.ip'], '192.168.1.2');
    assert.equal(f['lldp.device.description'], null);
    assert.equal(f['lldp.profinet.chassis_mac'], '00:09:91:43:e0:67');
  });
});
