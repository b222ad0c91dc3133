// Parses one DHCP datagram (RFC 2131 section 2, options RFC 2132) into a typed message. Pure and
// bounded (STYLE.md 4): every read is length-checked, the option walk stops at MAX_OPTIONS, and the
// result is ok or violation. A UDP datagram arrives whole, so a short one is a violation, never
// `incomplete`.

import type { Fields, ParseResult } from '../types.ts';
import {
  BootpOffset,
  BootpOp,
  CHADDR_LENGTH,
  DhcpOption,
  ETHERNET_ADDRESS_LENGTH,
  FILE_LENGTH,
  HTYPE_ETHERNET,
  MAGIC_COOKIE,
  MAX_OPTION_VALUE_LENGTH,
  MAX_OPTIONS,
  MAX_ROUTERS,
  MIN_DHCP_LENGTH,
  messageTypeName,
  OptionOverload,
  SNAME_LENGTH,
} from './spec.ts';

export interface DhcpMessage {
  readonly op: 'BOOTREQUEST' | 'BOOTREPLY';
  /** Transaction id chosen by the client (RFC 2131 section 2). */
  readonly xid: number;
  /** Option 53; null for a plain BOOTP message that carries the cookie but no message type. */
  readonly msgType: string | null;
  /** `chaddr` as `aa:bb:cc:dd:ee:ff` when it is an Ethernet address, else null. */
  readonly clientMac: string | null;
  /** `ciaddr`; null when 0.0.0.0 (the client has no address yet). */
  readonly clientIp: string | null;
  /** `yiaddr`; null when 0.0.0.0. */
  readonly assignedIp: string | null;
  /** `giaddr`, the relay agent (RFC 2131 section 4.1); null when not relayed. */
  readonly relayIp: string | null;
  readonly requestedIp: string | null;
  readonly serverId: string | null;
  /** Seconds; 0xffffffff means infinite (RFC 2132 section 9.2). */
  readonly leaseTime: number | null;
  readonly hostname: string | null;
  readonly vendorClass: string | null;
  /** Option 61 as lower-case hex, type byte included (RFC 2132 section 9.14). */
  readonly clientId: string | null;
  readonly routers: readonly string[];
}

/** Option codes whose values are kept; every other option is walked over and skipped. */
const DECODED_OPTIONS: ReadonlySet<number> = new Set([
  DhcpOption.ROUTER,
  DhcpOption.HOST_NAME,
  DhcpOption.REQUESTED_IP_ADDRESS,
  DhcpOption.IP_ADDRESS_LEASE_TIME,
  DhcpOption.OPTION_OVERLOAD,
  DhcpOption.DHCP_MESSAGE_TYPE,
  DhcpOption.SERVER_IDENTIFIER,
  DhcpOption.VENDOR_CLASS_IDENTIFIER,
  DhcpOption.CLIENT_IDENTIFIER,
]);

/** True when the datagram has a BOOTP header and the DHCP magic cookie: what the probe checks. */
export function looksLikeDhcp(datagram: Uint8Array): boolean {
  if (datagram.length < MIN_DHCP_LENGTH) return false;
  const op = datagram[BootpOffset.op];
  if (op !== BootpOp.BOOTREQUEST && op !== BootpOp.BOOTREPLY) return false;
  if (datagram[BootpOffset.hlen] > CHADDR_LENGTH) return false;
  return readUint32(datagram, BootpOffset.options) === MAGIC_COOKIE;
}

export function parseDhcp(datagram: Uint8Array): ParseResult<DhcpMessage> {
  const violation = (reason: string): ParseResult<DhcpMessage> => ({
    kind: 'violation',
    consumed: datagram.length,
    reason,
  });
  if (datagram.length < MIN_DHCP_LENGTH) {
    return violation(
      `datagram of ${datagram.length} bytes is shorter than the ${MIN_DHCP_LENGTH}-byte BOOTP header and magic cookie`,
    );
  }
  const opCode = datagram[BootpOffset.op];
  if (opCode !== BootpOp.BOOTREQUEST && opCode !== BootpOp.BOOTREPLY) {
    return violation(`op ${opCode} is neither BOOTREQUEST (1) nor BOOTREPLY (2)`);
  }
  const hlen = datagram[BootpOffset.hlen];
  if (hlen > CHADDR_LENGTH) return violation(`hlen ${hlen} exceeds the ${CHADDR_LENGTH}-byte chaddr field`);
  if (readUint32(datagram, BootpOffset.options) !== MAGIC_COOKIE) {
    return violation('magic cookie 99.130.83.99 missing: not a DHCP message');
  }

  const options = new OptionCollector();
  const mainError = options.walk(datagram, MIN_DHCP_LENGTH, datagram.length, 'options field');
  if (mainError !== null) return violation(mainError);

  // Option Overload moves more options into `file` and then `sname`, read in that order
  // (RFC 2131 section 4.1, RFC 2132 section 9.3).
  const overload = options.single(DhcpOption.OPTION_OVERLOAD);
  if (overload !== undefined) {
    if (overload.length !== 1 || overload[0] < OptionOverload.FILE || overload[0] > OptionOverload.BOTH) {
      return violation('option 52 (Option Overload) must be one byte of value 1, 2 or 3');
    }
    if (overload[0] & OptionOverload.FILE) {
      const err = options.walk(datagram, BootpOffset.file, BootpOffset.file + FILE_LENGTH, 'file field');
      if (err !== null) return violation(err);
    }
    if (overload[0] & OptionOverload.SNAME) {
      const err = options.walk(datagram, BootpOffset.sname, BootpOffset.sname + SNAME_LENGTH, 'sname field');
      if (err !== null) return violation(err);
    }
  }

  const msgTypeBytes = options.single(DhcpOption.DHCP_MESSAGE_TYPE);
  if (msgTypeBytes !== undefined && msgTypeBytes.length !== 1) {
    return violation(`option 53 (DHCP Message Type) has length ${msgTypeBytes.length}, must be 1`);
  }
  const requested = options.single(DhcpOption.REQUESTED_IP_ADDRESS);
  if (requested !== undefined && requested.length !== 4) {
    return violation(`option 50 (Requested IP Address) has length ${requested.length}, must be 4`);
  }
  const serverId = options.single(DhcpOption.SERVER_IDENTIFIER);
  if (serverId !== undefined && serverId.length !== 4) {
    return violation(`option 54 (Server Identifier) has length ${serverId.length}, must be 4`);
  }
  const lease = options.single(DhcpOption.IP_ADDRESS_LEASE_TIME);
  if (lease !== undefined && lease.length !== 4) {
    return violation(`option 51 (IP Address Lease Time) has length ${lease.length}, must be 4`);
  }
  const routers = options.single(DhcpOption.ROUTER);
  if (routers !== undefined && (routers.length === 0 || routers.length % 4 !== 0)) {
    return violation(`option 3 (Router) has length ${routers.length}, must be a non-zero multiple of 4`);
  }

  const message: DhcpMessage = {
    op: opCode === BootpOp.BOOTREQUEST ? 'BOOTREQUEST' : 'BOOTREPLY',
    xid: readUint32(datagram, BootpOffset.xid),
    msgType: msgTypeBytes === undefined ? null : messageTypeName(msgTypeBytes[0]),
    clientMac:
      datagram[BootpOffset.htype] === HTYPE_ETHERNET && hlen === ETHERNET_ADDRESS_LENGTH
        ? formatMac(datagram, BootpOffset.chaddr)
        : null,
    clientIp: nonZeroIpv4(datagram, BootpOffset.ciaddr),
    assignedIp: nonZeroIpv4(datagram, BootpOffset.yiaddr),
    relayIp: nonZeroIpv4(datagram, BootpOffset.giaddr),
    requestedIp: requested === undefined ? null : formatIpv4(requested, 0),
    serverId: serverId === undefined ? null : formatIpv4(serverId, 0),
    leaseTime: lease === undefined ? null : readUint32(lease, 0),
    hostname: optionalText(options.single(DhcpOption.HOST_NAME)),
    vendorClass: optionalText(options.single(DhcpOption.VENDOR_CLASS_IDENTIFIER)),
    clientId: optionalHex(options.single(DhcpOption.CLIENT_IDENTIFIER)),
    routers: routers === undefined ? [] : ipv4List(routers, MAX_ROUTERS),
  };
  return { kind: 'ok', consumed: datagram.length, message };
}

/** The transaction id of a datagram too broken to parse, when its first 8 bytes are there. */
export function readXid(datagram: Uint8Array): number | null {
  return datagram.length >= BootpOffset.xid + 4 ? readUint32(datagram, BootpOffset.xid) : null;
}

/** The dotted fields of one message (the public contract, see README.md). Null where absent. */
export function dhcpFields(m: DhcpMessage): Fields {
  return {
    'dhcp.op': m.op,
    'dhcp.msg_type': m.msgType,
    // Address assignment changes nothing on a device: not an operation in the shared vocabulary.
    'dhcp.operation': 'other',
    'dhcp.xid': m.xid,
    'dhcp.client_mac': m.clientMac,
    'dhcp.client_ip': m.clientIp,
    'dhcp.assigned_ip': m.assignedIp,
    'dhcp.relay_ip': m.relayIp,
    'dhcp.requested_ip': m.requestedIp,
    'dhcp.server_id': m.serverId,
    'dhcp.lease_time': m.leaseTime,
    'dhcp.hostname': m.hostname,
    'dhcp.vendor_class': m.vendorClass,
    'dhcp.client_id': m.clientId,
    'dhcp.router': m.routers.length === 0 ? null : m.routers,
  };
}

/**
 * Collects the decoded options across the options field and any overloaded `file`/`sname` field.
 * Repeated instances of one option are concatenated in order (RFC 3396 section 5).
 */
class OptionCollector {
  private readonly values = new Map<number, Uint8Array>();
  private walked = 0;

  /** Walks [start, end); returns a violation reason or null. A missing END option is tolerated. */
  walk(bytes: Uint8Array, start: number, end: number, area: string): string | null {
    let i = start;
    while (i < end) {
      const code = bytes[i];
      if (code === DhcpOption.PAD) {
        i += 1;
        continue;
      }
      if (code === DhcpOption.END) return null;
      this.walked += 1;
      if (this.walked > MAX_OPTIONS) return `more than ${MAX_OPTIONS} options`;
      if (i + 1 >= end) return `option ${code} at the end of the ${area} has no length byte`;
      const length = bytes[i + 1];
      const valueEnd = i + 2 + length;
      if (valueEnd > end) return `option ${code} (length ${length}) runs past the end of the ${area}`;
      if (DECODED_OPTIONS.has(code)) {
        const error = this.append(code, bytes.subarray(i + 2, valueEnd));
        if (error !== null) return error;
      }
      i = valueEnd;
    }
    return null;
  }

  single(code: number): Uint8Array | undefined {
    return this.values.get(code);
  }

  private append(code: number, value: Uint8Array): string | null {
    const previous = this.values.get(code);
    if (previous === undefined) {
      // Copy: the datagram is only valid during the session call (DissectorSession.data).
      this.values.set(code, value.slice());
      return null;
    }
    if (previous.length + value.length > MAX_OPTION_VALUE_LENGTH) {
      return `option ${code} is longer than ${MAX_OPTION_VALUE_LENGTH} bytes after concatenation`;
    }
    const joined = new Uint8Array(previous.length + value.length);
    joined.set(previous, 0);
    joined.set(value, previous.length);
    this.values.set(code, joined);
    return null;
  }
}

/** Network byte order (big-endian), as every multi-byte BOOTP field (RFC 2131 section 2). */
function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0
  );
}

function formatIpv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

function nonZeroIpv4(bytes: Uint8Array, offset: number): string | null {
  return readUint32(bytes, offset) === 0 ? null : formatIpv4(bytes, offset);
}

function ipv4List(bytes: Uint8Array, max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + 4 <= bytes.length && out.length < max; i += 4) out.push(formatIpv4(bytes, i));
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function formatMac(bytes: Uint8Array, offset: number): string {
  const parts: string[] = [];
  for (let i = 0; i < ETHERNET_ADDRESS_LENGTH; i += 1) parts.push(HEX[bytes[offset + i]]);
  return parts.join(':');
}

function optionalHex(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined || bytes.length === 0) return null;
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

/**
 * Host name and vendor class are NVT ASCII (RFC 2132 sections 3.14, 9.13). Some clients add a
 * trailing NUL, which is dropped; any other byte outside printable ASCII is kept visible as `\xNN`
 * so the value is faithful and safe to print.
 */
function optionalText(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return null;
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end -= 1;
  if (end === 0) return null;
  let out = '';
  for (let i = 0; i < end; i += 1) {
    const b = bytes[i];
    out += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${HEX[b]}`;
  }
  return out;
}
