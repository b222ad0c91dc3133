// OPC UA Binary over TCP: one message chunk from the front of a buffer, decoded into dotted fields.
// Pure and bounded; never throws whatever the bytes (STYLE.md 4).
//
// Framing follows OPC 10000-6 (Part 6) §7.1.2.2: a 3-letter message type, a chunk type byte and
// a UInt32 size that counts the whole chunk, header included. HEL, ACK, ERR and RHE are the UA
// Connection Protocol (§7.1.2.3-7.1.2.6); OPN, MSG and CLO are secure conversation chunks
// (§6.7.2): a secure channel id, a security header (asymmetric for OPN §6.7.2.3, a token id for MSG
// and CLO), a sequence header (§6.7.2.4), then the body: the NodeId of the message's binary
// encoding followed by the message (§6.7.2.2 / §5.2.2.15). Everything is little-endian (§5.2.1):
// integers are read byte by byte here, least significant first.

import { deviceFields } from '../device.ts';
import type { Fields, ParseResult } from '../types.ts';
import {
  APPLICATION_TYPES,
  ATTRIBUTES,
  BUILD_INFO_NODES,
  BUILD_INFO_TYPE_ID,
  CHUNK_TYPES,
  enumName,
  isBadStatus,
  isDeprecatedPolicy,
  POLICY_NONE_URI,
  REQUEST_TYPES,
  SECURITY_MODES,
  SERVER_STATUS_TYPE_ID,
  SERVICE_BY_TYPE_ID,
  SERVICE_FAULT_NAME,
  SERVICE_FAULT_SERVICE,
  SERVICE_FAULT_TYPE_ID,
  SERVICES,
  type ServiceEntry,
  securityPolicyName,
  statusName,
  TIMESTAMPS_TO_RETURN,
  TOKEN_TYPE_BY_TYPE_ID,
  USER_TOKEN_TYPES,
  unknownName,
} from './spec.ts';

/** Message header: type (3), chunk type (1), size (4) (Part 6 §7.1.2.2). */
export const HEADER_LENGTH = 8;

/**
 * Largest chunk accepted before the framing is taken as lost. Part 6 §7.1.2.3 puts no ceiling on
 * the buffer sizes peers negotiate (only a floor of 8192 bytes); stacks default to 64 KiB and are
 * rarely configured past a few MiB, so a size beyond 16 MiB is not a chunk but a false start.
 */
export const MAX_CHUNK_SIZE = 16 * 1024 * 1024;

/**
 * Bytes of a chunk that are decoded. Most chunks are smaller (64 KiB is the usual negotiated
 * buffer); of a larger one the first 64 KiB are decoded, every field they hold, and the rest is
 * skipped unread, so a connection never holds more than this per direction.
 */
export const DECODE_WINDOW = 64 * 1024;

/** Part 6 §7.1.2.3/§7.1.2.4: ReceiveBufferSize and SendBufferSize shall be at least 8192 bytes. */
export const MIN_BUFFER_SIZE = 8192;

/** Part 6 §7.1.2.3 (EndpointUrl) and §7.1.2.5 (Reason): shall be less than 4096 bytes. */
export const MAX_URL_LENGTH = 4096;

/** Part 6 §6.7.2.3: the SecurityPolicyUri of the asymmetric header is at most 255 bytes. */
export const MAX_POLICY_URI_LENGTH = 255;

/** Bytes of a string copied into an event; longer values (rare: URIs, names) are cut here. */
export const MAX_STRING_FIELD = 1024;

/** Items listed in an event's array fields (nodes read or written, endpoints); counts stay exact. */
export const MAX_LISTED = 16;

/**
 * Nesting of recursive encodings walked (DiagnosticInfo in DiagnosticInfo, Variant in DataValue in
 * Variant, Part 6 §5.2.2.12/16/17). Stacks refuse far less deep structures (open62541: 100 total);
 * a message nesting deeper is reported instead of walked.
 */
export const MAX_NESTING_DEPTH = 16;

/** Bytes of the receiver certificate thumbprint printed (a SHA-1 digest is 20, Part 6 §6.7.2.3). */
export const MAX_THUMBPRINT_BYTES = 64;

/** The event record: dotted fields, see README.md for the list. */
export type OpcuaMessage = Fields;

const DEVICE = deviceFields('opcua');

/** Message types as small numbers, the order of TYPE_NAMES. */
export const T_HEL = 0;
export const T_ACK = 1;
export const T_ERR = 2;
export const T_RHE = 3;
export const T_OPN = 4;
export const T_MSG = 5;
export const T_CLO = 6;
export const TYPE_NAMES = ['HEL', 'ACK', 'ERR', 'RHE', 'OPN', 'MSG', 'CLO'] as const;
export const TYPE_INDEX: Readonly<Record<string, number>> = {
  HEL: 0,
  ACK: 1,
  ERR: 2,
  RHE: 3,
  OPN: 4,
  MSG: 5,
  CLO: 6,
};

/**
 * Smallest chunk of each type: the header plus the fixed fields (HEL: 5 UInt32 and the URL's
 * length; ACK: 5 UInt32; ERR: code and the reason's length; RHE: two string lengths; OPN: channel
 * id, three ByteString lengths and the sequence header; MSG/CLO: channel id, token id, sequence
 * header).
 */
export const MIN_CHUNK_SIZE = [32, 28, 16, 16, 32, 24, 24] as const;

/** The message type at `pos` (3 ASCII letters), or -1. */
export function messageTypeAt(b: Uint8Array, pos: number): number {
  const c1 = b[pos + 1];
  const c2 = b[pos + 2];
  switch (b[pos]) {
    case 0x48: // H
      return c1 === 0x45 && c2 === 0x4c ? T_HEL : -1;
    case 0x41: // A
      return c1 === 0x43 && c2 === 0x4b ? T_ACK : -1;
    case 0x45: // E
      return c1 === 0x52 && c2 === 0x52 ? T_ERR : -1;
    case 0x52: // R
      return c1 === 0x48 && c2 === 0x45 ? T_RHE : -1;
    case 0x4f: // O
      return c1 === 0x50 && c2 === 0x4e ? T_OPN : -1;
    case 0x4d: // M
      return c1 === 0x53 && c2 === 0x47 ? T_MSG : -1;
    case 0x43: // C
      return c1 === 0x4c && c2 === 0x4f ? T_CLO : -1;
    default:
      return -1;
  }
}

/** §7.1.2.2: HEL/ACK/ERR/RHE are always F; §6.7.2.2: secure conversation chunks are C, F or A. */
function chunkTypeValid(type: number, chunk: number): boolean {
  if (chunk === CHUNK_TYPES.F) return true;
  return type >= T_OPN && (chunk === CHUNK_TYPES.C || chunk === CHUNK_TYPES.A);
}

const CHUNK_NAMES: Record<number, 'C' | 'F' | 'A'> = { 67: 'C', 70: 'F', 65: 'A' };

function u32le(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/**
 * Whether the bytes at `pos` could begin a message header, judged on as many of the 8 header bytes
 * as are there (type letters, chunk type, size bounds). The session's resynchronisation and the
 * probe use it; a partial header that cannot become valid is rejected early.
 */
export function couldBeHeader(b: Uint8Array, pos: number, end: number): boolean {
  const n = end - pos;
  if (n <= 0) return true;
  if (n < 3) {
    // Compare the letters present with the start of each type name.
    for (const name of TYPE_NAMES) {
      let ok = true;
      for (let i = 0; i < n && ok; i++) ok = b[pos + i] === name.charCodeAt(i);
      if (ok) return true;
    }
    return false;
  }
  const type = messageTypeAt(b, pos);
  if (type < 0) return false;
  if (n < 4) return true;
  if (!chunkTypeValid(type, b[pos + 3])) return false;
  if (n < HEADER_LENGTH) return true;
  const size = u32le(b, pos + 4);
  return size >= MIN_CHUNK_SIZE[type] && size <= MAX_CHUNK_SIZE;
}

/** Fields every event of a chunk carries, for a violation report on a chunk that framed. */
export function headerFields(b: Uint8Array, pos: number, end: number): Fields {
  const f: Fields = {};
  if (end - pos < HEADER_LENGTH) return f;
  const type = messageTypeAt(b, pos);
  if (type < 0) return f;
  f['opcua.msg_type'] = TYPE_NAMES[type];
  f['opcua.chunk'] = CHUNK_NAMES[b[pos + 3]] ?? null;
  f['opcua.msg_size'] = u32le(b, pos + 4);
  if (type >= T_OPN && end - pos >= 12) f['opcua.secure_channel_id'] = u32le(b, pos + 8);
  return f;
}

// Reading the binary encoding (Part 6 §5.2). One reader is reused: parsing is synchronous and
// never re-entered, and it spares an allocation per message.

const UTF8 = new TextDecoder('utf-8');
const F64 = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64.buffer);
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const EMPTY = new Uint8Array(0);
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

class Reader {
  b: Uint8Array = EMPTY;
  p = 0;
  e = 0;
  /** Ran past the end of the bytes given (a cut chunk, or a malformed one when it was whole). */
  short = false;
  /** The first value no encoding allows, or null. */
  bad: string | null = null;
  /** Namespace and numeric id of the last NodeId read; `num` is -1 when it was not numeric. */
  ns = 0;
  num = -1;

  reset(b: Uint8Array, p: number, e: number): this {
    this.b = b;
    this.p = p;
    this.e = e;
    this.short = false;
    this.bad = null;
    return this;
  }

  get failed(): boolean {
    return this.short || this.bad !== null;
  }

  need(n: number): boolean {
    if (this.e - this.p >= n) return true;
    this.short = true;
    this.p = this.e;
    return false;
  }

  fail(reason: string): void {
    if (this.bad === null) this.bad = reason;
    this.p = this.e;
  }

  u8(): number {
    return this.need(1) ? this.b[this.p++] : 0;
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const p = this.p;
    this.p = p + 2;
    return this.b[p] | (this.b[p + 1] << 8);
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const p = this.p;
    this.p = p + 4;
    return u32le(this.b, p);
  }

  i32(): number {
    return this.u32() | 0;
  }

  f64(): number {
    if (!this.need(8)) return 0;
    // Copied byte by byte into a scratch double in the host's byte order (the wire's is little).
    const b = this.b;
    const p = this.p;
    for (let i = 0; i < 8; i++) F64_BYTES[HOST_LITTLE_ENDIAN ? i : 7 - i] = b[p + i];
    this.p = p + 8;
    return F64[0];
  }

  skip(n: number): void {
    if (this.need(n)) this.p += n;
  }

  /** The Int32 at the read position without consuming it (0 when fewer than 4 bytes are left). */
  peekI32(): number {
    return this.e - this.p >= 4 ? u32le(this.b, this.p) | 0 : 0;
  }

  /** Moves to the end of a length-prefixed body; reading past it already is a malformation. */
  seek(to: number, what: string): void {
    if (to < this.p) this.fail(`${what} is shorter than its fields`);
    else this.skip(to - this.p);
  }

  /** Length of a String/ByteString/array (§5.2.2.4, §5.2.5): -1 is null, other negatives are not allowed. */
  length(what: string): number {
    const n = this.i32();
    if (n < -1) {
      this.fail(`${what} has a negative length (${n})`);
      return -1;
    }
    return n;
  }

  /** A String (§5.2.2.4) as text, cut at `max` bytes; null for a null string. */
  string(max = MAX_STRING_FIELD): string | null {
    const n = this.length('a string');
    if (n < 0) return null;
    if (n === 0) return '';
    if (!this.need(n)) return null;
    const s = UTF8.decode(this.b.subarray(this.p, this.p + Math.min(n, max)));
    this.p += n;
    return s;
  }

  /** Skips a String, ByteString or XmlElement; returns its length (-1 for null). */
  bytes(what = 'a byte string'): number {
    const n = this.length(what);
    if (n > 0) this.skip(n);
    return n;
  }

  /** Array length (§5.2.5); -1 (null) reads as 0 items. */
  count(what: string): number {
    const n = this.length(what);
    return Math.max(n, 0);
  }

  /**
   * A NodeId (§5.2.2.9); sets `ns` and `num`. Returns its text form (§5.3.1.10: `i=85`,
   * `ns=1;s=the.answer`, `ns=1;g=...`, `ns=1;b=...`) when `text`, else null. `expanded` reads an
   * ExpandedNodeId (§5.2.2.10): the namespace URI and server index flags are allowed.
   */
  nodeId(text: boolean, expanded = false): string | null {
    const enc = this.u8();
    if (this.short) return null;
    const kind = enc & 0x3f;
    if (!expanded && (enc & 0xc0) !== 0) {
      this.fail(`NodeId encoding 0x${HEX[enc]} has ExpandedNodeId flags`);
      return null;
    }
    let ns = 0;
    let num = -1;
    let out: string | null = null;
    switch (kind) {
      case 0: // two-byte: namespace 0, id < 256
        num = this.u8();
        break;
      case 1: // four-byte: namespace < 256, id < 65536
        ns = this.u8();
        num = this.u16();
        break;
      case 2: // numeric
        ns = this.u16();
        num = this.u32();
        break;
      case 3: {
        ns = this.u16();
        const s = this.string();
        if (text && s !== null) out = ns === 0 ? `s=${s}` : `ns=${ns};s=${s}`;
        break;
      }
      case 4: {
        ns = this.u16();
        if (this.need(16)) {
          if (text) out = ns === 0 ? `g=${guid(this.b, this.p)}` : `ns=${ns};g=${guid(this.b, this.p)}`;
          this.p += 16;
        }
        break;
      }
      case 5: {
        ns = this.u16();
        const n = this.length('an opaque NodeId');
        if (n > 0 && this.need(n)) {
          if (text) {
            const b64 = Buffer.from(this.b.subarray(this.p, this.p + Math.min(n, MAX_STRING_FIELD))).toString(
              'base64',
            );
            out = ns === 0 ? `b=${b64}` : `ns=${ns};b=${b64}`;
          }
          this.p += n;
        }
        break;
      }
      default:
        this.fail(`unknown NodeId encoding ${kind}`);
        return null;
    }
    if (expanded) {
      if (enc & 0x80) this.bytes('a namespace URI'); // NamespaceUri
      if (enc & 0x40) this.skip(4); // ServerIndex
    }
    this.ns = ns;
    this.num = num;
    if (this.short) return null;
    if (text && num >= 0) out = ns === 0 ? `i=${num}` : `ns=${ns};i=${num}`;
    return out;
  }

  /** LocalizedText (§5.2.2.14): returns the text, skips the locale. */
  localizedText(): string | null {
    const mask = this.u8();
    if (mask & 0x01) this.bytes('a locale');
    return mask & 0x02 ? this.string() : null;
  }
}

const R = new Reader();

/** Guid text form (§5.1.3): Data1 UInt32, Data2 and Data3 UInt16 little-endian, Data4 8 bytes in order. */
function guid(b: Uint8Array, p: number): string {
  const h = HEX;
  return (
    `${h[b[p + 3]]}${h[b[p + 2]]}${h[b[p + 1]]}${h[b[p]]}-${h[b[p + 5]]}${h[b[p + 4]]}-` +
    `${h[b[p + 7]]}${h[b[p + 6]]}-${h[b[p + 8]]}${h[b[p + 9]]}-` +
    `${h[b[p + 10]]}${h[b[p + 11]]}${h[b[p + 12]]}${h[b[p + 13]]}${h[b[p + 14]]}${h[b[p + 15]]}`
  );
}

// Skipping the self-describing encodings (§5.2.2.12 DiagnosticInfo, §5.2.2.15 ExtensionObject,
// §5.2.2.16 Variant, §5.2.2.17 DataValue).

function skipDiagnosticInfo(r: Reader, depth: number): void {
  const mask = r.u8();
  // SymbolicId, NamespaceUri, Locale, LocalizedText: Int32 indexes into the string table.
  if (mask & 0x01) r.skip(4);
  if (mask & 0x02) r.skip(4);
  if (mask & 0x08) r.skip(4);
  if (mask & 0x04) r.skip(4);
  if (mask & 0x10) r.bytes('AdditionalInfo');
  if (mask & 0x20) r.skip(4); // InnerStatusCode
  if (mask & 0x40) {
    if (depth >= MAX_NESTING_DEPTH) r.fail(`DiagnosticInfo nested deeper than ${MAX_NESTING_DEPTH}`);
    else skipDiagnosticInfo(r, depth + 1);
  }
}

function skipExtensionObject(r: Reader): void {
  r.nodeId(false);
  const enc = r.u8();
  if (enc === 1 || enc === 2) r.bytes('an ExtensionObject body');
  else if (enc !== 0 && !r.short) r.fail(`ExtensionObject encoding ${enc}`);
}

/** Bytes of the fixed-size built-in types (§5.1.2 ids 1-14, 19), 0 for the variable ones. */
const FIXED_SIZE = [0, 1, 1, 1, 2, 2, 4, 4, 8, 8, 4, 8, 0, 8, 16, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0];

function skipBuiltin(r: Reader, type: number, depth: number): void {
  const fixed = FIXED_SIZE[type];
  if (fixed > 0) {
    r.skip(fixed);
    return;
  }
  switch (type) {
    case 0: // null
      return;
    case 12: // String
    case 15: // ByteString
    case 16: // XmlElement
      r.bytes('a Variant value');
      return;
    case 17:
      r.nodeId(false);
      return;
    case 18:
      r.nodeId(false, true);
      return;
    case 20: // QualifiedName
      r.skip(2);
      r.bytes('a QualifiedName');
      return;
    case 21:
      r.localizedText();
      return;
    case 22:
      skipExtensionObject(r);
      return;
    case 23:
      skipDataValue(r, depth + 1);
      return;
    case 24:
      skipVariant(r, depth + 1);
      return;
    case 25:
      skipDiagnosticInfo(r, depth + 1);
      return;
    default:
      r.fail(`Variant of unknown built-in type ${type}`);
  }
}

function skipVariant(r: Reader, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) {
    r.fail(`Variant nested deeper than ${MAX_NESTING_DEPTH}`);
    return;
  }
  const mask = r.u8();
  const type = mask & 0x3f;
  if (type > 25) {
    if (!r.short) r.fail(`Variant of unknown built-in type ${type}`);
    return;
  }
  if ((mask & 0x80) === 0) {
    skipBuiltin(r, type, depth);
    return;
  }
  const n = r.count('a Variant array');
  const fixed = FIXED_SIZE[type];
  if (fixed > 0) r.skip(n * fixed);
  else for (let i = 0; i < n && !r.failed; i++) skipBuiltin(r, type, depth);
  if (mask & 0x40) r.skip(4 * r.count('ArrayDimensions'));
}

function skipDataValue(r: Reader, depth: number): void {
  if (depth > MAX_NESTING_DEPTH) {
    r.fail(`DataValue nested deeper than ${MAX_NESTING_DEPTH}`);
    return;
  }
  const mask = r.u8();
  if (mask & 0x01) skipVariant(r, depth + 1);
  if (mask & 0x02) r.skip(4); // StatusCode
  if (mask & 0x04) r.skip(8); // SourceTimestamp
  if (mask & 0x10) r.skip(2); // SourcePicoseconds
  if (mask & 0x08) r.skip(8); // ServerTimestamp
  if (mask & 0x20) r.skip(2); // ServerPicoseconds
}

// Common service structures (Part 4 §7).

/** RequestHeader (Part 4 §7.33). */
function requestHeader(r: Reader, f: Fields): void {
  // The AuthenticationToken is a session secret (Part 4 §7.33): read past, never copied.
  r.nodeId(false);
  r.skip(8); // Timestamp
  const handle = r.u32();
  r.skip(4); // ReturnDiagnostics
  r.bytes('AuditEntryId');
  r.skip(4); // TimeoutHint
  skipExtensionObject(r); // AdditionalHeader
  if (!r.short) f['opcua.request_handle'] = handle;
}

/** ResponseHeader (Part 4 §7.34): the request handle and the service result. */
function responseHeader(r: Reader, f: Fields): void {
  r.skip(8); // Timestamp
  const handle = r.u32();
  const result = r.u32();
  if (!r.short) {
    f['opcua.request_handle'] = handle;
    setStatus(f, result);
  }
  skipDiagnosticInfo(r, 0); // ServiceDiagnostics
  const strings = r.count('StringTable');
  for (let i = 0; i < strings && !r.failed; i++) r.bytes('a StringTable entry');
  skipExtensionObject(r); // AdditionalHeader
}

function setStatus(f: Fields, code: number): void {
  const name = statusName(code);
  f['opcua.status_code'] = code;
  f['opcua.status'] = name;
  f['opcua.error'] = isBadStatus(code) ? name : null;
}

interface ApplicationDescription {
  uri: string | null;
  productUri: string | null;
  name: string | null;
  type: number;
}

/** ApplicationDescription (Part 4 §7.1). */
function applicationDescription(r: Reader): ApplicationDescription {
  const uri = r.string();
  const productUri = r.string();
  const name = r.localizedText();
  const type = r.u32();
  r.bytes('GatewayServerUri');
  r.bytes('DiscoveryProfileUri');
  const urls = r.count('DiscoveryUrls');
  for (let i = 0; i < urls && !r.failed; i++) r.bytes('a DiscoveryUrl');
  return { uri, productUri, name, type };
}

function putApplication(f: Fields, app: ApplicationDescription): void {
  f['opcua.application_uri'] = app.uri;
  f['opcua.product_uri'] = app.productUri;
  f['opcua.application_name'] = app.name;
  f['opcua.application_type'] = enumName(APPLICATION_TYPES, app.type);
  // The identity of the message's sender (device.ts): the client in a request, the server in a
  // response. An empty name or URI says nothing about the device. A server's application name
  // names the device it runs on (`...Application:PLC_Line1`); a client's names the software, so it
  // only describes. The product URI names the maker's product line, not a model: it stays in
  // `opcua.product_uri` only.
  const server = app.type === 0 || app.type === 2;
  if (app.name && server) f[DEVICE.name] = app.name;
  const description = server || !app.name ? app.uri : `${app.name} (${app.uri ?? ''})`;
  if (description) f[DEVICE.description] = description;
}

/**
 * EndpointDescription[] (Part 4 §7.14) of GetEndpoints and CreateSession responses: listed per
 * endpoint (up to MAX_LISTED), the server's ApplicationDescription from the first one.
 */
function endpoints(r: Reader, f: Fields): void {
  const n = r.count('Endpoints');
  const urls: string[] = [];
  const policies: string[] = [];
  const modes: string[] = [];
  const levels: number[] = [];
  const tokenTypes: string[] = [];
  let server: ApplicationDescription | null = null;
  let i = 0;
  for (; i < n && !r.failed; i++) {
    const url = r.string();
    const app = applicationDescription(r);
    r.bytes('ServerCertificate');
    const mode = r.u32();
    const policy = r.string();
    const tokens = r.count('UserIdentityTokens');
    for (let t = 0; t < tokens && !r.failed; t++) {
      r.bytes('PolicyId');
      const type = enumName(USER_TOKEN_TYPES, r.u32());
      r.bytes('IssuedTokenType');
      r.bytes('IssuerEndpointUrl');
      r.bytes('SecurityPolicyUri');
      if (!r.short && !tokenTypes.includes(type) && tokenTypes.length < MAX_LISTED) tokenTypes.push(type);
    }
    r.bytes('TransportProfileUri');
    const level = r.u8();
    if (r.short) break;
    server ??= app;
    if (i < MAX_LISTED) {
      urls.push(url ?? '');
      policies.push(policy === null ? '' : securityPolicyName(policy));
      modes.push(enumName(SECURITY_MODES, mode));
      levels.push(level);
    }
  }
  f['opcua.endpoint_count'] = n;
  f['opcua.endpoint_urls'] = urls;
  f['opcua.endpoint_security_policies'] = policies;
  f['opcua.endpoint_security_modes'] = modes;
  f['opcua.endpoint_security_levels'] = levels;
  f['opcua.user_token_types'] = tokenTypes;
  if (server !== null) putApplication(f, server);
}

// Service bodies. Each reads what Part 4 defines after the header, in order.

function openSecureChannelRequest(r: Reader, f: Fields): void {
  const version = r.u32();
  const requestType = r.u32();
  const mode = r.u32();
  const nonce = r.bytes('ClientNonce');
  const lifetime = r.u32();
  if (r.short) return;
  f['opcua.client_protocol_version'] = version;
  f['opcua.request_type'] = enumName(REQUEST_TYPES, requestType);
  f['opcua.security_mode'] = enumName(SECURITY_MODES, mode);
  f['opcua.client_nonce_length'] = nonce < 0 ? null : nonce;
  f['opcua.requested_lifetime'] = lifetime;
}

function openSecureChannelResponse(r: Reader, f: Fields): void {
  const version = r.u32();
  r.skip(4); // SecurityToken.ChannelId: the header's SecureChannelId already says it
  const token = r.u32();
  r.skip(8); // CreatedAt
  const lifetime = r.u32();
  const nonce = r.bytes('ServerNonce');
  if (r.short) return;
  f['opcua.server_protocol_version'] = version;
  f['opcua.token_id'] = token;
  f['opcua.revised_lifetime'] = lifetime;
  f['opcua.server_nonce_length'] = nonce < 0 ? null : nonce;
}

function getEndpointsRequest(r: Reader, f: Fields): void {
  const url = r.string();
  if (!r.short) f['opcua.endpoint_url'] = url;
  const locales = r.count('LocaleIds');
  for (let i = 0; i < locales && !r.failed; i++) r.bytes('a LocaleId');
  const profiles = r.count('ProfileUris');
  for (let i = 0; i < profiles && !r.failed; i++) r.bytes('a ProfileUri');
}

function findServersRequest(r: Reader, f: Fields): void {
  const url = r.string();
  if (!r.short) f['opcua.endpoint_url'] = url;
}

function findServersResponse(r: Reader, f: Fields): void {
  const n = r.count('Servers');
  const uris: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    // Descriptions of other servers (a discovery server's list): not the sender's identity.
    const app = applicationDescription(r);
    if (!r.short && i < MAX_LISTED) {
      uris.push(app.uri ?? '');
      names.push(app.name ?? '');
    }
  }
  f['opcua.server_count'] = n;
  f['opcua.server_uris'] = uris;
  f['opcua.server_names'] = names;
}

function createSessionRequest(r: Reader, f: Fields): void {
  const app = applicationDescription(r);
  const serverUri = r.string();
  const endpointUrl = r.string();
  const sessionName = r.string();
  const nonce = r.bytes('ClientNonce');
  const cert = r.bytes('ClientCertificate');
  const timeout = r.f64();
  const maxResponse = r.u32();
  if (r.short) return;
  putApplication(f, app);
  f['opcua.server_uri'] = serverUri;
  f['opcua.endpoint_url'] = endpointUrl;
  f['opcua.session_name'] = sessionName;
  f['opcua.client_nonce_length'] = nonce < 0 ? null : nonce;
  f['opcua.client_certificate_length'] = cert < 0 ? null : cert;
  f['opcua.requested_session_timeout'] = timeout;
  f['opcua.max_response_message_size'] = maxResponse;
}

function createSessionResponse(r: Reader, f: Fields): void {
  const sessionId = r.nodeId(true);
  r.nodeId(false); // AuthenticationToken: a session secret (Part 4 §5.6.2.2), never copied
  const timeout = r.f64();
  const nonce = r.bytes('ServerNonce');
  const cert = r.bytes('ServerCertificate');
  if (r.short) return;
  f['opcua.session_id'] = sessionId;
  f['opcua.revised_session_timeout'] = timeout;
  f['opcua.server_nonce_length'] = nonce < 0 ? null : nonce;
  f['opcua.server_certificate_length'] = cert < 0 ? null : cert;
  endpoints(r, f);
  const certs = r.count('ServerSoftwareCertificates');
  for (let i = 0; i < certs && !r.failed; i++) {
    r.bytes('CertificateData');
    r.bytes('Signature');
  }
  r.bytes('ServerSignature.Algorithm');
  r.bytes('ServerSignature.Signature');
  const maxRequest = r.u32();
  if (!r.short) f['opcua.max_request_message_size'] = maxRequest;
}

function activateSessionRequest(r: Reader, f: Fields): void {
  r.bytes('ClientSignature.Algorithm');
  r.bytes('ClientSignature.Signature');
  const certs = r.count('ClientSoftwareCertificates');
  for (let i = 0; i < certs && !r.failed; i++) {
    r.bytes('CertificateData');
    r.bytes('Signature');
  }
  const locales = r.count('LocaleIds');
  for (let i = 0; i < locales && !r.failed; i++) r.bytes('a LocaleId');
  // UserIdentityToken: an ExtensionObject whose type id says which token (Part 4 §7.41).
  r.nodeId(false);
  const typeId = r.ns === 0 ? r.num : -1;
  const enc = r.u8();
  if (r.short) return;
  const tokenType = TOKEN_TYPE_BY_TYPE_ID.get(typeId);
  if (enc === 0) {
    // No token at all: Part 4 §5.6.3.2 treats a null token as anonymous.
    f['opcua.identity_token'] = USER_TOKEN_TYPES[0];
    return;
  }
  if (enc !== 1) {
    if (enc === 2) r.bytes('an XML identity token');
    else r.fail(`ExtensionObject encoding ${enc}`);
    f['opcua.identity_token'] = tokenType === undefined ? unknownName(typeId) : USER_TOKEN_TYPES[tokenType];
    return;
  }
  const length = r.length('the identity token');
  const bodyEnd = r.p + Math.max(length, 0);
  f['opcua.identity_token'] = tokenType === undefined ? unknownName(typeId) : USER_TOKEN_TYPES[tokenType];
  if (tokenType === undefined || length <= 0) {
    r.skip(Math.max(length, 0));
    return;
  }
  const policyId = r.string();
  if (!r.short) f['opcua.identity_policy_id'] = policyId;
  if (tokenType === 1) {
    // UserNameIdentityToken: UserName, Password, EncryptionAlgorithm. The password never leaves
    // this function; only whether it travelled in the clear.
    const user = r.string();
    const password = r.bytes('Password');
    const algorithm = r.string();
    if (!r.short) {
      f['opcua.user_name'] = user;
      f['opcua.cleartext_password'] = password > 0 && !algorithm;
    }
  } else if (tokenType === 2) {
    const cert = r.bytes('CertificateData');
    if (!r.short) f['opcua.user_certificate_length'] = cert < 0 ? null : cert;
  }
  if (!r.failed) r.seek(bodyEnd, 'the identity token');
}

/** ReadRequest (Part 4 §5.10.2): the first MAX_LISTED node ids and attributes, and their count. */
function readRequest(r: Reader, f: Fields): void {
  const maxAge = r.f64();
  const timestamps = r.u32();
  if (r.short) return;
  f['opcua.max_age'] = maxAge;
  f['opcua.timestamps_to_return'] = enumName(TIMESTAMPS_TO_RETURN, timestamps);
  const n = r.count('NodesToRead');
  const nodes: string[] = [];
  const attributes: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    const node = r.nodeId(i < MAX_LISTED);
    const attribute = r.u32();
    r.bytes('IndexRange');
    r.skip(2); // DataEncoding.NamespaceIndex
    r.bytes('DataEncoding.Name');
    if (i < MAX_LISTED && !r.short) {
      nodes.push(node ?? '');
      attributes.push(enumName(ATTRIBUTES, attribute));
    }
  }
  f['opcua.node_count'] = n;
  f['opcua.nodes'] = nodes;
  f['opcua.attributes'] = attributes;
}

function writeRequest(r: Reader, f: Fields): void {
  const n = r.count('NodesToWrite');
  const nodes: string[] = [];
  const attributes: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    const node = r.nodeId(i < MAX_LISTED);
    const attribute = r.u32();
    r.bytes('IndexRange');
    skipDataValue(r, 0);
    if (i < MAX_LISTED && !r.short) {
      nodes.push(node ?? '');
      attributes.push(enumName(ATTRIBUTES, attribute));
    }
  }
  f['opcua.node_count'] = n;
  f['opcua.nodes'] = nodes;
  f['opcua.attributes'] = attributes;
}

function writeResponse(r: Reader, f: Fields): void {
  const n = r.count('Results');
  const results: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    const code = r.u32();
    if (i < MAX_LISTED && !r.short) results.push(statusName(code));
  }
  f['opcua.results'] = results;
}

function callRequest(r: Reader, f: Fields): void {
  const n = r.count('MethodsToCall');
  const objects: string[] = [];
  const methods: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    const object = r.nodeId(i < MAX_LISTED);
    const method = r.nodeId(i < MAX_LISTED);
    const args = r.count('InputArguments');
    for (let a = 0; a < args && !r.failed; a++) skipVariant(r, 0);
    if (i < MAX_LISTED && !r.short) {
      objects.push(object ?? '');
      methods.push(method ?? '');
    }
  }
  f['opcua.node_count'] = n;
  f['opcua.nodes'] = objects;
  f['opcua.methods'] = methods;
}

function browseRequest(r: Reader, f: Fields): void {
  r.nodeId(false); // View.ViewId
  r.skip(8 + 4 + 4); // View.Timestamp, View.ViewVersion, RequestedMaxReferencesPerNode
  const n = r.count('NodesToBrowse');
  const nodes: string[] = [];
  for (let i = 0; i < n && !r.failed; i++) {
    const node = r.nodeId(i < MAX_LISTED);
    r.skip(4); // BrowseDirection
    r.nodeId(false); // ReferenceTypeId
    r.skip(1 + 4 + 4); // IncludeSubtypes, NodeClassMask, ResultMask
    if (i < MAX_LISTED && !r.short) nodes.push(node ?? '');
  }
  f['opcua.node_count'] = n;
  f['opcua.nodes'] = nodes;
}

function closeSessionRequest(r: Reader, f: Fields): void {
  const del = r.u8();
  if (!r.short) f['opcua.delete_subscriptions'] = del !== 0;
}

/** What a BuildInfo node read tells (Part 5 §12.4), by numeric node id in namespace 0. */
const BUILD_INFO_FIELD: ReadonlyMap<number, string> = new Map([
  [BUILD_INFO_NODES.Server_ServerStatus_BuildInfo_ProductName, 'opcua.product_name'],
  [BUILD_INFO_NODES.Server_ServerStatus_BuildInfo_ManufacturerName, 'opcua.manufacturer_name'],
  [BUILD_INFO_NODES.Server_ServerStatus_BuildInfo_SoftwareVersion, 'opcua.software_version'],
  [BUILD_INFO_NODES.Server_ServerStatus_BuildInfo_BuildNumber, 'opcua.build_number'],
]);
const BUILD_INFO_NODE_TEXT: ReadonlyMap<string, number> = new Map(
  Object.values(BUILD_INFO_NODES).map((id) => [`i=${id}`, id]),
);

/**
 * ReadResponse (Part 4 §5.10.2): the results follow the request's NodesToRead in order, so the
 * values of the server's BuildInfo nodes are picked out by the request's node list.
 */
function readResponse(r: Reader, f: Fields, request: ReadRequestInfo | null): void {
  const n = r.count('Results');
  f['opcua.node_count'] = n;
  if (request === null) return;
  const wanted = request.nodes;
  for (let i = 0; i < n && i < wanted.length && !r.failed; i++) {
    const id = request.attributes[i] === 'VALUE' ? BUILD_INFO_NODE_TEXT.get(wanted[i]) : undefined;
    if (id === undefined) {
      skipDataValue(r, 0);
      continue;
    }
    const mask = r.u8();
    if (mask & 0x01) buildInfoValue(r, f, id);
    if (mask & 0x02) r.skip(4);
    if (mask & 0x04) r.skip(8);
    if (mask & 0x10) r.skip(2);
    if (mask & 0x08) r.skip(8);
    if (mask & 0x20) r.skip(2);
  }
  const vendor = f['opcua.manufacturer_name'];
  const version = f['opcua.software_version'];
  // BuildInfo describes the OPC UA server software, which on a PLC is one component among others:
  // its version is the server's software, not the device's firmware.
  if (typeof vendor === 'string' && vendor !== '') f[DEVICE.vendor] = vendor;
  if (typeof version === 'string' && version !== '') {
    const product = f['opcua.product_name'];
    f[DEVICE.software] = typeof product === 'string' && product !== '' ? `${product} ${version}` : version;
  }
}

/** The Variant value of a BuildInfo node: a String, or a BuildInfo / ServerStatusDataType structure. */
function buildInfoValue(r: Reader, f: Fields, node: number): void {
  const mask = r.u8();
  const type = mask & 0x3f;
  if (mask & 0x80 || type > 25) {
    r.p -= 1;
    skipVariant(r, 0);
    return;
  }
  if (type === 12) {
    const s = r.string();
    const field = BUILD_INFO_FIELD.get(node);
    if (field !== undefined && !r.short) f[field] = s;
    return;
  }
  if (type !== 22) {
    skipBuiltin(r, type, 0);
    return;
  }
  r.nodeId(false);
  const typeId = r.ns === 0 ? r.num : -1;
  const enc = r.u8();
  if (enc !== 1) {
    if (enc === 2) r.bytes('an XML body');
    else if (enc !== 0) r.fail(`ExtensionObject encoding ${enc}`);
    return;
  }
  const length = r.length('an ExtensionObject body');
  const bodyEnd = r.p + Math.max(length, 0);
  if (typeId === SERVER_STATUS_TYPE_ID) r.skip(8 + 8 + 4); // StartTime, CurrentTime, State
  if (typeId === SERVER_STATUS_TYPE_ID || typeId === BUILD_INFO_TYPE_ID) {
    r.bytes('ProductUri');
    const manufacturer = r.string();
    const product = r.string();
    const version = r.string();
    const build = r.string();
    if (!r.short) {
      f['opcua.manufacturer_name'] = manufacturer;
      f['opcua.product_name'] = product;
      f['opcua.software_version'] = version;
      f['opcua.build_number'] = build;
    }
  }
  if (!r.failed) r.seek(bodyEnd, 'the BuildInfo value');
}

/** What the session remembers of a Read request to read its response. */
export interface ReadRequestInfo {
  readonly nodes: readonly string[];
  readonly attributes: readonly string[];
}

/** What the parser needs to know of the connection (the session keeps it). */
export interface ChannelView {
  /**
   * The secure channel's policy: false when None (bodies are plaintext), true when another
   * (bodies are signed, perhaps encrypted), null when no OpenSecureChannel was seen.
   */
  readonly secured: boolean | null;
  /**
   * The chunk continues a message whose first chunk came earlier in this direction: its body
   * goes on from there and holds no type id to look for.
   */
  readonly continuation: boolean;
  /** The Read request with this RequestId, if the session remembers it. */
  readRequest(requestId: number): ReadRequestInfo | null;
}

const PLAIN_CHANNEL: ChannelView = { secured: false, continuation: false, readRequest: () => null };

/**
 * Parses one chunk at `pos`; `end` is where the bytes available stop. `ok` consumes the chunk's
 * declared size, which is more than `end - pos` when the chunk is larger than DECODE_WINDOW: it was
 * decoded from its first DECODE_WINDOW bytes and the caller skips the rest.
 */
export function parseChunk(
  b: Uint8Array,
  pos: number,
  end: number,
  channel: ChannelView = PLAIN_CHANNEL,
): ParseResult<OpcuaMessage> {
  const avail = end - pos;
  if (avail < HEADER_LENGTH) {
    if (!couldBeHeader(b, pos, end))
      return { kind: 'violation', consumed: 1, reason: notAHeader(b, pos, end) };
    return { kind: 'incomplete', needed: HEADER_LENGTH - avail };
  }
  const type = messageTypeAt(b, pos);
  if (type < 0) return { kind: 'violation', consumed: 1, reason: notAHeader(b, pos, end) };
  const chunk = b[pos + 3];
  if (!chunkTypeValid(type, chunk)) {
    return {
      kind: 'violation',
      consumed: 1,
      reason: `${TYPE_NAMES[type]} with chunk type 0x${HEX[chunk]} (Part 6 §7.1.2.2 allows ${type >= T_OPN ? 'C, F, A' : 'F'})`,
    };
  }
  const size = u32le(b, pos + 4);
  if (size < MIN_CHUNK_SIZE[type]) {
    return {
      kind: 'violation',
      consumed: 1,
      reason: `${TYPE_NAMES[type]} of ${size} bytes is shorter than its fixed fields (${MIN_CHUNK_SIZE[type]})`,
    };
  }
  if (size > MAX_CHUNK_SIZE) {
    return {
      kind: 'violation',
      consumed: 1,
      reason: `${TYPE_NAMES[type]} chunk of ${size} bytes exceeds MAX_CHUNK_SIZE (${MAX_CHUNK_SIZE})`,
    };
  }
  const window = Math.min(size, DECODE_WINDOW);
  if (avail < window) return { kind: 'incomplete', needed: window - avail };
  const r = R.reset(b, pos + HEADER_LENGTH, pos + window);
  const f: Fields = {
    'opcua.msg_type': TYPE_NAMES[type],
    'opcua.chunk': CHUNK_NAMES[chunk],
    'opcua.msg_size': size,
    'opcua.operation': 'other',
  };
  // A body may run out before its fields do only where the message goes on: past the decode
  // window, or in an intermediate chunk (§6.7.2.2) whose message continues in the next.
  const complete = window === size && chunk !== CHUNK_TYPES.C;
  let problem: string | null;
  switch (type) {
    case T_HEL:
    case T_ACK:
      problem = helloOrAck(r, f, type === T_HEL);
      break;
    case T_ERR:
      problem = errorMessage(r, f);
      break;
    case T_RHE:
      problem = reverseHello(r, f);
      break;
    default:
      problem = secureChunk(r, f, type, chunk, channel, complete);
  }
  if (problem === null && r.bad !== null) problem = r.bad;
  if (problem === null && r.short && complete)
    problem = `${TYPE_NAMES[type]} body is shorter than its fields`;
  if (problem !== null) return { kind: 'violation', consumed: size, reason: problem };
  return { kind: 'ok', consumed: size, message: f };
}

function notAHeader(b: Uint8Array, pos: number, end: number): string {
  let hex = '';
  for (let i = pos; i < end && i < pos + 4; i++) hex += HEX[b[i]];
  return `no OPC UA message header at 0x${hex}`;
}

/** Hello (§7.1.2.3) and Acknowledge (§7.1.2.4). */
function helloOrAck(r: Reader, f: Fields, hello: boolean): string | null {
  f['opcua.protocol_version'] = r.u32();
  const receive = r.u32();
  const send = r.u32();
  f['opcua.receive_buffer_size'] = receive;
  f['opcua.send_buffer_size'] = send;
  f['opcua.max_message_size'] = r.u32(); // 0: no limit
  f['opcua.max_chunk_count'] = r.u32(); // 0: no limit
  if (hello) {
    const n = r.peekI32();
    if (n > MAX_URL_LENGTH)
      return `Hello EndpointUrl of ${n} bytes exceeds ${MAX_URL_LENGTH} (Part 6 §7.1.2.3)`;
    f['opcua.endpoint_url'] = r.string();
  }
  if (r.short) return null;
  if (receive < MIN_BUFFER_SIZE || send < MIN_BUFFER_SIZE) {
    return `${hello ? 'Hello' : 'Acknowledge'} buffer size below ${MIN_BUFFER_SIZE} bytes (Part 6 §7.1.2.3)`;
  }
  return null;
}

/** Error (§7.1.2.5) and the body of an abort chunk (§6.7.3): a status code and a reason. */
function errorMessage(r: Reader, f: Fields): string | null {
  const code = r.u32();
  const n = r.peekI32();
  if (n > MAX_URL_LENGTH) return `Error Reason of ${n} bytes exceeds ${MAX_URL_LENGTH} (Part 6 §7.1.2.5)`;
  const reason = r.string();
  if (r.short) return null;
  setStatus(f, code);
  f['opcua.reason'] = reason;
  return null;
}

/** ReverseHello (§7.1.2.6): sent by a server that opened the connection. */
function reverseHello(r: Reader, f: Fields): string | null {
  const serverUri = r.string();
  const endpointUrl = r.string();
  if (r.short) return null;
  f['opcua.server_uri'] = serverUri;
  f['opcua.endpoint_url'] = endpointUrl;
  return null;
}

/** OPN, MSG and CLO chunks (§6.7.2). */
function secureChunk(
  r: Reader,
  f: Fields,
  type: number,
  chunk: number,
  channel: ChannelView,
  complete: boolean,
): string | null {
  f['opcua.secure_channel_id'] = r.u32();
  let secured = channel.secured;
  if (type === T_OPN) {
    // Asymmetric security header (§6.7.2.3), always readable.
    const n = r.peekI32();
    if (n > MAX_POLICY_URI_LENGTH) {
      return `SecurityPolicyUri of ${n} bytes exceeds ${MAX_POLICY_URI_LENGTH} (Part 6 §6.7.2.3)`;
    }
    const uri = r.string() ?? '';
    const cert = r.bytes('SenderCertificate');
    const thumbLength = r.length('ReceiverCertificateThumbprint');
    let thumb: string | null = null;
    if (thumbLength > 0 && r.need(thumbLength)) {
      thumb = '';
      for (let i = 0; i < thumbLength && i < MAX_THUMBPRINT_BYTES; i++) thumb += HEX[r.b[r.p + i]];
      r.p += thumbLength;
    }
    if (r.short) return null;
    f['opcua.security_policy_uri'] = uri;
    f['opcua.security_policy'] = securityPolicyName(uri);
    f['opcua.security_policy_deprecated'] = isDeprecatedPolicy(uri);
    f['opcua.sender_certificate_length'] = cert < 0 ? null : cert;
    f['opcua.receiver_thumbprint'] = thumb;
    f['opcua.service'] = SERVICES.OpenSecureChannel.service;
    f['opcua.operation'] = SERVICES.OpenSecureChannel.operation;
    // §6.7.2.3: with any policy but None the rest of the chunk is encrypted with the receiver's key.
    secured = uri !== POLICY_NONE_URI;
  } else {
    // Symmetric security header (§6.7.2.3): the token id.
    f['opcua.token_id'] = r.u32();
    if (type === T_CLO) {
      f['opcua.service'] = SERVICES.CloseSecureChannel.service;
      f['opcua.operation'] = SERVICES.CloseSecureChannel.operation;
    }
  }
  if (r.short) return null;
  if (channel.continuation && chunk !== CHUNK_TYPES.A) {
    // The rest of a message already reported: only the sequence header is worth reading.
    if (secured === false) sequenceHeader(r, f);
    f['opcua.encrypted'] = secured === false ? false : null;
    return null;
  }
  if (secured === false) {
    f['opcua.encrypted'] = false;
    sequenceHeader(r, f);
    if (chunk === CHUNK_TYPES.A) return errorMessage(r, f);
    return body(r, f, channel);
  }
  // Not known to be plaintext: a signed-only body still reads as a known service; an encrypted one
  // does not (a random type id that names a service and a header that decodes is vanishingly rare).
  const start = r.p;
  const trial: Fields = {};
  sequenceHeader(r, trial);
  if (
    chunk !== CHUNK_TYPES.A &&
    body(r, trial, channel) === null &&
    r.bad === null &&
    (!r.short || !complete) &&
    typeKnown(trial)
  ) {
    Object.assign(f, trial);
    f['opcua.encrypted'] = false;
    return null;
  }
  r.bad = null;
  r.short = false;
  r.p = start;
  f['opcua.encrypted'] = secured;
  return null;
}

function typeKnown(f: Fields): boolean {
  return typeof f['opcua.type_name'] === 'string';
}

/** Sequence header (§6.7.2.4). */
function sequenceHeader(r: Reader, f: Fields): void {
  const seq = r.u32();
  const requestId = r.u32();
  if (r.short) return;
  f['opcua.sequence_number'] = seq;
  f['opcua.request_id'] = requestId;
}

/** The message body: the encoding NodeId of the service message, then the message. */
function body(r: Reader, f: Fields, channel: ChannelView): string | null {
  r.nodeId(false);
  if (r.failed) return null;
  const typeId = r.num;
  if (r.ns !== 0 || typeId < 0) {
    // Part 4 services are all in namespace 0; anything else is not a service message we know.
    return `message body type id is not a namespace-0 numeric NodeId`;
  }
  f['opcua.type_id'] = typeId;
  if (typeId === SERVICE_FAULT_TYPE_ID) {
    // Part 4 §7.30: a ResponseHeader and nothing else. The session names the service it answers.
    f['opcua.type_name'] = SERVICE_FAULT_NAME;
    f['opcua.service'] = SERVICE_FAULT_SERVICE;
    f['opcua.response'] = true;
    responseHeader(r, f);
    return null;
  }
  const entry: ServiceEntry | undefined = SERVICE_BY_TYPE_ID.get(typeId);
  if (entry === undefined) {
    f['opcua.service'] = unknownName(typeId);
    return null;
  }
  f['opcua.type_name'] = entry.typeName;
  f['opcua.service'] = entry.service;
  f['opcua.operation'] = entry.operation;
  f['opcua.response'] = entry.isResponse;
  if (entry.isResponse) responseHeader(r, f);
  else requestHeader(r, f);
  if (r.failed) return null;
  switch (typeId) {
    case SERVICES.OpenSecureChannel.request:
      openSecureChannelRequest(r, f);
      break;
    case SERVICES.OpenSecureChannel.response:
      openSecureChannelResponse(r, f);
      break;
    case SERVICES.GetEndpoints.request:
      getEndpointsRequest(r, f);
      break;
    case SERVICES.GetEndpoints.response:
      endpoints(r, f);
      break;
    case SERVICES.FindServers.request:
      findServersRequest(r, f);
      break;
    case SERVICES.FindServers.response:
      findServersResponse(r, f);
      break;
    case SERVICES.CreateSession.request:
      createSessionRequest(r, f);
      break;
    case SERVICES.CreateSession.response:
      createSessionResponse(r, f);
      break;
    case SERVICES.ActivateSession.request:
      activateSessionRequest(r, f);
      break;
    case SERVICES.CloseSession.request:
      closeSessionRequest(r, f);
      break;
    case SERVICES.Read.request:
      readRequest(r, f);
      break;
    case SERVICES.Read.response: {
      const id = f['opcua.request_id'];
      readResponse(r, f, typeof id === 'number' ? channel.readRequest(id) : null);
      break;
    }
    case SERVICES.Write.request:
      writeRequest(r, f);
      break;
    case SERVICES.Write.response:
      writeResponse(r, f);
      break;
    case SERVICES.Call.request:
      callRequest(r, f);
      break;
    case SERVICES.Browse.request:
      browseRequest(r, f);
      break;
  }
  return null;
}
