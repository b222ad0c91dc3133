// Builders of realistic DNP3 traffic, for the tests and the synthetic demo plant (src/demo): each
// returns the payload bytes a master or outstation puts on TCP port 20000 (or in one UDP
// datagram): data link frames with their CRCs, carrying transport segments of one application
// fragment. Addresses default to master 1 and outstation 1024; every builder takes others.

import type { ConformanceSample } from '../testing.ts';
import { crc16Dnp, MAX_USER_DATA } from './parser.ts';
import { FUNCTION_CODES as FC, LINK_CONTROL, LINK_PRIMARY_FUNCTIONS, TRANSPORT } from './spec.ts';

export interface Addresses {
  /** Master's DNP3 address (default 1). */
  master?: number;
  /** Outstation's DNP3 address (default 1024). */
  outstation?: number;
  /** Application sequence number, 0-15 (default 0). */
  seq?: number;
}

const MASTER = 1;
const OUTSTATION = 1024;
/** Application payload per frame when a fragment is split: the frame maximum minus the transport header. */
const SEGMENT_PAYLOAD = MAX_USER_DATA - 1;

/** One data link frame: header, user data in CRC-protected blocks of 16 (clause 9). */
export function linkFrame(
  control: number,
  destination: number,
  source: number,
  userData: Uint8Array,
): Uint8Array {
  const blocks = Math.ceil(userData.length / 16);
  const out = new Uint8Array(10 + userData.length + 2 * blocks);
  out[0] = 0x05;
  out[1] = 0x64;
  out[2] = 5 + userData.length;
  out[3] = control;
  out[4] = destination & 0xff;
  out[5] = destination >> 8;
  out[6] = source & 0xff;
  out[7] = source >> 8;
  putCrc(out, 0, 8);
  let p = 10;
  for (let i = 0; i < userData.length; i += 16) {
    const block = userData.subarray(i, i + 16);
    out.set(block, p);
    putCrc(out, p, p + block.length);
    p += block.length + 2;
  }
  return out;
}

function putCrc(buf: Uint8Array, start: number, end: number): void {
  const crc = crc16Dnp(buf, start, end);
  buf[end] = crc & 0xff; // least significant octet first
  buf[end + 1] = crc >> 8;
}

/** An application fragment cut into transport segments, one unconfirmed user data frame each. */
export function fragmentFrames(
  fragment: Uint8Array,
  fromMaster: boolean,
  destination: number,
  source: number,
  firstTransportSeq = 0,
): Uint8Array {
  const control =
    (fromMaster ? LINK_CONTROL.DIR : 0) | LINK_CONTROL.PRM | LINK_PRIMARY_FUNCTIONS.UNCONFIRMED_USER_DATA;
  const frames: Uint8Array[] = [];
  let seq = firstTransportSeq;
  for (let i = 0; i < fragment.length || i === 0; i += SEGMENT_PAYLOAD) {
    const part = fragment.subarray(i, i + SEGMENT_PAYLOAD);
    const th =
      (i === 0 ? TRANSPORT.FIR : 0) | (i + SEGMENT_PAYLOAD >= fragment.length ? TRANSPORT.FIN : 0) | seq;
    seq = (seq + 1) & TRANSPORT.SEQ;
    frames.push(linkFrame(control, destination, source, Uint8Array.of(th, ...part)));
  }
  return concat(frames);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** A request from the master: FIR and FIN set, the function code, then object headers and data. */
export function request(fc: number, objects: readonly number[] = [], a: Addresses = {}): Uint8Array {
  const ac = 0xc0 | ((a.seq ?? 0) & 0x0f);
  return fragmentFrames(
    Uint8Array.of(ac, fc, ...objects),
    true,
    a.outstation ?? OUTSTATION,
    a.master ?? MASTER,
  );
}

/** A response from the outstation with IIN1/IIN2; `unsolicited` sets UNS and CON (and the function). */
export function response(
  objects: readonly number[] = [],
  a: Addresses & { iin1?: number; iin2?: number; unsolicited?: boolean; fir?: boolean; fin?: boolean } = {},
): Uint8Array {
  const uns = a.unsolicited === true;
  const ac =
    (a.fir === false ? 0 : 0x80) | (a.fin === false ? 0 : 0x40) | (uns ? 0x30 : 0) | ((a.seq ?? 0) & 0x0f);
  const fc = uns ? FC.UNSOLICITED_RESPONSE : FC.RESPONSE;
  return fragmentFrames(
    Uint8Array.of(ac, fc, a.iin1 ?? 0, a.iin2 ?? 0, ...objects),
    false,
    a.master ?? MASTER,
    a.outstation ?? OUTSTATION,
  );
}

const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

/** READ of class 1, 2, 3 and 0 data (g60v2-4, g60v1, qualifier 0x06): the integrity poll. */
export function integrityPoll(a: Addresses = {}): Uint8Array {
  return request(FC.READ, [60, 2, 0x06, 60, 3, 0x06, 60, 4, 0x06, 60, 1, 0x06], a);
}

/** Integrity poll answer: 8 binary inputs (g1v2), 4 binary outputs (g10v2), 4 analog inputs (g30v2, 16-bit). */
export function integrityResponse(a: Addresses & { iin1?: number } = {}): Uint8Array {
  const objects = [
    ...[1, 2, 0x00, 0, 7, 0x01, 0x81, 0x01, 0x01, 0x81, 0x01, 0x01, 0x01],
    ...[10, 2, 0x00, 0, 3, 0x01, 0x01, 0x81, 0x01],
    ...[30, 2, 0x00, 0, 3, 0x01, ...le16(2315), 0x01, ...le16(118), 0x01, ...le16(6000), 0x01, ...le16(0)],
  ];
  return response(objects, a);
}

/** Unsolicited response with binary input change events with time (g2v2, 1-octet index prefix). */
export function unsolicitedEvents(points: readonly number[] = [3, 4], a: Addresses = {}): Uint8Array {
  const time = [0x18, 0xa1, 0x5c, 0xbf, 0x8c, 0x01]; // 48-bit ms since 1970, a 2024 instant
  const objects = [2, 2, 0x17, points.length, ...points.flatMap((p, i) => [p, i % 2 ? 0x01 : 0x81, ...time])];
  return response(objects, { ...a, unsolicited: true });
}

export interface Crob {
  index: number;
  /** Control code: 0x41 CLOSE+PULSE_ON, 0x81 TRIP+PULSE_ON, 0x03 LATCH_ON, 0x04 LATCH_OFF. */
  code: number;
  count?: number;
  onMs?: number;
  offMs?: number;
  status?: number;
}

function crobObjects(crobs: readonly Crob[]): number[] {
  return [
    12,
    1,
    0x28, // 2-octet index prefix, 2-octet count
    ...le16(crobs.length),
    ...crobs.flatMap((c) => [
      ...le16(c.index),
      c.code,
      c.count ?? 1,
      ...le32(c.onMs ?? 1000),
      ...le32(c.offMs ?? 0),
      c.status ?? 0,
    ]),
  ];
}

/** SELECT, OPERATE or DIRECT_OPERATE (fc 3, 4, 5) of control relay output blocks (g12v1). */
export function crobRequest(fc: number, crobs: readonly Crob[], a: Addresses = {}): Uint8Array {
  return request(fc, crobObjects(crobs), a);
}

/** The outstation's echo of a CROB request with each block's status (0 SUCCESS, 2 NO_SELECT, 7 LOCAL). */
export function crobResponse(
  crobs: readonly Crob[],
  a: Addresses & { iin1?: number; iin2?: number } = {},
): Uint8Array {
  return response(crobObjects(crobs), a);
}

/** DIRECT_OPERATE of a 16-bit analog output block (g41v2) and a float one (g41v3). */
export function analogOutputRequest(
  setpoints: readonly [index: number, value: number][],
  a: Addresses = {},
): Uint8Array {
  const objects = [41, 3, 0x17, setpoints.length];
  for (const [index, value] of setpoints) {
    const f = new Uint8Array(new Float32Array([value]).buffer);
    objects.push(index, ...f, 0);
  }
  return request(FC.DIRECT_OPERATE, objects, a);
}

/** COLD_RESTART (fc 13) or WARM_RESTART (fc 14): no objects. */
export function restartRequest(fc: number = FC.COLD_RESTART, a: Addresses = {}): Uint8Array {
  return request(fc, [], a);
}

/** Answer to a restart: the time to wait before polling again (g52v2, fine time delay in ms). */
export function restartResponse(delayMs = 5000, a: Addresses = {}): Uint8Array {
  return response([52, 2, 0x07, 1, ...le16(delayMs)], { ...a, iin1: 0x80 });
}

/** WRITE of the absolute time (g50v1, count 1): time synchronisation. */
export function timeSync(ms = 1_717_000_000_000, a: Addresses = {}): Uint8Array {
  const t: number[] = [];
  let v = ms;
  for (let i = 0; i < 6; i++) {
    t.push(v % 256);
    v = Math.floor(v / 256);
  }
  return request(FC.WRITE, [50, 1, 0x07, 1, ...t], a);
}

/** ENABLE_UNSOLICITED (fc 20) for event classes 1-3 (g60v2-4). */
export function enableUnsolicited(a: Addresses = {}): Uint8Array {
  return request(FC.ENABLE_UNSOLICITED, [60, 2, 0x06, 60, 3, 0x06, 60, 4, 0x06], a);
}

/** READ of all device attributes (g0v254, qualifier 0x06): how a master asks who a device is. */
export function deviceAttributesRequest(a: Addresses = {}): Uint8Array {
  return request(FC.READ, [0, 254, 0x06], a);
}

export interface DeviceIdentity {
  vendor: string;
  model: string;
  firmware: string;
  hardware: string;
  serial: string;
  name: string;
  location?: string;
  userId?: string;
}

/** A realistic substation RTAC, the default identity of deviceAttributesResponse. */
export const EXAMPLE_IDENTITY: DeviceIdentity = {
  vendor: 'Schweitzer Engineering Laboratories, Inc.',
  model: 'SEL-3530 RTAC',
  firmware: 'R148-V2-Z012012-D20231110',
  hardware: '3530 Rev B',
  serial: '1191930452',
  name: 'SUB12-RTAC-01',
  location: 'Substation 12 control house',
  userId: 'AST-004417',
};

/** Device attributes (g0, one header per attribute, qualifier 0x00 index 0, visible strings). */
export function deviceAttributesResponse(
  id: DeviceIdentity = EXAMPLE_IDENTITY,
  a: Addresses = {},
): Uint8Array {
  const attr = (variation: number, value: string) => {
    const bytes = ascii(value);
    return [0, variation, 0x00, 0, 0, 1 /* VSTR */, bytes.length, ...bytes];
  };
  const objects = [
    ...attr(252, id.vendor),
    ...attr(250, id.model),
    ...attr(242, id.firmware),
    ...attr(243, id.hardware),
    ...attr(248, id.serial),
    ...attr(247, id.name),
    ...(id.location === undefined ? [] : attr(245, id.location)),
    ...(id.userId === undefined ? [] : attr(246, id.userId)),
  ];
  return response(objects, a);
}

/** OPEN_FILE (fc 25) with a g70v3 file command: name and mode (1 READ, 2 WRITE, 3 APPEND). */
export function openFileRequest(name: string, mode = 1, a: Addresses = {}): Uint8Array {
  const n = ascii(name);
  const command = [
    ...le16(26),
    ...le16(n.length),
    ...[0, 0, 0, 0, 0, 0], // time of creation
    ...le16(0x01a4), // permissions rw-r--r--
    ...le32(0), // authentication key
    ...le32(0), // file size (0 when reading)
    ...le16(mode),
    ...le16(1024), // maximum block size
    ...le16(7), // request id
    ...n,
  ];
  return request(FC.OPEN_FILE, [70, 3, 0x5b, 1, ...le16(command.length), ...command], a);
}

/** Answer to OPEN_FILE: g70v4 file command status with handle, size and status (0 SUCCESS, 3 FILE_NOT_FOUND). */
export function fileStatusResponse(handle: number, size: number, status = 0, a: Addresses = {}): Uint8Array {
  const body = [...le32(handle), ...le32(size), ...le16(1024), ...le16(7), status];
  return response([70, 4, 0x5b, 1, ...le16(body.length), ...body], a);
}

/** One block of a file being read (g70v5): handle, block number (bit 31 on the last), data. */
export function fileBlockResponse(
  handle: number,
  block: number,
  last: boolean,
  data: Uint8Array,
  a: Addresses = {},
): Uint8Array {
  const body = [...le32(handle), ...le32((block | (last ? 0x80000000 : 0)) >>> 0), ...data];
  return response([70, 5, 0x5b, 1, ...le16(body.length), ...body], a);
}

/** A link-layer keep-alive: REQUEST_LINK_STATUS from the master (clause 9), no user data. */
export function linkStatusRequest(a: Addresses = {}): Uint8Array {
  return linkFrame(
    LINK_CONTROL.DIR | LINK_CONTROL.PRM | LINK_PRIMARY_FUNCTIONS.REQUEST_LINK_STATUS,
    a.outstation ?? OUTSTATION,
    a.master ?? MASTER,
    new Uint8Array(0),
  );
}

/** The outstation's LINK_STATUS answer (secondary function 11). */
export function linkStatusResponse(a: Addresses = {}): Uint8Array {
  return linkFrame(11, a.master ?? MASTER, a.outstation ?? OUTSTATION, new Uint8Array(0));
}

/** Valid exchanges for the shared conformance suite (../registry.test.ts), TCP and UDP. */
export const CONFORMANCE_SAMPLES: readonly ConformanceSample[] = [
  {
    dissector: 'dnp3',
    name: 'integrity poll and its answer',
    transmissions: [
      [0, 1, integrityPoll({ seq: 1 })],
      [1, 1.01, integrityResponse({ seq: 1 })],
    ],
  },
  {
    dissector: 'dnp3',
    name: 'SELECT then OPERATE of a CROB, with the echoes',
    transmissions: [
      [0, 2, crobRequest(FC.SELECT, [{ index: 4, code: 0x41, onMs: 500 }], { seq: 2 })],
      [1, 2.01, crobResponse([{ index: 4, code: 0x41, onMs: 500 }], { seq: 2 })],
      [0, 2.02, crobRequest(FC.OPERATE, [{ index: 4, code: 0x41, onMs: 500 }], { seq: 3 })],
      [1, 2.03, crobResponse([{ index: 4, code: 0x41, onMs: 500 }], { seq: 3 })],
    ],
  },
  {
    dissector: 'dnp3',
    name: 'device attributes read and the identity answer',
    transmissions: [
      [0, 3, deviceAttributesRequest({ seq: 4 })],
      [1, 3.01, deviceAttributesResponse(EXAMPLE_IDENTITY, { seq: 4 })],
    ],
  },
  {
    dissector: 'dnp3',
    name: 'link status keep-alive',
    transmissions: [
      [0, 4, linkStatusRequest()],
      [1, 4.01, linkStatusResponse()],
    ],
  },
  {
    dissector: 'dnp3',
    transport: 'udp',
    name: 'integrity poll and its answer over UDP',
    transmissions: [
      [0, 1, integrityPoll({ seq: 1 })],
      [1, 1.01, integrityResponse({ seq: 1 })],
    ],
  },
  {
    dissector: 'dnp3',
    transport: 'udp',
    name: 'unsolicited events over UDP',
    transmissions: [[1, 2, unsolicitedEvents([1, 2, 3])]],
  },
];
