// Builders of realistic ISO-on-TCP payloads (TPKT + COTP + S7comm / S7comm-plus) for the tests and
// for the synthetic demo plant. Each returns the bytes a TCP stream carries (`Uint8Array`); S7
// PDUs are wrapped in one COTP DT with EOT unless a builder says otherwise. Layouts are those
// parser.ts decodes (spec.ts cites the sources). Everything is big-endian.

import { AREAS, ITEM_TRANSPORT_SIZES, PLUS_FUNCTIONS, PLUS_OPCODES, ROSCTR } from './spec.ts';

const enc = new TextEncoder();

function concat(...parts: (Uint8Array | readonly number[])[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
}

/** `text` in exactly `len` bytes, padded with `fill` (NUL or space, as the SZL records do). */
function fixed(text: string, len: number, fill = 0): Uint8Array {
  const out = new Uint8Array(len).fill(fill);
  out.set(enc.encode(text).subarray(0, len));
  return out;
}

/** A TPKT (RFC 1006 §6) around one TPDU. */
export function tpkt(tpdu: Uint8Array): Uint8Array {
  return concat([3, 0, ...u16(tpdu.length + 4)], tpdu);
}

/** A TPKT with one COTP DT TPDU carrying `payload`; `last` sets the EOT bit (RFC 905 §13.7). */
export function dt(payload: Uint8Array, last = true): Uint8Array {
  return tpkt(concat([2, 0xf0, last ? 0x80 : 0x00], payload));
}

/** A payload cut into DT TPDUs of at most `size` bytes, EOT on the last (a segmented TSDU). */
export function segmented(payload: Uint8Array, size: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0; i < payload.length; i += size)
    parts.push(dt(payload.subarray(i, i + size), i + size >= payload.length));
  return concat(...parts);
}

export interface ConnectOptions {
  /** CPU rack and slot, encoded in the called TSAP's second byte. */
  readonly rack?: number;
  readonly slot?: number;
  /** Connection type, the called TSAP's first byte (1 = PG, 2 = OP, 3 = S7 basic). */
  readonly type?: number;
  /** TPDU size code (RFC 905 §13.3.4: 0x0a = 1024 bytes). */
  readonly tpduSizeCode?: number;
  readonly srcRef?: number;
  readonly dstRef?: number;
  /** Called TSAP as text instead of type/rack/slot (S7comm-plus: `SIMATIC-ROOT-HMI`). */
  readonly calledTsapText?: string;
}

function connectTpdu(code: number, o: ConnectOptions): Uint8Array {
  const called =
    o.calledTsapText === undefined
      ? [o.type ?? 1, ((o.rack ?? 0) << 5) | (o.slot ?? 2)]
      : [...enc.encode(o.calledTsapText)];
  const params = [0xc0, 1, o.tpduSizeCode ?? 0x0a, 0xc1, 2, 0x01, 0x00, 0xc2, called.length, ...called];
  const body = [code, ...u16(o.dstRef ?? 0), ...u16(o.srcRef ?? 1), 0x00, ...params];
  return tpkt(new Uint8Array([body.length, ...body]));
}

/** COTP connection request (CR) from an engineering station to the CPU in rack/slot. */
export function connectionRequest(o: ConnectOptions = {}): Uint8Array {
  return connectTpdu(0xe0, o);
}

/** COTP connection confirm (CC), the CPU's answer to connectionRequest. */
export function connectionConfirm(o: ConnectOptions = {}): Uint8Array {
  return connectTpdu(0xd0, { ...o, dstRef: o.dstRef ?? 1, srcRef: o.srcRef ?? 0x44 });
}

/** COTP disconnect request (DR) with a reason (RFC 905 §13.5.3; 128 = normal disconnect). */
export function disconnectRequest(reason = 128): Uint8Array {
  return tpkt(new Uint8Array([6, 0x80, 0, 1, 0, 0x44, reason]));
}

/** A raw S7comm PDU: header (12 bytes with error class/code for ACK and ACK_DATA), parameter, data. */
export function s7Pdu(
  rosctr: number,
  pduRef: number,
  param: Uint8Array | readonly number[],
  data: Uint8Array | readonly number[] = [],
  errorCode = 0,
): Uint8Array {
  const withError = rosctr === ROSCTR.ACK || rosctr === ROSCTR.ACK_DATA;
  const head = [0x32, rosctr, 0, 0, ...u16(pduRef), ...u16(param.length), ...u16(data.length)];
  if (withError) head.push(...u16(errorCode));
  return concat(head, param, data);
}

/** A JOB PDU in one DT. */
export function job(
  pduRef: number,
  param: Uint8Array | readonly number[],
  data: Uint8Array | readonly number[] = [],
): Uint8Array {
  return dt(s7Pdu(ROSCTR.JOB, pduRef, param, data));
}

/** An ACK_DATA PDU in one DT; `errorCode` is class << 8 | code. */
export function ackData(
  pduRef: number,
  param: Uint8Array | readonly number[],
  data: Uint8Array | readonly number[] = [],
  errorCode = 0,
): Uint8Array {
  return dt(s7Pdu(ROSCTR.ACK_DATA, pduRef, param, data, errorCode));
}

/** An ACK PDU (no parameter) in one DT, as PLCs send to refuse a job. */
export function ack(pduRef: number, errorCode: number): Uint8Array {
  return dt(s7Pdu(ROSCTR.ACK, pduRef, [], [], errorCode));
}

/** SETUP_COMMUNICATION job: AmQ 1/1 and the PDU size the client proposes. */
export function setupCommunication(pduRef: number, pduSize = 960): Uint8Array {
  return job(pduRef, [0xf0, 0, ...u16(1), ...u16(1), ...u16(pduSize)]);
}

/** SETUP_COMMUNICATION answer with the PDU size the CPU grants. */
export function setupCommunicationAck(pduRef: number, pduSize = 480): Uint8Array {
  return ackData(pduRef, [0xf0, 0, ...u16(1), ...u16(1), ...u16(pduSize)]);
}

export interface VarItem {
  readonly area: keyof typeof AREAS;
  readonly db?: number;
  /** Byte address. */
  readonly start: number;
  readonly bit?: number;
  readonly size: keyof typeof ITEM_TRANSPORT_SIZES;
  readonly count: number;
}

function itemBytes(i: VarItem): number[] {
  const addr = (i.start << 3) | (i.bit ?? 0);
  return [
    0x12,
    0x0a,
    0x10,
    ITEM_TRANSPORT_SIZES[i.size],
    ...u16(i.count),
    ...u16(i.db ?? 0),
    AREAS[i.area],
    (addr >> 16) & 0xff,
    (addr >> 8) & 0xff,
    addr & 0xff,
  ];
}

/** READ_VAR job for S7ANY items (`{ area: 'DB', db: 1, start: 0, size: 'BYTE', count: 4 }`). */
export function readVar(pduRef: number, items: readonly VarItem[]): Uint8Array {
  return job(pduRef, [0x04, items.length, ...items.flatMap(itemBytes)]);
}

function dataItems(values: readonly Uint8Array[], returnCode: number): number[] {
  const out: number[] = [];
  values.forEach((v, i) => {
    out.push(returnCode, 0x04, ...u16(v.length * 8), ...v);
    if (v.length % 2 === 1 && i < values.length - 1) out.push(0);
  });
  return out;
}

/** READ_VAR answer: one successful byte-string item per value. */
export function readVarResponse(pduRef: number, values: readonly Uint8Array[]): Uint8Array {
  return ackData(pduRef, [0x04, values.length], dataItems(values, 0xff));
}

/** WRITE_VAR job: the items and the bytes written to each. */
export function writeVar(
  pduRef: number,
  items: readonly VarItem[],
  values: readonly Uint8Array[],
): Uint8Array {
  return job(pduRef, [0x05, items.length, ...items.flatMap(itemBytes)], dataItems(values, 0x00));
}

/** WRITE_VAR answer: one return code per item (0xff = success, 0x05 = invalid address, ...). */
export function writeVarResponse(pduRef: number, codes: readonly number[]): Uint8Array {
  return ackData(pduRef, [0x05, codes.length], codes);
}

// Upload, download and program invocation

/** A PLC file name: block type (`0A` DB, `08` OB, `0C` FC, ...), number, file system (`A`/`P`). */
export function blockFile(type: string, number: number, fs = 'A'): string {
  return `_${type}${String(number).padStart(5, '0')}${fs}`;
}

/** START_UPLOAD job for a block file name (blockFile). */
export function startUpload(pduRef: number, file: string): Uint8Array {
  return job(pduRef, [0x1d, 0, 0, 0, ...u32(0), file.length, ...enc.encode(file)]);
}

/** START_UPLOAD answer: upload id and the block length in 7 ASCII digits. */
export function startUploadAck(pduRef: number, uploadId: number, length: number): Uint8Array {
  const len = String(length).padStart(7, '0');
  return ackData(pduRef, [0x1d, 0, 1, 0, ...u32(uploadId), len.length, ...enc.encode(len)]);
}

/** UPLOAD job for an upload id. */
export function upload(pduRef: number, uploadId: number): Uint8Array {
  return job(pduRef, [0x1e, 0, 0, 0, ...u32(uploadId)]);
}

/** UPLOAD answer with the block bytes (last part: status 0). */
export function uploadAck(pduRef: number, block: Uint8Array): Uint8Array {
  return ackData(pduRef, [0x1e, 0], [...u16(block.length), 0x00, 0xfb, ...block]);
}

/** END_UPLOAD job and answer. */
export function endUpload(pduRef: number, uploadId: number): Uint8Array {
  return job(pduRef, [0x1f, 0, 0, 0, ...u32(uploadId)]);
}
export function endUploadAck(pduRef: number): Uint8Array {
  return ackData(pduRef, [0x1f]);
}

/** REQUEST_DOWNLOAD job: file name, load memory and MC7 lengths (6 ASCII digits each). */
export function requestDownload(
  pduRef: number,
  file: string,
  loadLength: number,
  mc7Length: number,
): Uint8Array {
  const part = `1${String(loadLength).padStart(6, '0')}${String(mc7Length).padStart(6, '0')}`;
  return job(pduRef, [
    0x1a,
    0,
    1,
    0,
    ...u32(0),
    file.length,
    ...enc.encode(file),
    part.length,
    ...enc.encode(part),
  ]);
}

/** Plain answers of the download sequence (REQUEST_DOWNLOAD 0x1a, DOWNLOAD_ENDED 0x1c, PLC_CONTROL 0x28, PLC_STOP 0x29). */
export function functionAck(pduRef: number, functionCode: number): Uint8Array {
  return ackData(pduRef, [functionCode]);
}

/** DOWNLOAD_BLOCK job (the CPU asks the station for the block) and its answer with block bytes. */
export function downloadBlock(pduRef: number, file: string): Uint8Array {
  return job(pduRef, [0x1b, 0, 1, 0, ...u32(0), file.length, ...enc.encode(file)]);
}
export function downloadBlockAck(pduRef: number, block: Uint8Array): Uint8Array {
  return ackData(pduRef, [0x1b, 0], [...u16(block.length), 0x00, 0xfb, ...block]);
}

/** DOWNLOAD_ENDED job (the CPU has the whole block). */
export function downloadEnded(pduRef: number, file: string): Uint8Array {
  return job(pduRef, [0x1c, 0, 0, 0, ...u32(0), file.length, ...enc.encode(file)]);
}

/** PLC_CONTROL (PI service) job: `P_PROGRAM` with argument (start), `_MODU` (copy RAM to ROM), `_GARB`. */
export function plcControl(pduRef: number, service: string, argument = ''): Uint8Array {
  const arg = enc.encode(argument);
  return job(pduRef, [
    0x28,
    0,
    0,
    0,
    0,
    0,
    0,
    0xfd,
    ...u16(arg.length),
    ...arg,
    service.length,
    ...enc.encode(service),
  ]);
}

/** PLC_CONTROL `_INSE` / `_DELE` job naming blocks (`['0A', 1]` = DB 1) in the passive file system. */
export function plcControlBlocks(
  pduRef: number,
  service: string,
  blocks: readonly (readonly [string, number])[],
): Uint8Array {
  const list = blocks.flatMap(([type, n]) => [...enc.encode(`${type}${String(n).padStart(5, '0')}P`)]);
  const block = [blocks.length, 0, ...list];
  return job(pduRef, [
    0x28,
    0,
    0,
    0,
    0,
    0,
    0,
    0xfd,
    ...u16(block.length),
    ...block,
    service.length,
    ...enc.encode(service),
  ]);
}

/** PLC_STOP job (service `P_PROGRAM`). */
export function plcStop(pduRef: number): Uint8Array {
  const service = 'P_PROGRAM';
  return job(pduRef, [0x29, 0, 0, 0, 0, 0, service.length, ...enc.encode(service)]);
}

// Userdata

export interface UserdataHeader {
  /** 0x4 request, 0x8 response, 0x0 push. */
  readonly type: number;
  readonly group: number;
  readonly sub: number;
  readonly seq?: number;
  /** Response fields (the 12-byte parameter): data unit reference, last data unit, error code. */
  readonly dataUnitRef?: number;
  readonly lastDataUnit?: number;
  readonly errorCode?: number;
}

/** A USERDATA PDU in one DT: the parameter per `h` and the data (return code, size 0x09, payload). */
export function userdata(
  pduRef: number,
  h: UserdataHeader,
  payload: Uint8Array | readonly number[],
  returnCode = 0xff,
): Uint8Array {
  const long = h.dataUnitRef !== undefined || h.type === 0x8;
  const param = [
    0x00,
    0x01,
    0x12,
    long ? 8 : 4,
    long ? 0x12 : 0x11,
    (h.type << 4) | h.group,
    h.sub,
    h.seq ?? 0,
  ];
  if (long) param.push(h.dataUnitRef ?? 0, h.lastDataUnit ?? 0, ...u16(h.errorCode ?? 0));
  const data =
    payload.length === 0 && returnCode !== 0xff
      ? [returnCode, 0, 0, 0]
      : [returnCode, 0x09, ...u16(payload.length), ...payload];
  return dt(s7Pdu(ROSCTR.USERDATA, pduRef, param, data));
}

/** READ_SZL request for an SZL id and index (0x0011 module identification, 0x001C components, ...). */
export function readSzl(pduRef: number, szlId: number, index = 0): Uint8Array {
  return userdata(pduRef, { type: 0x4, group: 0x4, sub: 0x01 }, [...u16(szlId), ...u16(index)]);
}

/** The follow-up request an SZL client sends for the next fragment (no SZL id, return code 0x0a). */
export function readSzlFollowUp(pduRef: number, seq: number): Uint8Array {
  return userdata(
    pduRef,
    { type: 0x4, group: 0x4, sub: 0x01, seq, dataUnitRef: 0, lastDataUnit: 0 },
    [],
    0x0a,
  );
}

/** One SZL answer PDU: header (id, index, record length, count) and records, or bare records for a continuation. */
export function szlAnswer(
  pduRef: number,
  szl: { id: number; index: number; recordLength: number; count: number } | null,
  records: Uint8Array,
  more = false,
  dataUnitRef = 0,
): Uint8Array {
  const head =
    szl === null ? [] : [...u16(szl.id), ...u16(szl.index), ...u16(szl.recordLength), ...u16(szl.count)];
  return userdata(
    pduRef,
    { type: 0x8, group: 0x4, sub: 0x01, seq: 2, dataUnitRef, lastDataUnit: more ? 1 : 0 },
    concat(head, records),
  );
}

export interface ModuleIdentity {
  /** Order number (MLFB), e.g. `6ES7 516-3AN01-0AB0`. */
  readonly orderNumber: string;
  /** Hardware product version. */
  readonly hardware: number;
  /** Firmware version as three numbers, e.g. [2, 8, 3] for V2.8.3. */
  readonly firmware: readonly [number, number, number];
}

/** A realistic S7-1500 CPU. */
export const CPU_1516: ModuleIdentity & ComponentIdentity = {
  orderNumber: '6ES7 516-3AN01-0AB0',
  hardware: 3,
  firmware: [2, 8, 3],
  systemName: 'S71500/ET200MP station_1',
  moduleName: 'PLC_Line3',
  plantId: 'Line 3 filling',
  copyright: 'Original Siemens Equipment',
  serial: 'S V-L9AL66172019',
  moduleType: 'CPU 1516-3 PN/DP',
  memoryCardSerial: 'SMC 1B2C3D4E',
};

/** The four records of SZL 0x0011 index 0 (module, basic hardware, basic firmware, boot loader), 28 bytes each. */
export function moduleIdentRecords(m: ModuleIdentity): Uint8Array {
  const rec = (index: number, order: string, ausbg: readonly number[], ausbe: readonly number[]) =>
    concat(u16(index), fixed(order, 20, 0x20), [0x00, 0xc0], ausbg, ausbe);
  const [a, b, c] = m.firmware;
  return concat(
    rec(0x0001, m.orderNumber, u16(m.hardware), u16(1)),
    rec(0x0006, m.orderNumber, u16(m.hardware), u16(1)),
    rec(0x0007, '', [0x56, a], [b, c]),
    rec(0x0081, 'Boot Loader', [0x41, 0x20], [0x09, 0x09]),
  );
}

/** SZL 0x0011 answer (module identification: order number, hardware, firmware). */
export function moduleIdentification(pduRef: number, m: ModuleIdentity = CPU_1516): Uint8Array {
  return szlAnswer(pduRef, { id: 0x0011, index: 0, recordLength: 28, count: 4 }, moduleIdentRecords(m));
}

export interface ComponentIdentity {
  readonly systemName: string;
  readonly moduleName: string;
  readonly plantId: string;
  readonly copyright: string;
  readonly serial: string;
  readonly moduleType: string;
  readonly memoryCardSerial: string;
}

/** The records of SZL 0x001C index 0 (indexes 1-5, 7, 8), 34 bytes each. */
export function componentIdentRecords(c: ComponentIdentity): Uint8Array {
  const rec = (index: number, text: string) => concat(u16(index), fixed(text, 32));
  return concat(
    rec(1, c.systemName),
    rec(2, c.moduleName),
    rec(3, c.plantId),
    rec(4, c.copyright),
    rec(5, c.serial),
    rec(7, c.moduleType),
    rec(8, c.memoryCardSerial),
  );
}

/**
 * SZL 0x001C answer (component identification: names, serial, module type). With `splitAt`, two
 * PDUs (refs pduRef and pduRef + 1): the first with the SZL header and `splitAt` bytes of records
 * announcing more, the second with the rest, as CPUs send answers longer than the PDU size.
 */
export function componentIdentification(
  pduRef: number,
  c: ComponentIdentity = CPU_1516,
  splitAt?: number,
): Uint8Array {
  const records = componentIdentRecords(c);
  const head = { id: 0x001c, index: 0, recordLength: 34, count: records.length / 34 };
  if (splitAt === undefined) return szlAnswer(pduRef, head, records);
  return concat(
    szlAnswer(pduRef, head, records.subarray(0, splitAt), true, 0xd5),
    szlAnswer(pduRef + 1, null, records.subarray(splitAt), false, 0xd5),
  );
}

/** PLC_PASSWORD request (security group): 8 obfuscated password bytes, never decoded. */
export function plcPassword(pduRef: number): Uint8Array {
  return userdata(
    pduRef,
    { type: 0x4, group: 0x5, sub: 0x01 },
    [0x55, 0x74, 0x6c, 0x46, 0x55, 0x74, 0x6c, 0x46],
  );
}

/** PLC_PASSWORD answer; errorCode 0xd602 style codes report a refusal. */
export function plcPasswordResponse(pduRef: number, errorCode = 0): Uint8Array {
  return userdata(pduRef, { type: 0x8, group: 0x5, sub: 0x01, errorCode }, [], 0x0a);
}

/** READ_CLOCK answer with a BCD timestamp (2024-05-17 08:30:15.250, Friday). */
export function readClockResponse(pduRef: number): Uint8Array {
  return userdata(
    pduRef,
    { type: 0x8, group: 0x7, sub: 0x01 },
    [0x00, 0x20, 0x24, 0x05, 0x17, 0x08, 0x30, 0x15, 0x25, 0x06],
  );
}

// S7comm-plus

export interface PlusFrame {
  readonly version?: number;
  readonly opcode: keyof typeof PLUS_OPCODES;
  readonly function?: keyof typeof PLUS_FUNCTIONS;
  readonly seq?: number;
  readonly sessionId?: number;
  readonly transportFlags?: number;
  readonly subscriptionId?: number;
  /** Bytes after the header fields (object data, not decoded). */
  readonly body?: Uint8Array;
  /** Leave out the trailer: the first frame of a fragmented PDU. */
  readonly noTrailer?: boolean;
}

/** An S7comm-plus frame in one DT: header, V3 digest (32 bytes), opcode header, body, trailer. */
export function plusFrame(f: PlusFrame): Uint8Array {
  const version = f.version ?? 3;
  const op = PLUS_OPCODES[f.opcode];
  const fn = PLUS_FUNCTIONS[f.function ?? 'GET_MULTI_VARIABLES'];
  let head: number[];
  if (op === PLUS_OPCODES.REQUEST) {
    head = [
      op,
      0,
      0,
      ...u16(fn),
      0,
      0,
      ...u16(f.seq ?? 1),
      ...u32(f.sessionId ?? 0x70000e4d),
      f.transportFlags ?? 0x34,
    ];
  } else if (op === PLUS_OPCODES.NOTIFICATION) {
    head = [op, ...u32(f.subscriptionId ?? 0x70000e51), 0x04, 0, 0, 0, 0];
  } else {
    head = [op, 0, 0, ...u16(fn), 0, 0, ...u16(f.seq ?? 1), f.transportFlags ?? 0x34];
  }
  const digest = version === 3 ? [32, ...new Uint8Array(32).fill(0xa5)] : [];
  const data = concat(digest, head, f.body ?? new Uint8Array([0, 0, 0, 0]));
  const trailer = f.noTrailer ? [] : [0x72, version, 0, 0];
  return dt(concat([0x72, version, ...u16(data.length)], data, trailer));
}

/** A continuation frame of a fragmented S7comm-plus PDU (header, data, and the trailer when last). */
export function plusContinuation(body: Uint8Array, last: boolean, version = 3): Uint8Array {
  return dt(concat([0x72, version, ...u16(body.length)], body, last ? [0x72, version, 0, 0] : []));
}
