// EtherNet/IP encapsulation: the 24-byte header that frames every message on TCP and UDP 44818, the
// Common Packet Format (CPF) that SendRRData, SendUnitData, ListIdentity and ListServices carry,
// the ListIdentity identity item, and the CPF datagrams of implicit (class 0/1) I/O on UDP 2222.
// Pure functions: they never throw, read through indexes into the caller's buffer, copy nothing
// but the few strings they return, and report malformed input as a reason string.
//
// Byte order: the encapsulation header, CPF items and CIP are little-endian (Vol 2 §2-3.1, §2-6);
// the socket address inside a ListIdentity reply is big-endian, network order (Vol 2 §2-6.3.2).
//
// Sources: THE CIP NETWORKS LIBRARY Volume 2, §2-3 (header), §2-4 (command formats), §2-6 (CPF),
// §3-2 and Table 3-2.1 (UDP I/O datagrams: sequenced address item and connected data item).

import type { ParseResult } from '../types.ts';
import { CPF_ITEMS } from './spec.ts';

/** Fixed encapsulation header (Vol 2 §2-3.1): command, length, session, status, context, options. */
export const ENCAP_HEADER_LENGTH = 24;

/** The data following the header: "0 to 65511 bytes" (Vol 2 §2-3.1, Length field). */
export const MAX_ENCAP_DATA_LENGTH = 65_511;

/** A whole encapsulation message at its largest; also the most a TCP direction buffers. */
export const MAX_ENCAP_MESSAGE_LENGTH = ENCAP_HEADER_LENGTH + MAX_ENCAP_DATA_LENGTH;

/**
 * CPF items read from one message. Vol 2 §2-6.1 defines an address item, a data item and optional
 * sockaddr items (at most 4 in practice); a ListIdentity reply from a multi-identity device may
 * hold a few more. Beyond this the message is malformed.
 */
export const MAX_CPF_ITEMS = 16;

/** Fixed part of SendRRData/SendUnitData before the CPF: interface handle, timeout (Vol 2 §2-4.7). */
export const SEND_DATA_PREFIX_LENGTH = 6;

/**
 * Identity item (Vol 2 Table 2-4.4) up to and including the product name's length byte: version 2,
 * socket address 16, vendor to serial 14, name length 1. The name and the state follow.
 */
export const IDENTITY_ITEM_FIXED_LENGTH = 33;

/** Decoded encapsulation header. Session handle and status are UDINTs, context is 8 opaque bytes. */
export interface EncapHeader {
  readonly command: number;
  readonly length: number;
  readonly session: number;
  readonly status: number;
  /** Sender context as two 32-bit halves, so pairing compares numbers, not byte strings. */
  readonly contextLo: number;
  readonly contextHi: number;
  readonly options: number;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8); // little-endian
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0; // little-endian
}

/** Reads the header at `pos`; the caller has checked that 24 bytes are there. */
export function readHeader(buf: Uint8Array, pos: number): EncapHeader {
  return {
    command: u16(buf, pos),
    length: u16(buf, pos + 2),
    session: u32(buf, pos + 4),
    status: u32(buf, pos + 8),
    contextLo: u32(buf, pos + 12),
    contextHi: u32(buf, pos + 16),
    options: u32(buf, pos + 20),
  };
}

/**
 * Whether 24 bytes at `pos` can be an encapsulation header: options zero (Vol 2 §2-3.1: a receiver
 * discards messages with other options) and a length the field allows. `strict` also wants a
 * command Table 2-3.2 defines (NOP aside) and a status no larger than any the table lists, which
 * is what the resynchroniser and the probes use to find a header in bytes of unknown alignment.
 */
export function looksLikeHeader(buf: Uint8Array, pos: number, strict: boolean, known: readonly boolean[]) {
  if (buf[pos + 20] !== 0 || buf[pos + 21] !== 0 || buf[pos + 22] !== 0 || buf[pos + 23] !== 0) return false;
  if (u16(buf, pos + 2) > MAX_ENCAP_DATA_LENGTH) return false;
  if (!strict) return true;
  // NOP (command 0) is left out: zero runs in data and padding read as NOP headers far more often
  // than anyone sends one, so a scan does not stop there; in sync a NOP is decoded as usual.
  return (
    buf[pos] !== 0 && buf[pos + 1] === 0 && known[buf[pos]] && buf[pos + 10] === 0 && buf[pos + 11] === 0
  );
}

/** Why a header that does not frame is rejected, for the violation. */
export function headerProblem(buf: Uint8Array, pos: number): string {
  const options = u32(buf, pos + 20);
  if (options !== 0) return `encapsulation options 0x${options.toString(16)} are not zero (Vol 2 §2-3.1)`;
  return `encapsulation length ${u16(buf, pos + 2)} exceeds ${MAX_ENCAP_DATA_LENGTH}`;
}

/**
 * Total length of the message at `pos` when all of it is in buf[pos, end), else 0 (too few bytes
 * or a header that does not frame: parseFrame says which).
 */
export function completeMessageLength(buf: Uint8Array, pos: number, end: number): number {
  if (end - pos < ENCAP_HEADER_LENGTH) return 0;
  const total = ENCAP_HEADER_LENGTH + u16(buf, pos + 2);
  return total <= end - pos ? total : 0;
}

/** Frames one message: incomplete with the bytes still needed, or a violation of the header. */
export function parseFrame(buf: Uint8Array, pos: number, end: number): ParseResult<EncapHeader> {
  const have = end - pos;
  if (have < ENCAP_HEADER_LENGTH) return { kind: 'incomplete', needed: ENCAP_HEADER_LENGTH - have };
  if (!looksLikeHeader(buf, pos, false, [])) {
    return { kind: 'violation', consumed: 1, reason: headerProblem(buf, pos) };
  }
  const total = ENCAP_HEADER_LENGTH + u16(buf, pos + 2);
  if (total > have) return { kind: 'incomplete', needed: total - have };
  return { kind: 'ok', consumed: total, message: readHeader(buf, pos) };
}

/** The identity a ListIdentity reply or an Identity object Get_Attributes_All reply carries. */
export interface Identity {
  /** Encapsulation protocol version (ListIdentity only). */
  encapsulationVersion: number | null;
  /** sin_addr and sin_port of the socket address item (ListIdentity only), network order. */
  socketAddress: string | null;
  socketPort: number | null;
  vendorId: number | null;
  deviceType: number | null;
  productCode: number | null;
  revisionMajor: number | null;
  revisionMinor: number | null;
  /** Identity attribute 5, a WORD of status bits (Vol 1 Table 5-2.4). */
  status: number | null;
  serial: number | null;
  productName: string | null;
  state: number | null;
}

export function emptyIdentity(): Identity {
  return {
    encapsulationVersion: null,
    socketAddress: null,
    socketPort: null,
    vendorId: null,
    deviceType: null,
    productCode: null,
    revisionMajor: null,
    revisionMinor: null,
    status: null,
    serial: null,
    productName: null,
    state: null,
  };
}

/** A SHORT_STRING's characters (Vol 1 §C-6.1: USINT length, then 8-bit characters). */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/**
 * The Identity object's attributes 1-8 in Get_Attributes_All order (Vol 1 §5-2.3.2, the same layout
 * the ListIdentity item uses after the socket address): vendor, device type, product code,
 * revision, status, serial number, product name, and state when present (devices conforming to
 * older editions stop after the name). Fills `into`; returns a reason when the bytes are short.
 */
export function readIdentityAttributes(
  buf: Uint8Array,
  pos: number,
  end: number,
  into: Identity,
): string | null {
  if (end - pos < 15) return `identity attributes need 15 bytes, ${end - pos} present`;
  into.vendorId = u16(buf, pos);
  into.deviceType = u16(buf, pos + 2);
  into.productCode = u16(buf, pos + 4);
  into.revisionMajor = buf[pos + 6];
  into.revisionMinor = buf[pos + 7];
  into.status = u16(buf, pos + 8);
  into.serial = u32(buf, pos + 10);
  const nameLength = buf[pos + 14];
  const nameEnd = pos + 15 + nameLength;
  if (nameEnd > end) return `product name of ${nameLength} bytes runs past the identity`;
  into.productName = latin1(buf, pos + 15, nameEnd);
  into.state = nameEnd < end ? buf[nameEnd] : null;
  return null;
}

/** What the data part of an encapsulation message holds, as far as the dissector needs it. */
export interface EncapBody {
  /** Connection id of a connected address or sequenced address item, else null. */
  connectionId: number | null;
  /** Sequence number of a sequenced address item (UDP I/O), else null. */
  ioSequence: number | null;
  /** CIP sequence count at the start of a connected data item (class 3), else null. */
  cipSequence: number | null;
  /** Start and end (exclusive) of the CIP message in the buffer, or -1 when there is none. */
  cipStart: number;
  cipEnd: number;
  /** Bytes of the connected data item (I/O), or null. */
  dataLength: number | null;
  /** The first identity item of a ListIdentity reply. */
  identity: Identity | null;
  /** RegisterSession protocol version. */
  protocolVersion: number | null;
  /** ListServices reply: the capability flags of the first service item. */
  capabilities: number | null;
  /** CPF items present. */
  itemCount: number | null;
}

function emptyBody(): EncapBody {
  return {
    connectionId: null,
    ioSequence: null,
    cipSequence: null,
    cipStart: -1,
    cipEnd: -1,
    dataLength: null,
    identity: null,
    protocolVersion: null,
    capabilities: null,
    itemCount: null,
  };
}

/**
 * Walks the CPF at `pos` (item count, then type/length/data items, Vol 2 §2-6.1) and records the
 * items the dissector uses into `body`. Returns a reason when the items do not fit the bytes.
 */
export function readCpf(buf: Uint8Array, pos: number, end: number, body: EncapBody): string | null {
  if (end - pos < 2) return 'common packet format without an item count';
  const count = u16(buf, pos);
  if (count > MAX_CPF_ITEMS) return `${count} CPF items exceed ${MAX_CPF_ITEMS}`;
  body.itemCount = count;
  let p = pos + 2;
  for (let i = 0; i < count; i++) {
    if (end - p < 4) return `CPF item ${i + 1} of ${count} is truncated`;
    const type = u16(buf, p);
    const length = u16(buf, p + 2);
    const data = p + 4;
    if (length > end - data)
      return `CPF item 0x${type.toString(16)} of ${length} bytes runs past the message`;
    switch (type) {
      case CPF_ITEMS.CONNECTED_ADDRESS:
        if (length !== 4) return `connected address item of ${length} bytes, not 4 (Vol 2 §2-6.2.2)`;
        body.connectionId = u32(buf, data);
        break;
      case CPF_ITEMS.SEQUENCED_ADDRESS:
        if (length !== 8) return `sequenced address item of ${length} bytes, not 8 (Vol 2 §2-6.2.3)`;
        body.connectionId = u32(buf, data);
        body.ioSequence = u32(buf, data + 4);
        break;
      case CPF_ITEMS.UNCONNECTED_DATA:
      case CPF_ITEMS.UNCONNECTED_DATA_UDP:
        if (body.cipStart < 0) {
          body.cipStart = data;
          body.cipEnd = data + length;
        }
        break;
      case CPF_ITEMS.CONNECTED_DATA:
        body.dataLength = length;
        if (body.cipStart < 0 && length >= 2) {
          body.cipSequence = u16(buf, data);
          body.cipStart = data + 2;
          body.cipEnd = data + length;
        }
        break;
      case CPF_ITEMS.CIP_IDENTITY:
        if (body.identity === null) {
          const id = emptyIdentity();
          const problem = readIdentityItem(buf, data, data + length, id);
          if (problem !== null) return problem;
          body.identity = id;
        }
        break;
      case CPF_ITEMS.LIST_SERVICES:
        // Version and capability flags lead the item (Vol 2 Table 2-4.11); the name follows.
        if (length < 4) return `ListServices item of ${length} bytes`;
        body.capabilities ??= u16(buf, data + 2);
        break;
      default:
        // Null address, sockaddr info, security and capability items: framing only.
        break;
    }
    p = data + length;
  }
  return null;
}

/** The ListIdentity identity item (Vol 2 Table 2-4.4). */
function readIdentityItem(buf: Uint8Array, pos: number, end: number, id: Identity): string | null {
  if (end - pos < IDENTITY_ITEM_FIXED_LENGTH) return `identity item of ${end - pos} bytes is too short`;
  id.encapsulationVersion = u16(buf, pos);
  // struct sockaddr_in, big-endian (Vol 2 §2-6.3.2): family, port, address, 8 bytes of zero.
  id.socketPort = (buf[pos + 4] << 8) | buf[pos + 5];
  id.socketAddress = `${buf[pos + 6]}.${buf[pos + 7]}.${buf[pos + 8]}.${buf[pos + 9]}`;
  return readIdentityAttributes(buf, pos + 18, end, id);
}

/**
 * Decodes what the data of one encapsulation message carries (Vol 2 §2-4), from `start` (just after
 * the header) to `end`. Requests of ListIdentity, ListServices and ListInterfaces carry no data; a
 * reply of these is recognised by having some.
 */
export function parseBody(command: number, buf: Uint8Array, start: number, end: number): EncapBody | string {
  const body = emptyBody();
  const length = end - start;
  switch (command) {
    case 0x0065: // RegisterSession: protocol version, options flags (Vol 2 §2-4.4)
      if (length !== 4) return `RegisterSession data of ${length} bytes, not 4`;
      body.protocolVersion = u16(buf, start);
      return body;
    case 0x006f: // SendRRData
    case 0x0070: {
      // SendUnitData: interface handle, timeout, CPF (Vol 2 §2-4.7, §2-4.8)
      if (length < SEND_DATA_PREFIX_LENGTH + 2)
        return `${command === 0x6f ? 'SendRRData' : 'SendUnitData'} data of ${length} bytes is truncated`;
      const problem = readCpf(buf, start + SEND_DATA_PREFIX_LENGTH, end, body);
      if (problem !== null) return problem;
      if (u32(buf, start) !== 0) {
        // A non-zero interface handle names a non-CIP interface (Vol 2 §2-4.7): not ours to decode.
        body.cipStart = -1;
        body.cipEnd = -1;
      }
      return body;
    }
    case 0x0063: // ListIdentity
    case 0x0064: // ListInterfaces
    case 0x0004: {
      // ListServices
      if (length === 0) return body;
      const problem = readCpf(buf, start, end, body);
      return problem ?? body;
    }
    default:
      // NOP data is ignored by the receiver (§2-4.1); other commands carry nothing we decode.
      return body;
  }
}

/**
 * One UDP datagram of implicit I/O (Vol 2 §3-2, Table 3-2.1): a CPF with a sequenced address item
 * (connection id and 32-bit sequence number) or a connected address item, and a connected data item.
 * No encapsulation header precedes it.
 */
export function parseIoDatagram(buf: Uint8Array): EncapBody | string {
  const body = emptyBody();
  const problem = readCpf(buf, 0, buf.length, body);
  if (problem !== null) return problem;
  if (body.connectionId === null) return 'I/O datagram without a connection address item';
  if (body.dataLength === null) return 'I/O datagram without a connected data item';
  return body;
}

/**
 * Whether a datagram frames exactly as implicit I/O: item count 1 to 4, every item inside the
 * datagram and ending at its last byte, the first an address item (sequenced or connected).
 */
export function looksLikeIoDatagram(buf: Uint8Array): boolean {
  if (buf.length < 2 + 4 + 8 + 4) return false;
  const count = u16(buf, 0);
  if (count < 2 || count > 4) return false;
  const first = u16(buf, 2);
  if (first !== CPF_ITEMS.SEQUENCED_ADDRESS && first !== CPF_ITEMS.CONNECTED_ADDRESS) return false;
  let p = 2;
  let data = false;
  for (let i = 0; i < count; i++) {
    if (buf.length - p < 4) return false;
    const type = u16(buf, p);
    const length = u16(buf, p + 2);
    if (length > buf.length - p - 4) return false;
    if (type === CPF_ITEMS.CONNECTED_DATA) data = true;
    p += 4 + length;
  }
  return data && p === buf.length;
}
