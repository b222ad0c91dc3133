// Builders of EtherNet/IP, CIP and PCCC messages as payload bytes, for the tests beside them and for
// the synthetic demo plant (src/demo). Every builder returns the application payload of one TCP
// segment or UDP datagram (`Uint8Array`), little-endian as Vol 2 §2-3 and Vol 1 §C-1.1 require.
// Layouts follow the sections cited in spec.ts, parser.ts and cip.ts.

import type { ConformanceSample } from '../testing.ts';

/** Identity attributes a device reports (Identity object, Vol 1 §5-2; ListIdentity, Vol 2 §2-4.2). */
export interface IdentitySpec {
  vendorId: number;
  deviceType: number;
  productCode: number;
  revision: readonly [major: number, minor: number];
  status: number;
  serial: number;
  productName: string;
  state: number;
}

/** Realistic identities for tests and the demo plant, each a product that answers ListIdentity. */
export const EXAMPLE_IDENTITIES = {
  /** ControlLogix EtherNet/IP bridge, as in the ICSNPP capture (vendor 1, communications adapter). */
  enbt: {
    vendorId: 1,
    deviceType: 0x0c,
    productCode: 58,
    revision: [4, 3],
    status: 0x0030,
    serial: 0x00524d8e,
    productName: '1756-ENBT/A',
    state: 3,
  },
  /** ControlLogix controller in slot 0 of the same chassis (programmable logic controller). */
  logix: {
    vendorId: 1,
    deviceType: 0x0e,
    productCode: 54,
    revision: [20, 11],
    status: 0x3160,
    serial: 0x00c0ffee,
    productName: '1756-L61/B LOGIX5561',
    state: 3,
  },
  /** PowerFlex 525 drive (vendor 1, AC drive). */
  powerflex: {
    vendorId: 1,
    deviceType: 0x02,
    productCode: 150,
    revision: [5, 1],
    status: 0x0060,
    serial: 0x600ab123,
    productName: 'PowerFlex 525 1P 240V .4kW',
    state: 3,
  },
  /** WAGO fieldbus coupler (vendor 40, communications adapter). */
  wago: {
    vendorId: 40,
    deviceType: 0x0c,
    productCode: 363,
    revision: [1, 8],
    status: 0x0004,
    serial: 0x0001e240,
    productName: 'WAGO 750-363 ETHERNET IP',
    state: 3,
  },
} as const satisfies Record<string, IdentitySpec>;

/** Options of an encapsulation header (Vol 2 §2-3.1). */
export interface HeaderOptions {
  session?: number;
  status?: number;
  /** 8 bytes of sender context; a number fills the low 32 bits. */
  context?: number;
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function le16(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >> 8) & 0xff);
}

function le32(v: number): Uint8Array {
  return Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** An encapsulation message: the 24-byte header then `data`. */
export function encapsulate(command: number, data: Uint8Array, o: HeaderOptions = {}): Uint8Array {
  return concat(
    le16(command),
    le16(data.length),
    le32(o.session ?? 0),
    le32(o.status ?? 0),
    le32(o.context ?? 0),
    le32(0),
    le32(0),
    data,
  );
}

/** RegisterSession request: protocol version 1, no options (Vol 2 §2-4.4). */
export function registerSession(o: HeaderOptions = {}): Uint8Array {
  return encapsulate(0x65, concat(le16(1), le16(0)), o);
}

/** UnRegisterSession (Vol 2 §2-4.5). */
export function unregisterSession(o: HeaderOptions = {}): Uint8Array {
  return encapsulate(0x66, new Uint8Array(0), o);
}

/** ListIdentity request: no data (Vol 2 §2-4.2). */
export function listIdentityRequest(o: HeaderOptions = {}): Uint8Array {
  return encapsulate(0x63, new Uint8Array(0), o);
}

/** The Identity object attributes 1-8 in Get_Attributes_All order (Vol 1 §5-2.3.2). */
export function identityAttributes(id: IdentitySpec, withState = true): Uint8Array {
  const name = ascii(id.productName);
  return concat(
    le16(id.vendorId),
    le16(id.deviceType),
    le16(id.productCode),
    Uint8Array.of(id.revision[0], id.revision[1]),
    le16(id.status),
    le32(id.serial),
    Uint8Array.of(name.length),
    name,
    withState ? Uint8Array.of(id.state) : new Uint8Array(0),
  );
}

/** ListIdentity reply with one identity item for a device at `ip`:44818 (Vol 2 Table 2-4.4). */
export function listIdentityReply(id: IdentitySpec, ip: string, o: HeaderOptions = {}): Uint8Array {
  const socket = concat(
    Uint8Array.of(0, 2, 0xaf, 0x12), // AF_INET, port 44818, big-endian
    Uint8Array.from(ip.split('.').map(Number)),
    new Uint8Array(8),
  );
  const item = concat(le16(1), socket, identityAttributes(id));
  return encapsulate(0x63, concat(le16(1), le16(0x0c), le16(item.length), item), o);
}

/** ListServices reply advertising CIP encapsulation and class 0/1 UDP I/O (Vol 2 §2-4.6). */
export function listServicesReply(o: HeaderOptions = {}): Uint8Array {
  const name = new Uint8Array(16);
  name.set(ascii('Communications'));
  const item = concat(le16(1), le16(0x0120), name);
  return encapsulate(0x04, concat(le16(1), le16(0x100), le16(item.length), item), o);
}

/** SendRRData carrying an unconnected CIP message: null address item, unconnected data item. */
export function sendRRData(cip: Uint8Array, o: HeaderOptions = {}): Uint8Array {
  const cpf = concat(le16(2), le16(0), le16(0), le16(0xb2), le16(cip.length), cip);
  return encapsulate(0x6f, concat(le32(0), le16(10), cpf), o);
}

/** SendUnitData carrying a connected CIP message: connected address, connected data with sequence. */
export function sendUnitData(
  connectionId: number,
  sequence: number,
  cip: Uint8Array,
  o: HeaderOptions = {},
): Uint8Array {
  const data = concat(le16(sequence), cip);
  const cpf = concat(le16(2), le16(0xa1), le16(4), le32(connectionId), le16(0xb1), le16(data.length), data);
  return encapsulate(0x70, concat(le32(0), le16(0), cpf), o);
}

/** A padded EPATH of logical segments, 8-, 16- or 32-bit by value (Vol 1 §C-1.4). */
export function logicalPath(p: { class?: number; instance?: number; attribute?: number }): Uint8Array {
  const parts: Uint8Array[] = [];
  const segment = (type: number, v: number) => {
    if (v < 0x100) parts.push(Uint8Array.of(0x20 | (type << 2), v));
    else if (v < 0x10000) parts.push(concat(Uint8Array.of(0x21 | (type << 2), 0), le16(v)));
    else parts.push(concat(Uint8Array.of(0x22 | (type << 2), 0), le32(v)));
  };
  if (p.class !== undefined) segment(0, p.class);
  if (p.instance !== undefined) segment(1, p.instance);
  if (p.attribute !== undefined) segment(4, p.attribute);
  return concat(...parts);
}

/** A tag path: ANSI extended symbol segments per member, `[n]` as element segments (1756-PM020). */
export function symbolPath(tag: string): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const member of tag.split('.')) {
    const m = /^([^[]+)(?:\[(\d+)\])?$/.exec(member);
    const name = ascii(m?.[1] ?? member);
    parts.push(Uint8Array.of(0x91, name.length), name);
    if (name.length & 1) parts.push(Uint8Array.of(0));
    if (m?.[2] !== undefined) parts.push(Uint8Array.of(0x28, Number(m[2])));
  }
  return concat(...parts);
}

/** A Message Router request: service, path size in words, path, data (Vol 1 §2-4.1). */
export function cipRequest(service: number, path: Uint8Array, data: Uint8Array = new Uint8Array(0)) {
  return concat(Uint8Array.of(service, path.length >> 1), path, data);
}

/** A Message Router reply: service | 0x80, reserved, status, extended status words, data (§2-4.2). */
export function cipReply(
  service: number,
  status = 0,
  data: Uint8Array = new Uint8Array(0),
  extended: readonly number[] = [],
): Uint8Array {
  return concat(Uint8Array.of(service | 0x80, 0, status, extended.length), ...extended.map(le16), data);
}

/** Get_Attributes_All request to the Identity object, instance 1. */
export function identityRequest(): Uint8Array {
  return cipRequest(0x01, logicalPath({ class: 1, instance: 1 }));
}

/** Get_Attributes_All reply of the Identity object. */
export function identityReply(id: IdentitySpec): Uint8Array {
  return cipReply(0x01, 0, identityAttributes(id));
}

/** Unconnected_Send to the Connection Manager routing `inner` through backplane port 1 to `slot`. */
export function unconnectedSend(inner: Uint8Array, slot: number): Uint8Array {
  const data = concat(
    Uint8Array.of(0x0a, 0x0e), // priority/tick, timeout ticks
    le16(inner.length),
    inner,
    inner.length & 1 ? Uint8Array.of(0) : new Uint8Array(0),
    Uint8Array.of(1, 0), // route path: 1 word, reserved
    Uint8Array.of(0x01, slot), // port 1 (backplane), link address = slot
  );
  return cipRequest(0x52, logicalPath({ class: 6, instance: 1 }), data);
}

/** Multiple_Service_Packet to the Message Router: count, offsets, requests (§ ). */
export function multipleServicePacket(requests: readonly Uint8Array[]): Uint8Array {
  return cipRequest(0x0a, logicalPath({ class: 2, instance: 1 }), multipleBody(requests));
}

/** Multiple_Service_Packet reply carrying `replies`. */
export function multipleServiceReply(replies: readonly Uint8Array[], status = 0): Uint8Array {
  return cipReply(0x0a, status, multipleBody(replies));
}

function multipleBody(parts: readonly Uint8Array[]): Uint8Array {
  const offsets: Uint8Array[] = [];
  let at = 2 + 2 * parts.length;
  for (const p of parts) {
    offsets.push(le16(at));
    at += p.length;
  }
  return concat(le16(parts.length), ...offsets, ...parts);
}

/** Logix Read_Tag request for `elements` elements of `tag` (1756-PM020 "Read Tag Service"). */
export function readTag(tag: string, elements = 1): Uint8Array {
  return cipRequest(0x4c, symbolPath(tag), le16(elements));
}

/** Logix Write_Tag request writing DINT values (data type 0xC4) to `tag`. */
export function writeTag(tag: string, values: readonly number[]): Uint8Array {
  return cipRequest(0x4d, symbolPath(tag), concat(le16(0xc4), le16(values.length), ...values.map(le32)));
}

/** Read_Tag reply with DINT values. */
export function readTagReply(values: readonly number[]): Uint8Array {
  return cipReply(0x4c, 0, concat(le16(0xc4), ...values.map(le32)));
}

/** Parameters of a Forward_Open (Vol 1 §3-5.5.1). */
export interface ForwardOpenSpec {
  otId: number;
  toId: number;
  serial: number;
  vendor: number;
  originatorSerial: number;
  rpiMicroseconds: number;
  transportClass: number;
  /** Backplane slot of the target module; omitted: the device that receives the request. */
  slot?: number;
}

/** Forward_Open request to the Connection Manager for a connection to the Message Router. */
export function forwardOpen(s: ForwardOpenSpec): Uint8Array {
  const path = concat(
    s.slot === undefined ? new Uint8Array(0) : Uint8Array.of(0x01, s.slot),
    logicalPath({ class: 2, instance: 1 }),
  );
  const data = concat(
    Uint8Array.of(0x0a, 0x0e),
    le32(s.otId),
    le32(s.toId),
    le16(s.serial),
    le16(s.vendor),
    le32(s.originatorSerial),
    Uint8Array.of(3, 0, 0, 0), // timeout multiplier, reserved
    le32(s.rpiMicroseconds),
    le16(0x43f4), // O->T: point to point, variable, 500 bytes
    le32(s.rpiMicroseconds),
    le16(0x43f4),
    Uint8Array.of(0xa0 | s.transportClass, path.length >> 1),
    path,
  );
  return cipRequest(0x54, logicalPath({ class: 6, instance: 1 }), data);
}

/** Successful Forward_Open reply assigning the connection ids. */
export function forwardOpenReply(s: ForwardOpenSpec): Uint8Array {
  return cipReply(
    0x54,
    0,
    concat(
      le32(s.otId),
      le32(s.toId),
      le16(s.serial),
      le16(s.vendor),
      le32(s.originatorSerial),
      le32(s.rpiMicroseconds),
      le32(s.rpiMicroseconds),
      Uint8Array.of(0, 0),
    ),
  );
}

/** Forward_Close request for the connection `s` opened. */
export function forwardClose(s: ForwardOpenSpec): Uint8Array {
  const path = concat(
    s.slot === undefined ? new Uint8Array(0) : Uint8Array.of(0x01, s.slot),
    logicalPath({ class: 2, instance: 1 }),
  );
  const data = concat(
    Uint8Array.of(0x0a, 0x0e),
    le16(s.serial),
    le16(s.vendor),
    le32(s.originatorSerial),
    Uint8Array.of(path.length >> 1, 0),
    path,
  );
  return cipRequest(0x4e, logicalPath({ class: 6, instance: 1 }), data);
}

/** The requestor id Execute_PCCC starts with: length 7, vendor, originator serial. */
function requestorId(vendor = 0x4d, serial = 0x3d2b31e0): Uint8Array {
  return concat(Uint8Array.of(7), le16(vendor), le32(serial));
}

/** Execute_PCCC request (class 0x67) carrying PCCC CMD/STS/TNS[/FNC]/data (DF1 manual §7). */
export function executePccc(
  cmd: number,
  fnc: number | null,
  tns: number,
  data: Uint8Array = new Uint8Array(0),
) {
  const pccc = concat(
    Uint8Array.of(cmd, 0),
    le16(tns),
    fnc === null ? new Uint8Array(0) : Uint8Array.of(fnc),
    data,
  );
  return cipRequest(0x4b, logicalPath({ class: 0x67, instance: 1 }), concat(requestorId(), pccc));
}

/** Execute_PCCC reply: requestor id, CMD | 0x40, STS, TNS, data. */
export function executePcccReply(
  cmd: number,
  sts: number,
  tns: number,
  data: Uint8Array = new Uint8Array(0),
) {
  return cipReply(0x4b, 0, concat(requestorId(), Uint8Array.of(cmd | 0x40, sts), le16(tns), data));
}

/** Diagnostic Status reply of a MicroLogix/SLC: mode, type extender 0xEE, types, series, catalog. */
export function pcccDiagnosticStatusReply(tns: number, catalog: string): Uint8Array {
  const name = new Uint8Array(11).fill(0x20);
  name.set(ascii(catalog).subarray(0, 11));
  return executePcccReply(
    0x06,
    0,
    tns,
    concat(Uint8Array.of(0x00, 0xee, 0x4a, 0x9f, 0x23), name, new Uint8Array(9)),
  );
}

/** SLC protected typed logical read of `bytes` from N7:element (CMD 0x0F, FNC 0xA2). */
export function pcccTypedRead(tns: number, file: number, element: number, bytes = 2): Uint8Array {
  return executePccc(0x0f, 0xa2, tns, Uint8Array.of(bytes, file, 0x89, element, 0));
}

/** SLC protected typed logical write of 16-bit values to N7:element (CMD 0x0F, FNC 0xAA). */
export function pcccTypedWrite(tns: number, file: number, element: number, values: readonly number[]) {
  return executePccc(
    0x0f,
    0xaa,
    tns,
    concat(Uint8Array.of(values.length * 2, file, 0x89, element, 0), ...values.map(le16)),
  );
}

/** SLC change mode (CMD 0x0F, FNC 0x80): 0x01 program, 0x06 run. */
export function pcccChangeMode(tns: number, mode: number): Uint8Array {
  return executePccc(0x0f, 0x80, tns, Uint8Array.of(mode));
}

/** A class 0/1 implicit I/O datagram (UDP 2222): sequenced address item and connected data item. */
export function ioDatagram(connectionId: number, sequence: number, data: Uint8Array): Uint8Array {
  return concat(
    le16(2),
    le16(0x8002),
    le16(8),
    le32(connectionId),
    le32(sequence),
    le16(0xb1),
    le16(data.length),
    data,
  );
}

const SAMPLE_CONNECTION: ForwardOpenSpec = {
  otId: 0,
  toId: 0x00fe0028,
  serial: 0x0101,
  vendor: 1,
  originatorSerial: 0x00c0ffee,
  rpiMicroseconds: 500_000,
  transportClass: 3,
  slot: 0,
};

/** Valid conversations for the shared conformance suite (registry.test.ts). */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'enip',
    transport: 'tcp',
    name: 'RegisterSession and ListIdentity with their replies',
    transmissions: [
      [0, 1, registerSession()],
      [1, 1.01, registerSession({ session: 0x11020100 })],
      [0, 1.02, listIdentityRequest({ session: 0x11020100 })],
      [1, 1.03, listIdentityReply(EXAMPLE_IDENTITIES.enbt, '10.1.1.164', { session: 0x11020100 })],
    ],
  },
  {
    dissector: 'enip',
    transport: 'tcp',
    name: 'Identity of the controller in slot 0 through Unconnected_Send, then tag reads and writes',
    transmissions: [
      [0, 2, sendRRData(unconnectedSend(identityRequest(), 0), { session: 7, context: 1 })],
      [1, 2.01, sendRRData(identityReply(EXAMPLE_IDENTITIES.logix), { session: 7, context: 1 })],
      [
        0,
        2.02,
        sendRRData(multipleServicePacket([readTag('Line1.Speed'), writeTag('Setpoint', [42])]), {
          session: 7,
          context: 2,
        }),
      ],
      [
        1,
        2.03,
        sendRRData(multipleServiceReply([readTagReply([1500]), cipReply(0x4d)]), { session: 7, context: 2 }),
      ],
    ],
  },
  {
    dissector: 'enip',
    transport: 'tcp',
    name: 'Forward_Open, a connected Get_Attributes_All on it, Forward_Close',
    transmissions: [
      [0, 3, sendRRData(forwardOpen(SAMPLE_CONNECTION), { session: 7, context: 3 })],
      [
        1,
        3.01,
        sendRRData(forwardOpenReply({ ...SAMPLE_CONNECTION, otId: 0x80fe0028 }), { session: 7, context: 3 }),
      ],
      [0, 3.02, sendUnitData(0x80fe0028, 1, identityRequest(), { session: 7 })],
      [1, 3.03, sendUnitData(0x00fe0028, 1, identityReply(EXAMPLE_IDENTITIES.logix), { session: 7 })],
      [0, 3.04, sendRRData(forwardClose(SAMPLE_CONNECTION), { session: 7, context: 4 })],
      [1, 3.05, sendRRData(cipReply(0x4e, 0, new Uint8Array(10)), { session: 7, context: 4 })],
    ],
  },
  {
    dissector: 'enip',
    transport: 'tcp',
    name: 'PCCC Diagnostic Status, typed read and write, change mode',
    transmissions: [
      [0, 4, sendRRData(executePccc(0x06, 0x03, 1), { session: 9, context: 5 })],
      [1, 4.01, sendRRData(pcccDiagnosticStatusReply(1, '1766-LEC'), { session: 9, context: 5 })],
      [0, 4.02, sendRRData(pcccTypedRead(2, 7, 0), { session: 9, context: 6 })],
      [1, 4.03, sendRRData(executePcccReply(0x0f, 0, 2, Uint8Array.of(1, 0)), { session: 9, context: 6 })],
      [0, 4.04, sendRRData(pcccTypedWrite(3, 7, 0, [5]), { session: 9, context: 7 })],
      [1, 4.05, sendRRData(executePcccReply(0x0f, 0, 3), { session: 9, context: 7 })],
      [0, 4.06, sendRRData(pcccChangeMode(4, 0x06), { session: 9, context: 8 })],
      [1, 4.07, sendRRData(executePcccReply(0x0f, 0, 4), { session: 9, context: 8 })],
    ],
  },
  {
    dissector: 'enip',
    transport: 'udp',
    name: 'ListIdentity broadcast and a device’s reply',
    transmissions: [
      [0, 5, listIdentityRequest()],
      [1, 5.01, listIdentityReply(EXAMPLE_IDENTITIES.wago, '192.168.1.20')],
    ],
  },
  {
    dissector: 'enip_io',
    name: 'class 1 I/O in both directions',
    transmissions: [
      [0, 6, ioDatagram(0x004b0603, 4166875, Uint8Array.of(0xa5, 0x87, 0xe8, 0x0f, 0x03, 0x00))],
      [1, 6.01, ioDatagram(0x80fe0029, 12, Uint8Array.of(0x01, 0x00, 0x00, 0x00))],
    ],
  },
];
