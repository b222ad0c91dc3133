// Builders of realistic LLDPDUs (IEEE 802.1AB-2016 §8), for tests and for the synthetic demo plant
// (src/demo). Each returns the frame payload after the EtherType 0x88cc (destination
// 01:80:c2:00:00:0e, the nearest-bridge address of §7.1).

import type { ConformanceSample } from '../testing.ts';
import {
  ADDRESS_FAMILIES,
  CHASSIS_ID_SUBTYPES,
  INTERFACE_NUMBERING,
  ORGANIZATIONS,
  PORT_ID_SUBTYPES,
  PROFINET_SUBTYPES,
  TLV_TYPES as T,
  TIA_MED_SUBTYPES,
} from './spec.ts';

/** The multicast destination of LLDP frames a bridge does not forward (§7.1). */
export const LLDP_NEAREST_BRIDGE = '01:80:c2:00:00:0e';

/** One TLV: 7-bit type and 9-bit length, big-endian (§8.4), then the value. */
export function tlv(type: number, value: readonly number[]): number[] {
  return [(type << 1) | ((value.length >> 8) & 1), value.length & 0xff, ...value];
}

function ascii(s: string): number[] {
  return [...new TextEncoder().encode(s)];
}

function mac(s: string): number[] {
  return s.split(':').map((x) => Number.parseInt(x, 16));
}

function ipv4(s: string): number[] {
  return s.split('.').map(Number);
}

/** What a station advertises; omitted parts are left out of the LLDPDU. */
export interface LldpAdvertisement {
  chassisMac?: string;
  /** Locally assigned chassis id (PROFINET: the NameOfStation). Wins over chassisMac. */
  chassisName?: string;
  portName: string;
  ttl?: number;
  portDescription?: string;
  systemName?: string;
  systemDescription?: string;
  /** Capability bits (§8.5.8.1: 0x0004 bridge, 0x0010 router, 0x0080 station). */
  capabilities?: number;
  enabled?: number;
  managementIpv4?: string;
  ifIndex?: number;
  portVlanId?: number;
  /** Extra TLVs (organizationally specific) appended before End. */
  extra?: number[];
}

/** An LLDPDU from an advertisement, ending with End Of LLDPDU. */
export function lldpdu(a: LldpAdvertisement): Uint8Array {
  const out: number[] = [];
  if (a.chassisName !== undefined)
    out.push(...tlv(T.CHASSIS_ID, [CHASSIS_ID_SUBTYPES.LOCALLY_ASSIGNED, ...ascii(a.chassisName)]));
  else
    out.push(
      ...tlv(T.CHASSIS_ID, [CHASSIS_ID_SUBTYPES.MAC_ADDRESS, ...mac(a.chassisMac ?? '00:00:00:00:00:00')]),
    );
  out.push(...tlv(T.PORT_ID, [PORT_ID_SUBTYPES.LOCALLY_ASSIGNED, ...ascii(a.portName)]));
  const ttl = a.ttl ?? 120;
  out.push(...tlv(T.TIME_TO_LIVE, [ttl >> 8, ttl & 0xff]));
  if (a.portDescription !== undefined) out.push(...tlv(T.PORT_DESCRIPTION, ascii(a.portDescription)));
  if (a.systemName !== undefined) out.push(...tlv(T.SYSTEM_NAME, ascii(a.systemName)));
  if (a.systemDescription !== undefined) out.push(...tlv(T.SYSTEM_DESCRIPTION, ascii(a.systemDescription)));
  if (a.capabilities !== undefined) {
    const c = a.capabilities;
    const e = a.enabled ?? c;
    out.push(...tlv(T.SYSTEM_CAPABILITIES, [c >> 8, c & 0xff, e >> 8, e & 0xff]));
  }
  if (a.managementIpv4 !== undefined) {
    const i = a.ifIndex ?? 1;
    out.push(
      ...tlv(T.MANAGEMENT_ADDRESS, [
        5,
        ADDRESS_FAMILIES.IPV4,
        ...ipv4(a.managementIpv4),
        INTERFACE_NUMBERING.IF_INDEX,
        (i >>> 24) & 0xff,
        (i >> 16) & 0xff,
        (i >> 8) & 0xff,
        i & 0xff,
        0,
      ]),
    );
  }
  if (a.portVlanId !== undefined)
    out.push(...orgTlv(ORGANIZATIONS.IEEE_802_1, 1, [a.portVlanId >> 8, a.portVlanId & 0xff]));
  if (a.extra !== undefined) out.push(...a.extra);
  out.push(...tlv(T.END_OF_LLDPDU, []));
  return Uint8Array.from(out);
}

/** An organizationally specific TLV (§8.6): OUI, subtype, information. */
export function orgTlv(oui: number, subtype: number, info: readonly number[]): number[] {
  return tlv(T.ORGANIZATIONALLY_SPECIFIC, [
    (oui >> 16) & 0xff,
    (oui >> 8) & 0xff,
    oui & 0xff,
    subtype,
    ...info,
  ]);
}

/** A managed industrial switch (bridge + router capable, bridge enabled) with its management IP. */
export function lldpSwitch(
  systemName = 'plant-core-sw1',
  ip = '10.10.1.2',
  port = 'GigabitEthernet1/0/7',
): Uint8Array {
  return lldpdu({
    chassisMac: '00:1b:1b:4a:10:20',
    portName: port,
    portDescription: 'Uplink to cell 3',
    systemName,
    systemDescription: 'Siemens SCALANCE XC208, SW: V4.3.1',
    capabilities: 0x0014,
    enabled: 0x0004,
    managementIpv4: ip,
    ifIndex: 7,
    portVlanId: 100,
  });
}

/**
 * A PROFINET IO device as PROFINET stacks send it: chassis id = NameOfStation (locally
 * assigned), port id `port-001`, TTL 20 s, a management address, PROFINET port status and
 * chassis MAC TLVs (IEC 61158-6-10), no system name.
 */
export function lldpProfinetDevice(
  nameOfStation = 'et200sp-cell3',
  ip = '10.10.3.21',
  interfaceMac = '28:63:36:5a:11:02',
  systemDescription = 'Siemens, ET200SP, 6ES7 155-6AU01-0BN0, HW: 3, FW: V4.2.0',
): Uint8Array {
  return lldpdu({
    chassisName: nameOfStation,
    portName: 'port-001',
    ttl: 20,
    systemDescription,
    capabilities: 0x0080,
    managementIpv4: ip,
    extra: [
      ...orgTlv(ORGANIZATIONS.PROFINET, PROFINET_SUBTYPES.PORT_STATUS, [0, 0, 0, 0]),
      ...orgTlv(ORGANIZATIONS.PROFINET, PROFINET_SUBTYPES.CHASSIS_MAC, mac(interfaceMac)),
      ...orgTlv(ORGANIZATIONS.IEEE_802_3, 1, [0x03, 0x6c, 0x00, 0x00, 0x10]),
    ],
  });
}

/** An LLDP-MED endpoint (an IP phone in the control room) with inventory TLVs (ANSI/TIA-1057 §10.2.6). */
export function lldpMedEndpoint(): Uint8Array {
  const s = (x: string) => ascii(x);
  return lldpdu({
    chassisMac: '00:04:f2:aa:bb:cc',
    portName: 'WAN',
    systemName: 'ctrlroom-phone-2',
    capabilities: 0x0024,
    managementIpv4: '10.10.9.40',
    extra: [
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.CAPABILITIES, [0x00, 0x33, 0x03]),
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.HARDWARE_REVISION, s('Rev 2')),
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.FIRMWARE_REVISION, s('5.4.1')),
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.SERIAL_NUMBER, s('PH2231A0042')),
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.MANUFACTURER_NAME, s('Polycom')),
      ...orgTlv(ORGANIZATIONS.TIA_MED, TIA_MED_SUBTYPES.MODEL_NAME, s('VVX 450')),
    ],
  });
}

/** A shutdown LLDPDU (§9.2.7.7.2): TTL 0, sent when a port's LLDP agent stops. */
export function lldpShutdown(chassisMac = '00:1b:1b:4a:10:20', port = 'GigabitEthernet1/0/7'): Uint8Array {
  return lldpdu({ chassisMac, portName: port, ttl: 0 });
}

/** Valid LLDPDUs for the shared conformance suite (../registry.test.ts). */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  { dissector: 'lldp', name: 'managed switch advertisement', transmissions: [[0, 1, lldpSwitch()]] },
  {
    dissector: 'lldp',
    name: 'PROFINET IO device advertisement',
    transmissions: [[0, 1, lldpProfinetDevice()]],
  },
  { dissector: 'lldp', name: 'LLDP-MED endpoint with inventory', transmissions: [[0, 1, lldpMedEndpoint()]] },
  { dissector: 'lldp', name: 'shutdown', transmissions: [[0, 1, lldpShutdown()]] },
];
