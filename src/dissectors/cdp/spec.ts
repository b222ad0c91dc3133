// CDP code tables: TLV types, capability bits and address protocols, with the names Wireshark's
// packet-cdp.c gives them in upper snake case (DESIGN.md "Names"). Cisco publishes no full
// specification: the sources are Cisco's "CDP packet format" notes (header: version, TTL,
// checksum; TLVs of type, length counting the 4-octet header, value) as Wireshark's packet-cdp.c,
// the Linux cdpd and the cdp-tools implement them; addresses use the NLPID (ISO/IEC TR 9577)
// and IEEE 802.2 SNAP protocol identifiers.

import type { Operation } from '../operations.ts';

/** CDP runs over IEEE 802.3 with LLC/SNAP: OUI 00-00-0C (Cisco), protocol id 0x2000. */
export const CISCO_OUI = 0x00000c;
export const CDP_PROTOCOL_ID = 0x2000;
/** The SNAP id the pipeline routes by (types.ts: OUI * 0x10000 + protocol id). */
export const CDP_SNAP_ID = CISCO_OUI * 0x10000 + CDP_PROTOCOL_ID;
/** Frames go to this multicast address. */
export const CDP_MULTICAST = '01:00:0c:cc:cc:cc';

/** Versions in the header: 1, and 2 (adds native VLAN, duplex, VTP domain...). */
export const CDP_VERSIONS = [1, 2] as const;

/** TLV types (packet-cdp.c; 0x000c-0x000d unassigned). */
export const TLV_TYPES = {
  DEVICE_ID: 0x0001,
  ADDRESSES: 0x0002,
  PORT_ID: 0x0003,
  CAPABILITIES: 0x0004,
  SOFTWARE_VERSION: 0x0005,
  PLATFORM: 0x0006,
  IP_PREFIXES: 0x0007,
  PROTOCOL_HELLO: 0x0008,
  VTP_MANAGEMENT_DOMAIN: 0x0009,
  NATIVE_VLAN: 0x000a,
  DUPLEX: 0x000b,
  VOIP_VLAN_REPLY: 0x000e,
  VOIP_VLAN_QUERY: 0x000f,
  POWER: 0x0010,
  MTU: 0x0011,
  TRUST_BITMAP: 0x0012,
  UNTRUSTED_PORT_COS: 0x0013,
  SYSTEM_NAME: 0x0014,
  SYSTEM_OID: 0x0015,
  MANAGEMENT_ADDRESSES: 0x0016,
  LOCATION: 0x0017,
  EXTERNAL_PORT_ID: 0x0018,
  POWER_REQUESTED: 0x0019,
  POWER_AVAILABLE: 0x001a,
  PORT_UNIDIRECTIONAL: 0x001b,
  ENERGYWISE: 0x001d,
  SPARE_POE: 0x001f,
} as const;

/** Capability bits of the CAPABILITIES TLV (a 32-bit map), least significant first. */
export const CAPABILITIES = [
  'router',
  'trans_bridge',
  'source_route_bridge',
  'switch',
  'host',
  'igmp',
  'repeater',
  'phone',
  'remote',
  'cvta',
  'two_port_mac_relay',
] as const;

/** Protocol types of an address entry: NLPID (one octet) or IEEE 802.2 (an LLC/SNAP header). */
export const ADDRESS_PROTOCOL_TYPES = { NLPID: 1, IEEE_802_2: 2 } as const;
/** NLPID 0xCC is IP (ISO/IEC TR 9577). */
export const NLPID_IP = 0xcc;
/** 802.2 protocol of an IPv6 address: AA AA 03, OUI 00-00-00, EtherType 0x86DD. */
export const SNAP_IPV6 = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd] as const;

/** `cdp.type`: every CDP frame is an advertisement. */
export const CDP_MESSAGE_TYPE = 'ADVERTISEMENT';
/** Every CDP frame says who is at the other end of a link. */
export const CDP_OPERATION: Operation = 'discovery';
/** The vendor CDP identifies: the protocol is Cisco's. */
export const CDP_VENDOR = 'Cisco';
