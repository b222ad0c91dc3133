// Builders of OPC UA Binary chunks (Part 6 §7.1.2, §6.7.2, §5.2 encoding) for the tests and the
// synthetic demo plant: realistic requests and responses, including the ones that carry a server's
// identity (ApplicationDescription, BuildInfo). Every builder returns the chunk's bytes.

import type { ConformanceSample } from '../testing.ts';
import { SECURITY_POLICY_PREFIX, SERVICES } from './spec.ts';

/** Little-endian writer of the binary encoding (Part 6 §5.2). */
export class UaWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  i32(v: number): this {
    this.room(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
    return this;
  }
  f64(v: number): this {
    this.room(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
    return this;
  }
  /** DateTime (§5.2.2.5): 100 ns ticks since 1601-01-01 UTC, from a Unix time in milliseconds. */
  dateTime(unixMs: number): this {
    const ticks = (BigInt(Math.round(unixMs)) + 11644473600000n) * 10000n;
    this.room(8);
    this.view.setBigInt64(this.length, ticks, true);
    this.length += 8;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }
  /** String (§5.2.2.4); null encodes as length -1. */
  string(s: string | null): this {
    if (s === null) return this.i32(-1);
    const b = new TextEncoder().encode(s);
    return this.i32(b.length).raw(b);
  }
  /** ByteString (§5.2.2.7); null encodes as length -1. */
  bytes(b: Uint8Array | null): this {
    if (b === null) return this.i32(-1);
    return this.i32(b.length).raw(b);
  }
  /** A numeric NodeId in its most compact encoding (§5.2.2.9). */
  numericNodeId(id: number, ns = 0): this {
    if (ns === 0 && id < 256) return this.u8(0).u8(id);
    if (ns < 256 && id < 65536) return this.u8(1).u8(ns).u16(id);
    return this.u8(2).u16(ns).u32(id);
  }
  stringNodeId(ns: number, s: string): this {
    return this.u8(3).u16(ns).string(s);
  }
  guidNodeId(ns: number, guid: Uint8Array): this {
    return this.u8(4).u16(ns).raw(guid);
  }
  /** LocalizedText (§5.2.2.14). */
  localizedText(text: string | null, locale: string | null = null): this {
    this.u8((locale === null ? 0 : 1) | (text === null ? 0 : 2));
    if (locale !== null) this.string(locale);
    if (text !== null) this.string(text);
    return this;
  }
  /** An array of strings (§5.2.5); null encodes as length -1. */
  strings(items: readonly string[] | null): this {
    if (items === null) return this.i32(-1);
    this.i32(items.length);
    for (const s of items) this.string(s);
    return this;
  }
  /** An ExtensionObject with a ByteString body (§5.2.2.15), or an empty one. */
  extensionObject(typeId: number, body: Uint8Array | null): this {
    this.numericNodeId(typeId);
    if (body === null) return this.u8(0);
    return this.u8(1).bytes(body);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** Fixed reference time of the builders (2024-03-01T08:00:00Z), so output is deterministic. */
export const BUILDER_TIME_MS = Date.UTC(2024, 2, 1, 8, 0, 0);

/** The policy URI of a short policy name (`None`, `Basic256Sha256`). */
export const policyUri = (name: string) => `${SECURITY_POLICY_PREFIX}${name}`;

const ASCII = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Wraps a body into a chunk with the 8-byte message header (§7.1.2.2). */
export function chunk(type: string, body: Uint8Array, chunkType: 'F' | 'C' | 'A' = 'F'): Uint8Array {
  const out = new Uint8Array(8 + body.length);
  out.set(ASCII(type + chunkType), 0);
  new DataView(out.buffer).setUint32(4, out.length, true);
  out.set(body, 8);
  return out;
}

// UA Connection Protocol (§7.1.2).

export interface BufferOptions {
  version?: number;
  receiveBufferSize?: number;
  sendBufferSize?: number;
  maxMessageSize?: number;
  maxChunkCount?: number;
}

/** Hello (§7.1.2.3) from a client to the endpoint URL. */
export function hello(endpointUrl: string, o: BufferOptions = {}): Uint8Array {
  const w = new UaWriter()
    .u32(o.version ?? 0)
    .u32(o.receiveBufferSize ?? 65535)
    .u32(o.sendBufferSize ?? 65535)
    .u32(o.maxMessageSize ?? 0)
    .u32(o.maxChunkCount ?? 0)
    .string(endpointUrl);
  return chunk('HEL', w.done());
}

/** Acknowledge (§7.1.2.4) from the server. */
export function acknowledge(o: BufferOptions = {}): Uint8Array {
  const w = new UaWriter()
    .u32(o.version ?? 0)
    .u32(o.receiveBufferSize ?? 65535)
    .u32(o.sendBufferSize ?? 65535)
    .u32(o.maxMessageSize ?? 0)
    .u32(o.maxChunkCount ?? 0);
  return chunk('ACK', w.done());
}

/** Error (§7.1.2.5) with a status code and reason, e.g. 0x807e0000 BadTcpMessageTypeInvalid. */
export function errorMessage(status: number, reason: string | null): Uint8Array {
  return chunk('ERR', new UaWriter().u32(status).string(reason).done());
}

/** ReverseHello (§7.1.2.6) from a server that dials out to its client. */
export function reverseHello(serverUri: string, endpointUrl: string): Uint8Array {
  return chunk('RHE', new UaWriter().string(serverUri).string(endpointUrl).done());
}

// Service messages (Part 4), encoded as a body after the sequence header.

/** RequestHeader (Part 4 §7.33) with a GUID session token (null: before the session exists). */
function requestHeader(
  w: UaWriter,
  handle: number,
  authToken: Uint8Array | null = null,
  timeoutHint = 10000,
) {
  if (authToken === null) w.numericNodeId(0);
  else w.guidNodeId(1, authToken);
  return w
    .dateTime(BUILDER_TIME_MS)
    .u32(handle)
    .u32(0)
    .string(null)
    .u32(timeoutHint)
    .extensionObject(0, null);
}

/** ResponseHeader (Part 4 §7.34), no diagnostics. */
function responseHeader(w: UaWriter, handle: number, status = 0) {
  return w.dateTime(BUILDER_TIME_MS).u32(handle).u32(status).u8(0).i32(-1).extensionObject(0, null);
}

/** A session authentication token (a GUID, as open62541 issues them). */
export const AUTH_TOKEN = Uint8Array.from([
  0x15, 0x16, 0x12, 0x39, 0xf3, 0x46, 0x34, 0x6d, 0xfe, 0xcf, 0xfc, 0xbf, 0xba, 0xcb, 0x4c, 0x14,
]);

export interface ApplicationDescriptionInput {
  applicationUri: string;
  productUri: string | null;
  applicationName: string | null;
  /** 0 Server, 1 Client, 2 ClientAndServer, 3 DiscoveryServer (Part 4 §7.1). */
  applicationType: number;
  discoveryUrls?: readonly string[];
}

function applicationDescription(w: UaWriter, a: ApplicationDescriptionInput): UaWriter {
  return w
    .string(a.applicationUri)
    .string(a.productUri)
    .localizedText(a.applicationName, a.applicationName === null ? null : 'en')
    .u32(a.applicationType)
    .string(null)
    .string(null)
    .strings(a.discoveryUrls ?? null);
}

/** A realistic PLC-embedded OPC UA server (names as such controllers report them). */
export const PLC_SERVER: ApplicationDescriptionInput = {
  applicationUri: 'urn:SIMATIC.S7-1500.OPC-UA.Application:PLC_Line1',
  productUri: 'https://www.siemens.com/simatic-s7-opcua',
  applicationName: 'SIMATIC.S7-1500.OPC-UA.Application:PLC_Line1',
  applicationType: 0,
  discoveryUrls: ['opc.tcp://10.20.1.10:4840'],
};

/** A realistic SCADA client. */
export const SCADA_CLIENT: ApplicationDescriptionInput = {
  applicationUri: 'urn:scada-hmi-01:Ignition:OpcUaClient',
  productUri: 'http://inductiveautomation.com/ignition',
  applicationName: 'Ignition OPC UA Client',
  applicationType: 1,
};

/** The BuildInfo such a server exposes (Part 5 §12.4). */
export const PLC_BUILD_INFO = {
  productUri: 'https://www.siemens.com/simatic-s7-opcua',
  manufacturerName: 'Siemens AG',
  productName: 'SIMATIC S7-1500 OPC UA Server',
  softwareVersion: 'V3.1.2',
  buildNumber: '3.1.2.400',
};

export interface EndpointInput {
  url: string;
  server: ApplicationDescriptionInput;
  /** 1 None, 2 Sign, 3 SignAndEncrypt. */
  mode: number;
  policy: string;
  /** UserTokenType per token policy: 0 Anonymous, 1 UserName, 2 Certificate, 3 IssuedToken. */
  tokenTypes: readonly number[];
  securityLevel: number;
  certificate?: Uint8Array | null;
}

function endpointDescription(w: UaWriter, e: EndpointInput): void {
  w.string(e.url);
  applicationDescription(w, e.server);
  w.bytes(e.certificate ?? null)
    .u32(e.mode)
    .string(policyUri(e.policy));
  w.i32(e.tokenTypes.length);
  for (const t of e.tokenTypes) {
    w.string(`token-${t}`).u32(t).string(null).string(null).string(null);
  }
  w.string('http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary').u8(e.securityLevel);
}

/** The endpoints a well-configured PLC server offers: None for discovery, and two secured ones. */
export function plcEndpoints(url = 'opc.tcp://10.20.1.10:4840'): EndpointInput[] {
  const cert = new Uint8Array(1024).fill(0x30);
  return [
    { url, server: PLC_SERVER, mode: 1, policy: 'None', tokenTypes: [0], securityLevel: 0 },
    {
      url,
      server: PLC_SERVER,
      mode: 2,
      policy: 'Basic256Sha256',
      tokenTypes: [1, 2],
      securityLevel: 50,
      certificate: cert,
    },
    {
      url,
      server: PLC_SERVER,
      mode: 3,
      policy: 'Basic256Sha256',
      tokenTypes: [1, 2],
      securityLevel: 100,
      certificate: cert,
    },
  ];
}

/** Secure conversation framing of a service body (§6.7.2). */
export interface ChannelInput {
  channelId: number;
  tokenId: number;
  sequenceNumber: number;
  requestId: number;
}

/** A MSG chunk (§6.7.2.2) carrying `body` (type id and message) in plaintext. */
export function msg(c: ChannelInput, body: Uint8Array, chunkType: 'F' | 'C' | 'A' = 'F'): Uint8Array {
  const w = new UaWriter().u32(c.channelId).u32(c.tokenId).u32(c.sequenceNumber).u32(c.requestId).raw(body);
  return chunk('MSG', w.done(), chunkType);
}

/** A CLO chunk with a CloseSecureChannelRequest (Part 4 §5.5.3). */
export function closeSecureChannel(c: ChannelInput, handle = 1): Uint8Array {
  const w = new UaWriter().u32(c.channelId).u32(c.tokenId).u32(c.sequenceNumber).u32(c.requestId);
  w.numericNodeId(SERVICES.CloseSecureChannel.request);
  requestHeader(w, handle);
  return chunk('CLO', w.done());
}

/** An abort chunk (§6.7.3): the rest of the message is dropped, with a status and reason. */
export function abortChunk(c: ChannelInput, status: number, reason: string): Uint8Array {
  const w = new UaWriter().u32(c.channelId).u32(c.tokenId).u32(c.sequenceNumber).u32(c.requestId);
  w.u32(status).string(reason);
  return chunk('MSG', w.done(), 'A');
}

export interface OpenInput {
  channelId?: number;
  policy?: string;
  /** 1 None, 2 Sign, 3 SignAndEncrypt. */
  mode?: number;
  /** 0 Issue, 1 Renew. */
  requestType?: number;
  senderCertificate?: Uint8Array | null;
  thumbprint?: Uint8Array | null;
  sequenceNumber?: number;
  requestId?: number;
  handle?: number;
}

function asymmetricHeader(w: UaWriter, o: OpenInput): UaWriter {
  return w
    .u32(o.channelId ?? 0)
    .string(policyUri(o.policy ?? 'None'))
    .bytes(o.senderCertificate ?? null)
    .bytes(o.thumbprint ?? null);
}

/**
 * OpenSecureChannel request (Part 4 §5.5.2). With a policy other than None the rest of the chunk
 * is encrypted (Part 6 §6.7.2.3): pseudo-random bytes stand in for the ciphertext.
 */
export function openSecureChannelRequest(o: OpenInput = {}): Uint8Array {
  const w = asymmetricHeader(new UaWriter(), o);
  if ((o.policy ?? 'None') !== 'None') return chunk('OPN', w.raw(ciphertext(256, o.channelId ?? 0)).done());
  w.u32(o.sequenceNumber ?? 1).u32(o.requestId ?? 1);
  w.numericNodeId(SERVICES.OpenSecureChannel.request);
  requestHeader(w, o.handle ?? 0);
  w.u32(0)
    .u32(o.requestType ?? 0)
    .u32(o.mode ?? 1)
    .bytes(null)
    .u32(600000);
  return chunk('OPN', w.done());
}

/** OpenSecureChannel response (Part 4 §5.5.2) issuing token `tokenId` on channel `channelId`. */
export function openSecureChannelResponse(o: OpenInput & { tokenId?: number } = {}): Uint8Array {
  const channelId = o.channelId ?? 1;
  const w = asymmetricHeader(new UaWriter(), { ...o, channelId });
  if ((o.policy ?? 'None') !== 'None') return chunk('OPN', w.raw(ciphertext(256, channelId + 1)).done());
  w.u32(o.sequenceNumber ?? 1).u32(o.requestId ?? 1);
  w.numericNodeId(SERVICES.OpenSecureChannel.response);
  responseHeader(w, o.handle ?? 0);
  w.u32(0)
    .u32(channelId)
    .u32(o.tokenId ?? 1)
    .dateTime(BUILDER_TIME_MS)
    .u32(600000)
    .bytes(null);
  return chunk('OPN', w.done());
}

/** Deterministic bytes that look like ciphertext (xorshift), for encrypted bodies. */
export function ciphertext(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761 + 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/** Body of a GetEndpointsRequest (Part 4 §5.4.4). */
export function getEndpointsRequest(handle: number, endpointUrl: string): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.GetEndpoints.request);
  requestHeader(w, handle);
  return w.string(endpointUrl).strings(null).strings(null).done();
}

/** Body of a GetEndpointsResponse listing `endpoints` (Part 4 §5.4.4). */
export function getEndpointsResponse(handle: number, endpoints: readonly EndpointInput[]): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.GetEndpoints.response);
  responseHeader(w, handle);
  w.i32(endpoints.length);
  for (const e of endpoints) endpointDescription(w, e);
  return w.done();
}

/** Body of a FindServersResponse with the descriptions of `servers` (Part 4 §5.4.2). */
export function findServersResponse(
  handle: number,
  servers: readonly ApplicationDescriptionInput[],
): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.FindServers.response);
  responseHeader(w, handle);
  w.i32(servers.length);
  for (const s of servers) applicationDescription(w, s);
  return w.done();
}

/** Body of a CreateSessionRequest from `client` (Part 4 §5.6.2). */
export function createSessionRequest(
  handle: number,
  client: ApplicationDescriptionInput,
  endpointUrl: string,
  sessionName: string | null = 'Session1',
): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.CreateSession.request);
  requestHeader(w, handle);
  applicationDescription(w, client);
  return w
    .string(null)
    .string(endpointUrl)
    .string(sessionName)
    .bytes(new Uint8Array(32).fill(7))
    .bytes(null)
    .f64(1200000)
    .u32(0x7fffffff)
    .done();
}

/** The session id the builders' server assigns (a GUID in namespace 1). */
export const SESSION_GUID = Uint8Array.from([
  0x9b, 0x63, 0xf7, 0xa0, 0xfd, 0x18, 0x0a, 0x8d, 0x52, 0x35, 0xf3, 0xcf, 0xf5, 0x1f, 0xd1, 0xdd,
]);
/** Its text form (Part 6 §5.1.3: Data1-3 little-endian). */
export const SESSION_ID_TEXT = 'ns=1;g=a0f7639b-18fd-8d0a-5235-f3cff51fd1dd';

/** Body of a CreateSessionResponse from a server with `endpoints` (Part 4 §5.6.2). */
export function createSessionResponse(handle: number, endpoints: readonly EndpointInput[]): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.CreateSession.response);
  responseHeader(w, handle);
  w.guidNodeId(1, SESSION_GUID)
    .guidNodeId(1, AUTH_TOKEN)
    .f64(1200000)
    .bytes(new Uint8Array(32).fill(9))
    .bytes(null);
  w.i32(endpoints.length);
  for (const e of endpoints) endpointDescription(w, e);
  return w.i32(-1).string(null).bytes(null).u32(0).done();
}

export type IdentityInput =
  | { kind: 'anonymous' }
  | { kind: 'username'; user: string; password: string; encryptionAlgorithm?: string | null }
  | { kind: 'certificate'; certificate: Uint8Array }
  | { kind: 'none' };

/** Body of an ActivateSessionRequest with a user identity token (Part 4 §5.6.3, §7.41). */
export function activateSessionRequest(handle: number, identity: IdentityInput): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.ActivateSession.request);
  requestHeader(w, handle, AUTH_TOKEN);
  w.string(null).bytes(null).i32(-1).strings(['en']);
  const token = new UaWriter();
  switch (identity.kind) {
    case 'none':
      w.numericNodeId(0).u8(0);
      break;
    case 'anonymous':
      w.extensionObject(321, token.string('anonymous').done());
      break;
    case 'username':
      token.string('username_basic256sha256').string(identity.user);
      token.bytes(new TextEncoder().encode(identity.password)).string(identity.encryptionAlgorithm ?? null);
      w.extensionObject(324, token.done());
      break;
    case 'certificate':
      w.extensionObject(327, token.string('certificate').bytes(identity.certificate).done());
      break;
  }
  return w.string(null).bytes(null).done();
}

/** Body of a bare response with only a ResponseHeader and empty result arrays (most services). */
export function simpleResponse(typeId: number, handle: number, status = 0): Uint8Array {
  const w = new UaWriter().numericNodeId(typeId);
  responseHeader(w, handle, status);
  return w.i32(-1).i32(-1).done();
}

/** Body of a request with only a RequestHeader and empty arrays (e.g. Publish, CreateSubscription). */
export function simpleRequest(typeId: number, handle: number): Uint8Array {
  const w = new UaWriter().numericNodeId(typeId);
  requestHeader(w, handle, AUTH_TOKEN);
  return w.i32(-1).i32(-1).done();
}

/** Body of a ServiceFault (Part 4 §7.30) with `status`. */
export function serviceFault(handle: number, status: number): Uint8Array {
  return responseHeader(new UaWriter().numericNodeId(397), handle, status).done();
}

export type NodeInput = { ns: number; id: number } | { ns: number; s: string };

function nodeId(w: UaWriter, n: NodeInput): void {
  if ('id' in n) w.numericNodeId(n.id, n.ns);
  else w.stringNodeId(n.ns, n.s);
}

/** Body of a ReadRequest of the Value (attribute 13) of `nodes` (Part 4 §5.10.2). */
export function readRequest(handle: number, nodes: readonly NodeInput[], attribute = 13): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Read.request);
  requestHeader(w, handle, AUTH_TOKEN);
  w.f64(0).u32(0).i32(nodes.length);
  for (const n of nodes) {
    nodeId(w, n);
    w.u32(attribute).string(null).u16(0).string(null);
  }
  return w.done();
}

/** The server's BuildInfo nodes (Part 5 §12.4) a client reads to learn what it talks to. */
export const BUILD_INFO_READ: readonly NodeInput[] = [
  { ns: 0, id: 2263 },
  { ns: 0, id: 2261 },
  { ns: 0, id: 2264 },
  { ns: 0, id: 2265 },
];

export type ValueInput =
  | { string: string }
  | { double: number }
  | { buildInfo: typeof PLC_BUILD_INFO }
  | null;

function variant(w: UaWriter, v: ValueInput): void {
  if (v === null) {
    w.u8(0);
  } else if ('string' in v) {
    w.u8(12).string(v.string);
  } else if ('double' in v) {
    w.u8(11).f64(v.double);
  } else {
    const b = v.buildInfo;
    const body = new UaWriter()
      .string(b.productUri)
      .string(b.manufacturerName)
      .string(b.productName)
      .string(b.softwareVersion)
      .string(b.buildNumber)
      .dateTime(BUILDER_TIME_MS)
      .done();
    w.u8(22).extensionObject(340, body);
  }
}

/** Body of a ReadResponse with one DataValue per value, with source timestamps (Part 4 §5.10.2). */
export function readResponse(handle: number, values: readonly ValueInput[]): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Read.response);
  responseHeader(w, handle);
  w.i32(values.length);
  for (const v of values) {
    w.u8(0x01 | 0x04);
    variant(w, v);
    w.dateTime(BUILDER_TIME_MS);
  }
  return w.i32(-1).done();
}

/** The ReadResponse answering BUILD_INFO_READ with PLC_BUILD_INFO. */
export function buildInfoReadResponse(handle: number): Uint8Array {
  const b = PLC_BUILD_INFO;
  return readResponse(handle, [
    { string: b.manufacturerName },
    { string: b.productName },
    { string: b.softwareVersion },
    { string: b.buildNumber },
  ]);
}

/** Body of a WriteRequest of Values (Part 4 §5.10.4). */
export function writeRequest(
  handle: number,
  writes: readonly { node: NodeInput; value: ValueInput }[],
): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Write.request);
  requestHeader(w, handle, AUTH_TOKEN);
  w.i32(writes.length);
  for (const x of writes) {
    nodeId(w, x.node);
    w.u32(13).string(null).u8(0x01);
    variant(w, x.value);
  }
  return w.done();
}

/** Body of a WriteResponse with one status per write (Part 4 §5.10.4). */
export function writeResponse(handle: number, results: readonly number[]): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Write.response);
  responseHeader(w, handle);
  w.i32(results.length);
  for (const r of results) w.u32(r);
  return w.i32(-1).done();
}

/** Body of a CallRequest of `method` on `object` with scalar arguments (Part 4 §5.11.2). */
export function callRequest(
  handle: number,
  object: NodeInput,
  method: NodeInput,
  args: readonly ValueInput[],
): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Call.request);
  requestHeader(w, handle, AUTH_TOKEN);
  w.i32(1);
  nodeId(w, object);
  nodeId(w, method);
  w.i32(args.length);
  for (const a of args) variant(w, a);
  return w.done();
}

/** Body of a BrowseRequest of the forward references of `nodes` (Part 4 §5.8.2). */
export function browseRequest(handle: number, nodes: readonly NodeInput[]): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.Browse.request);
  requestHeader(w, handle, AUTH_TOKEN);
  w.numericNodeId(0).dateTime(0).u32(0).u32(0).i32(nodes.length);
  for (const n of nodes) {
    nodeId(w, n);
    w.u32(0).numericNodeId(33).u8(1).u32(0).u32(0x3f);
  }
  return w.done();
}

/** Body of a CloseSessionRequest (Part 4 §5.6.4). */
export function closeSessionRequest(handle: number): Uint8Array {
  const w = new UaWriter().numericNodeId(SERVICES.CloseSession.request);
  requestHeader(w, handle, AUTH_TOKEN);
  return w.u8(1).done();
}

/**
 * A whole unsecured conversation, in order, as [direction, bytes]: Hello/Acknowledge, a channel
 * with policy None, GetEndpoints, a session with a user name, the BuildInfo read, a write, a call,
 * and the closes. `endpointUrl` names the server.
 */
export function conversation(endpointUrl = 'opc.tcp://10.20.1.10:4840'): [0 | 1, Uint8Array][] {
  const seq = [0, 0];
  let req = 0;
  const c = (dir: 0 | 1, requestId: number): ChannelInput => ({
    channelId: 7,
    tokenId: 1,
    sequenceNumber: ++seq[dir],
    requestId,
  });
  const out: [0 | 1, Uint8Array][] = [
    [0, hello(endpointUrl)],
    [1, acknowledge()],
    [0, openSecureChannelRequest({ sequenceNumber: ++seq[0], requestId: ++req })],
    [1, openSecureChannelResponse({ channelId: 7, tokenId: 1, sequenceNumber: ++seq[1], requestId: req })],
  ];
  const exchange = (request: (h: number) => Uint8Array, response: (h: number) => Uint8Array) => {
    const id = ++req;
    out.push([0, msg(c(0, id), request(id))]);
    out.push([1, msg(c(1, id), response(id))]);
  };
  exchange(
    (h) => getEndpointsRequest(h, endpointUrl),
    (h) => getEndpointsResponse(h, plcEndpoints(endpointUrl)),
  );
  exchange(
    (h) => createSessionRequest(h, SCADA_CLIENT, endpointUrl),
    (h) => createSessionResponse(h, plcEndpoints(endpointUrl)),
  );
  exchange(
    (h) => activateSessionRequest(h, { kind: 'username', user: 'operator', password: 'secret' }),
    (h) => simpleResponse(SERVICES.ActivateSession.response, h),
  );
  exchange(
    (h) => readRequest(h, BUILD_INFO_READ),
    (h) => buildInfoReadResponse(h),
  );
  exchange(
    (h) => writeRequest(h, [{ node: { ns: 3, s: '"Line1"."Setpoint"' }, value: { double: 42.5 } }]),
    (h) => writeResponse(h, [0]),
  );
  exchange(
    (h) => callRequest(h, { ns: 3, s: '"Line1"' }, { ns: 3, s: '"Line1".Start' }, [{ string: 'auto' }]),
    (h) => simpleResponse(SERVICES.Call.response, h),
  );
  exchange(
    (h) => closeSessionRequest(h),
    (h) => simpleResponse(SERVICES.CloseSession.response, h),
  );
  out.push([0, closeSecureChannel(c(0, ++req))]);
  return out;
}

/**
 * A conversation on a Basic256Sha256 channel in SignAndEncrypt mode: Hello/Acknowledge, the
 * encrypted OpenSecureChannel pair, then `exchanges` request/response pairs of ciphertext.
 */
export function securedConversation(
  exchanges = 3,
  endpointUrl = 'opc.tcp://10.20.1.10:4840',
): [0 | 1, Uint8Array][] {
  const cert = new Uint8Array(1100).fill(0x30);
  const thumb = ciphertext(20, 99);
  const out: [0 | 1, Uint8Array][] = [
    [0, hello(endpointUrl)],
    [1, acknowledge()],
    [0, openSecureChannelRequest({ policy: 'Basic256Sha256', senderCertificate: cert, thumbprint: thumb })],
    [
      1,
      openSecureChannelResponse({
        policy: 'Basic256Sha256',
        channelId: 9,
        senderCertificate: cert,
        thumbprint: thumb,
      }),
    ],
  ];
  for (let i = 0; i < exchanges; i++) {
    for (const dir of [0, 1] as const) {
      const body = new UaWriter()
        .u32(9)
        .u32(1)
        .raw(ciphertext(160 + 16 * i, i * 2 + dir + 1))
        .done();
      out.push([dir, chunk('MSG', body)]);
    }
  }
  return out;
}

/**
 * A message of two chunks, an aborted one, a ServiceFault answering its request, an unknown
 * service and an Error: the framing paths the plain conversation does not take.
 */
export function edgeConversation(): [0 | 1, Uint8Array][] {
  const c = (sequenceNumber: number, requestId: number): ChannelInput => ({
    channelId: 7,
    tokenId: 1,
    sequenceNumber,
    requestId,
  });
  const nodes = Array.from({ length: 40 }, (_, i) => ({ ns: 3, id: 6000 + i }));
  const read = readRequest(10, nodes);
  const half = Math.floor(read.length / 2);
  return [
    [0, hello('opc.tcp://10.20.1.10:4840')],
    [1, acknowledge()],
    [0, msg(c(1, 1), read.subarray(0, half), 'C')],
    [0, msg(c(2, 1), read.subarray(half), 'F')],
    [0, msg(c(3, 2), read.subarray(0, half), 'C')],
    [0, abortChunk(c(4, 2), 0x80080000, 'message too large')],
    [0, msg(c(5, 3), simpleRequest(SERVICES.HistoryUpdate.request, 11))],
    [1, msg(c(1, 3), serviceFault(11, 0x801f0000))],
    [0, msg(c(6, 4), new UaWriter().numericNodeId(15000).u32(0).done())],
    [1, errorMessage(0x80870000, 'token expired')],
  ];
}

const toSample = (pairs: [0 | 1, Uint8Array][]) => pairs.map(([dir, bytes], i) => [dir, i, bytes] as const);

/** Valid exchanges for the shared conformance suite (registry.test.ts): chunked, truncated, probed. */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'opcua',
    name: 'Hello, channel with policy None, GetEndpoints, session with a user name, BuildInfo read, write, call, closes',
    transmissions: toSample(conversation()),
  },
  {
    dissector: 'opcua',
    name: 'Basic256Sha256 SignAndEncrypt channel: encrypted OPN and MSG chunks',
    transmissions: toSample(securedConversation(2)),
  },
  {
    dissector: 'opcua',
    name: 'multi-chunk message, abort chunk, ServiceFault, unknown service, Error',
    transmissions: toSample(edgeConversation()),
  },
];
