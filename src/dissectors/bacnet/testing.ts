// Builders of realistic BACnet/IP datagrams (UDP payloads) for the tests and the demo plant:
// BVLL (Annex J), NPDU (clause 6) and APDU (clause 20) with the tagged encoding of clause 20.2.
// Every builder returns the bytes one UDP datagram carries to or from port 47808.

import {
  BVLC_FUNCTIONS as BF,
  CONFIRMED_SERVICES as CS,
  NETWORK_MESSAGES as NM,
  OBJECT_TYPE,
  PROPERTY,
  UNCONFIRMED_SERVICES as US,
} from './spec.ts';

/** Where an NPDU comes from or goes to beyond a router (6.2.2): network number and MAC address. */
export interface RemoteAddress {
  net: number;
  mac: readonly number[];
}

/** NPDU options: a remote destination, a remote source (the sender sits behind a router), hop count. */
export interface NpduOptions {
  destination?: RemoteAddress;
  source?: RemoteAddress;
  hopCount?: number;
  expectingReply?: boolean;
}

/** Datagram options: the BVLC function (unicast by default) and, for Forwarded-NPDU, the original sender. */
export interface BvllOptions extends NpduOptions {
  broadcast?: boolean;
  /** Wraps the NPDU in a Forwarded-NPDU from this B/IP address (`[a, b, c, d, port]`). */
  forwardedFrom?: readonly [number, number, number, number, number];
}

// ---------------------------------------------------------------------------------------------
// Tagged encoding (20.2)

/** A tag header: number, class, length (20.2.1), with the extended forms when needed. */
function tagHeader(tag: number, context: boolean, length: number): number[] {
  const out: number[] = [];
  const cls = context ? 0x08 : 0;
  const first = (tag < 15 ? tag << 4 : 0xf0) | cls;
  if (length < 5) out.push(first | length);
  else out.push(first | 5);
  if (tag >= 15) out.push(tag);
  if (length >= 5) {
    if (length < 254) out.push(length);
    else if (length < 65536) out.push(254, length >> 8, length & 0xff);
    else out.push(255, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  }
  return out;
}

function unsignedOctets(v: number): number[] {
  const out: number[] = [];
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return out;
}

function signedOctets(v: number): number[] {
  const out: number[] = [];
  let x = v;
  for (;;) {
    const b = ((x % 256) + 256) % 256;
    out.unshift(b);
    x = Math.floor(x / 256);
    if ((x === 0 && b < 0x80) || (x === -1 && b >= 0x80)) break;
  }
  return out;
}

function objectId(type: number, instance: number): number[] {
  const v = type * 0x400000 + instance;
  return [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

function charString(text: string): number[] {
  return [0, ...new TextEncoder().encode(text)];
}

function real(v: number): number[] {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, v, false);
  return [b.getUint8(0), b.getUint8(1), b.getUint8(2), b.getUint8(3)];
}

export const ctxUnsigned = (tag: number, v: number) => {
  const c = unsignedOctets(v);
  return [...tagHeader(tag, true, c.length), ...c];
};
export const ctxSigned = (tag: number, v: number) => {
  const c = signedOctets(v);
  return [...tagHeader(tag, true, c.length), ...c];
};
export const ctxObject = (tag: number, type: number, instance: number) => [
  ...tagHeader(tag, true, 4),
  ...objectId(type, instance),
];
export const ctxString = (tag: number, text: string) => {
  const c = charString(text);
  return [...tagHeader(tag, true, c.length), ...c];
};
export const opening = (tag: number) => (tag < 15 ? [(tag << 4) | 0x0e] : [0xfe, tag]);
export const closing = (tag: number) => (tag < 15 ? [(tag << 4) | 0x0f] : [0xff, tag]);
export const appNull = () => [0x00];
export const appBoolean = (v: boolean) => [0x10 | (v ? 1 : 0)];
export const appUnsigned = (v: number) => {
  const c = unsignedOctets(v);
  return [...tagHeader(2, false, c.length), ...c];
};
export const appSigned = (v: number) => {
  const c = signedOctets(v);
  return [...tagHeader(3, false, c.length), ...c];
};
export const appReal = (v: number) => [0x44, ...real(v)];
export const appOctets = (bytes: readonly number[]) => [...tagHeader(6, false, bytes.length), ...bytes];
export const appString = (text: string) => {
  const c = charString(text);
  return [...tagHeader(7, false, c.length), ...c];
};
export const appEnumerated = (v: number) => {
  const c = unsignedOctets(v);
  return [...tagHeader(9, false, c.length), ...c];
};
export const appDate = (y: number, m: number, d: number, weekday: number) => [0xa4, y - 1900, m, d, weekday];
export const appTime = (h: number, m: number, s: number, hundredths: number) => [0xb4, h, m, s, hundredths];
export const appObject = (type: number, instance: number) => [0xc4, ...objectId(type, instance)];

// ---------------------------------------------------------------------------------------------
// Layers

/** An NPDU (6.2) around an APDU, or around a network layer message when `networkMessage` is set. */
export function npdu(body: readonly number[], o: NpduOptions = {}, networkMessage = false): number[] {
  let control = networkMessage ? 0x80 : 0;
  const out: number[] = [];
  if (o.destination) control |= 0x20;
  if (o.source) control |= 0x08;
  if (o.expectingReply) control |= 0x04;
  out.push(1, control);
  if (o.destination) {
    out.push(
      o.destination.net >> 8,
      o.destination.net & 0xff,
      o.destination.mac.length,
      ...o.destination.mac,
    );
  }
  if (o.source) out.push(o.source.net >> 8, o.source.net & 0xff, o.source.mac.length, ...o.source.mac);
  if (o.destination) out.push(o.hopCount ?? 255);
  out.push(...body);
  return out;
}

/** A BVLL message (J.2) with its length set right. */
export function bvll(fn: number, body: readonly number[]): Uint8Array {
  const length = 4 + body.length;
  return Uint8Array.from([0x81, fn, length >> 8, length & 0xff, ...body]);
}

/** An APDU as one datagram: unicast, broadcast or forwarded, routed or not. */
export function datagram(apdu: readonly number[], o: BvllOptions = {}): Uint8Array {
  const n = npdu(apdu, o);
  if (o.forwardedFrom) {
    const [a, b, c, d, port] = o.forwardedFrom;
    return bvll(BF.FORWARDED_NPDU, [a, b, c, d, port >> 8, port & 0xff, ...n]);
  }
  return bvll(o.broadcast ? BF.ORIGINAL_BROADCAST_NPDU : BF.ORIGINAL_UNICAST_NPDU, n);
}

/** The APDU header of a Confirmed-Request (20.1.2): unsegmented, up to 1476 octets accepted. */
const confirmed = (invokeId: number, service: number, params: readonly number[]) => [
  0x00,
  0x05,
  invokeId,
  service,
  ...params,
];
const complexAck = (invokeId: number, service: number, params: readonly number[]) => [
  0x30,
  invokeId,
  service,
  ...params,
];
const unconfirmed = (service: number, params: readonly number[]) => [0x10, service, ...params];

// ---------------------------------------------------------------------------------------------
// Messages

/** Who-Is, broadcast to every network, optionally for a range of device instances. */
export function whoIs(range?: { low: number; high: number }, o: BvllOptions = {}): Uint8Array {
  const params = range ? [...ctxUnsigned(0, range.low), ...ctxUnsigned(1, range.high)] : [];
  return datagram(unconfirmed(US.WHO_IS, params), {
    broadcast: true,
    destination: { net: 0xffff, mac: [] },
    ...o,
  });
}

/** I-Am of a device: instance, max APDU, segmentation (3 = none), vendor id. */
export function iAm(
  device: { instance: number; vendorId: number; maxApdu?: number; segmentation?: number },
  o: BvllOptions = {},
): Uint8Array {
  return datagram(
    unconfirmed(US.I_AM, [
      ...appObject(OBJECT_TYPE.DEVICE, device.instance),
      ...appUnsigned(device.maxApdu ?? 1476),
      ...appEnumerated(device.segmentation ?? 3),
      ...appUnsigned(device.vendorId),
    ]),
    { broadcast: true, ...o },
  );
}

/** Who-Has an object by name. */
export function whoHas(objectName: string, o: BvllOptions = {}): Uint8Array {
  return datagram(unconfirmed(US.WHO_HAS, ctxString(3, objectName)), { broadcast: true, ...o });
}

/** I-Have: the device that has the object, the object and its name. */
export function iHave(
  deviceInstance: number,
  type: number,
  instance: number,
  name: string,
  o: BvllOptions = {},
) {
  return datagram(
    unconfirmed(US.I_HAVE, [
      ...appObject(OBJECT_TYPE.DEVICE, deviceInstance),
      ...appObject(type, instance),
      ...appString(name),
    ]),
    { broadcast: true, ...o },
  );
}

/** TimeSynchronization (local time) or UTCTimeSynchronization of a Date. */
export function timeSynchronization(at: Date, utc = false, o: BvllOptions = {}): Uint8Array {
  const weekday = ((at.getUTCDay() + 6) % 7) + 1;
  return datagram(
    unconfirmed(utc ? US.UTC_TIME_SYNCHRONIZATION : US.TIME_SYNCHRONIZATION, [
      ...appDate(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate(), weekday),
      ...appTime(
        at.getUTCHours(),
        at.getUTCMinutes(),
        at.getUTCSeconds(),
        Math.floor(at.getUTCMilliseconds() / 10),
      ),
    ]),
    { broadcast: true, ...o },
  );
}

/** ReadProperty request for one property of one object, optionally one array element. */
export function readProperty(
  invokeId: number,
  type: number,
  instance: number,
  property: number,
  arrayIndex?: number,
  o: BvllOptions = {},
): Uint8Array {
  const params = [...ctxObject(0, type, instance), ...ctxUnsigned(1, property)];
  if (arrayIndex !== undefined) params.push(...ctxUnsigned(2, arrayIndex));
  return datagram(confirmed(invokeId, CS.READ_PROPERTY, params), { expectingReply: true, ...o });
}

/** A property value as the application-tagged octets of its type. */
export type Value =
  | { string: string }
  | { real: number }
  | { unsigned: number }
  | { enumerated: number }
  | { boolean: boolean }
  | { null: true }
  | { objects: readonly (readonly [number, number])[] };

export function encodeValue(v: Value): number[] {
  if ('string' in v) return appString(v.string);
  if ('real' in v) return appReal(v.real);
  if ('unsigned' in v) return appUnsigned(v.unsigned);
  if ('enumerated' in v) return appEnumerated(v.enumerated);
  if ('boolean' in v) return appBoolean(v.boolean);
  if ('null' in v) return appNull();
  return v.objects.flatMap(([type, instance]) => appObject(type, instance));
}

/** ReadProperty-ACK carrying one value. */
export function readPropertyAck(
  invokeId: number,
  type: number,
  instance: number,
  property: number,
  value: Value,
  o: BvllOptions = {},
): Uint8Array {
  return datagram(
    complexAck(invokeId, CS.READ_PROPERTY, [
      ...ctxObject(0, type, instance),
      ...ctxUnsigned(1, property),
      ...opening(3),
      ...encodeValue(value),
      ...closing(3),
    ]),
    o,
  );
}

/** WriteProperty request: one value, at a command priority (1-16) when given. */
export function writeProperty(
  invokeId: number,
  type: number,
  instance: number,
  property: number,
  value: Value,
  priority?: number,
  o: BvllOptions = {},
): Uint8Array {
  const params = [
    ...ctxObject(0, type, instance),
    ...ctxUnsigned(1, property),
    ...opening(3),
    ...encodeValue(value),
    ...closing(3),
  ];
  if (priority !== undefined) params.push(...ctxUnsigned(4, priority));
  return datagram(confirmed(invokeId, CS.WRITE_PROPERTY, params), { expectingReply: true, ...o });
}

/** SimpleACK of a confirmed service (WriteProperty, ReinitializeDevice, ...). */
export function simpleAck(invokeId: number, service: number, o: BvllOptions = {}): Uint8Array {
  return datagram([0x20, invokeId, service], o);
}

/** Error PDU: error class and code for a confirmed service. */
export function errorPdu(
  invokeId: number,
  service: number,
  errorClass: number,
  errorCode: number,
  o: BvllOptions = {},
) {
  return datagram([0x50, invokeId, service, ...appEnumerated(errorClass), ...appEnumerated(errorCode)], o);
}

/** Reject PDU with its reason. */
export function reject(invokeId: number, reason: number, o: BvllOptions = {}): Uint8Array {
  return datagram([0x60, invokeId, reason], o);
}

/** Abort PDU with its reason, sent by the server unless `fromServer` is false. */
export function abort(invokeId: number, reason: number, fromServer = true, o: BvllOptions = {}): Uint8Array {
  return datagram([0x70 | (fromServer ? 1 : 0), invokeId, reason], o);
}

/** SegmentACK (20.1.6). */
export function segmentAck(
  invokeId: number,
  sequence: number,
  window: number,
  fromServer: boolean,
  o: BvllOptions = {},
) {
  return datagram([0x40 | (fromServer ? 1 : 0), invokeId, sequence, window], o);
}

/** ReinitializeDevice: 0 coldstart, 1 warmstart, ...; with a password when given. */
export function reinitializeDevice(invokeId: number, state: number, password?: string, o: BvllOptions = {}) {
  const params = ctxUnsigned(0, state);
  if (password !== undefined) params.push(...ctxString(1, password));
  return datagram(confirmed(invokeId, CS.REINITIALIZE_DEVICE, params), { expectingReply: true, ...o });
}

/** DeviceCommunicationControl: 0 enable, 1 disable, 2 disable-initiation; minutes and password optional. */
export function deviceCommunicationControl(
  invokeId: number,
  state: number,
  minutes?: number,
  password?: string,
  o: BvllOptions = {},
): Uint8Array {
  const params: number[] = [];
  if (minutes !== undefined) params.push(...ctxUnsigned(0, minutes));
  params.push(...ctxUnsigned(1, state));
  if (password !== undefined) params.push(...ctxString(2, password));
  return datagram(confirmed(invokeId, CS.DEVICE_COMMUNICATION_CONTROL, params), {
    expectingReply: true,
    ...o,
  });
}

/** AtomicReadFile with stream access: start position and octet count. */
export function atomicReadFile(
  invokeId: number,
  file: number,
  start: number,
  count: number,
  o: BvllOptions = {},
) {
  return datagram(
    confirmed(invokeId, CS.ATOMIC_READ_FILE, [
      ...appObject(OBJECT_TYPE.FILE, file),
      ...opening(0),
      ...appSigned(start),
      ...appUnsigned(count),
      ...closing(0),
    ]),
    { expectingReply: true, ...o },
  );
}

/** AtomicReadFile-ACK with stream access: end of file flag, start, data. */
export function atomicReadFileAck(
  invokeId: number,
  endOfFile: boolean,
  start: number,
  data: readonly number[],
  o: BvllOptions = {},
) {
  return datagram(
    complexAck(invokeId, CS.ATOMIC_READ_FILE, [
      ...appBoolean(endOfFile),
      ...opening(0),
      ...appSigned(start),
      ...appOctets(data),
      ...closing(0),
    ]),
    o,
  );
}

/** AtomicWriteFile with stream access: start position and data. */
export function atomicWriteFile(
  invokeId: number,
  file: number,
  start: number,
  data: readonly number[],
  o: BvllOptions = {},
) {
  return datagram(
    confirmed(invokeId, CS.ATOMIC_WRITE_FILE, [
      ...appObject(OBJECT_TYPE.FILE, file),
      ...opening(0),
      ...appSigned(start),
      ...appOctets(data),
      ...closing(0),
    ]),
    { expectingReply: true, ...o },
  );
}

/** ReadPropertyMultiple for several properties of one object. */
export function readPropertyMultiple(
  invokeId: number,
  type: number,
  instance: number,
  properties: readonly number[],
  o: BvllOptions = {},
): Uint8Array {
  return datagram(
    confirmed(invokeId, CS.READ_PROPERTY_MULTIPLE, [
      ...ctxObject(0, type, instance),
      ...opening(1),
      ...properties.flatMap((p) => ctxUnsigned(0, p)),
      ...closing(1),
    ]),
    { expectingReply: true, ...o },
  );
}

/** ReadPropertyMultiple-ACK for one object: each property with its value. */
export function readPropertyMultipleAck(
  invokeId: number,
  type: number,
  instance: number,
  results: readonly (readonly [number, Value])[],
  o: BvllOptions = {},
): Uint8Array {
  return datagram(
    complexAck(invokeId, CS.READ_PROPERTY_MULTIPLE, [
      ...ctxObject(0, type, instance),
      ...opening(1),
      ...results.flatMap(([p, v]) => [...ctxUnsigned(2, p), ...opening(4), ...encodeValue(v), ...closing(4)]),
      ...closing(1),
    ]),
    o,
  );
}

/** Who-Is-Router-To-Network, for one network or all. */
export function whoIsRouterToNetwork(network?: number, o: BvllOptions = {}): Uint8Array {
  const body: number[] = [NM.WHO_IS_ROUTER_TO_NETWORK];
  if (network !== undefined) body.push(network >> 8, network & 0xff);
  return bvll(BF.ORIGINAL_BROADCAST_NPDU, npdu(body, o, true));
}

/** I-Am-Router-To-Network: the networks a router reaches. */
export function iAmRouterToNetwork(networks: readonly number[], o: BvllOptions = {}): Uint8Array {
  return bvll(
    BF.ORIGINAL_BROADCAST_NPDU,
    npdu([NM.I_AM_ROUTER_TO_NETWORK, ...networks.flatMap((n) => [n >> 8, n & 0xff])], o, true),
  );
}

/** Register-Foreign-Device with a time-to-live in seconds. */
export function registerForeignDevice(ttl: number): Uint8Array {
  return bvll(BF.REGISTER_FOREIGN_DEVICE, [ttl >> 8, ttl & 0xff]);
}

/** BVLC-Result: 0 success, 0x30 register-foreign-device NAK, ... */
export function bvlcResult(code: number): Uint8Array {
  return bvll(BF.BVLC_RESULT, [code >> 8, code & 0xff]);
}

/** Read-Broadcast-Distribution-Table-Ack with the BBMDs' addresses and masks. */
export function readBdtAck(
  entries: readonly (readonly [number, number, number, number, number])[],
): Uint8Array {
  return bvll(
    BF.READ_BROADCAST_DISTRIBUTION_TABLE_ACK,
    entries.flatMap(([a, b, c, d, port]) => [a, b, c, d, port >> 8, port & 0xff, 255, 255, 255, 255]),
  );
}

// ---------------------------------------------------------------------------------------------
// Devices with realistic identities, for the demo plant

/** A BACnet controller's identity as its Device object reports it. */
export interface DemoDevice {
  instance: number;
  vendorId: number;
  vendorName: string;
  modelName: string;
  firmwareRevision: string;
  applicationSoftwareVersion: string;
  objectName: string;
  serialNumber: string;
}

/** Building controllers of three common BACnet vendors (ids from the ASHRAE registry). */
export const DEMO_DEVICES: readonly DemoDevice[] = [
  {
    instance: 1001,
    vendorId: 8,
    vendorName: 'Delta Controls',
    modelName: 'eBCON',
    firmwareRevision: '3.40.1',
    applicationSoftwareVersion: 'V3.40 Build 1622',
    objectName: 'AHU-1 Controller',
    serialNumber: 'DC-0413-88213',
  },
  {
    instance: 2101,
    vendorId: 5,
    vendorName: 'Johnson Controls Inc.',
    modelName: 'MS-FEC2611-0',
    firmwareRevision: '10.1.0.1200',
    applicationSoftwareVersion: 'CCT 14.0',
    objectName: 'VAV-2-17',
    serialNumber: 'JC19384C2',
  },
  {
    instance: 3001,
    vendorId: 7,
    vendorName: 'Siemens Schweiz AG (Formerly: Landis & Staefa Division Europe)',
    modelName: 'PXC36-E.D',
    firmwareRevision: 'V3.5.2',
    applicationSoftwareVersion: 'APOGEE 3.5',
    objectName: 'CHILLER-PLANT-PXC',
    serialNumber: 'S1N47-2231',
  },
];

/** The I-Am a demo device broadcasts. */
export function demoIAm(d: DemoDevice, o: BvllOptions = {}): Uint8Array {
  return iAm({ instance: d.instance, vendorId: d.vendorId, maxApdu: 1476, segmentation: 0 }, o);
}

/**
 * A supervisor reading a demo device's identity in one ReadPropertyMultiple, and the device's ack.
 * With `behind`, the device sits on that network behind a router: the request is addressed to it
 * (DNET/DADR) and the ack comes from it (SNET/SADR).
 */
export function demoIdentityExchange(
  d: DemoDevice,
  invokeId: number,
  behind?: RemoteAddress,
): [Uint8Array, Uint8Array] {
  const properties = [
    PROPERTY.OBJECT_NAME,
    PROPERTY.VENDOR_NAME,
    PROPERTY.VENDOR_IDENTIFIER,
    PROPERTY.MODEL_NAME,
    PROPERTY.FIRMWARE_REVISION,
    PROPERTY.APPLICATION_SOFTWARE_VERSION,
    PROPERTY.SERIAL_NUMBER,
  ];
  const request = readPropertyMultiple(
    invokeId,
    OBJECT_TYPE.DEVICE,
    d.instance,
    properties,
    behind ? { destination: behind } : {},
  );
  const ack = readPropertyMultipleAck(
    invokeId,
    OBJECT_TYPE.DEVICE,
    d.instance,
    [
      [PROPERTY.OBJECT_NAME, { string: d.objectName }],
      [PROPERTY.VENDOR_NAME, { string: d.vendorName }],
      [PROPERTY.VENDOR_IDENTIFIER, { unsigned: d.vendorId }],
      [PROPERTY.MODEL_NAME, { string: d.modelName }],
      [PROPERTY.FIRMWARE_REVISION, { string: d.firmwareRevision }],
      [PROPERTY.APPLICATION_SOFTWARE_VERSION, { string: d.applicationSoftwareVersion }],
      [PROPERTY.SERIAL_NUMBER, { string: d.serialNumber }],
    ],
    behind ? { source: behind } : {},
  );
  return [request, ack];
}
