// DHCP wire constants and code tables (STYLE.md 5): the BOOTP message layout of RFC 2131 section 2
// (Figure 1, Table 1), the magic cookie of RFC 2131 section 3 / RFC 2132 section 2, and the option
// codes this dissector decodes (RFC 2132). Names are the specifications' names.

/** Fixed BOOTP header fields, byte offsets from the start of the UDP payload (RFC 2131 Table 1). */
export const BootpOffset = {
  op: 0,
  htype: 1,
  hlen: 2,
  hops: 3,
  xid: 4,
  secs: 8,
  flags: 10,
  ciaddr: 12,
  yiaddr: 16,
  siaddr: 20,
  giaddr: 24,
  chaddr: 28,
  sname: 44,
  file: 108,
  /** The options field begins with the 4-byte magic cookie (RFC 2131 section 3). */
  options: 236,
} as const;

export const CHADDR_LENGTH = 16;
export const SNAME_LENGTH = 64;
export const FILE_LENGTH = 128;

/** 99.130.83.99: marks the options field as RFC 1497 / DHCP vendor extensions (RFC 2132 section 2). */
export const MAGIC_COOKIE = 0x63825363;
export const MAGIC_COOKIE_LENGTH = 4;

/** The shortest datagram that can be DHCP: fixed header plus magic cookie. */
export const MIN_DHCP_LENGTH = BootpOffset.options + MAGIC_COOKIE_LENGTH;

/** `op` values (RFC 951 section 3, kept by RFC 2131 Table 1). */
export const BootpOp = {
  BOOTREQUEST: 1,
  BOOTREPLY: 2,
} as const;

/** ARP hardware type for Ethernet (RFC 1700 / IANA "Hardware Types"), with its 6-byte address. */
export const HTYPE_ETHERNET = 1;
export const ETHERNET_ADDRESS_LENGTH = 6;

/** Option codes decoded here (RFC 2132, section numbers in the comments). */
export const DhcpOption = {
  PAD: 0, // 3.1
  ROUTER: 3, // 3.5
  HOST_NAME: 12, // 3.14
  REQUESTED_IP_ADDRESS: 50, // 9.1
  IP_ADDRESS_LEASE_TIME: 51, // 9.2
  OPTION_OVERLOAD: 52, // 9.3
  DHCP_MESSAGE_TYPE: 53, // 9.6
  SERVER_IDENTIFIER: 54, // 9.7
  VENDOR_CLASS_IDENTIFIER: 60, // 9.13
  CLIENT_IDENTIFIER: 61, // 9.14
  END: 255, // 3.2
} as const;

/** Option Overload (RFC 2132 section 9.3): which of `file` and `sname` carry more options. */
export const OptionOverload = {
  FILE: 1,
  SNAME: 2,
  BOTH: 3,
} as const;

/**
 * DHCP Message Type values (RFC 2132 section 9.6 for 1-8; IANA "DHCP Message Type 53 Values" for
 * FORCERENEW, RFC 3203, and the leasequery family, RFC 4388, RFC 6926, RFC 7724). Printed without
 * the `DHCP` prefix, as the field values `DISCOVER`, `ACK`...
 */
export const DhcpMessageType = {
  1: 'DISCOVER',
  2: 'OFFER',
  3: 'REQUEST',
  4: 'DECLINE',
  5: 'ACK',
  6: 'NAK',
  7: 'RELEASE',
  8: 'INFORM',
  9: 'FORCERENEW',
  10: 'LEASEQUERY',
  11: 'LEASEUNASSIGNED',
  12: 'LEASEUNKNOWN',
  13: 'LEASEACTIVE',
  14: 'BULKLEASEQUERY',
  15: 'LEASEQUERYDONE',
  16: 'ACTIVELEASEQUERY',
  17: 'LEASEQUERYSTATUS',
  18: 'TLS',
} as const satisfies Record<number, string>;

/** The spec's name for a message type code; unknown codes print as `UNKNOWN-<n>` (DESIGN.md "Names"). */
export function messageTypeName(code: number): string {
  return (DhcpMessageType as Record<number, string>)[code] ?? `UNKNOWN-${code}`;
}

// Parser limits (DESIGN.md "Streaming and bounded").

/**
 * Options walked per datagram, pads excluded. A real client or server sends a few dozen; a full
 * 1500-byte frame cannot hold more than about 630 two-byte options, so anything past this is junk.
 */
export const MAX_OPTIONS = 256;

/**
 * Bytes kept for one option after RFC 3396 concatenation of repeated instances. The decoded options
 * (host name, vendor class, client id) are short strings; 1 KiB keeps every real value whole.
 */
export const MAX_OPTION_VALUE_LENGTH = 1024;

/** Routers listed from option 3 (RFC 2132 section 3.5 allows several, in order of preference). */
export const MAX_ROUTERS = 8;
