// DHCP messages (RFC 2131 §2 message format, options and the magic cookie from RFC 2132),
// written in place as UDP payloads. Options are written in the order Windows clients and servers
// use, message type first.

export const DHCP_SERVER_PORT = 67;
export const DHCP_CLIENT_PORT = 68;

/** RFC 2132 §9.6 "DHCP Message Type" values. */
export const DHCP_MESSAGE_TYPE = {
  DHCPDISCOVER: 1,
  DHCPOFFER: 2,
  DHCPREQUEST: 3,
  DHCPDECLINE: 4,
  DHCPACK: 5,
  DHCPNAK: 6,
  DHCPRELEASE: 7,
  DHCPINFORM: 8,
} as const;

/** RFC 2132 option codes used here. */
export const DHCP_OPTION = {
  PAD: 0,
  SUBNET_MASK: 1, // §3.3
  ROUTER: 3, // §3.5
  DOMAIN_NAME_SERVER: 6, // §3.8
  HOST_NAME: 12, // §3.14
  DOMAIN_NAME: 15, // §3.17
  REQUESTED_IP_ADDRESS: 50, // §9.1
  IP_ADDRESS_LEASE_TIME: 51, // §9.2
  DHCP_MESSAGE_TYPE: 53, // §9.6
  SERVER_IDENTIFIER: 54, // §9.7
  PARAMETER_REQUEST_LIST: 55, // §9.8
  MESSAGE: 56, // §9.9
  RENEWAL_TIME_VALUE: 58, // §9.11
  REBINDING_TIME_VALUE: 59, // §9.12
  VENDOR_CLASS_IDENTIFIER: 60, // §9.13
  CLIENT_IDENTIFIER: 61, // §9.14
  END: 255,
} as const;

export const BOOTP_OP = { BOOTREQUEST: 1, BOOTREPLY: 2 } as const;
/** op .. file: the fixed part before the options (RFC 2131 §2, figure 1). */
export const DHCP_FIXED_BYTES = 236;
/** RFC 2132 §2: 99.130.83.99. */
export const DHCP_MAGIC_COOKIE = 0x63825363;
/** RFC 1542 §2.1: relay agents may drop BOOTP messages shorter than 300 octets; senders pad. */
export const BOOTP_MIN_MESSAGE_BYTES = 300;
/** RFC 2131 §2 'flags': the BROADCAST bit. */
const FLAG_BROADCAST = 0x8000;

export interface DhcpMessage {
  readonly op: number;
  readonly messageType: number;
  readonly xid: number;
  readonly secs?: number;
  readonly broadcast?: boolean;
  readonly hops?: number;
  readonly ciaddr?: number;
  readonly yiaddr?: number;
  readonly siaddr?: number;
  readonly giaddr?: number;
  readonly chaddr: Uint8Array;
  readonly clientIdentifier?: Uint8Array;
  readonly requestedIp?: number;
  readonly serverIdentifier?: number;
  readonly hostName?: string;
  readonly vendorClass?: string;
  readonly parameterRequestList?: readonly number[];
  readonly leaseSeconds?: number;
  readonly renewalSeconds?: number;
  readonly rebindingSeconds?: number;
  readonly subnetMask?: number;
  readonly router?: number;
  readonly domainNameServers?: readonly number[];
  readonly domainName?: string;
  readonly message?: string;
}

function put32(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 24;
  buf[off + 1] = (value >>> 16) & 0xff;
  buf[off + 2] = (value >>> 8) & 0xff;
  buf[off + 3] = value & 0xff;
}

function putBytesOption(buf: Uint8Array, off: number, code: number, bytes: ArrayLike<number>): number {
  buf[off] = code;
  buf[off + 1] = bytes.length;
  for (let i = 0; i < bytes.length; i++) buf[off + 2 + i] = bytes[i];
  return off + 2 + bytes.length;
}

function putAsciiOption(buf: Uint8Array, off: number, code: number, text: string): number {
  buf[off] = code;
  buf[off + 1] = text.length;
  for (let i = 0; i < text.length; i++) buf[off + 2 + i] = text.charCodeAt(i) & 0xff;
  return off + 2 + text.length;
}

function putAddressesOption(
  buf: Uint8Array,
  off: number,
  code: number,
  addresses: readonly number[],
): number {
  buf[off] = code;
  buf[off + 1] = 4 * addresses.length;
  for (let i = 0; i < addresses.length; i++) put32(buf, off + 2 + 4 * i, addresses[i]);
  return off + 2 + 4 * addresses.length;
}

/** Writes one DHCP message at `off`, padded to the BOOTP minimum. Returns its length. */
export function writeDhcpMessage(buf: Uint8Array, off: number, m: DhcpMessage): number {
  buf.fill(0, off, off + DHCP_FIXED_BYTES);
  buf[off] = m.op;
  buf[off + 1] = 1; // htype: Ethernet (RFC 1700 hardware types)
  buf[off + 2] = 6; // hlen
  buf[off + 3] = m.hops ?? 0;
  put32(buf, off + 4, m.xid);
  buf[off + 8] = ((m.secs ?? 0) >>> 8) & 0xff;
  buf[off + 9] = (m.secs ?? 0) & 0xff;
  const flags = m.broadcast ? FLAG_BROADCAST : 0;
  buf[off + 10] = flags >>> 8;
  put32(buf, off + 12, m.ciaddr ?? 0);
  put32(buf, off + 16, m.yiaddr ?? 0);
  put32(buf, off + 20, m.siaddr ?? 0);
  put32(buf, off + 24, m.giaddr ?? 0);
  buf.set(m.chaddr.subarray(0, 6), off + 28); // chaddr is 16 bytes, the rest stays zero
  let p = off + DHCP_FIXED_BYTES;
  put32(buf, p, DHCP_MAGIC_COOKIE);
  p += 4;
  p = putBytesOption(buf, p, DHCP_OPTION.DHCP_MESSAGE_TYPE, [m.messageType]);
  if (m.serverIdentifier !== undefined && m.op === BOOTP_OP.BOOTREPLY) {
    p = putAddressesOption(buf, p, DHCP_OPTION.SERVER_IDENTIFIER, [m.serverIdentifier]);
  }
  if (m.message !== undefined) p = putAsciiOption(buf, p, DHCP_OPTION.MESSAGE, m.message);
  if (m.clientIdentifier) p = putBytesOption(buf, p, DHCP_OPTION.CLIENT_IDENTIFIER, m.clientIdentifier);
  if (m.requestedIp !== undefined)
    p = putAddressesOption(buf, p, DHCP_OPTION.REQUESTED_IP_ADDRESS, [m.requestedIp]);
  if (m.serverIdentifier !== undefined && m.op === BOOTP_OP.BOOTREQUEST) {
    p = putAddressesOption(buf, p, DHCP_OPTION.SERVER_IDENTIFIER, [m.serverIdentifier]);
  }
  if (m.hostName !== undefined) p = putAsciiOption(buf, p, DHCP_OPTION.HOST_NAME, m.hostName);
  if (m.vendorClass !== undefined)
    p = putAsciiOption(buf, p, DHCP_OPTION.VENDOR_CLASS_IDENTIFIER, m.vendorClass);
  if (m.parameterRequestList)
    p = putBytesOption(buf, p, DHCP_OPTION.PARAMETER_REQUEST_LIST, m.parameterRequestList);
  if (m.leaseSeconds !== undefined) {
    const seconds = [m.leaseSeconds, m.renewalSeconds ?? 0, m.rebindingSeconds ?? 0];
    buf[p] = DHCP_OPTION.RENEWAL_TIME_VALUE;
    buf[p + 1] = 4;
    put32(buf, p + 2, seconds[1]);
    buf[p + 6] = DHCP_OPTION.REBINDING_TIME_VALUE;
    buf[p + 7] = 4;
    put32(buf, p + 8, seconds[2]);
    buf[p + 12] = DHCP_OPTION.IP_ADDRESS_LEASE_TIME;
    buf[p + 13] = 4;
    put32(buf, p + 14, seconds[0]);
    p += 18;
  }
  if (m.subnetMask !== undefined) p = putAddressesOption(buf, p, DHCP_OPTION.SUBNET_MASK, [m.subnetMask]);
  if (m.router !== undefined) p = putAddressesOption(buf, p, DHCP_OPTION.ROUTER, [m.router]);
  if (m.domainNameServers)
    p = putAddressesOption(buf, p, DHCP_OPTION.DOMAIN_NAME_SERVER, m.domainNameServers);
  if (m.domainName !== undefined) p = putAsciiOption(buf, p, DHCP_OPTION.DOMAIN_NAME, m.domainName);
  buf[p++] = DHCP_OPTION.END;
  const end = Math.max(p, off + BOOTP_MIN_MESSAGE_BYTES);
  buf.fill(DHCP_OPTION.PAD, p, end);
  return end - off;
}
