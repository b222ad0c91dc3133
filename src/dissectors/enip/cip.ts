// CIP explicit messages as EtherNet/IP carries them: the Message Router request and reply
// (Vol 1 §2-4), the request path (padded EPATH, Vol 1 Appendix C), and the services whose bodies
// say what a message really does: Multiple_Service_Packet (§) and Unconnected_Send (§3-5.5.2),
// which wrap other requests; Forward_Open/Forward_Close (§3-5.5.1, §3-5.5.3), which set up the
// connections class 1 and 3 traffic runs on; Execute_PCCC (class 0x67), which tunnels the
// Allen-Bradley PCCC command set (DF1 manual 1770-6.5.16 chapter 7); and the Identity object's
// replies (§5-2), which say who the device is. Pure functions that never throw: they read through
// indexes into the caller's buffer (all little-endian, Vol 1 §C-1.1) and return a reason string for
// bytes that do not parse.

import type { Operation } from '../operations.ts';
import { emptyIdentity, type Identity, latin1, readIdentityAttributes } from './parser.ts';
import {
  CLASS_IDS,
  COMMON_SERVICES,
  IDENTITY_ATTRIBUTES,
  PCCC_EXTENDED_STATUS,
  PCCC_REPLY_BIT,
  pcccFunctionTable,
  pcccName,
  pcccOperation,
  REPLY_BIT,
  serviceName,
  serviceOperation,
  strongerOperation,
} from './spec.ts';

/**
 * Services decoded from one Multiple_Service_Packet. § bounds the count only by the message
 * size; a 4,000-byte connected message (Large_Forward_Open) holds a few hundred small requests.
 * Beyond this the rest are counted in `serviceCount` but not decoded.
 */
export const MAX_EMBEDDED_SERVICES = 256;

/**
 * Requests wrapped in requests: Unconnected_Send around Multiple_Service_Packet around more
 * Unconnected_Sends. Real routes nest once or twice (§3-5.5.2 routes by path, not by nesting);
 * deeper nesting is treated as malformed, which also bounds the recursion.
 */
export const MAX_CIP_NESTING = 4;

/** Port hops kept from a route path (Vol 1 §C-1.3). Real routes cross at most a few networks. */
export const MAX_ROUTE_HOPS = 8;

/** Symbolic segments and element indexes kept from one tag path (1756-PM020 "Segment encoding"). */
export const MAX_SYMBOL_SEGMENTS = 16;

/** The backplane port of a chassis (Vol 1 §C-1.3 example; 1756-PM020): hop `1/N` is slot N. */
export const BACKPLANE_PORT = 1;

const SERVICE_UNCONNECTED_SEND = 0x52;
const SERVICE_FORWARD_OPEN = 0x54;
const SERVICE_LARGE_FORWARD_OPEN = 0x5b;
const SERVICE_FORWARD_CLOSE = 0x4e;
const SERVICE_EXECUTE_PCCC = 0x4b;

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

/** What a request path names (Vol 1 Appendix C). Absent parts are null. */
export interface CipPath {
  classId: number | null;
  instanceId: number | null;
  attributeId: number | null;
  memberId: number | null;
  connectionPoint: number | null;
  /** Tag name from ANSI extended symbolic segments, members joined by `.`, indexes as `[n]`. */
  symbol: string | null;
  /** Port segments, formatted by formatRoute. */
  route: string | null;
}

function emptyPath(): CipPath {
  return {
    classId: null,
    instanceId: null,
    attributeId: null,
    memberId: null,
    connectionPoint: null,
    symbol: null,
    route: null,
  };
}

/** `slot 0` to `slot 255`, built once: the common hop, formatted without allocating. */
const SLOT_NAMES: readonly string[] = Array.from({ length: 256 }, (_, i) => `slot ${i}`);

/**
 * One hop of a route: `slot N` on the backplane (port 1 with a one-byte link address), else
 * `port P link L`, L being a node number or the text of an extended link address (an IP address
 * when the port is EtherNet/IP, Vol 1 §C-1.3).
 */
function formatHop(port: number, node: number, text: string | null): string {
  if (text === null) return port === BACKPLANE_PORT ? SLOT_NAMES[node] : `port ${port} link ${node}`;
  return `port ${port} link ${text}`;
}

/**
 * Decodes the padded EPATH in buf[pos, end) (Vol 1 Appendix C). Returns the path, or a reason.
 * Segments we do not need (network, data type) are skipped by their own length rules; a segment
 * type the appendix reserves makes the path malformed.
 */
export function parsePath(buf: Uint8Array, pos: number, end: number): CipPath | string {
  const path = emptyPath();
  let hops = 0;
  let symbols = 0;
  while (pos < end) {
    const seg = buf[pos];
    const type = seg >> 5;
    if (type === 0) {
      // Port segment (§C-1.3): port id in bits 0-3 (15: a 16-bit id follows), bit 4 = the link
      // address is longer than one byte and its size comes first.
      const extendedLink = (seg & 0x10) !== 0;
      let p = pos + 1;
      let linkSize = 1;
      if (extendedLink) {
        if (p >= end) return 'port segment truncated';
        linkSize = buf[p++];
      }
      let port = seg & 0x0f;
      if (port === 0x0f) {
        if (p + 2 > end) return 'port segment truncated';
        port = u16(buf, p);
        p += 2;
      }
      if (p + linkSize > end) return 'port segment link address runs past the path';
      const node = buf[p];
      const text = extendedLink ? latin1(buf, p, p + linkSize) : null;
      p += linkSize;
      if ((p - pos) & 1) p++; // padded to an even length
      if (hops < MAX_ROUTE_HOPS) {
        const hop = formatHop(port, node, text);
        path.route = path.route === null ? hop : `${path.route}, ${hop}`;
      }
      hops++;
      pos = p;
      continue;
    }
    if (type === 1) {
      // Logical segment (§C-1.4): bits 2-4 the logical type, bits 0-1 the format.
      const logical = (seg >> 2) & 0x07;
      const format = seg & 0x03;
      if (logical === 5) {
        // Special: the electronic key (format 0, key format 4): 8 bytes of vendor, type, code, rev.
        if (pos + 2 > end) return 'electronic key segment truncated';
        const keyLength = buf[pos + 1] === 4 ? 8 : -1;
        if (keyLength < 0 || pos + 2 + keyLength > end) return 'electronic key segment malformed';
        pos += 2 + keyLength;
        continue;
      }
      let value: number;
      if (format === 0) {
        if (pos + 2 > end) return 'logical segment truncated';
        value = buf[pos + 1];
        pos += 2;
      } else if (format === 1) {
        if (pos + 4 > end) return 'logical segment truncated';
        value = u16(buf, pos + 2); // pad byte, then the 16-bit value
        pos += 4;
      } else if (format === 2) {
        if (pos + 6 > end) return 'logical segment truncated';
        value = u32(buf, pos + 2);
        pos += 6;
      } else {
        return `logical segment 0x${seg.toString(16)} uses the reserved format`;
      }
      switch (logical) {
        case 0:
          path.classId = value;
          break;
        case 1:
          path.instanceId = value;
          break;
        case 2:
          // Member id; after a tag name it is an array index (1756-PM020 "Element ID segments").
          if (path.symbol !== null && symbols < MAX_SYMBOL_SEGMENTS) {
            path.symbol = `${path.symbol}[${value}]`;
            symbols++;
          } else path.memberId = value;
          break;
        case 3:
          path.connectionPoint = value;
          break;
        case 4:
          path.attributeId = value;
          break;
        default:
          // Service id (6) and the reserved type (7) address nothing we report.
          break;
      }
      continue;
    }
    if (type === 2) {
      // Network segment (§C-1.5): bit 4 set means a length in words follows, else one data byte.
      if (pos + 2 > end) return 'network segment truncated';
      pos += (seg & 0x10) !== 0 ? 2 + 2 * buf[pos + 1] : 2;
      continue;
    }
    if (type === 3) {
      // Symbolic segment (§C-1.6): size in the low 5 bits; 0 means the extended format.
      const size = seg & 0x1f;
      if (size === 0) {
        if (pos + 2 > end) return 'extended symbolic segment truncated';
        pos += 2 + (buf[pos + 1] & 0x1f) * 2;
        continue;
      }
      if (pos + 1 + size > end) return 'symbolic segment runs past the path';
      pos += 1 + size + ((1 + size) & 1);
      continue;
    }
    if (type === 4) {
      // Data segment (§C-1.7): 0x80 simple data (size in words), 0x91 ANSI extended symbol.
      if (pos + 2 > end) return 'data segment truncated';
      const size = buf[pos + 1];
      if (seg === 0x91) {
        if (pos + 2 + size > end) return 'ANSI symbol runs past the path';
        if (symbols < MAX_SYMBOL_SEGMENTS) {
          const name = latin1(buf, pos + 2, pos + 2 + size);
          path.symbol = path.symbol === null ? name : `${path.symbol}.${name}`;
          symbols++;
        }
        pos += 2 + size + (size & 1);
      } else if (seg === 0x80) {
        pos += 2 + 2 * size;
      } else {
        return `data segment 0x${seg.toString(16)} is not defined`;
      }
      continue;
    }
    return `path segment type 0x${seg.toString(16)} is not one Appendix C defines`;
  }
  if (pos > end) return 'path segment runs past the path';
  return path;
}

/** Forward_Open / Forward_Close parameters (Vol 1 §3-5.5.1, §3-5.5.3). */
export interface ConnectionParams {
  /** O->T and T->O network connection ids (the request proposes, the reply assigns). */
  otId: number | null;
  toId: number | null;
  serial: number;
  originatorVendor: number;
  originatorSerial: number;
  /** Requested packet intervals, microseconds (request) or actual intervals (reply). */
  rpiOt: number | null;
  rpiTo: number | null;
  /** Transport class 0-3 (transport type/trigger bits 0-3). */
  transportClass: number | null;
}

/** The PCCC command a request carries (DF1 manual §7: CMD, STS, TNS, FNC). */
export interface PcccRequest {
  cmd: number;
  fnc: number | null;
  tns: number;
  name: string;
  operation: Operation;
}

/** A decoded CIP request, kept (without buffer references) until its reply comes. */
export interface CipRequest {
  /** Service code, reply bit clear. */
  service: number;
  name: string;
  operation: Operation;
  classId: number | null;
  instanceId: number | null;
  attributeId: number | null;
  symbol: string | null;
  /** Route of an Unconnected_Send or the connection path of a Forward_Open, formatted hops. */
  route: string | null;
  /** The request arrived wrapped in Unconnected_Send (it is the message the target executes). */
  routed: boolean;
  /** Multiple_Service_Packet members, at most MAX_EMBEDDED_SERVICES. */
  embedded: CipRequest[] | null;
  /** Number of services a Multiple_Service_Packet declares. */
  serviceCount: number | null;
  connection: ConnectionParams | null;
  pccc: PcccRequest | null;
}

/**
 * Decodes the Message Router request in buf[start, end) (Vol 1 §2-4.1: service, path size in
 * words, path, data). Unconnected_Send is unwrapped: the result is the request it carries, with the
 * route it takes, because that is the message the target device executes.
 */
export function parseRequest(buf: Uint8Array, start: number, end: number, depth = 0): CipRequest | string {
  if (depth > MAX_CIP_NESTING) return `requests nested deeper than ${MAX_CIP_NESTING}`;
  if (end - start < 2) return 'CIP request shorter than its service and path size';
  const service = buf[start] & 0x7f;
  if ((buf[start] & REPLY_BIT) !== 0) return 'CIP request with the reply bit set';
  const pathEnd = start + 2 + 2 * buf[start + 1];
  if (pathEnd > end) return `request path of ${buf[start + 1]} words runs past the message`;
  const path = parsePath(buf, start + 2, pathEnd);
  if (typeof path === 'string') return path;
  const symbolic = path.symbol !== null;
  const request: CipRequest = {
    service,
    name: serviceName(service, path.classId, symbolic),
    operation: serviceOperation(service, path.classId, symbolic),
    classId: path.classId,
    instanceId: path.instanceId,
    attributeId: path.attributeId,
    symbol: path.symbol,
    route: path.route,
    routed: false,
    embedded: null,
    serviceCount: null,
    connection: null,
    pccc: null,
  };
  if (service === COMMON_SERVICES.MULTIPLE_SERVICE_PACKET) {
    const problem = readMultipleRequests(buf, pathEnd, end, request, depth);
    return problem ?? request;
  }
  if (path.classId === CLASS_IDS.CONNECTION_MANAGER) {
    if (service === SERVICE_UNCONNECTED_SEND) return unwrapUnconnectedSend(buf, pathEnd, end, depth);
    if (service === SERVICE_FORWARD_OPEN || service === SERVICE_LARGE_FORWARD_OPEN) {
      const problem = readForwardOpen(buf, pathEnd, end, service === SERVICE_LARGE_FORWARD_OPEN, request);
      return problem ?? request;
    }
    if (service === SERVICE_FORWARD_CLOSE) {
      const problem = readForwardClose(buf, pathEnd, end, request);
      return problem ?? request;
    }
  }
  if (path.classId === CLASS_IDS.PCCC && service === SERVICE_EXECUTE_PCCC) {
    const problem = readPcccRequest(buf, pathEnd, end, request);
    return problem ?? request;
  }
  return request;
}

/** Multiple_Service_Packet request data (§ ): count, offsets from the count, requests. */
function readMultipleRequests(
  buf: Uint8Array,
  pos: number,
  end: number,
  request: CipRequest,
  depth: number,
): string | null {
  if (end - pos < 2) return 'Multiple_Service_Packet without a service count';
  const count = u16(buf, pos);
  if (end - pos < 2 + 2 * count)
    return `Multiple_Service_Packet offsets for ${count} services run past the message`;
  request.serviceCount = count;
  const members: CipRequest[] = [];
  let operation: Operation | null = null;
  const decoded = Math.min(count, MAX_EMBEDDED_SERVICES);
  for (let i = 0; i < decoded; i++) {
    const from = pos + u16(buf, pos + 2 + 2 * i);
    const to = i + 1 < count ? pos + u16(buf, pos + 4 + 2 * i) : end;
    if (from < pos + 2 + 2 * count || to > end || from >= to) {
      return `Multiple_Service_Packet service ${i + 1} has offsets outside the packet`;
    }
    const member = parseRequest(buf, from, to, depth + 1);
    if (typeof member === 'string') return `Multiple_Service_Packet service ${i + 1}: ${member}`;
    members.push(member);
    operation = operation === null ? member.operation : strongerOperation(operation, member.operation);
  }
  request.embedded = members;
  request.operation = operation ?? 'other';
  return null;
}

/**
 * Unconnected_Send (§3-5.5.2): priority/tick, timeout ticks, message size, the message, a pad byte
 * when the size is odd, route path size in words, a reserved byte, the route path.
 */
function unwrapUnconnectedSend(
  buf: Uint8Array,
  pos: number,
  end: number,
  depth: number,
): CipRequest | string {
  if (end - pos < 4) return 'Unconnected_Send parameters truncated';
  const size = u16(buf, pos + 2);
  const messageEnd = pos + 4 + size;
  const routeAt = messageEnd + (size & 1);
  if (routeAt + 2 > end) return `Unconnected_Send message of ${size} bytes runs past the request`;
  const routeEnd = routeAt + 2 + 2 * buf[routeAt];
  if (routeEnd > end) return 'Unconnected_Send route path runs past the request';
  const route = parsePath(buf, routeAt + 2, routeEnd);
  if (typeof route === 'string') return `Unconnected_Send route: ${route}`;
  const inner = parseRequest(buf, pos + 4, messageEnd, depth + 1);
  if (typeof inner === 'string') return `Unconnected_Send message: ${inner}`;
  // An inner route (nested sends) continues from where the outer one arrived.
  if (route.route !== null)
    inner.route = inner.route === null ? route.route : `${route.route}, ${inner.route}`;
  inner.routed = true;
  return inner;
}

/** Forward_Open request (§3-5.5.1.1); Large_Forward_Open has 32-bit connection parameters. */
function readForwardOpen(
  buf: Uint8Array,
  pos: number,
  end: number,
  large: boolean,
  request: CipRequest,
): string | null {
  const paramSize = large ? 4 : 2;
  // Priority to reserved bytes take 22; then RPI and parameters each way, trigger, path size.
  const fixed = 22 + 2 * (4 + paramSize) + 2;
  if (end - pos < fixed) return `${request.name} parameters truncated`;
  const rpiOtAt = pos + 22;
  const rpiToAt = rpiOtAt + 4 + paramSize;
  const triggerAt = rpiToAt + 4 + paramSize;
  const pathAt = triggerAt + 2;
  const pathEnd = pathAt + 2 * buf[triggerAt + 1];
  if (pathEnd > end) return `${request.name} connection path runs past the request`;
  const path = parsePath(buf, pathAt, pathEnd);
  if (typeof path === 'string') return `${request.name} connection path: ${path}`;
  request.route = path.route;
  request.connection = {
    otId: u32(buf, pos + 2),
    toId: u32(buf, pos + 6),
    serial: u16(buf, pos + 10),
    originatorVendor: u16(buf, pos + 12),
    originatorSerial: u32(buf, pos + 14),
    rpiOt: u32(buf, rpiOtAt),
    rpiTo: u32(buf, rpiToAt),
    transportClass: buf[triggerAt] & 0x0f,
  };
  return null;
}

/** Forward_Close request (§3-5.5.3.1): serials, then the connection path. */
function readForwardClose(buf: Uint8Array, pos: number, end: number, request: CipRequest): string | null {
  if (end - pos < 12) return 'FORWARD_CLOSE parameters truncated';
  const pathEnd = pos + 12 + 2 * buf[pos + 10];
  if (pathEnd > end) return 'FORWARD_CLOSE connection path runs past the request';
  const path = parsePath(buf, pos + 12, pathEnd);
  if (typeof path === 'string') return `FORWARD_CLOSE connection path: ${path}`;
  request.route = path.route;
  request.connection = {
    otId: null,
    toId: null,
    serial: u16(buf, pos + 2),
    originatorVendor: u16(buf, pos + 4),
    originatorSerial: u32(buf, pos + 6),
    rpiOt: null,
    rpiTo: null,
    transportClass: null,
  };
  return null;
}

/**
 * Execute_PCCC request data (1756-PM020 "PCCC commands"): requestor id (its first byte is its own
 * length), then the PCCC command: CMD, STS, TNS (16-bit), FNC for the commands that have one.
 */
function readPcccRequest(buf: Uint8Array, pos: number, end: number, request: CipRequest): string | null {
  if (pos >= end) return 'Execute_PCCC without a requestor id';
  const idLength = buf[pos];
  if (idLength < 1) return 'Execute_PCCC requestor id of length 0';
  const at = pos + idLength;
  if (end - at < 4) return 'PCCC command truncated';
  const cmd = buf[at];
  if ((cmd & PCCC_REPLY_BIT) !== 0) return 'PCCC command with the reply bit set in a request';
  const hasFunction = pcccFunctionTable(cmd) >= 0;
  if (hasFunction && end - at < 5) return 'PCCC command without its function code';
  const fnc = hasFunction ? buf[at + 4] : null;
  request.pccc = {
    cmd,
    fnc,
    tns: u16(buf, at + 2),
    name: pcccName(cmd, fnc),
    operation: pcccOperation(cmd, fnc),
  };
  request.operation = request.pccc.operation;
  return null;
}

/** What a PCCC reply says (DF1 manual §7-8). */
export interface PcccReply {
  cmd: number;
  status: number;
  extendedStatus: number | null;
  tns: number;
  /** Catalog number from a Diagnostic Status reply (e.g. `1766-LEC`), when it carries one. */
  catalog: string | null;
}

/** A decoded CIP reply. */
export interface CipReply {
  service: number;
  status: number;
  /** First additional status word, the extended status (Vol 1 §2-4.2), or null. */
  extendedStatus: number | null;
  embedded: CipReply[] | null;
  serviceCount: number | null;
  /** Identity attributes a reply of the Identity object carries. */
  identity: Identity | null;
  connection: ConnectionParams | null;
  pccc: PcccReply | null;
}

/**
 * Decodes the Message Router reply in buf[start, end) (Vol 1 §2-4.2: reply service, reserved,
 * general status, additional status size in words, additional status, data). `request` is the
 * request it answers, when known; reply data is decoded only with it, since its layout depends on
 * what was asked.
 */
export function parseReply(
  buf: Uint8Array,
  start: number,
  end: number,
  request: CipRequest | null,
  depth = 0,
): CipReply | string {
  if (depth > MAX_CIP_NESTING) return `replies nested deeper than ${MAX_CIP_NESTING}`;
  if (end - start < 4) return 'CIP reply shorter than its 4-byte header';
  if ((buf[start] & REPLY_BIT) === 0) return 'CIP reply without the reply bit';
  const service = buf[start] & 0x7f;
  const status = buf[start + 2];
  const dataAt = start + 4 + 2 * buf[start + 3];
  if (dataAt > end) return `additional status of ${buf[start + 3]} words runs past the reply`;
  const reply: CipReply = {
    service,
    status,
    extendedStatus: buf[start + 3] > 0 ? u16(buf, start + 4) : null,
    embedded: null,
    serviceCount: null,
    identity: null,
    connection: null,
    pccc: null,
  };
  if (service === COMMON_SERVICES.MULTIPLE_SERVICE_PACKET && (status === 0 || status === 0x1e)) {
    const problem = readMultipleReplies(buf, dataAt, end, request, reply, depth);
    return problem ?? reply;
  }
  if (request === null || request.service !== service || status !== 0) return reply;
  const problem = decodeReplyData(buf, dataAt, end, request, reply);
  return problem ?? reply;
}

/** Multiple_Service_Packet reply data (§ ): count, offsets from the count, replies. */
function readMultipleReplies(
  buf: Uint8Array,
  pos: number,
  end: number,
  request: CipRequest | null,
  reply: CipReply,
  depth: number,
): string | null {
  if (end - pos < 2) return 'Multiple_Service_Packet reply without a count';
  const count = u16(buf, pos);
  if (end - pos < 2 + 2 * count)
    return `Multiple_Service_Packet reply offsets for ${count} services run past it`;
  reply.serviceCount = count;
  const members: CipReply[] = [];
  const decoded = Math.min(count, MAX_EMBEDDED_SERVICES);
  for (let i = 0; i < decoded; i++) {
    const from = pos + u16(buf, pos + 2 + 2 * i);
    const to = i + 1 < count ? pos + u16(buf, pos + 4 + 2 * i) : end;
    if (from < pos + 2 + 2 * count || to > end || from >= to) {
      return `Multiple_Service_Packet reply ${i + 1} has offsets outside the packet`;
    }
    const asked = request?.embedded?.[i] ?? null;
    const member = parseReply(buf, from, to, asked, depth + 1);
    if (typeof member === 'string') return `Multiple_Service_Packet reply ${i + 1}: ${member}`;
    members.push(member);
  }
  reply.embedded = members;
  return null;
}

/** Reply data of the services whose answers we decode: identity, connections, PCCC. */
function decodeReplyData(
  buf: Uint8Array,
  pos: number,
  end: number,
  request: CipRequest,
  reply: CipReply,
): string | null {
  const service = request.service;
  if (request.classId === CLASS_IDS.IDENTITY) {
    if (service === COMMON_SERVICES.GET_ATTRIBUTES_ALL) {
      const identity = emptyIdentity();
      const problem = readIdentityAttributes(buf, pos, end, identity);
      if (problem !== null) return `Identity Get_Attributes_All reply: ${problem}`;
      reply.identity = identity;
    } else if (service === COMMON_SERVICES.GET_ATTRIBUTE_SINGLE && request.attributeId !== null) {
      const identity = emptyIdentity();
      if (readIdentityAttribute(buf, pos, end, request.attributeId, identity) > 0) reply.identity = identity;
    } else if (service === COMMON_SERVICES.GET_ATTRIBUTE_LIST) {
      reply.identity = readIdentityAttributeList(buf, pos, end);
    }
    return null;
  }
  if (request.classId === CLASS_IDS.CONNECTION_MANAGER) {
    if (service === SERVICE_FORWARD_OPEN || service === SERVICE_LARGE_FORWARD_OPEN) {
      // §3-5.5.1.2: ids, serials, actual packet intervals, application reply.
      if (end - pos < 26) return `${request.name} reply truncated`;
      reply.connection = {
        otId: u32(buf, pos),
        toId: u32(buf, pos + 4),
        serial: u16(buf, pos + 8),
        originatorVendor: u16(buf, pos + 10),
        originatorSerial: u32(buf, pos + 12),
        rpiOt: u32(buf, pos + 16),
        rpiTo: u32(buf, pos + 20),
        transportClass: null,
      };
    }
    return null;
  }
  if (request.pccc !== null) return readPcccReply(buf, pos, end, request.pccc, reply);
  return null;
}

/**
 * One Identity attribute's value at `pos` (types from Vol 1 Table 5-2.3), stored into `into`.
 * Returns the bytes it took, 0 when the attribute is not one of 1-8 or the bytes are short.
 */
function readIdentityAttribute(
  buf: Uint8Array,
  pos: number,
  end: number,
  attribute: number,
  into: Identity,
): number {
  const have = end - pos;
  switch (attribute) {
    case IDENTITY_ATTRIBUTES.VENDOR_ID:
      if (have < 2) return 0;
      into.vendorId = u16(buf, pos);
      return 2;
    case IDENTITY_ATTRIBUTES.DEVICE_TYPE:
      if (have < 2) return 0;
      into.deviceType = u16(buf, pos);
      return 2;
    case IDENTITY_ATTRIBUTES.PRODUCT_CODE:
      if (have < 2) return 0;
      into.productCode = u16(buf, pos);
      return 2;
    case IDENTITY_ATTRIBUTES.REVISION:
      if (have < 2) return 0;
      into.revisionMajor = buf[pos];
      into.revisionMinor = buf[pos + 1];
      return 2;
    case IDENTITY_ATTRIBUTES.STATUS:
      if (have < 2) return 0;
      into.status = u16(buf, pos);
      return 2;
    case IDENTITY_ATTRIBUTES.SERIAL_NUMBER:
      if (have < 4) return 0;
      into.serial = u32(buf, pos);
      return 4;
    case IDENTITY_ATTRIBUTES.PRODUCT_NAME: {
      if (have < 1 || have < 1 + buf[pos]) return 0;
      into.productName = latin1(buf, pos + 1, pos + 1 + buf[pos]);
      return 1 + buf[pos];
    }
    case IDENTITY_ATTRIBUTES.STATE:
      if (have < 1) return 0;
      into.state = buf[pos];
      return 1;
    default:
      return 0;
  }
}

/**
 * Get_Attribute_List reply (§ ): count, then per attribute its id, a status word and, when
 * the status is 0, its value. Stops at the first attribute whose size we cannot know.
 */
function readIdentityAttributeList(buf: Uint8Array, pos: number, end: number): Identity | null {
  if (end - pos < 2) return null;
  const count = u16(buf, pos);
  const identity = emptyIdentity();
  let found = false;
  let p = pos + 2;
  for (let i = 0; i < count && end - p >= 4; i++) {
    const attribute = u16(buf, p);
    const status = u16(buf, p + 2);
    p += 4;
    if (status !== 0) continue;
    const took = readIdentityAttribute(buf, p, end, attribute, identity);
    if (took === 0) break;
    found = true;
    p += took;
  }
  return found ? identity : null;
}

/**
 * Execute_PCCC reply data: the requestor id echoed, then CMD (with the reply bit), STS, TNS, EXT STS
 * when STS is 0xF0, and the reply data. A Diagnostic Status reply of a SLC 500 or MicroLogix
 * processor starts with a mode byte and the type extender 0xEE, then interface and processor type
 * bytes and the series/revision byte, then the 11-character catalog number (`1766-LEC`).
 */
function readPcccReply(
  buf: Uint8Array,
  pos: number,
  end: number,
  request: PcccRequest,
  reply: CipReply,
): string | null {
  if (pos >= end) return 'Execute_PCCC reply without a requestor id';
  const at = pos + Math.max(1, buf[pos]);
  if (end - at < 4) return 'PCCC reply truncated';
  const cmd = buf[at];
  if ((cmd & PCCC_REPLY_BIT) === 0) return 'PCCC reply without the reply bit';
  const status = buf[at + 1];
  const extended = status === PCCC_EXTENDED_STATUS && end - at > 4 ? buf[at + 4] : null;
  const dataAt = at + 4 + (extended === null ? 0 : 1);
  let catalog: string | null = null;
  if (
    request.name === 'DIAGNOSTIC_STATUS' &&
    status === 0 &&
    end - dataAt >= 16 &&
    buf[dataAt + 1] === 0xee
  ) {
    catalog = printable(buf, dataAt + 5, dataAt + 16);
  }
  reply.pccc = { cmd, status, extendedStatus: extended, tns: u16(buf, at + 2), catalog };
  return null;
}

/** ASCII text with trailing spaces and NULs removed, or null when any byte is not printable. */
function printable(buf: Uint8Array, start: number, end: number): string | null {
  let last = end;
  while (last > start && (buf[last - 1] === 0x20 || buf[last - 1] === 0)) last--;
  if (last === start) return null;
  for (let i = start; i < last; i++) if (buf[i] < 0x20 || buf[i] > 0x7e) return null;
  return latin1(buf, start, last);
}
