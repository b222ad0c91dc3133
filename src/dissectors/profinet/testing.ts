// Builders of PROFINET messages as they travel on the wire, for the tests and the synthetic demo
// plant. Link-layer builders return the Ethernet payload after the type 0x8892 (from the frame id
// on; wrap it with `ethernet()` for a whole frame); CM builders return the UDP payload (the
// DCE/RPC PDU). PN-RT and PN-IO blocks are big-endian; the RPC header follows `littleEndian`.

import type { ConformanceSample } from '../testing.ts';
import { BLOCK_TYPES, DCP_BLOCKS, ETHERTYPE_PROFINET, RECORD_INDEXES } from './spec.ts';

class Writer {
  readonly bytes: number[] = [];
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number, le = false): this {
    return le ? this.u8(v).u8(v >> 8) : this.u8(v >> 8).u8(v);
  }
  u32(v: number, le = false): this {
    return le ? this.u16(v & 0xffff, true).u16(v >>> 16, true) : this.u16(v >>> 16).u16(v & 0xffff);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i] & 0xff);
    return this;
  }
  ascii(s: string): this {
    for (const c of s) this.bytes.push(c.charCodeAt(0) & 0xff);
    return this;
  }
  fixedAscii(s: string, n: number): this {
    return this.ascii(s.padEnd(n, ' ').slice(0, n));
  }
  uuid(u: string, le = false): this {
    const h = u.replace(/-/g, '');
    const part = (i: number, n: number) => Number.parseInt(h.slice(i, i + n), 16);
    this.u32(part(0, 8), le).u16(part(8, 4), le).u16(part(12, 4), le);
    for (let i = 16; i < 32; i += 2) this.u8(part(i, 2));
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const macBytes = (m: string) => m.split(':').map((x) => Number.parseInt(x, 16));
const ipBytes = (ip: string) => ip.split('.').map(Number);

/** A whole Ethernet II frame: destination, source, type 0x8892, payload, padded to 60 octets. */
export function ethernet(dst: string, src: string, payload: Uint8Array): Uint8Array {
  const w = new Writer().raw(macBytes(dst)).raw(macBytes(src)).u16(ETHERTYPE_PROFINET).raw(payload);
  while (w.length < 60) w.u8(0);
  return w.done();
}

/** DCP multicast address of Identify requests and Hello (§4.3.1). */
export const DCP_IDENTIFY_MULTICAST = '01:0e:cf:00:00:00';

// --- DCP -------------------------------------------------------------------------------------------

interface Block {
  code: number;
  /** BlockInfo (responses, Hello) or BlockQualifier (Set); omitted in Identify filters. */
  prefix?: number;
  value: number[];
}

function dcp(
  frameId: number,
  serviceId: number,
  serviceType: number,
  xid: number,
  delay: number,
  blocks: Block[],
): Uint8Array {
  const data = new Writer();
  for (const b of blocks) {
    const length = b.value.length + (b.prefix === undefined ? 0 : 2);
    data
      .u8(b.code >> 8)
      .u8(b.code)
      .u16(length);
    if (b.prefix !== undefined) data.u16(b.prefix);
    data.raw(b.value);
    if (length & 1) data.u8(0);
  }
  return new Writer()
    .u16(frameId)
    .u8(serviceId)
    .u8(serviceType)
    .u32(xid)
    .u16(delay)
    .u16(data.length)
    .raw(data.bytes)
    .done();
}

const str = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** DCP Identify request; with `stationName` it asks for that station only (a NameOfStation filter), else for all. */
export function dcpIdentifyRequest(xid: number, stationName?: string): Uint8Array {
  const filter: Block =
    stationName === undefined
      ? { code: DCP_BLOCKS.ALL_SELECTOR, value: [] }
      : { code: DCP_BLOCKS.NAME_OF_STATION, value: str(stationName) };
  return dcp(0xfefe, 5, 0, xid, 1, [filter]);
}

export interface DcpIdentity {
  stationName: string;
  /** DeviceVendorValue, e.g. `SIMATIC S7-1500` or an order number. */
  typeOfStation: string;
  vendorId: number;
  deviceId: number;
  /** DeviceRole bits: 1 IO device, 2 IO controller, 4 multidevice, 8 supervisor. */
  role: number;
  ip: string;
  netmask: string;
  gateway: string;
}

function identityBlocks(d: DcpIdentity): Block[] {
  return [
    { code: DCP_BLOCKS.TYPE_OF_STATION, prefix: 0, value: str(d.typeOfStation) },
    { code: DCP_BLOCKS.NAME_OF_STATION, prefix: 0, value: str(d.stationName) },
    {
      code: DCP_BLOCKS.DEVICE_ID,
      prefix: 0,
      value: [d.vendorId >> 8, d.vendorId, d.deviceId >> 8, d.deviceId],
    },
    { code: DCP_BLOCKS.DEVICE_ROLE, prefix: 0, value: [d.role, 0] },
    {
      code: DCP_BLOCKS.IP_PARAMETER,
      prefix: 1,
      value: [...ipBytes(d.ip), ...ipBytes(d.netmask), ...ipBytes(d.gateway)],
    },
  ];
}

/** DCP Identify response: the device describes itself (name, type, vendor/device id, role, IP suite). */
export function dcpIdentifyResponse(xid: number, d: DcpIdentity): Uint8Array {
  return dcp(0xfeff, 5, 1, xid, 0, identityBlocks(d));
}

/** DCP Hello: a device announces itself at power-on (same blocks as an Identify response). */
export function dcpHello(xid: number, d: DcpIdentity): Uint8Array {
  return dcp(0xfefc, 6, 0, xid, 0, identityBlocks(d));
}

/** DCP Get request for the listed blocks (option/suboption pairs only). */
export function dcpGetRequest(xid: number, codes: readonly number[]): Uint8Array {
  const w = new Writer()
    .u16(0xfefd)
    .u8(3)
    .u8(0)
    .u32(xid)
    .u16(0)
    .u16(codes.length * 2);
  for (const c of codes) w.u16(c);
  return w.done();
}

/** DCP Set of the name of station, permanent (BlockQualifier 1). */
export function dcpSetName(xid: number, stationName: string): Uint8Array {
  return dcp(0xfefd, 4, 0, xid, 0, [
    { code: DCP_BLOCKS.NAME_OF_STATION, prefix: 1, value: str(stationName) },
  ]);
}

/** DCP Set of the IP suite, permanent. */
export function dcpSetIp(xid: number, ip: string, netmask: string, gateway: string): Uint8Array {
  const value = [...ipBytes(ip), ...ipBytes(netmask), ...ipBytes(gateway)];
  return dcp(0xfefd, 4, 0, xid, 0, [{ code: DCP_BLOCKS.IP_PARAMETER, prefix: 1, value }]);
}

/** DCP Set with a Control block: SIGNAL flashes the LED, RESET_TO_FACTORY wipes the device. */
export function dcpSetControl(
  xid: number,
  control: 'SIGNAL' | 'RESET_TO_FACTORY' | 'RESET_FACTORY_SETTINGS',
): Uint8Array {
  const value = control === 'SIGNAL' ? [0x01, 0x00] : [0x00, 0x02];
  return dcp(0xfefd, 4, 0, xid, 0, [{ code: DCP_BLOCKS[control], prefix: 0, value }]);
}

/** DCP Set response for one block, with its BlockError (0 = ok). */
export function dcpSetResponse(xid: number, answered: number, error = 0): Uint8Array {
  return dcp(0xfefd, 4, 1, xid, 0, [
    { code: DCP_BLOCKS.RESPONSE, value: [answered >> 8, answered & 0xff, error] },
  ]);
}

// --- RT and RTA -------------------------------------------------------------------------------------

/** A cyclic frame: `dataLength` octets of I/O data (IOxS included) then cycle counter and status. */
export function rtCyclic(
  frameId: number,
  cycleCounter: number,
  dataStatus = 0x35,
  dataLength = 40,
): Uint8Array {
  return new Writer()
    .u16(frameId)
    .raw(new Array(dataLength).fill(0x80))
    .u16(cycleCounter)
    .u8(dataStatus)
    .u8(0)
    .done();
}

/** An RTA DATA frame carrying an AlarmNotification of `alarmType` for slot/subslot (low priority unless `high`). */
export function alarmNotification(
  alarmType: number,
  slot: number,
  subslot: number,
  sendSeq: number,
  high = false,
): Uint8Array {
  const block = new Writer()
    .u16(high ? BLOCK_TYPES.ALARM_NOTIFICATION_HIGH : BLOCK_TYPES.ALARM_NOTIFICATION_LOW)
    .u16(0x16)
    .u8(1)
    .u8(0)
    .u16(alarmType)
    .u32(0) // API
    .u16(slot)
    .u16(subslot)
    .u32(0x00000001) // ModuleIdentNumber
    .u32(0x00000001) // SubmoduleIdentNumber
    .u16(0x0800); // AlarmSpecifier: sequence number 0, channel diagnosis
  return new Writer()
    .u16(high ? 0xfc01 : 0xfe01)
    .u16(0x0001)
    .u16(0x8001)
    .u8(0x11) // version 1, DATA
    .u8(0x01)
    .u16(sendSeq)
    .u16(0xfffe)
    .u16(block.length)
    .raw(block.bytes)
    .done();
}

// --- IO context manager over DCE/RPC ----------------------------------------------------------------

export const PNIO_DEVICE_INTERFACE = 'dea00001-6c97-11d1-8271-00a02442df7d';
export const PNIO_CONTROLLER_INTERFACE = 'dea00002-6c97-11d1-8271-00a02442df7d';

/** The PNIO object UUID of a device: DEA00000-6C97-11D1-8271-{instance}{device}{vendor}. */
export function pnioObjectUuid(vendorId: number, deviceId: number, instance = 1): string {
  const h = (v: number) => v.toString(16).padStart(4, '0');
  return `dea00000-6c97-11d1-8271-${h(instance)}${h(deviceId)}${h(vendorId)}`;
}

export interface RpcOptions {
  /** 0 request, 2 response, or any other C706 packet type. */
  ptype: number;
  opnum: number;
  seq: number;
  object: string;
  activity: string;
  interface?: string;
  littleEndian?: boolean;
  serverBootTime?: number;
}

/** A connectionless RPC PDU (C706 §12.5.3) around a body. */
export function rpc(o: RpcOptions, body: Uint8Array): Uint8Array {
  const le = o.littleEndian ?? false;
  const request = o.ptype === 0;
  return new Writer()
    .u8(4)
    .u8(o.ptype)
    .u8(request ? 0x20 : 0x0a) // idempotent; last fragment + no fack
    .u8(0)
    .u8(le ? 0x10 : 0x00)
    .u8(0)
    .u8(0)
    .u8(0)
    .uuid(o.object, le)
    .uuid(o.interface ?? PNIO_DEVICE_INTERFACE, le)
    .uuid(o.activity, le)
    .u32(o.serverBootTime ?? 0, le)
    .u32(1, le) // interface version 1.0
    .u32(o.seq, le)
    .u16(o.opnum, le)
    .u16(0xffff, le)
    .u16(0xffff, le)
    .u16(body.length, le)
    .u16(0, le)
    .u8(0)
    .u8(0)
    .raw(body)
    .done();
}

/** The NDR header of PNIO arguments: requests carry ArgsMaximum, responses PNIOStatus first. */
function ndr(blocks: Uint8Array, le: boolean, status: number | null): Uint8Array {
  const w = new Writer();
  if (status === null) w.u32(0x2000, le);
  else w.u32(status);
  return w.u32(blocks.length, le).u32(0x2000, le).u32(0, le).u32(blocks.length, le).raw(blocks).done();
}

export interface ConnectOptions {
  arUuid: string;
  activity: string;
  /** The device connected to. */
  target: { vendorId: number; deviceId: number };
  /** The controller: its name of station, MAC and identity. */
  controller: { stationName: string; mac: string; vendorId: number; deviceId: number };
}

/** Connect request from an IO controller: ARBlockReq (the controller's name and identity) and an alarm CR. */
export function connectRequest(o: ConnectOptions): Uint8Array {
  const name = str(o.controller.stationName);
  const ar = new Writer()
    .u16(BLOCK_TYPES.AR_BLOCK_REQ)
    .u16(54 + name.length)
    .u8(1)
    .u8(0)
    .u16(0x0001) // IOCARSingle
    .uuid(o.arUuid)
    .u16(1) // session key
    .raw(macBytes(o.controller.mac))
    .uuid(pnioObjectUuid(o.controller.vendorId, o.controller.deviceId, 0x64))
    .u32(0x00000011)
    .u16(600)
    .u16(0x8892)
    .u16(name.length)
    .raw(name);
  const alarmCr = new Writer()
    .u16(BLOCK_TYPES.ALARM_CR_BLOCK_REQ)
    .u16(0x16)
    .u8(1)
    .u8(0)
    .raw(new Array(0x14).fill(0));
  return rpc(
    {
      ptype: 0,
      opnum: 0,
      seq: 0,
      object: pnioObjectUuid(o.target.vendorId, o.target.deviceId),
      activity: o.activity,
    },
    ndr(Uint8Array.from([...ar.bytes, ...alarmCr.bytes]), false, null),
  );
}

/** Connect response from the device: ARBlockRes with its MAC. */
export function connectResponse(o: ConnectOptions, deviceMac: string): Uint8Array {
  const ar = new Writer()
    .u16(BLOCK_TYPES.AR_BLOCK_RES)
    .u16(0x1e)
    .u8(1)
    .u8(0)
    .u16(0x0001)
    .uuid(o.arUuid)
    .u16(1)
    .raw(macBytes(deviceMac))
    .u16(0x8892);
  return rpc(
    {
      ptype: 2,
      opnum: 0,
      seq: 0,
      object: pnioObjectUuid(o.target.vendorId, o.target.deviceId),
      activity: o.activity,
      littleEndian: true,
      serverBootTime: 7,
    },
    ndr(ar.done(), true, 0),
  );
}

function recordHeader(
  type: number,
  seq: number,
  arUuid: string,
  slot: number,
  subslot: number,
  index: number,
  dataLength: number,
  status = 0,
): Writer {
  const w = new Writer()
    .u16(type)
    .u16(60)
    .u8(1)
    .u8(0)
    .u16(seq)
    .uuid(arUuid)
    .u32(0)
    .u16(slot)
    .u16(subslot)
    .u16(0)
    .u16(index)
    .u32(dataLength);
  if (type === BLOCK_TYPES.IOD_WRITE_RES_HEADER) w.u16(0).u16(0).u32(status).raw(new Array(16).fill(0));
  else w.raw(new Array(24).fill(0));
  return w;
}

export interface RecordTarget {
  arUuid: string;
  activity: string;
  seq: number;
  target: { vendorId: number; deviceId: number };
  slot?: number;
  subslot?: number;
}

/** Read request for a record index (I&M0 by default). */
export function readRequest(t: RecordTarget, index: number = RECORD_INDEXES.IM0): Uint8Array {
  const h = recordHeader(
    BLOCK_TYPES.IOD_READ_REQ_HEADER,
    t.seq,
    t.arUuid,
    t.slot ?? 0,
    t.subslot ?? 1,
    index,
    4096,
  );
  return rpc(
    {
      ptype: 0,
      opnum: 2,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
    },
    ndr(h.done(), false, null),
  );
}

export interface Im0 {
  vendorId: number;
  orderId: string;
  serial: string;
  hardwareRevision: number;
  /** e.g. [`V`, 2, 9, 4] for V2.9.4. */
  softwareRevision: [string, number, number, number];
  revisionCounter?: number;
}

/** Read response carrying an I&M0 record: the device's vendor, order number, serial and revisions. */
export function readResponseIm0(t: RecordTarget, im: Im0): Uint8Array {
  const [prefix, major, minor, fix] = im.softwareRevision;
  const record = new Writer()
    .u16(BLOCK_TYPES.IM0)
    .u16(56)
    .u8(1)
    .u8(0)
    .u16(im.vendorId)
    .fixedAscii(im.orderId, 20)
    .fixedAscii(im.serial, 16)
    .u16(im.hardwareRevision)
    .ascii(prefix)
    .u8(major)
    .u8(minor)
    .u8(fix)
    .u16(im.revisionCounter ?? 0)
    .u16(0) // profile id
    .u16(0x0005) // profile specific type
    .u8(1)
    .u8(1) // I&M version 1.1
    .u16(0x001e); // I&M1-4 supported
  const h = recordHeader(
    BLOCK_TYPES.IOD_READ_RES_HEADER,
    t.seq,
    t.arUuid,
    t.slot ?? 0,
    t.subslot ?? 1,
    RECORD_INDEXES.IM0,
    record.length,
  );
  return rpc(
    {
      ptype: 2,
      opnum: 2,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
      littleEndian: true,
      serverBootTime: 7,
    },
    ndr(Uint8Array.from([...h.bytes, ...record.bytes]), true, 0),
  );
}

/** Write request of `data` to a record index. */
export function writeRequest(t: RecordTarget, index: number, data: readonly number[]): Uint8Array {
  const h = recordHeader(
    BLOCK_TYPES.IOD_WRITE_REQ_HEADER,
    t.seq,
    t.arUuid,
    t.slot ?? 1,
    t.subslot ?? 1,
    index,
    data.length,
  );
  return rpc(
    {
      ptype: 0,
      opnum: 3,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
    },
    ndr(Uint8Array.from([...h.bytes, ...data]), false, null),
  );
}

/** Write response; a non-zero `status` is a PNIOStatus such as 0xdf80b000 (invalid index). */
export function writeResponse(t: RecordTarget, index: number, status = 0): Uint8Array {
  const h = recordHeader(
    BLOCK_TYPES.IOD_WRITE_RES_HEADER,
    t.seq,
    t.arUuid,
    t.slot ?? 1,
    t.subslot ?? 1,
    index,
    0,
    status,
  );
  return rpc(
    {
      ptype: 2,
      opnum: 3,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
      littleEndian: true,
      serverBootTime: 7,
    },
    ndr(h.done(), true, status),
  );
}

const CONTROL_BLOCK = { PRM_END: 0x0110, APPLICATION_READY: 0x0112, RELEASE: 0x0114 } as const;
const CONTROL_BITS = { PRM_END: 0x0001, APPLICATION_READY: 0x0002, RELEASE: 0x0004 } as const;

/** Control request (PrmEnd from the controller, ApplicationReady from the device) or Release (opnum 1). */
export function controlRequest(t: RecordTarget, command: keyof typeof CONTROL_BLOCK): Uint8Array {
  const block = new Writer()
    .u16(CONTROL_BLOCK[command])
    .u16(0x1c)
    .u8(1)
    .u8(0)
    .u16(0)
    .uuid(t.arUuid)
    .u16(1)
    .u16(0)
    .u16(CONTROL_BITS[command])
    .u16(0);
  return rpc(
    {
      ptype: 0,
      opnum: command === 'RELEASE' ? 1 : 4,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
      interface: command === 'APPLICATION_READY' ? PNIO_CONTROLLER_INTERFACE : PNIO_DEVICE_INTERFACE,
    },
    ndr(block.done(), false, null),
  );
}

/** The answer to controlRequest: the same block type with bit 15 set and ControlCommand DONE. */
export function controlResponse(t: RecordTarget, command: keyof typeof CONTROL_BLOCK): Uint8Array {
  const block = new Writer()
    .u16(CONTROL_BLOCK[command] | 0x8000)
    .u16(0x1c)
    .u8(1)
    .u8(0)
    .u16(0)
    .uuid(t.arUuid)
    .u16(1)
    .u16(0)
    .u16(0x0008)
    .u16(0);
  return rpc(
    {
      ptype: 2,
      opnum: command === 'RELEASE' ? 1 : 4,
      seq: t.seq,
      object: pnioObjectUuid(t.target.vendorId, t.target.deviceId),
      activity: t.activity,
      interface: command === 'APPLICATION_READY' ? PNIO_CONTROLLER_INTERFACE : PNIO_DEVICE_INTERFACE,
      littleEndian: true,
      serverBootTime: 7,
    },
    ndr(block.done(), true, 0),
  );
}

/** A realistic ET 200SP interface module and S7-1500 controller pair, for tests and the demo. */
export const SAMPLE = {
  device: {
    stationName: 'et200sp-line3',
    typeOfStation: 'ET 200SP',
    vendorId: 0x002a,
    deviceId: 0x0313,
    role: 1,
    ip: '192.168.0.20',
    netmask: '255.255.255.0',
    gateway: '0.0.0.0',
  },
  deviceMac: '00:1b:1b:6a:10:20',
  im0: {
    vendorId: 0x002a,
    orderId: '6ES7 155-6AU01-0BN0',
    serial: 'S C-J4UB12345678',
    hardwareRevision: 3,
    softwareRevision: ['V', 4, 2, 1],
    revisionCounter: 2,
  } as Im0,
  controller: { stationName: 'plc-line3', mac: '00:1b:1b:6a:10:01', vendorId: 0x002a, deviceId: 0x010d },
  arUuid: '4f2c8e10-9b7d-4a51-8c3e-1d2a3b4c5d6e',
  activity: '6a1b2c3d-4e5f-1011-8000-001b1b6a1001',
} as const;

const SAMPLE_TARGET: RecordTarget = {
  arUuid: SAMPLE.arUuid,
  activity: SAMPLE.activity,
  seq: 1,
  target: SAMPLE.device,
};
const SAMPLE_CONNECT: ConnectOptions = {
  arUuid: SAMPLE.arUuid,
  activity: SAMPLE.activity,
  target: SAMPLE.device,
  controller: SAMPLE.controller,
};

/** Valid messages for the shared conformance suite (registry.test.ts). Link payloads are dir 0. */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'profinet',
    transport: 'link',
    name: 'DCP Identify, Hello, Get, Set; RT cyclic frame; alarm',
    transmissions: [
      dcpIdentifyRequest(0x1001),
      dcpIdentifyResponse(0x1001, SAMPLE.device),
      dcpHello(0x1002, SAMPLE.device),
      dcpGetRequest(0x1003, [DCP_BLOCKS.NAME_OF_STATION, DCP_BLOCKS.IP_PARAMETER]),
      dcpSetName(0x1004, SAMPLE.device.stationName),
      dcpSetResponse(0x1004, DCP_BLOCKS.NAME_OF_STATION),
      rtCyclic(0xc001, 0x1234),
      alarmNotification(0x0001, 1, 1, 0),
    ].map((bytes, i) => [0, i, bytes] as const),
  },
  {
    dissector: 'profinet_cm',
    transport: 'udp',
    name: 'Connect, PrmEnd, Read I&M0, Write, Release',
    transmissions: [
      [0, 0, connectRequest(SAMPLE_CONNECT)],
      [1, 1, connectResponse(SAMPLE_CONNECT, SAMPLE.deviceMac)],
      [0, 2, controlRequest(SAMPLE_TARGET, 'PRM_END')],
      [1, 3, controlResponse(SAMPLE_TARGET, 'PRM_END')],
      [0, 4, readRequest({ ...SAMPLE_TARGET, seq: 2 })],
      [1, 5, readResponseIm0({ ...SAMPLE_TARGET, seq: 2 }, SAMPLE.im0)],
      [0, 6, writeRequest({ ...SAMPLE_TARGET, seq: 3 }, 0x8051, [0, 1, 0, 2])],
      [1, 7, writeResponse({ ...SAMPLE_TARGET, seq: 3 }, 0x8051)],
      [0, 8, controlRequest({ ...SAMPLE_TARGET, seq: 4 }, 'RELEASE')],
      [1, 9, controlResponse({ ...SAMPLE_TARGET, seq: 4 }, 'RELEASE')],
    ],
  },
];
