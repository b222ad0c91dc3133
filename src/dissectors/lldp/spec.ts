// LLDP code tables: TLV types, chassis and port id subtypes, system capabilities, management
// address families, and the organizationally specific TLVs recognised by OUI and subtype, with the
// standards' names in upper snake case (DESIGN.md "Names"). Built once into lookup arrays.
//
// Sources: IEEE Std 802.1AB-2016 (Station and Media Access Control Connectivity Discovery):
// §8.4 TLV format, §8.5 basic management TLVs (§8.5.2 chassis id, §8.5.3 port id, §8.5.4 TTL,
// §8.5.5-8.5.7 strings, §8.5.8 system capabilities, §8.5.9 management address), §8.6
// organizationally specific TLVs; IEEE 802.1Q-2018 Annex D (802.1 TLVs, OUI 00-80-C2);
// IEEE 802.3-2018 clause 79 (802.3 TLVs, OUI 00-12-0F); ANSI/TIA-1057 §10.2 (LLDP-MED, OUI
// 00-12-BB); IEC 61158-6-10 (PROFINET LLDP extension, OUI 00-0E-CF, subtypes as PROFINET stacks
// such as p-net define them). Address families: IANA "Address Family Numbers".

import type { Operation } from '../operations.ts';

/** EtherType of LLDP (§7.1, IEEE 802 assignment). */
export const LLDP_ETHERTYPE = 0x88cc;

/** TLV types (§8.4.1, Table 8-1); 9-126 are reserved. */
export const TLV_TYPES = {
  END_OF_LLDPDU: 0,
  CHASSIS_ID: 1,
  PORT_ID: 2,
  TIME_TO_LIVE: 3,
  PORT_DESCRIPTION: 4,
  SYSTEM_NAME: 5,
  SYSTEM_DESCRIPTION: 6,
  SYSTEM_CAPABILITIES: 7,
  MANAGEMENT_ADDRESS: 8,
  ORGANIZATIONALLY_SPECIFIC: 127,
} as const;

/** Chassis ID subtypes (§8.5.2.2, Table 8-2). */
export const CHASSIS_ID_SUBTYPES = {
  CHASSIS_COMPONENT: 1,
  INTERFACE_ALIAS: 2,
  PORT_COMPONENT: 3,
  MAC_ADDRESS: 4,
  NETWORK_ADDRESS: 5,
  INTERFACE_NAME: 6,
  LOCALLY_ASSIGNED: 7,
} as const;

/** Port ID subtypes (§8.5.3.2, Table 8-3). */
export const PORT_ID_SUBTYPES = {
  INTERFACE_ALIAS: 1,
  PORT_COMPONENT: 2,
  MAC_ADDRESS: 3,
  NETWORK_ADDRESS: 4,
  INTERFACE_NAME: 5,
  AGENT_CIRCUIT_ID: 6,
  LOCALLY_ASSIGNED: 7,
} as const;

/** System capabilities, by bit (§8.5.8.1, Table 8-4: bit 1 is the least significant). */
export const SYSTEM_CAPABILITIES = [
  'other',
  'repeater',
  'bridge',
  'wlan_access_point',
  'router',
  'telephone',
  'docsis_cable_device',
  'station',
  'c_vlan',
  's_vlan',
  'tpmr',
] as const;

/** IANA address family numbers used in network-address ids and management addresses. */
export const ADDRESS_FAMILIES = {
  IPV4: 1,
  IPV6: 2,
  MAC: 6, // "802 (includes all 802 media plus Ethernet canonical format)"
} as const;

/** Interface numbering subtypes of a management address (§8.5.9.5). */
export const INTERFACE_NUMBERING = { UNKNOWN: 1, IF_INDEX: 2, SYSTEM_PORT_NUMBER: 3 } as const;

/** Organizations whose TLVs are recognised (§8.6), by OUI. */
export const ORGANIZATIONS = {
  IEEE_802_1: 0x0080c2,
  IEEE_802_3: 0x00120f,
  TIA_MED: 0x0012bb,
  PROFINET: 0x000ecf,
} as const;

/** IEEE 802.1Q-2018 Annex D.2 subtypes. */
export const IEEE_802_1_SUBTYPES = {
  PORT_VLAN_ID: 1,
  PORT_AND_PROTOCOL_VLAN_ID: 2,
  VLAN_NAME: 3,
  PROTOCOL_IDENTITY: 4,
  VID_USAGE_DIGEST: 5,
  MANAGEMENT_VID: 6,
  LINK_AGGREGATION: 7,
  CONGESTION_NOTIFICATION: 8,
  ETS_CONFIGURATION: 9,
  ETS_RECOMMENDATION: 10,
  PFC_CONFIGURATION: 11,
  APPLICATION_PRIORITY: 12,
  EVB: 13,
  CDCP: 14,
} as const;

/** IEEE 802.3-2018 clause 79.3 subtypes. */
export const IEEE_802_3_SUBTYPES = {
  MAC_PHY_CONFIGURATION_STATUS: 1,
  POWER_VIA_MDI: 2,
  LINK_AGGREGATION: 3,
  MAXIMUM_FRAME_SIZE: 4,
  EEE: 5,
  EEE_FAST_WAKE: 6,
  ADDITIONAL_ETHERNET_CAPABILITIES: 7,
  POWER_VIA_MDI_MEASUREMENTS: 8,
} as const;

/** ANSI/TIA-1057 §10.2 subtypes; 5-11 are the inventory TLVs (§10.2.6) that carry identity. */
export const TIA_MED_SUBTYPES = {
  CAPABILITIES: 1,
  NETWORK_POLICY: 2,
  LOCATION_IDENTIFICATION: 3,
  EXTENDED_POWER_VIA_MDI: 4,
  HARDWARE_REVISION: 5,
  FIRMWARE_REVISION: 6,
  SOFTWARE_REVISION: 7,
  SERIAL_NUMBER: 8,
  MANUFACTURER_NAME: 9,
  MODEL_NAME: 10,
  ASSET_ID: 11,
} as const;

/** PROFINET LLDP extension subtypes (IEC 61158-6-10); 9-255 reserved. */
export const PROFINET_SUBTYPES = {
  MEASURED_DELAY_VALUES: 1,
  PORT_STATUS: 2,
  PORT_ALIAS: 3,
  MRP_PORT_STATUS: 4,
  CHASSIS_MAC: 5,
  PTCP_STATUS: 6,
  MAU_TYPE_EXTENSION: 7,
  MRP_INTERCONNECTION_PORT_STATUS: 8,
} as const;

/** `lldp.type`: an advertisement, or a shutdown (TTL 0: forget me, §9.2.7.7.2). */
export const LLDPDU_TYPES = { ADVERTISEMENT: 'ADVERTISEMENT', SHUTDOWN: 'SHUTDOWN' } as const;

/** Every LLDPDU says who is at the other end of a link. */
export const LLDP_OPERATION: Operation = 'discovery';

// Lookup arrays, built once.

export function unknownName(code: number): string {
  return `UNKNOWN-${code}`;
}

function buildNames(table: Record<string, number>, size: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < size; i++) names.push(unknownName(i));
  for (const [name, code] of Object.entries(table)) names[code] = name;
  return names;
}

export const CHASSIS_ID_SUBTYPE_NAMES: readonly string[] = buildNames(CHASSIS_ID_SUBTYPES, 256);
export const PORT_ID_SUBTYPE_NAMES: readonly string[] = buildNames(PORT_ID_SUBTYPES, 256);

/** OUI -> organisation name and its subtype names. */
export const ORGANIZATION_TABLES: ReadonlyMap<number, { name: string; subtypes: readonly string[] }> =
  new Map([
    [ORGANIZATIONS.IEEE_802_1, { name: 'IEEE_802_1', subtypes: buildNames(IEEE_802_1_SUBTYPES, 256) }],
    [ORGANIZATIONS.IEEE_802_3, { name: 'IEEE_802_3', subtypes: buildNames(IEEE_802_3_SUBTYPES, 256) }],
    [ORGANIZATIONS.TIA_MED, { name: 'TIA_MED', subtypes: buildNames(TIA_MED_SUBTYPES, 256) }],
    [ORGANIZATIONS.PROFINET, { name: 'PROFINET', subtypes: buildNames(PROFINET_SUBTYPES, 256) }],
  ]);
