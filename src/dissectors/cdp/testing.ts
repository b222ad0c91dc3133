// Builders of realistic CDP frames (the payload after the LLC/SNAP header AA AA 03 00 00 0C 20 00),
// for tests and for the synthetic demo plant (src/demo), with the checksum computed the way Cisco
// devices compute it (parser.ts cdpChecksum). Send them to 01:00:0c:cc:cc:cc in an 802.3 frame.

import type { ConformanceSample } from '../testing.ts';
import { cdpChecksum } from './parser.ts';
import { ADDRESS_PROTOCOL_TYPES, NLPID_IP, TLV_TYPES as T } from './spec.ts';

/** The LLC/SNAP header that precedes a CDP frame in its 802.3 frame. */
export const CDP_LLC_SNAP = Uint8Array.from([0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00]);

/** One TLV: type, length counting the 4-octet header, value (big-endian). */
export function cdpTlv(type: number, value: readonly number[]): number[] {
  const length = value.length + 4;
  return [type >> 8, type & 0xff, length >> 8, length & 0xff, ...value];
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0) & 0xff);
}

/** An ADDRESSES / MANAGEMENT_ADDRESSES value: count, then NLPID IP entries. */
export function cdpIpv4Addresses(ips: readonly string[]): number[] {
  const out = [0, 0, 0, ips.length];
  for (const ip of ips)
    out.push(ADDRESS_PROTOCOL_TYPES.NLPID, 1, NLPID_IP, 0, 4, ...ip.split('.').map(Number));
  return out;
}

/** A CDP frame: version, TTL, checksum over everything, then `tlvs`. */
export function cdpFrame(tlvs: readonly number[], version = 2, ttl = 180): Uint8Array {
  const out = Uint8Array.from([version, ttl, 0, 0, ...tlvs]);
  const c = cdpChecksum(out);
  out[2] = c >> 8;
  out[3] = c & 0xff;
  return out;
}

/** What a Catalyst access switch announces on a port facing the plant floor. */
export interface CdpSwitchOptions {
  deviceId?: string;
  ip?: string;
  port?: string;
  platform?: string;
  softwareVersion?: string;
  nativeVlan?: number;
}

const IE_SOFTWARE =
  'Cisco IOS Software, IE3x00 Software (IE3x00-UNIVERSALK9-M), Version 17.6.4, RELEASE SOFTWARE (fc1)\n' +
  'Technical Support: http://www.cisco.com/techsupport\n' +
  'Copyright (c) 1986-2022 by Cisco Systems, Inc.\n' +
  'Compiled Fri 19-Aug-22 05:22 by mcpre';

/** A Cisco IE-3400 industrial switch (version 2, switch + IGMP, full duplex, native VLAN 10). */
export function cdpIndustrialSwitch(o: CdpSwitchOptions = {}): Uint8Array {
  const ip = o.ip ?? '10.10.0.5';
  return cdpFrame([
    ...cdpTlv(T.DEVICE_ID, ascii(o.deviceId ?? 'ie3400-cell3.plant.local')),
    ...cdpTlv(T.ADDRESSES, cdpIpv4Addresses([ip])),
    ...cdpTlv(T.PORT_ID, ascii(o.port ?? 'GigabitEthernet1/4')),
    ...cdpTlv(T.CAPABILITIES, [0, 0, 0, 0x28]),
    ...cdpTlv(T.SOFTWARE_VERSION, ascii(o.softwareVersion ?? IE_SOFTWARE)),
    ...cdpTlv(T.PLATFORM, ascii(o.platform ?? 'cisco IE-3400-8T2S')),
    ...cdpTlv(T.VTP_MANAGEMENT_DOMAIN, ascii('PLANT')),
    ...cdpTlv(T.NATIVE_VLAN, [0, o.nativeVlan ?? 10]),
    ...cdpTlv(T.DUPLEX, [1]),
    ...cdpTlv(T.MANAGEMENT_ADDRESSES, cdpIpv4Addresses([ip])),
  ]);
}

/** A version 1 router frame (only the TLVs CDPv1 had), as an old ISR on the plant's WAN edge sends. */
export function cdpV1Router(): Uint8Array {
  return cdpFrame(
    [
      ...cdpTlv(T.DEVICE_ID, ascii('edge-rtr1')),
      ...cdpTlv(T.ADDRESSES, cdpIpv4Addresses(['10.10.255.1'])),
      ...cdpTlv(T.PORT_ID, ascii('FastEthernet0/0')),
      ...cdpTlv(T.CAPABILITIES, [0, 0, 0, 0x01]),
      ...cdpTlv(
        T.SOFTWARE_VERSION,
        ascii(
          'Cisco Internetwork Operating System Software \nIOS (tm) C1700 Software (C1700-Y-M), Version 12.2(4)YA2',
        ),
      ),
      ...cdpTlv(T.PLATFORM, ascii('cisco 1720')),
    ],
    1,
    180,
  );
}

/** Valid CDP frames for the shared conformance suite (../registry.test.ts). */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  { dissector: 'cdp', name: 'CDPv2 from an IE-3400 switch', transmissions: [[0, 1, cdpIndustrialSwitch()]] },
  { dissector: 'cdp', name: 'CDPv1 from a router', transmissions: [[0, 1, cdpV1Router()]] },
];
