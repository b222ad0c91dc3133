// Modbus/TCP dissector tests (STYLE.md 8): one valid row per function code and direction, built
// from the examples of MODBUS Application Protocol Specification V1.1b3 §6 written out by hand;
// malformed rows; the same streams fed in chunks of every size; properties that random bytes and
// random chunking never throw and never change the events; pairing, exceptions, gaps, abandon.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Direction, Fields, FieldValue, SessionContext } from '../types.ts';
import {
  CARRY_CAPACITY,
  MAX_CONSECUTIVE_VIOLATIONS,
  MAX_PENDING_REQUESTS,
  modbusDissector,
  probeModbus,
  RESYNC_REPORT_BYTES,
} from './dissector.ts';
import {
  completeAduLength,
  MAX_ADU_LENGTH,
  MAX_VALUES,
  MIN_ADU_LENGTH,
  type ModbusMessage,
  parseAdu,
  parsePdu,
} from './parser.ts';
import {
  DIAGNOSTIC_SUBFUNCTIONS,
  diagnosticSubfunctionName,
  EXCEPTION_NAME_BY_CODE,
  FUNCTION_CODES,
  FUNCTION_NAME_BY_BYTE,
  FUNCTION_OPERATIONS,
  OPERATION_BY_MEI,
  VENDOR_FUNCTION_CODES,
} from './spec.ts';

// Byte helpers. PDUs are written as hex, spaces for readability; the MBAP header is built around them.

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  assert.equal(clean.length % 2, 0, `odd hex string ${s}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function asciiHex(s: string): string {
  return [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
}

/** One device identification object: id, length, ASCII value (§6.21). */
function object(id: number, value: string): string {
  return `${id.toString(16).padStart(2, '0')}${value.length.toString(16).padStart(2, '0')}${asciiHex(value)}`;
}

/** MBAP header (Guide §3.1.3) around a PDU: transaction id, protocol id 0, length, unit id. */
function adu(tid: number, unit: number, pdu: string): Uint8Array {
  const body = hex(pdu);
  const out = new Uint8Array(7 + body.length);
  out[0] = tid >> 8;
  out[1] = tid & 0xff;
  out[4] = (body.length + 1) >> 8;
  out[5] = (body.length + 1) & 0xff;
  out[6] = unit;
  out.set(body, 7);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function parseOk(bytes: Uint8Array, dir: Direction): ModbusMessage {
  const r = parseAdu(bytes, 0, dir);
  assert.equal(r.kind, 'ok', r.kind === 'violation' ? r.reason : r.kind);
  assert.ok(r.kind === 'ok');
  assert.equal(r.consumed, bytes.length);
  return r.message;
}

function pick(m: Fields, keys: readonly string[]): Record<string, FieldValue | undefined> {
  return Object.fromEntries(keys.map((k) => [k, m[k]]));
}

// A SessionContext that records what the session reports, as snapshots taken at the call.

interface Recorded {
  kind: 'message' | 'violation';
  dir: Direction;
  ts: number;
  reason?: string;
  fields?: Fields;
}

class Recorder implements SessionContext {
  readonly events: Recorded[] = [];
  /** The live objects handed over, to check the session never changes one after reporting it. */
  readonly live: Fields[] = [];
  readonly abandons: string[] = [];

  message(dir: Direction, ts: number, fields: Fields): void {
    this.live.push(fields);
    this.events.push({ kind: 'message', dir, ts, fields: structuredClone(fields) });
  }

  violation(dir: Direction, ts: number, reason: string, fields?: Fields): void {
    this.events.push({ kind: 'violation', dir, ts, reason, fields: fields && structuredClone(fields) });
  }

  abandon(reason: string): void {
    this.abandons.push(reason);
  }

  ignoreRest(): void {}

  messages(): Fields[] {
    return this.events.filter((e) => e.kind === 'message').map((e) => e.fields!);
  }

  violations(): Recorded[] {
    return this.events.filter((e) => e.kind === 'violation');
  }
}

type Transmission = readonly [dir: Direction, ts: number, bytes: Uint8Array];

/** Feeds each transmission in chunks of `chunk` bytes (whole when omitted), copying each chunk. */
function run(transmissions: readonly Transmission[], chunk?: number): Recorder {
  const rec = new Recorder();
  const session = modbusDissector.createSession(rec);
  for (const [dir, ts, bytes] of transmissions) {
    const size = chunk ?? Math.max(1, bytes.length);
    for (let at = 0; at < bytes.length; at += size) session.data(dir, ts, bytes.slice(at, at + size));
  }
  session.end(transmissions.at(-1)?.[1] ?? 0);
  return rec;
}

const CORE_KEYS = [
  'modbus.tid',
  'modbus.unit',
  'modbus.func_code',
  'modbus.func',
  'modbus.pdu_type',
  'modbus.exception',
  'modbus.operation',
  'modbus.space',
  'modbus.address',
  'modbus.quantity',
  'modbus.values',
  'modbus.subfunction',
  'modbus.mei_type',
  'modbus.matched',
  'modbus.latency',
];

// Valid rows. Requests and responses are the examples of §6.x unless the row says otherwise.

interface ValidRow {
  name: string;
  dir: Direction;
  pdu: string;
  expect: Record<string, FieldValue>;
}

const DEVICE_ID_RESPONSE =
  '2B 0E 01 01 00 00 03' +
  object(0x00, 'Company identification') +
  object(0x01, 'Product code XX') +
  object(0x02, 'V2.11');

const VALID_REQUESTS: ValidRow[] = [
  {
    name: 'READ_COILS §6.1',
    dir: 0,
    pdu: '01 0013 0013',
    expect: {
      'modbus.func': 'READ_COILS',
      'modbus.func_code': 1,
      'modbus.pdu_type': 'REQ',
      'modbus.operation': 'read',
      'modbus.space': 'coil',
      'modbus.address': 19,
      'modbus.quantity': 19,
      'modbus.values': null,
    },
  },
  {
    name: 'READ_DISCRETE_INPUTS §6.2',
    dir: 0,
    pdu: '02 00C4 0016',
    expect: {
      'modbus.func': 'READ_DISCRETE_INPUTS',
      'modbus.space': 'discrete_input',
      'modbus.address': 196,
      'modbus.quantity': 22,
    },
  },
  {
    name: 'READ_HOLDING_REGISTERS §6.3',
    dir: 0,
    pdu: '03 006B 0003',
    expect: {
      'modbus.func': 'READ_HOLDING_REGISTERS',
      'modbus.space': 'holding_register',
      'modbus.address': 107,
      'modbus.quantity': 3,
    },
  },
  {
    name: 'READ_INPUT_REGISTERS §6.4',
    dir: 0,
    pdu: '04 0008 0001',
    expect: {
      'modbus.func': 'READ_INPUT_REGISTERS',
      'modbus.space': 'input_register',
      'modbus.address': 8,
      'modbus.quantity': 1,
    },
  },
  {
    name: 'WRITE_SINGLE_COIL ON §6.5',
    dir: 0,
    pdu: '05 00AC FF00',
    expect: {
      'modbus.func': 'WRITE_SINGLE_COIL',
      'modbus.operation': 'write',
      'modbus.space': 'coil',
      'modbus.address': 172,
      'modbus.quantity': 1,
      'modbus.values': [1],
    },
  },
  { name: 'WRITE_SINGLE_COIL OFF §6.5', dir: 0, pdu: '05 00AC 0000', expect: { 'modbus.values': [0] } },
  {
    name: 'WRITE_SINGLE_REGISTER §6.6',
    dir: 0,
    pdu: '06 0001 0003',
    expect: {
      'modbus.func': 'WRITE_SINGLE_REGISTER',
      'modbus.space': 'holding_register',
      'modbus.address': 1,
      'modbus.values': [3],
    },
  },
  {
    name: 'READ_EXCEPTION_STATUS §6.7',
    dir: 0,
    pdu: '07',
    expect: {
      'modbus.func': 'READ_EXCEPTION_STATUS',
      'modbus.operation': 'diagnostic',
      'modbus.space': null,
      'modbus.values': null,
    },
  },
  {
    name: 'DIAGNOSTICS RETURN_QUERY_DATA §6.8.1',
    dir: 0,
    pdu: '08 0000 A537',
    expect: {
      'modbus.func': 'DIAGNOSTICS',
      'modbus.subfunction': 'RETURN_QUERY_DATA',
      'modbus.operation': 'diagnostic',
      'modbus.values': [0xa537],
    },
  },
  {
    name: 'DIAGNOSTICS RESTART_COMMUNICATIONS_OPTION is control',
    dir: 0,
    pdu: '08 0001 FF00',
    expect: {
      'modbus.subfunction': 'RESTART_COMMUNICATIONS_OPTION',
      'modbus.operation': 'control',
      'modbus.values': [0xff00],
    },
  },
  {
    name: 'DIAGNOSTICS FORCE_LISTEN_ONLY_MODE is control',
    dir: 0,
    pdu: '08 0004 0000',
    expect: { 'modbus.subfunction': 'FORCE_LISTEN_ONLY_MODE', 'modbus.operation': 'control' },
  },
  {
    name: 'DIAGNOSTICS reserved sub-function 0x15',
    dir: 0,
    pdu: '08 0015 0000',
    expect: { 'modbus.subfunction': 'UNKNOWN-21', 'modbus.operation': 'diagnostic' },
  },
  {
    name: 'GET_COMM_EVENT_COUNTER §6.9',
    dir: 0,
    pdu: '0B',
    expect: {
      'modbus.func': 'GET_COMM_EVENT_COUNTER',
      'modbus.func_code': 11,
      'modbus.operation': 'diagnostic',
    },
  },
  {
    name: 'GET_COMM_EVENT_LOG §6.10',
    dir: 0,
    pdu: '0C',
    expect: { 'modbus.func': 'GET_COMM_EVENT_LOG', 'modbus.func_code': 12, 'modbus.operation': 'diagnostic' },
  },
  {
    name: 'WRITE_MULTIPLE_COILS §6.11',
    dir: 0,
    pdu: '0F 0013 000A 02 CD 01',
    expect: {
      'modbus.func': 'WRITE_MULTIPLE_COILS',
      'modbus.operation': 'write',
      'modbus.space': 'coil',
      'modbus.address': 19,
      'modbus.quantity': 10,
      'modbus.values': [1, 0, 1, 1, 0, 0, 1, 1, 1, 0],
    },
  },
  {
    name: 'WRITE_MULTIPLE_REGISTERS §6.12',
    dir: 0,
    pdu: '10 0001 0002 04 000A 0102',
    expect: {
      'modbus.func': 'WRITE_MULTIPLE_REGISTERS',
      'modbus.address': 1,
      'modbus.quantity': 2,
      'modbus.values': [10, 258],
    },
  },
  {
    name: 'REPORT_SLAVE_ID §6.13',
    dir: 0,
    pdu: '11',
    expect: { 'modbus.func': 'REPORT_SLAVE_ID', 'modbus.func_code': 17, 'modbus.operation': 'discovery' },
  },
  {
    name: 'READ_FILE_RECORD §6.14',
    dir: 0,
    pdu: '14 0E 06 0004 0001 0002 06 0003 0009 0002',
    expect: {
      'modbus.func': 'READ_FILE_RECORD',
      'modbus.operation': 'read',
      'modbus.space': 'file_record',
      'modbus.address': null,
      'modbus.quantity': 4,
      'modbus.values': null,
      'modbus.file_numbers': [4, 3],
      'modbus.record_numbers': [1, 9],
      'modbus.record_lengths': [2, 2],
    },
  },
  {
    name: 'WRITE_FILE_RECORD §6.15',
    dir: 0,
    pdu: '15 0D 06 0004 0007 0003 06AF 04BE 100D',
    expect: {
      'modbus.func': 'WRITE_FILE_RECORD',
      'modbus.operation': 'write',
      'modbus.space': 'file_record',
      'modbus.quantity': 3,
      'modbus.values': [0x06af, 0x04be, 0x100d],
      'modbus.file_numbers': [4],
      'modbus.record_numbers': [7],
      'modbus.record_lengths': [3],
    },
  },
  {
    name: 'MASK_WRITE_REGISTER §6.16',
    dir: 0,
    pdu: '16 0004 00F2 0025',
    expect: {
      'modbus.func': 'MASK_WRITE_REGISTER',
      'modbus.operation': 'write',
      'modbus.space': 'holding_register',
      'modbus.address': 4,
      'modbus.quantity': 1,
      'modbus.and_mask': 0xf2,
      'modbus.or_mask': 0x25,
    },
  },
  {
    name: 'READ_WRITE_MULTIPLE_REGISTERS §6.17',
    dir: 0,
    pdu: '17 0003 0006 000E 0003 06 00FF 00FF 00FF',
    expect: {
      'modbus.func': 'READ_WRITE_MULTIPLE_REGISTERS',
      'modbus.operation': 'write',
      'modbus.space': 'holding_register',
      'modbus.address': 3,
      'modbus.quantity': 6,
      'modbus.write_address': 14,
      'modbus.write_quantity': 3,
      'modbus.values': [255, 255, 255],
    },
  },
  {
    name: 'READ_FIFO_QUEUE §6.18',
    dir: 0,
    pdu: '18 04DE',
    expect: {
      'modbus.func': 'READ_FIFO_QUEUE',
      'modbus.space': 'fifo',
      'modbus.address': 1246,
      'modbus.quantity': null,
    },
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION basic §6.21',
    dir: 0,
    pdu: '2B 0E 01 00',
    expect: {
      'modbus.func': 'ENCAP_INTERFACE_TRANSPORT',
      'modbus.func_code': 43,
      'modbus.mei_type': 'READ_DEVICE_IDENTIFICATION',
      'modbus.operation': 'discovery',
      'modbus.device_id.read_code': 'BASIC',
      'modbus.device_id.object_id': 0,
    },
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION one specific object §6.21',
    dir: 0,
    pdu: '2B 0E 04 05',
    expect: { 'modbus.device_id.read_code': 'SPECIFIC', 'modbus.device_id.object_id': 5 },
  },
  {
    name: 'CANOPEN_GENERAL_REFERENCE §6.20 (data left opaque)',
    dir: 0,
    pdu: '2B 0D 00 01 02 03',
    expect: {
      'modbus.mei_type': 'CANOPEN_GENERAL_REFERENCE',
      'modbus.operation': 'other',
      'modbus.values': null,
    },
  },
  {
    name: 'reserved MEI type',
    dir: 0,
    pdu: '2B 07 00',
    expect: { 'modbus.mei_type': 'UNKNOWN-7', 'modbus.operation': 'other' },
  },
  {
    // Classified per UMAS function since UMAS was added (umas.test.ts): READ_ID is discovery.
    name: 'vendor function PROGRAM_UNITY (Schneider UMAS READ_ID) is discovery',
    dir: 0,
    pdu: '5A 00 02',
    expect: { 'modbus.func': 'PROGRAM_UNITY', 'modbus.func_code': 0x5a, 'modbus.operation': 'discovery' },
  },
  {
    name: 'user-defined function 65 is a message, not a violation',
    dir: 0,
    pdu: '41 01 02 03',
    expect: {
      'modbus.func': 'UNKNOWN-65',
      'modbus.func_code': 65,
      'modbus.operation': 'other',
      'modbus.space': null,
    },
  },
];

const VALID_RESPONSES: ValidRow[] = [
  {
    name: 'READ_COILS §6.1 (unpaired: padding bits kept)',
    dir: 1,
    pdu: '01 03 CD 6B 05',
    expect: {
      'modbus.func': 'READ_COILS',
      'modbus.pdu_type': 'RESP',
      'modbus.address': null,
      'modbus.quantity': null,
      'modbus.values': [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0],
    },
  },
  {
    name: 'READ_DISCRETE_INPUTS §6.2',
    dir: 1,
    pdu: '02 03 AC DB 35',
    expect: {
      'modbus.space': 'discrete_input',
      'modbus.values': [0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 0, 0],
    },
  },
  {
    name: 'READ_HOLDING_REGISTERS §6.3',
    dir: 1,
    pdu: '03 06 022B 0000 0064',
    expect: {
      'modbus.func': 'READ_HOLDING_REGISTERS',
      'modbus.space': 'holding_register',
      'modbus.values': [555, 0, 100],
    },
  },
  { name: 'READ_INPUT_REGISTERS §6.4', dir: 1, pdu: '04 02 000A', expect: { 'modbus.values': [10] } },
  {
    name: 'WRITE_SINGLE_COIL echo §6.5',
    dir: 1,
    pdu: '05 00AC FF00',
    expect: { 'modbus.address': 172, 'modbus.quantity': 1, 'modbus.values': [1] },
  },
  {
    name: 'WRITE_SINGLE_REGISTER echo §6.6',
    dir: 1,
    pdu: '06 0001 0003',
    expect: { 'modbus.address': 1, 'modbus.values': [3] },
  },
  { name: 'READ_EXCEPTION_STATUS §6.7', dir: 1, pdu: '07 6D', expect: { 'modbus.values': [0x6d] } },
  {
    name: 'DIAGNOSTICS echo §6.8',
    dir: 1,
    pdu: '08 0000 A537',
    expect: { 'modbus.subfunction': 'RETURN_QUERY_DATA', 'modbus.values': [0xa537] },
  },
  {
    name: 'GET_COMM_EVENT_COUNTER §6.9',
    dir: 1,
    pdu: '0B FFFF 0108',
    expect: { 'modbus.values': [0xffff, 0x0108] },
  },
  {
    name: 'GET_COMM_EVENT_LOG §6.10: status, event count, message count',
    dir: 1,
    pdu: '0C 08 0000 0108 0121 20 00',
    expect: { 'modbus.values': [0, 0x0108, 0x0121] },
  },
  {
    name: 'WRITE_MULTIPLE_COILS §6.11',
    dir: 1,
    pdu: '0F 0013 000A',
    expect: { 'modbus.address': 19, 'modbus.quantity': 10, 'modbus.values': null },
  },
  {
    name: 'WRITE_MULTIPLE_REGISTERS §6.12',
    dir: 1,
    pdu: '10 0001 0002',
    expect: { 'modbus.address': 1, 'modbus.quantity': 2, 'modbus.values': null },
  },
  {
    name: 'REPORT_SLAVE_ID §6.13 (server id 0x2A, run indicator ON)',
    dir: 1,
    pdu: '11 02 2A FF',
    expect: { 'modbus.func': 'REPORT_SLAVE_ID', 'modbus.values': null },
  },
  {
    name: 'READ_FILE_RECORD §6.14',
    dir: 1,
    pdu: '14 0C 05 06 0DFE 0020 05 06 33CD 0040',
    expect: {
      'modbus.quantity': 4,
      'modbus.values': [0x0dfe, 0x0020, 0x33cd, 0x0040],
      'modbus.record_lengths': [2, 2],
      'modbus.file_numbers': null,
      'modbus.record_numbers': null,
    },
  },
  {
    name: 'WRITE_FILE_RECORD echo §6.15',
    dir: 1,
    pdu: '15 0D 06 0004 0007 0003 06AF 04BE 100D',
    expect: {
      'modbus.file_numbers': [4],
      'modbus.record_numbers': [7],
      'modbus.values': [0x06af, 0x04be, 0x100d],
    },
  },
  {
    name: 'MASK_WRITE_REGISTER echo §6.16',
    dir: 1,
    pdu: '16 0004 00F2 0025',
    expect: { 'modbus.address': 4, 'modbus.and_mask': 0xf2, 'modbus.or_mask': 0x25 },
  },
  {
    name: 'READ_WRITE_MULTIPLE_REGISTERS §6.17',
    dir: 1,
    pdu: '17 0C 00FE 0ACD 0001 0003 000D 00FF',
    expect: {
      'modbus.values': [0xfe, 0x0acd, 1, 3, 0x0d, 0xff],
      'modbus.address': null,
      'modbus.write_address': null,
    },
  },
  {
    name: 'READ_FIFO_QUEUE §6.18',
    dir: 1,
    pdu: '18 0006 0002 01B8 1284',
    expect: { 'modbus.space': 'fifo', 'modbus.quantity': 2, 'modbus.values': [0x01b8, 0x1284] },
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION basic §6.21',
    dir: 1,
    pdu: DEVICE_ID_RESPONSE,
    expect: {
      'modbus.mei_type': 'READ_DEVICE_IDENTIFICATION',
      'modbus.operation': 'discovery',
      'modbus.device_id.read_code': 'BASIC',
      'modbus.device_id.conformity_level': 'BASIC_STREAM',
      'modbus.device_id.more_follows': false,
      'modbus.device_id.next_object_id': 0,
      'modbus.device_id.vendor_name': 'Company identification',
      'modbus.device_id.product_code': 'Product code XX',
      'modbus.device_id.revision': 'V2.11',
      'modbus.device_id.vendor_url': null,
      'modbus.device_id.product_name': null,
      'modbus.device_id.model_name': null,
      'modbus.device_id.user_application_name': null,
    },
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION regular, more follows, private object ignored, NUL padding trimmed',
    dir: 1,
    pdu: `2B 0E 02 82 FF 05 04${object(0x03, 'www.example.org')}${object(0x04, 'Pump\0\0')}${object(0x05, 'PX-9')}${object(0x80, 'private')}`,
    expect: {
      'modbus.device_id.read_code': 'REGULAR',
      'modbus.device_id.conformity_level': 'REGULAR_STREAM_AND_INDIVIDUAL',
      'modbus.device_id.more_follows': true,
      'modbus.device_id.next_object_id': 5,
      'modbus.device_id.vendor_url': 'www.example.org',
      'modbus.device_id.product_name': 'Pump',
      'modbus.device_id.model_name': 'PX-9',
      'modbus.device_id.vendor_name': null,
    },
  },
  {
    name: 'exception §7 example: READ_COILS_EXCEPTION / ILLEGAL_DATA_ADDRESS',
    dir: 1,
    pdu: '81 02',
    expect: {
      'modbus.func': 'READ_COILS_EXCEPTION',
      'modbus.func_code': 1,
      'modbus.exception': 'ILLEGAL_DATA_ADDRESS',
      'modbus.operation': 'read',
      'modbus.space': 'coil',
    },
  },
  {
    name: 'exception GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
    dir: 1,
    pdu: '84 0B',
    expect: {
      'modbus.func': 'READ_INPUT_REGISTERS_EXCEPTION',
      'modbus.exception': 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
    },
  },
  {
    name: 'exception with a code §7 does not define',
    dir: 1,
    pdu: '83 09',
    expect: { 'modbus.func': 'READ_HOLDING_REGISTERS_EXCEPTION', 'modbus.exception': 'UNKNOWN-9' },
  },
  {
    name: 'exception to an unknown function keeps its number',
    dir: 1,
    pdu: 'C8 01',
    expect: {
      'modbus.func': 'UNKNOWN-72_EXCEPTION',
      'modbus.func_code': 72,
      'modbus.exception': 'ILLEGAL_FUNCTION',
    },
  },
  {
    name: 'response of a user-defined function',
    dir: 1,
    pdu: '41 00 01',
    expect: { 'modbus.func': 'UNKNOWN-65', 'modbus.exception': null, 'modbus.values': null },
  },
];

describe('parseAdu: valid rows per function code', () => {
  for (const row of [...VALID_REQUESTS, ...VALID_RESPONSES]) {
    test(`${row.dir === 0 ? 'request' : 'response'}: ${row.name}`, () => {
      const m = parseOk(adu(0x1234, 0x11, row.pdu), row.dir);
      assert.deepEqual(pick(m, Object.keys(row.expect)), row.expect);
      assert.equal(m['modbus.tid'], 0x1234);
      assert.equal(m['modbus.unit'], 0x11);
      assert.equal(m['modbus.pdu_type'], row.dir === 0 ? 'REQ' : 'RESP');
      // Every message starts with the same keys in the same order (one hidden class for consumers).
      assert.deepEqual(Object.keys(m).slice(0, CORE_KEYS.length), CORE_KEYS);
      assert.equal(m['modbus.matched'], null, 'pairing is the session’s job');
    });
  }

  test('a function code that fills the largest PDU parses (§4.1: 253-byte PDU, 260-byte ADU)', () => {
    // READ_COILS response for 2000 coils: function code, byte count 250, 250 bytes = 252 bytes.
    const bytes = adu(1, 1, `01 FA ${'FF'.repeat(250)}`);
    const m = parseOk(bytes, 1);
    assert.equal(m['modbus.values']!.length, MAX_VALUES);
    const biggest = adu(1, 1, `41 ${'00'.repeat(252)}`);
    assert.equal(biggest.length, MAX_ADU_LENGTH);
    parseOk(biggest, 1);
  });
});

interface MalformedRow {
  name: string;
  dir: Direction;
  bytes: Uint8Array;
  reason: RegExp;
  /** Bytes the violation skips: 1 when the framing is lost, the whole ADU otherwise. */
  consumed: number | 'all';
}

const MALFORMED: MalformedRow[] = [
  {
    name: 'protocol id 1',
    dir: 0,
    bytes: hex('0001 0001 0006 01 03 0000 0001'),
    reason: /protocol identifier 1 /,
    consumed: 1,
  },
  {
    name: 'protocol id seen in a 4-byte prefix',
    dir: 0,
    bytes: hex('0001 1603'),
    reason: /protocol identifier 5635/,
    consumed: 1,
  },
  {
    name: 'MBAP length 0',
    dir: 0,
    bytes: hex('0001 0000 0000 01 03 00'),
    reason: /MBAP length 0 /,
    consumed: 1,
  },
  {
    name: 'MBAP length 1',
    dir: 0,
    bytes: hex('0001 0000 0001 01 03 00'),
    reason: /MBAP length 1 /,
    consumed: 1,
  },
  {
    name: 'MBAP length 255',
    dir: 0,
    bytes: hex('0001 0000 00FF 01 03 00'),
    reason: /MBAP length 255 /,
    consumed: 1,
  },
  {
    name: 'MBAP length 0xFFFF seen in a 6-byte prefix',
    dir: 1,
    bytes: hex('0001 0000 FFFF'),
    reason: /MBAP length 65535/,
    consumed: 1,
  },
  {
    name: 'function code 0',
    dir: 0,
    bytes: adu(1, 1, '00 0000'),
    reason: /function code 0/,
    consumed: 'all',
  },
  {
    name: 'exception bit in a request',
    dir: 0,
    bytes: adu(1, 1, '83 02'),
    reason: /exception bit/,
    consumed: 'all',
  },
  {
    name: 'exception to function 0',
    dir: 1,
    bytes: adu(1, 1, '80 01'),
    reason: /function code 0/,
    consumed: 'all',
  },
  {
    name: 'READ_HOLDING_REGISTERS request truncated',
    dir: 0,
    bytes: adu(1, 1, '03 006B 00'),
    reason: /3 data bytes, expected 4/,
    consumed: 'all',
  },
  {
    name: 'READ_HOLDING_REGISTERS request with a trailing byte',
    dir: 0,
    bytes: adu(1, 1, '03 006B 0003 00'),
    reason: /5 data bytes, expected 4/,
    consumed: 'all',
  },
  {
    name: 'READ_HOLDING_REGISTERS quantity 0',
    dir: 0,
    bytes: adu(1, 1, '03 006B 0000'),
    reason: /quantity 0 outside 1..125/,
    consumed: 'all',
  },
  {
    name: 'READ_INPUT_REGISTERS quantity 147 (zeek fuzz-1011)',
    dir: 0,
    bytes: adu(1, 0xff, '04 0384 0093'),
    reason: /quantity 147 outside 1..125/,
    consumed: 'all',
  },
  {
    name: 'READ_COILS quantity 2001',
    dir: 0,
    bytes: adu(1, 1, '01 0000 07D1'),
    reason: /quantity 2001 outside 1..2000/,
    consumed: 'all',
  },
  {
    name: 'WRITE_SINGLE_COIL value 0x1234',
    dir: 0,
    bytes: adu(1, 1, '05 00AC 1234'),
    reason: /0x1234 is neither/,
    consumed: 'all',
  },
  {
    name: 'WRITE_MULTIPLE_COILS byte count vs quantity',
    dir: 0,
    bytes: adu(1, 1, '0F 0013 000A 01 CD'),
    reason: /byte count 1 does not match quantity 10 \(2\)/,
    consumed: 'all',
  },
  {
    name: 'WRITE_MULTIPLE_COILS quantity 1969',
    dir: 0,
    bytes: adu(1, 1, '0F 0000 07B1 F7 00'),
    reason: /quantity 1969 outside 1..1968/,
    consumed: 'all',
  },
  {
    name: 'WRITE_MULTIPLE_REGISTERS byte count vs quantity',
    dir: 0,
    bytes: adu(1, 1, '10 0001 0002 03 000A 01'),
    reason: /byte count 3 does not match quantity 2/,
    consumed: 'all',
  },
  {
    name: 'WRITE_MULTIPLE_REGISTERS data shorter than byte count',
    dir: 0,
    bytes: adu(1, 1, '10 0001 0002 04 000A'),
    reason: /7 data bytes, expected 9/,
    consumed: 'all',
  },
  {
    name: 'WRITE_MULTIPLE_REGISTERS quantity 124',
    dir: 0,
    bytes: adu(1, 1, '10 0001 007C F8'),
    reason: /quantity 124 outside 1..123/,
    consumed: 'all',
  },
  {
    name: 'READ_WRITE_MULTIPLE_REGISTERS write quantity 122',
    dir: 0,
    bytes: adu(1, 1, '17 0003 0006 000E 007A F4'),
    reason: /write quantity 122 outside 1..121/,
    consumed: 'all',
  },
  {
    name: 'READ_WRITE_MULTIPLE_REGISTERS byte count',
    dir: 0,
    bytes: adu(1, 1, '17 0003 0006 000E 0001 04 00FF 00FF'),
    reason: /byte count 4 does not match write quantity 1/,
    consumed: 'all',
  },
  {
    name: 'READ_HOLDING_REGISTERS response odd byte count',
    dir: 1,
    bytes: adu(1, 1, '03 03 0001 02'),
    reason: /byte count 3 is not 2 x/,
    consumed: 'all',
  },
  {
    name: 'READ_HOLDING_REGISTERS response shorter than byte count',
    dir: 1,
    bytes: adu(1, 1, '03 04 0001'),
    reason: /3 data bytes, expected 5/,
    consumed: 'all',
  },
  {
    name: 'READ_COILS response byte count 251',
    dir: 1,
    bytes: adu(1, 1, `01 FB ${'00'.repeat(251)}`),
    reason: /byte count 251 above 250/,
    consumed: 'all',
  },
  {
    name: 'exception response of 2 bytes',
    dir: 1,
    bytes: adu(1, 1, '83 02 00'),
    reason: /2 data bytes, expected 1/,
    consumed: 'all',
  },
  {
    name: 'DIAGNOSTICS odd data',
    dir: 0,
    bytes: adu(1, 1, '08 0000 A5'),
    reason: /not a whole number of 2-byte words/,
    consumed: 'all',
  },
  {
    name: 'READ_FILE_RECORD reference type 7',
    dir: 0,
    bytes: adu(1, 1, '14 07 07 0004 0001 0002'),
    reason: /reference type 7 is not 6/,
    consumed: 'all',
  },
  {
    name: 'READ_FILE_RECORD byte count not 7 x n',
    dir: 0,
    bytes: adu(1, 1, '14 06 06 0004 0001 00'),
    reason: /not a whole number of 7-byte/,
    consumed: 'all',
  },
  {
    name: 'READ_FILE_RECORD file number 0',
    dir: 0,
    bytes: adu(1, 1, '14 07 06 0000 0001 0002'),
    reason: /file number 0/,
    consumed: 'all',
  },
  {
    name: 'READ_FILE_RECORD record number 10000',
    dir: 0,
    bytes: adu(1, 1, '14 07 06 0001 2710 0002'),
    reason: /record number 10000 above 9999/,
    consumed: 'all',
  },
  {
    name: 'WRITE_FILE_RECORD record runs past byte count',
    dir: 0,
    bytes: adu(1, 1, '15 09 06 0004 0007 0003 06AF'),
    reason: /record length 3 runs past/,
    consumed: 'all',
  },
  {
    name: 'READ_FILE_RECORD sub-response length even',
    dir: 1,
    bytes: adu(1, 1, '14 05 04 06 0001 00'),
    reason: /sub-response length 4/,
    consumed: 'all',
  },
  {
    name: 'READ_FIFO_QUEUE byte count vs FIFO count',
    dir: 1,
    bytes: adu(1, 1, '18 0006 0003 01B8 1284'),
    reason: /does not match FIFO count 3/,
    consumed: 'all',
  },
  {
    name: 'READ_FIFO_QUEUE count 32',
    dir: 1,
    bytes: adu(1, 1, `18 0042 0020 ${'0000'.repeat(32)}`),
    reason: /FIFO count 32 above 31/,
    consumed: 'all',
  },
  {
    name: 'GET_COMM_EVENT_LOG byte count 5',
    dir: 1,
    bytes: adu(1, 1, '0C 05 0000 0108 01'),
    reason: /byte count 5 outside 6..70/,
    consumed: 'all',
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION read code 5',
    dir: 0,
    bytes: adu(1, 1, '2B 0E 05 00'),
    reason: /read device id code 5/,
    consumed: 'all',
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION conformity 0 (zeek modbus-eit)',
    dir: 1,
    bytes: adu(0, 0, '2B 0E 01 00 4D B7 00 00 00 00 00'),
    reason: /conformity level 0x0 /,
    consumed: 'all',
  },
  {
    name: 'READ_DEVICE_IDENTIFICATION more follows 0x4D',
    dir: 1,
    bytes: adu(1, 1, '2B 0E 01 01 4D 00 00'),
    reason: /more follows 0x4d/,
    consumed: 'all',
  },
  {
    name: 'device id object runs past the PDU',
    dir: 1,
    bytes: adu(1, 1, '2B 0E 01 01 00 00 01 00 10 41 42'),
    reason: /length 16 runs past/,
    consumed: 'all',
  },
  {
    name: 'device id object missing',
    dir: 1,
    bytes: adu(1, 1, '2B 0E 01 01 00 00 02 00 01 41'),
    reason: /object 2 of 2 missing/,
    consumed: 'all',
  },
  {
    name: 'bytes after the last device id object',
    dir: 1,
    bytes: adu(1, 1, '2B 0E 01 01 00 00 00 FF'),
    reason: /1 bytes after the last of 0 objects/,
    consumed: 'all',
  },
];

describe('parseAdu: malformed rows', () => {
  for (const row of MALFORMED) {
    test(row.name, () => {
      const r = parseAdu(row.bytes, 0, row.dir);
      assert.equal(r.kind, 'violation');
      assert.ok(r.kind === 'violation');
      assert.match(r.reason, row.reason);
      assert.equal(r.consumed, row.consumed === 'all' ? row.bytes.length : row.consumed);
    });
  }

  test('every truncation of a valid ADU is incomplete and says how much is missing', () => {
    for (const row of [...VALID_REQUESTS, ...VALID_RESPONSES]) {
      const bytes = adu(7, 1, row.pdu);
      for (let n = 0; n < bytes.length; n++) {
        const r = parseAdu(bytes.subarray(0, n), 0, row.dir);
        assert.equal(r.kind, 'incomplete', `${row.name} cut at ${n}`);
        assert.ok(r.kind === 'incomplete');
        // Before the length field is visible only the minimum is known; after it, the exact rest.
        assert.equal(r.needed, n < 6 ? MIN_ADU_LENGTH - n : bytes.length - n, `${row.name} cut at ${n}`);
      }
    }
  });

  test('parses at an offset inside a larger buffer', () => {
    const first = adu(1, 1, '03 006B 0003');
    const second = adu(2, 1, '06 0001 0003');
    const both = concat(first, second);
    const r = parseAdu(both, first.length, 0);
    assert.ok(r.kind === 'ok');
    assert.equal(r.message['modbus.tid'], 2);
    assert.deepEqual(r.message['modbus.values'], [3]);
  });
});

describe('spec tables', () => {
  test('function names and codes are unique across public and vendor tables', () => {
    const all = { ...FUNCTION_CODES, ...VENDOR_FUNCTION_CODES };
    assert.equal(
      Object.keys(all).length,
      Object.keys(FUNCTION_CODES).length + Object.keys(VENDOR_FUNCTION_CODES).length,
    );
    assert.equal(new Set(Object.values(all)).size, Object.values(all).length);
    for (const [name, code] of Object.entries(all)) {
      assert.match(name, /^[A-Z0-9_]+$/);
      assert.equal(FUNCTION_NAME_BY_BYTE[code], name);
      assert.equal(FUNCTION_NAME_BY_BYTE[code | 0x80], `${name}_EXCEPTION`);
    }
  });

  test('unknown codes print UNKNOWN-<n>', () => {
    assert.equal(FUNCTION_NAME_BY_BYTE[0x48], 'UNKNOWN-72');
    assert.equal(FUNCTION_NAME_BY_BYTE[0xc8], 'UNKNOWN-72_EXCEPTION');
    assert.equal(EXCEPTION_NAME_BY_CODE[7], 'UNKNOWN-7');
    assert.equal(diagnosticSubfunctionName(5), 'UNKNOWN-5');
    assert.equal(diagnosticSubfunctionName(0xffff), 'UNKNOWN-65535');
  });

  test('exception codes §7', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 8, 10, 11].map((c) => EXCEPTION_NAME_BY_CODE[c]),
      [
        'ILLEGAL_FUNCTION',
        'ILLEGAL_DATA_ADDRESS',
        'ILLEGAL_DATA_VALUE',
        'SLAVE_DEVICE_FAILURE',
        'ACKNOWLEDGE',
        'SLAVE_DEVICE_BUSY',
        'MEMORY_PARITY_ERROR',
        'GATEWAY_PATH_UNAVAILABLE',
        'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
      ],
    );
  });

  test('diagnostic sub-functions §6.8.1 from 0x00 to 0x14', () => {
    assert.equal(DIAGNOSTIC_SUBFUNCTIONS.RETURN_QUERY_DATA, 0x00);
    assert.equal(DIAGNOSTIC_SUBFUNCTIONS.CLEAR_OVERRUN_COUNTER_AND_FLAG, 0x14);
    assert.equal(diagnosticSubfunctionName(0x0e), 'RETURN_SERVER_MESSAGE_COUNT');
    assert.equal(diagnosticSubfunctionName(0x13), 'UNKNOWN-19', '0x13 is reserved');
  });

  test('operation classification', () => {
    const byOp = (op: string) =>
      Object.entries(FUNCTION_OPERATIONS)
        .filter(([name, o]) => o === op && name in FUNCTION_CODES)
        .map(([name]) => FUNCTION_CODES[name as keyof typeof FUNCTION_CODES])
        .sort((a, b) => a - b);
    assert.deepEqual(byOp('read'), [1, 2, 3, 4, 20, 24]);
    assert.deepEqual(byOp('write'), [5, 6, 15, 16, 21, 22, 23]);
    assert.deepEqual(byOp('diagnostic'), [7, 8, 11, 12]);
    assert.deepEqual(byOp('discovery'), [17]);
    assert.equal(OPERATION_BY_MEI[14], 'discovery');
  });
});

describe('session: pairing by transaction id', () => {
  test('a response carries the request’s range, matched and latency', () => {
    const rec = run([
      [0, 100, adu(5, 1, '01 0013 0013')],
      [1, 100.25, adu(5, 1, '01 03 CD 6B 05')],
    ]);
    const [req, resp] = rec.messages();
    assert.equal(req['modbus.matched'], null);
    assert.equal(resp['modbus.matched'], true);
    assert.equal(resp['modbus.latency'], 0.25);
    assert.equal(resp['modbus.address'], 19);
    assert.equal(resp['modbus.quantity'], 19);
    // §6.1 example: coils 20-38, the five padding bits of the last byte dropped.
    assert.deepEqual(resp['modbus.values'], [1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1]);
  });

  test('out-of-order responses pair with their own requests', () => {
    const rec = run([
      [0, 1, concat(adu(1, 1, '03 0000 0001'), adu(2, 1, '03 0010 0002'), adu(3, 1, '04 0020 0001'))],
      [1, 2, concat(adu(3, 1, '04 02 0003'), adu(1, 1, '03 02 0001'), adu(2, 1, '03 04 0002 0002'))],
    ]);
    const responses = rec.messages().filter((m) => m['modbus.pdu_type'] === 'RESP');
    assert.deepEqual(
      responses.map((m) => [m['modbus.tid'], m['modbus.matched'], m['modbus.address'], m['modbus.quantity']]),
      [
        [3, true, 0x20, 1],
        [1, true, 0, 1],
        [2, true, 0x10, 2],
      ],
    );
    assert.equal(rec.violations().length, 0);
  });

  test('a response without a request is unmatched and keeps its own fields', () => {
    const rec = run([[1, 1, adu(9, 1, '03 02 0001')]]);
    const [resp] = rec.messages();
    assert.equal(resp['modbus.matched'], false);
    assert.equal(resp['modbus.latency'], null);
    assert.equal(resp['modbus.address'], null);
    assert.deepEqual(resp['modbus.values'], [1]);
  });

  test('a different function under the same tid is not the answer; the real answer still pairs', () => {
    const rec = run([
      [0, 1, adu(4, 1, '03 0064 0001')],
      [1, 2, adu(4, 1, '04 02 0007')],
      [1, 3, adu(4, 1, '03 02 0008')],
    ]);
    const [, wrong, right] = rec.messages();
    assert.equal(wrong['modbus.matched'], false);
    assert.equal(right['modbus.matched'], true);
    assert.equal(right['modbus.address'], 100);
  });

  test('a reused tid pairs with the newest request', () => {
    const rec = run([
      [0, 1, adu(1, 1, '03 0001 0001')],
      [0, 2, adu(1, 1, '03 0002 0001')],
      [1, 3, adu(1, 1, '03 02 0000')],
    ]);
    assert.equal(rec.messages()[2]['modbus.address'], 2);
    assert.equal(rec.messages()[2]['modbus.latency'], 1);
  });

  test(`the pending table holds ${MAX_PENDING_REQUESTS} requests and forgets the oldest`, () => {
    const requests = Array.from({ length: MAX_PENDING_REQUESTS + 1 }, (_, tid) =>
      adu(tid, 1, '03 0000 0001'),
    );
    const rec = run([
      [0, 1, concat(...requests)],
      [
        1,
        2,
        concat(adu(0, 1, '03 02 0000'), adu(1, 1, '03 02 0000'), adu(MAX_PENDING_REQUESTS, 1, '03 02 0000')),
      ],
    ]);
    const responses = rec.messages().filter((m) => m['modbus.pdu_type'] === 'RESP');
    assert.deepEqual(
      responses.map((m) => m['modbus.matched']),
      [false, true, true],
    );
  });

  test('an exception takes range, sub-function and operation from its request', () => {
    const rec = run([
      [0, 1, concat(adu(1, 1, '03 0258 000A'), adu(2, 1, '08 0004 0000'))],
      [1, 2, concat(adu(1, 1, '83 02'), adu(2, 1, '88 01'))],
    ]);
    const [, , readException, diagException] = rec.messages();
    assert.deepEqual(
      pick(readException, [
        'modbus.func',
        'modbus.exception',
        'modbus.address',
        'modbus.quantity',
        'modbus.space',
      ]),
      {
        'modbus.func': 'READ_HOLDING_REGISTERS_EXCEPTION',
        'modbus.exception': 'ILLEGAL_DATA_ADDRESS',
        'modbus.address': 600,
        'modbus.quantity': 10,
        'modbus.space': 'holding_register',
      },
    );
    assert.deepEqual(
      pick(diagException, ['modbus.func', 'modbus.subfunction', 'modbus.operation', 'modbus.matched']),
      {
        'modbus.func': 'DIAGNOSTICS_EXCEPTION',
        'modbus.subfunction': 'FORCE_LISTEN_ONLY_MODE',
        'modbus.operation': 'control',
        'modbus.matched': true,
      },
    );
  });

  test('READ_WRITE_MULTIPLE_REGISTERS and READ_FILE_RECORD responses carry the request’s extra fields', () => {
    const rec = run([
      [
        0,
        1,
        concat(
          adu(1, 1, '17 0003 0006 000E 0003 06 00FF 00FF 00FF'),
          adu(2, 1, '14 0E 06 0004 0001 0002 06 0003 0009 0002'),
        ),
      ],
      [
        1,
        2,
        concat(
          adu(1, 1, '17 0C 00FE 0ACD 0001 0003 000D 00FF'),
          adu(2, 1, '14 0C 05 06 0DFE 0020 05 06 33CD 0040'),
        ),
      ],
    ]);
    const [, , rw, file] = rec.messages();
    assert.deepEqual(
      pick(rw, ['modbus.address', 'modbus.quantity', 'modbus.write_address', 'modbus.write_quantity']),
      {
        'modbus.address': 3,
        'modbus.quantity': 6,
        'modbus.write_address': 14,
        'modbus.write_quantity': 3,
      },
    );
    assert.deepEqual(pick(file, ['modbus.file_numbers', 'modbus.record_numbers', 'modbus.quantity']), {
      'modbus.file_numbers': [4, 3],
      'modbus.record_numbers': [1, 9],
      'modbus.quantity': 4,
    });
    assert.equal(rec.violations().length, 0);
  });

  test('a READ_FIFO_QUEUE response carries the pointer address', () => {
    const rec = run([
      [0, 1, adu(1, 1, '18 04DE')],
      [1, 2, adu(1, 1, '18 0006 0002 01B8 1284')],
    ]);
    assert.deepEqual(pick(rec.messages()[1], ['modbus.address', 'modbus.quantity', 'modbus.values']), {
      'modbus.address': 1246,
      'modbus.quantity': 2,
      'modbus.values': [440, 4740],
    });
  });

  const MISMATCHES: Array<[string, string, string, RegExp]> = [
    ['fewer registers than requested', '03 006B 0003', '03 04 0001 0002', /2 registers for the 3 requested/],
    [
      'coil byte count for another quantity',
      '01 0013 0013',
      '01 02 CD 6B',
      /byte count 2 does not fit the 19 requested/,
    ],
    ['write echo with another value', '06 0001 0003', '06 0001 0004', /does not echo/],
    ['write echo at another address', '0F 0013 000A 02 CD 01', '0F 0014 000A', /does not echo/],
    ['mask echo with another mask', '16 0004 00F2 0025', '16 0004 00F2 0026', /does not echo/],
    [
      'diagnostics answering another sub-function',
      '08 0000 A537',
      '08 0002 0000',
      /sub-function RETURN_DIAGNOSTIC_REGISTER answers RETURN_QUERY_DATA/,
    ],
    [
      'encapsulated answer of another MEI type',
      '2B 0E 01 00',
      '2B 0D 00',
      /MEI type CANOPEN_GENERAL_REFERENCE answers READ_DEVICE_IDENTIFICATION/,
    ],
  ];
  for (const [name, request, response, reason] of MISMATCHES) {
    test(`response that does not answer its request is a violation: ${name}`, () => {
      const rec = run([
        [0, 1, adu(3, 1, request)],
        [1, 2, adu(3, 1, response)],
      ]);
      const [v] = rec.violations();
      assert.match(v.reason!, reason);
      assert.equal(v.dir, 1);
      assert.equal(v.fields!['modbus.tid'], 3, 'the violation carries the decoded response');
      assert.equal(v.fields!['modbus.matched'], true);
      assert.equal(rec.messages().length, 1);
    });
  }

  test('nothing is changed after it has been reported', () => {
    const rec = run([
      [0, 1, concat(adu(1, 1, '01 0013 0013'), adu(2, 1, '03 0000 0002'))],
      [1, 2, concat(adu(2, 1, '03 04 0001 0002'), adu(1, 1, '01 03 CD 6B 05'))],
    ]);
    assert.deepEqual(rec.live, rec.messages());
  });
});

describe('session: streams, chunks and gaps', () => {
  const requests = [...VALID_REQUESTS.map((r, i) => adu(i + 1, 1, r.pdu))];
  const responses = [...VALID_RESPONSES.map((r, i) => adu(i + 1, 1, r.pdu))];
  const garbage = hex('16 03 01 00 85 01 00 00 81 03 03 73 6f f8 18 54 21 29');
  // Requests, a PDU violation with sound framing, then bytes that are not Modbus at all, then requests again.
  const requestStream = concat(
    ...requests.slice(0, 10),
    adu(77, 1, '03 0000 0000'),
    garbage,
    ...requests.slice(10),
  );
  const responseStream = concat(...responses);

  test('one ADU per chunk, several per chunk, and one split across chunks give the same events', () => {
    const whole = run([[0, 1, requestStream]]);
    assert.equal(whole.messages().length, requests.length);
    assert.deepEqual(
      whole.violations().map((v) => v.reason),
      ['READ_HOLDING_REGISTERS request: quantity 0 outside 1..125', 'MBAP protocol identifier 256 is not 0'],
    );
    const perAdu = run(
      [...requests.slice(0, 10), adu(77, 1, '03 0000 0000'), garbage, ...requests.slice(10)].map(
        (b) => [0, 1, b] as const,
      ),
    );
    assert.deepEqual(perAdu.events, whole.events);
  });

  test('chunks of every size from 1 to the stream length give identical events (requests)', () => {
    const expected = run([[0, 1, requestStream]]).events;
    for (let size = 1; size <= requestStream.length; size++) {
      assert.deepEqual(run([[0, 1, requestStream]], size).events, expected, `chunk size ${size}`);
    }
  });

  test('chunks of every size from 1 to the stream length give identical events (responses)', () => {
    const expected = run([[1, 1, responseStream]]).events;
    assert.equal(expected.length, responses.length);
    for (let size = 1; size <= responseStream.length; size++) {
      assert.deepEqual(run([[1, 1, responseStream]], size).events, expected, `chunk size ${size}`);
    }
  });

  test('a pipelined conversation in chunks of every size pairs the same way', () => {
    const conversation: Transmission[] = [];
    for (let i = 0; i < requests.length; i += 4) {
      conversation.push([0, i, concat(...requests.slice(i, i + 4))]);
      conversation.push([1, i + 0.5, concat(...responses.slice(i, i + 4))]);
    }
    const expected = run(conversation).events;
    const longest = Math.max(...conversation.map(([, , b]) => b.length));
    for (let size = 1; size <= longest; size++)
      assert.deepEqual(run(conversation, size).events, expected, `chunk size ${size}`);
  });

  test('the common case does not copy: nothing is kept between chunks of whole ADUs', () => {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    for (const r of requests) session.data(0, 1, r);
    // The carry buffer is allocated on first need; whole ADUs never need it.
    assert.equal((session as unknown as { dirs: Array<{ carry: Uint8Array | null }> }).dirs[0].carry, null);
    assert.equal(rec.messages().length, requests.length);
  });

  test('a gap mid-ADU drops the partial ADU and resynchronises on the next header, quietly', () => {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    const a = adu(1, 1, '10 0001 0002 04 000A 0102');
    const b = adu(2, 1, '03 006B 0003');
    const c = adu(3, 1, '06 0001 0003');
    session.data(0, 1, a.subarray(0, 9));
    session.gap(0, 2, 20);
    // What follows the hole starts in the middle of some ADU: its tail, then whole ADUs.
    session.data(0, 3, concat(hex('0102 0304'), b, c));
    assert.deepEqual(
      rec.messages().map((m) => m['modbus.tid']),
      [2, 3],
    );
    assert.equal(rec.violations().length, 0);
  });

  test('a gap that ends on an ADU boundary loses nothing after it', () => {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    session.gap(0, 1, 12);
    session.data(0, 2, concat(adu(8, 1, '03 0000 0001'), adu(9, 1, '03 0000 0001')));
    assert.deepEqual(
      rec.messages().map((m) => m['modbus.tid']),
      [8, 9],
    );
  });

  test('a gap affects only its own direction', () => {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    const response = adu(1, 1, '03 02 0005');
    session.data(0, 1, adu(1, 1, '03 0000 0001'));
    session.data(1, 2, response.subarray(0, 5));
    session.gap(0, 2, 100);
    session.data(1, 3, response.subarray(5));
    const [, resp] = rec.messages();
    assert.equal(resp['modbus.matched'], true);
    assert.deepEqual(resp['modbus.values'], [5]);
  });
});

describe('session: violations and abandon', () => {
  test(`${MAX_CONSECUTIVE_VIOLATIONS} violations in a row abandon the connection`, () => {
    const bad = Array.from({ length: MAX_CONSECUTIVE_VIOLATIONS + 4 }, (_, i) => adu(i, 1, '00'));
    const rec = run([[0, 1, concat(...bad, adu(99, 1, '03 0000 0001'))]]);
    assert.equal(rec.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    assert.equal(rec.abandons.length, 1);
    assert.equal(rec.messages().length, 0, 'nothing is reported after abandoning');
    assert.deepEqual(rec.violations()[0].fields, {
      'modbus.tid': 0,
      'modbus.unit': 1,
      'modbus.func_code': 0,
      'modbus.func': 'UNKNOWN-0',
      'modbus.pdu_type': 'REQ',
    });
  });

  test('a valid message resets the run', () => {
    const bad = (n: number) => Array.from({ length: n }, (_, i) => adu(i, 1, '00'));
    const rec = run([
      [
        0,
        1,
        concat(
          ...bad(MAX_CONSECUTIVE_VIOLATIONS - 1),
          adu(50, 1, '07'),
          ...bad(MAX_CONSECUTIVE_VIOLATIONS - 1),
        ),
      ],
    ]);
    assert.equal(rec.violations().length, 2 * (MAX_CONSECUTIVE_VIOLATIONS - 1));
    assert.equal(rec.abandons.length, 0);
  });

  test(`a stream of garbage is reported every ${RESYNC_REPORT_BYTES} bytes until abandoned`, () => {
    const noise = new Uint8Array(RESYNC_REPORT_BYTES * (MAX_CONSECUTIVE_VIOLATIONS + 2)).fill(0xaa);
    for (const size of [1, 7, 260, noise.length]) {
      const rec = run([[1, 1, noise]], size);
      assert.equal(rec.violations().length, MAX_CONSECUTIVE_VIOLATIONS, `chunk size ${size}`);
      assert.match(rec.violations()[0].reason!, /protocol identifier 43690/);
      assert.match(
        rec.violations()[1].reason!,
        new RegExp(`no Modbus/TCP header in ${RESYNC_REPORT_BYTES} bytes`),
      );
      assert.equal(rec.abandons.length, 1);
    }
  });

  test('the carry never holds more than its capacity', () => {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    // A header announcing the largest ADU, then garbage, delivered one byte at a time.
    const bytes = concat(hex('0000 0000 00FE 01 41'), new Uint8Array(CARRY_CAPACITY * 3).fill(0x55));
    for (let i = 0; i < bytes.length; i++) session.data(0, 1, bytes.subarray(i, i + 1));
    const dirs = (session as unknown as { dirs: Array<{ carry: Uint8Array | null; carryLength: number }> })
      .dirs;
    assert.ok(dirs[0].carry!.length === CARRY_CAPACITY && dirs[0].carryLength < MAX_ADU_LENGTH);
    assert.equal(rec.messages().length, 1, 'the 260-byte ADU of an unknown function is one message');
  });
});

describe('probe', () => {
  const cases: Array<[string, Direction, Uint8Array, 'yes' | 'no' | 'maybe']> = [
    ['a valid request', 0, adu(1, 1, '03 006B 0003'), 'yes'],
    ['a valid response', 1, adu(1, 1, '03 06 022B 0000 0064'), 'yes'],
    ['an exception response', 1, adu(0, 0xff, 'AB 04'), 'yes'],
    ['two requests in one segment', 0, concat(adu(1, 1, '07'), adu(2, 1, '11')), 'yes'],
    ['nothing yet', 0, new Uint8Array(0), 'maybe'],
    ['a header prefix', 0, hex('0001 0000 00'), 'maybe'],
    ['a request split before its end', 0, adu(1, 1, '03 006B 0003').subarray(0, 10), 'maybe'],
    ['only a user-defined function', 0, adu(1, 1, '41 00'), 'maybe'],
    ['a malformed PDU with Modbus framing (zeek fuzz-1011)', 0, adu(0x045f, 0xff, '04 0384 0093'), 'maybe'],
    ['an exception travelling client to server', 0, adu(1, 1, '83 02'), 'no'],
    [
      'a valid request followed by bytes that are not',
      0,
      concat(adu(1, 1, '07'), hex('4745 5420 2f20 4854')),
      'no',
    ],
    // First bytes of the non-Modbus connections in zeek's modbus-and-non-modbus-p502 trace.
    ['TLS ClientHello', 0, hex('1603 0100 8501 0000 8103 0373 6ff8'), 'no'],
    ['RDP connection request', 0, hex('0300 002b 26e0 0000 0000 0043 6f6f'), 'no'],
    ['DCE/RPC bind', 0, hex('0500 0b03 1000 0000 4800 0000 0100'), 'no'],
    ['ONC RPC record', 0, hex('8000 0028 7e86 ab4a 0000 0000 0000'), 'no'],
    ['MGLNDD scanner banner', 0, hex(asciiHex('MGLNDD_160.97.70.36_502\n')), 'no'],
    ['HTTP request', 0, hex(asciiHex('GET / HTTP/1.1\r\n')), 'no'],
    [
      'the Modbus-shaped reply a server sent to RDP (protocol id 0x002b)',
      1,
      hex('0300 002b 0003 0080 01'),
      'no',
    ],
  ];
  for (const [name, dir, bytes, verdict] of cases) {
    test(`${verdict}: ${name}`, () => assert.equal(probeModbus(dir, bytes), verdict));
  }

  test('descriptor', () => {
    assert.equal(modbusDissector.name, 'modbus');
    assert.equal(modbusDissector.transport, 'tcp');
    assert.deepEqual(modbusDissector.ports, [502]);
    assert.equal(modbusDissector.probe, probeModbus);
  });
});

describe('properties', () => {
  const bytesArb = fc.uint8Array({ minLength: 0, maxLength: 600 });
  const dirArb = fc.constantFrom<Direction>(0, 1);
  const knownAdus = [
    ...VALID_REQUESTS.map((r, i) => [0, adu(i, 1, r.pdu)] as const),
    ...VALID_RESPONSES.map((r, i) => [1, adu(i, 1, r.pdu)] as const),
  ];

  test('parseAdu never throws and keeps its promises on random bytes', () => {
    fc.assert(
      fc.property(bytesArb, fc.nat(700), dirArb, (bytes, at, dir) => {
        const offset = Math.min(at, bytes.length);
        const r = parseAdu(bytes, offset, dir);
        const available = bytes.length - offset;
        if (r.kind === 'ok') {
          assert.ok(r.consumed >= MIN_ADU_LENGTH && r.consumed <= Math.min(available, MAX_ADU_LENGTH));
          assert.ok((r.message['modbus.values']?.length ?? 0) <= MAX_VALUES);
        } else if (r.kind === 'incomplete') {
          assert.ok(r.needed > 0 && available + r.needed <= MAX_ADU_LENGTH);
        } else {
          assert.ok(r.consumed >= 1 && r.consumed <= Math.max(available, 1));
        }
      }),
      { numRuns: 5000 },
    );
  });

  test('random headers that frame as Modbus never throw', () => {
    // Random bytes rarely have protocol id 0 and a sane length; build those, random inside.
    fc.assert(
      fc.property(
        fc.nat(0xffff),
        fc.integer({ min: 2, max: 254 }),
        fc.uint8Array({ minLength: 254, maxLength: 254 }),
        dirArb,
        (tid, length, body, dir) => {
          const bytes = concat(
            hex(tid.toString(16).padStart(4, '0')),
            hex('0000'),
            hex(length.toString(16).padStart(4, '0')),
            body.subarray(0, length),
          );
          const r = parseAdu(bytes, 0, dir);
          assert.notEqual(r.kind, 'incomplete');
          if (r.kind !== 'incomplete') assert.equal(r.consumed, bytes.length);
          if (r.kind === 'violation') assert.doesNotMatch(r.reason, /internal parser error/);
        },
      ),
      { numRuns: 5000 },
    );
  });

  test("the session's fast path (completeAduLength, parsePdu) agrees with parseAdu", () => {
    // Random bytes, and random bytes behind a header that frames, so both branches are exercised.
    const framedArb = fc
      .tuple(fc.nat(0xffff), fc.integer({ min: 2, max: 254 }), fc.uint8Array({ maxLength: 260 }))
      .map(([tid, length, body]) =>
        concat(
          hex(tid.toString(16).padStart(4, '0')),
          hex('0000'),
          hex(length.toString(16).padStart(4, '0')),
          body,
        ),
      );
    fc.assert(
      fc.property(fc.oneof(bytesArb, framedArb), dirArb, (bytes, dir) => {
        const total = completeAduLength(bytes, 0);
        const r = parseAdu(bytes, 0, dir);
        if (total === 0) {
          assert.ok(r.kind === 'incomplete' || (r.kind === 'violation' && r.consumed < MIN_ADU_LENGTH));
          return;
        }
        assert.ok(r.kind !== 'incomplete');
        assert.equal(r.consumed, total);
        assert.deepEqual(parsePdu(bytes, 0, total, dir), r.kind === 'ok' ? r.message : r.reason);
      }),
      { numRuns: 5000 },
    );
  });

  test('an ADU parses the same alone and as a window of a larger buffer', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...knownAdus),
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(300),
        ([dir, bytes], before, after, cut) => {
          const end = Math.min(cut, bytes.length);
          const alone = bytes.slice(0, end);
          const window = concat(before, alone, after).subarray(before.length, before.length + end);
          assert.deepEqual(parseAdu(window, 0, dir), parseAdu(alone, 0, dir));
        },
      ),
    );
  });

  test('the probe never throws, and yes means the first ADU parses', () => {
    fc.assert(
      fc.property(bytesArb, dirArb, (bytes, dir) => {
        const v = probeModbus(dir, bytes);
        assert.ok(v === 'yes' || v === 'no' || v === 'maybe');
        if (v === 'yes') assert.equal(parseAdu(bytes, 0, dir).kind, 'ok');
      }),
      { numRuns: 5000 },
    );
  });

  /** Splits `bytes` at the given points into chunks. */
  function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const out: Uint8Array[] = [];
    let at = 0;
    for (const p of [...points, bytes.length]) {
      if (p > at) out.push(bytes.slice(at, p));
      at = p;
    }
    return out;
  }

  function feed(streams: Array<[Direction, Uint8Array[]]>): Recorder {
    const rec = new Recorder();
    const session = modbusDissector.createSession(rec);
    for (const [dir, chunks] of streams) for (const c of chunks) session.data(dir, 1, c);
    session.end(2);
    return rec;
  }

  test('random chunking never changes the events, whatever the bytes', () => {
    // Valid ADUs with random bytes spliced in and random bytes corrupted: the hardest case for
    // resynchronisation, which must not depend on where chunks happen to end.
    const streamArb = fc
      .tuple(
        fc.array(
          fc.oneof(fc.constantFrom(...knownAdus.map(([, b]) => b)), fc.uint8Array({ maxLength: 30 })),
          { maxLength: 25 },
        ),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 5 }),
      )
      .map(([parts, flips]) => {
        const bytes = concat(...parts);
        for (const [at, value] of flips) if (bytes.length > 0) bytes[at % bytes.length] = value;
        return bytes;
      });
    fc.assert(
      fc.property(streamArb, dirArb, fc.array(fc.nat(), { maxLength: 40 }), (bytes, dir, cuts) => {
        const whole = feed([[dir, [bytes]]]);
        const chunked = feed([[dir, split(bytes, cuts)]]);
        assert.deepEqual(chunked.events, whole.events);
        assert.deepEqual(chunked.abandons, whole.abandons);
      }),
      { numRuns: 1500 },
    );
  });

  test('random bytes, chunks and gaps in both directions never throw, and events are well formed', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant<'data'>('data'), dirArb, fc.uint8Array({ maxLength: 300 })),
      fc.tuple(fc.constant<'known'>('known'), dirArb, fc.constantFrom(...knownAdus.map(([, b]) => b))),
      fc.tuple(fc.constant<'gap'>('gap'), dirArb, fc.nat(1000)),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const rec = new Recorder();
        const session = modbusDissector.createSession(rec);
        for (const [kind, dir, arg] of ops) {
          if (kind === 'gap') session.gap(dir, 1, arg as number);
          else session.data(dir, 1, arg as Uint8Array);
        }
        session.end(2);
        for (const e of rec.events) {
          if (e.kind === 'violation') assert.ok(typeof e.reason === 'string' && e.reason.length > 0);
          else {
            assert.deepEqual(Object.keys(e.fields!).slice(0, CORE_KEYS.length), CORE_KEYS);
            assert.equal(e.fields!['modbus.pdu_type'], e.dir === 0 ? 'REQ' : 'RESP');
            assert.ok(((e.fields!['modbus.values'] as number[] | null)?.length ?? 0) <= MAX_VALUES);
          }
        }
        assert.ok(rec.abandons.length <= 1);
        if (rec.abandons.length === 1)
          assert.equal(rec.violations().length >= MAX_CONSECUTIVE_VIOLATIONS, true);
      }),
      { numRuns: 1000 },
    );
  });
});
