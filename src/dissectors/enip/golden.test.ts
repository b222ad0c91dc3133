// Golden tests on real captures (STYLE.md 7): the whole pipeline decodes the public EtherNet/IP
// traces in shared/captures/enip with the three EtherNet/IP dissectors, and the events must agree
// with what Zeek and CISA ICSNPP logged from the same bytes (expected/*.log): message counts per
// encapsulation command and per CIP service, the I/O datagrams, and the ListIdentity identity field
// by field. The logs are parsed here, not transcribed: a count or value in an assertion comes from
// a log or from the capture's own bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { countBy, readZeekLog, sharedCapture } from '../../../test/zeek-log.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, PipelineSink } from '../../pipeline/events.ts';
import { enipDissector, enipIoDissector, enipUdpDissector } from './dissector.ts';

/**
 * The ICSNPP test (tests/analyzer/basic.zeek at icsnpp-enip 6f05f5a) saves its logs through
 * btest-diff, which drops the `#fields` header. The columns are those of the ENIP::ENIP_Header,
 * CIP_Header, CIP_IO_Log and CIP_Identity_Item_Log records in scripts/icsnpp/enip/main.zeek of that
 * version: the connection 4-tuple, then is_orig and the packet's own source and destination.
 */
const PREFIX = [
  'ts',
  'uid',
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'is_orig',
  'source_h',
  'source_p',
  'destination_h',
  'destination_p',
];
const ENIP_LOG = [
  ...PREFIX,
  'enip_command_code',
  'enip_command',
  'length',
  'session_handle',
  'enip_status',
  'sender_context',
  'options',
];
const CIP_LOG = [
  ...PREFIX,
  'cip_sequence_count',
  'direction',
  'cip_service_code',
  'cip_service',
  'cip_status_code',
  'cip_status',
  'cip_extended_status_code',
  'cip_extended_status',
  'class_id',
  'class_name',
  'instance_id',
  'attribute_id',
];
const CIP_IO_LOG = [...PREFIX, 'connection_id', 'sequence_number', 'data_length', 'io_data'];
const CIP_IDENTITY_LOG = [
  ...PREFIX,
  'encapsulation_version',
  'socket_address',
  'socket_port',
  'vendor_id',
  'vendor_name',
  'device_type_id',
  'device_type_name',
  'product_code',
  'revision',
  'device_status',
  'serial_number',
  'product_name',
  'device_state',
];

interface Decoded {
  events: AppEvent[];
  frames: number;
}

async function decode(name: string): Promise<Decoded> {
  const events: AppEvent[] = [];
  const sink: PipelineSink = {
    event: (e) => events.push(e),
    arp: () => {},
    link: () => {},
    connection: () => {},
  };
  const result = await decodeCaptureFile(sharedCapture(`enip/${name}`), sink, {
    dissectors: [enipDissector, enipUdpDissector, enipIoDissector],
  });
  return { events, frames: result.stats.frames };
}

const messages = (d: Decoded, app: string) => d.events.filter((e) => e.kind === 'message' && e.app === app);
const violations = (d: Decoded) => d.events.filter((e) => e.kind === 'violation');
/** One event per encapsulation message: members of a Multiple_Service_Packet are extra events. */
const topLevel = (d: Decoded) => messages(d, 'enip').filter((e) => e.fields['cip.embedded'] === null);
const unset = (v: string) => v === '-';
const hex = (n: unknown, digits: number) => `0x${Number(n).toString(16).padStart(digits, '0')}`;
const sourceIp = (e: AppEvent) => (e.dir === 0 ? e.conn.clientIp : e.conn.serverIp);
const sorted = (m: Map<string, number>) => new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function tally<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return sorted(m);
}

/**
 * ICSNPP prints names in title case; Zoneward in upper snake case. Where ICSNPP's wording is not
 * the specification's, the specification wins (DESIGN.md "Names") and the mapping says why.
 */
function snake(icsnpp: string): string {
  const s = icsnpp.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const SPEC_NAMES: Record<string, string> = {
    // Vol 1 Table names 0x0E and 0x10 Get_Attribute_Single and Set_Attribute_Single.
    GET_ATTRIBUTES_SINGLE: 'GET_ATTRIBUTE_SINGLE',
    SET_ATTRIBUTES_SINGLE: 'SET_ATTRIBUTE_SINGLE',
  };
  return SPEC_NAMES[s] ?? s;
}

const numberOrNull = (v: string) => (unset(v) ? null : Number(v));

describe('enip_cip_example.pcap (ICSNPP test trace)', async () => {
  const d = await decode('enip_cip_example.pcap');

  test('nothing is a violation', () => {
    assert.deepEqual(violations(d), []);
  });

  test('encapsulation messages agree with enip.log: command, length, session, status, direction', () => {
    const log = readZeekLog('enip/expected/enip.log', ENIP_LOG);
    assert.ok(log.length > 0);
    const expected = tally(
      log,
      (r) =>
        `${r.is_orig === 'T' ? 0 : 1} ${snake(r.enip_command)} ${r.length} ${r.session_handle} ${snake(r.enip_status)}`,
    );
    const actual = tally(
      topLevel(d),
      (e) =>
        `${e.dir} ${e.fields['enip.command']} ${e.fields['enip.length']} ${hex(e.fields['enip.session'], 8)} ${e.fields['enip.status']}`,
    );
    assert.deepEqual(actual, expected);
  });

  test('CIP services agree with cip.log, Multiple_Service_Packet members included', () => {
    const log = readZeekLog('enip/expected/cip.log', CIP_LOG);
    // The counts per service come from the log: GET_ATTRIBUTE_LIST, MULTIPLE_SERVICE_PACKET, ...
    const expected = sorted(countBy(log, 'cip_service'));
    const cip = messages(d, 'enip').filter((e) => e.fields['cip.service'] !== null);
    const actual = tally(cip, (e) => String(e.fields['cip.service']));
    assert.deepEqual(actual, new Map([...expected].map(([name, n]) => [snake(name), n])));
  });

  test('CIP requests agree with cip.log: sequence count, service, class, instance, attribute', () => {
    const log = readZeekLog('enip/expected/cip.log', CIP_LOG).filter((r) => r.direction === 'request');
    const expected = tally(
      log,
      (r) =>
        `${r.cip_sequence_count} ${snake(r.cip_service)} ${numberOrNull(r.class_id)} ${numberOrNull(r.instance_id)} ${numberOrNull(r.attribute_id)}`,
    );
    const requests = messages(d, 'enip').filter((e) => e.fields['cip.response'] === false);
    const actual = tally(
      requests,
      (e) =>
        `${e.fields['cip.sequence']} ${e.fields['cip.service']} ${e.fields['cip.class']} ${e.fields['cip.instance']} ${e.fields['cip.attribute']}`,
    );
    assert.deepEqual(actual, expected);
  });

  test('class names agree with cip.log where ICSNPP names the class', () => {
    const named = readZeekLog('enip/expected/cip.log', CIP_LOG).filter(
      (r) => r.direction === 'request' && r.class_name !== 'unknown',
    );
    assert.ok(named.length > 0);
    const expected = tally(named, (r) => `${Number(r.class_id)} ${snake(r.class_name)}`);
    const requests = messages(d, 'enip').filter(
      (e) =>
        e.fields['cip.response'] === false &&
        expected.has(`${e.fields['cip.class']} ${e.fields['cip.class_name']}`),
    );
    assert.deepEqual(
      tally(requests, (e) => `${e.fields['cip.class']} ${e.fields['cip.class_name']}`),
      expected,
    );
  });

  test('CIP replies agree with cip.log: sequence count, service, general status', () => {
    const log = readZeekLog('enip/expected/cip.log', CIP_LOG).filter((r) => r.direction === 'response');
    const expected = tally(
      log,
      (r) => `${r.cip_sequence_count} ${snake(r.cip_service)} ${snake(r.cip_status)}`,
    );
    const replies = messages(d, 'enip').filter((e) => e.fields['cip.response'] === true);
    const actual = tally(
      replies,
      (e) => `${e.fields['cip.sequence']} ${e.fields['cip.service']} ${e.fields['cip.status']}`,
    );
    assert.deepEqual(actual, expected);
    // Every reply found its request: it names the class ICSNPP leaves out of replies.
    assert.ok(replies.every((e) => e.fields['cip.class'] !== null));
  });

  test('implicit I/O agrees with cip_io.log: sender, connection id, sequence number, length', () => {
    const log = readZeekLog('enip/expected/cip_io.log', CIP_IO_LOG);
    const expected = tally(
      log,
      (r) => `${r.source_h} ${r.connection_id} ${r.sequence_number} ${r.data_length}`,
    );
    const io = messages(d, 'enip_io');
    const actual = tally(
      io,
      (e) =>
        `${sourceIp(e)} ${hex(e.fields['cip.connection_id'], 8)} ${e.fields['cip.io.sequence']} ${e.fields['cip.io.length']}`,
    );
    assert.deepEqual(actual, expected);
  });

  test('the ListIdentity identity agrees with cip_identity.log field by field', () => {
    const [row] = readZeekLog('enip/expected/cip_identity.log', CIP_IDENTITY_LOG);
    const found = messages(d, 'enip').filter((e) => e.fields['enip.identity.vendor_id'] != null);
    assert.equal(found.length, 1);
    const [e] = found;
    const f = e.fields;
    const check = (actual: unknown, expected: unknown, what: string) =>
      assert.deepEqual(actual, expected, what);
    check(sourceIp(e), row.source_h, 'sender');
    check(e.dir === 0 ? 'T' : 'F', row.is_orig, 'direction');
    check(
      f['enip.identity.encapsulation_version'],
      Number(row.encapsulation_version),
      'encapsulation version',
    );
    check(f['enip.identity.socket_address'], row.socket_address, 'socket address');
    check(f['enip.identity.socket_port'], Number(row.socket_port), 'socket port');
    check(f['enip.identity.vendor_id'], Number(row.vendor_id), 'vendor id');
    check(f['enip.identity.vendor'], row.vendor_name, 'vendor name');
    check(f['enip.identity.device_type'], Number(row.device_type_id), 'device type');
    check(f['enip.identity.device_type_name'], row.device_type_name, 'device type name');
    check(f['enip.identity.product_code'], Number(row.product_code), 'product code');
    check(f['enip.identity.revision'], row.revision, 'revision');
    check(hex(f['enip.identity.status'], 4), row.device_status, 'device status');
    check(f['enip.identity.serial'], row.serial_number, 'serial number');
    check(f['enip.identity.product_name'], row.product_name, 'product name');
    check(hex(f['enip.identity.state'], 4), row.device_state, 'device state');
    // The same values as the device's identity, for the inventory (device.ts).
    check(
      [f['enip.device.vendor'], f['enip.device.vendor_id'], f['enip.device.model'], f['enip.device.product']],
      [row.vendor_name, row.vendor_id, row.product_name, row.device_type_name],
      'device vendor, vendor id, model, product',
    );
    check(
      [f['enip.device.product_code'], f['enip.device.firmware'], f['enip.device.serial']],
      [row.product_code, row.revision, row.serial_number],
      'device product code, firmware, serial',
    );
  });
});

// ITI's CIP trace has no peer log: the counts below are compared with the capture's own bytes.

/** TCP payloads of an Ethernet/IPv4 classic pcap in file order, with their ports. */
function tcpPayloads(name: string): Array<{ sport: number; dport: number; payload: Uint8Array }> {
  const buf = readFileSync(sharedCapture(`enip/${name}`));
  assert.equal(buf.readUInt32LE(0), 0xa1b2c3d4, 'little-endian microsecond pcap');
  const out = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const length = buf.readUInt32LE(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + length);
    off += 16 + length;
    if (frame.length < 34 || frame.readUInt16BE(12) !== 0x0800 || frame[23] !== 6) continue;
    const tcp = 14 + (frame[14] & 0x0f) * 4;
    const ipEnd = Math.min(frame.length, 14 + frame.readUInt16BE(16));
    const payload = frame.subarray(tcp + (frame[tcp + 12] >> 4) * 4, ipEnd);
    if (payload.length > 0)
      out.push({ sport: frame.readUInt16BE(tcp), dport: frame.readUInt16BE(tcp + 2), payload });
  }
  return out;
}

describe('iti_cip_only.pcap (18k packets of CIP and PCCC between a client and a MicroLogix)', async () => {
  const d = await decode('iti_cip_only.pcap');

  test('real traffic produces no violations', () => {
    assert.deepEqual(violations(d), []);
  });

  test('one event per encapsulation message, per command and direction, as the segments show', () => {
    // In this trace every TCP segment with data holds exactly one encapsulation message; its first
    // two bytes are the command (Vol 2 §2-3.1), little-endian.
    const expected = tally(
      tcpPayloads('iti_cip_only.pcap'),
      (p) => `${p.dport === 44818 ? 0 : 1} ${p.payload[0] | (p.payload[1] << 8)}`,
    );
    const actual = tally(topLevel(d), (e) => `${e.dir} ${e.fields['enip.command_code']}`);
    assert.deepEqual(actual, expected);
  });

  test('every reply finds its request, except one whose request precedes the capture', () => {
    const replies = messages(d, 'enip').filter((e) => e.fields['cip.response'] === true);
    const orphans = replies.filter((e) => e.fields['cip.class'] === null);
    assert.ok(replies.length > 9000);
    assert.equal(orphans.length, 1);
    assert.equal(orphans[0], replies[0], 'the first reply of the trace');
  });

  test('PCCC functions are named and classified; the processor names its catalog number', () => {
    const pccc = messages(d, 'enip').filter((e) => e.fields['pccc.function'] !== undefined);
    assert.ok(pccc.length > 18_000);
    const requests = pccc.filter((e) => e.dir === 0);
    const ops = tally(requests, (e) => `${e.fields['pccc.function']} ${e.fields['enip.operation']}`);
    // The classifications the trace exercises (DF1 manual §7 function codes, spec.ts).
    assert.ok(ops.has('DIAGNOSTIC_STATUS discovery'));
    assert.ok(ops.has('PROTECTED_TYPED_LOGICAL_READ_3_ADDRESS_FIELDS read'));
    assert.ok(ops.has('PROTECTED_TYPED_LOGICAL_MASKED_WRITE_3_ADDRESS_FIELDS write'));
    assert.ok(ops.has('CHANGE_CPU_MODE control'));
    // Each Diagnostic Status reply carries the catalog number at bytes 5-15 of its data.
    const catalogs = new Set(pccc.map((e) => e.fields['enip.device.model']).filter((v) => v !== undefined));
    assert.deepEqual([...catalogs], ['1766-LEC']);
  });

  test('Forward_Open and Forward_Close pair with their replies', () => {
    const cm = messages(d, 'enip').filter((e) => e.fields['cip.class'] === 6);
    const requests = cm.filter((e) => e.fields['cip.response'] === false).length;
    const replies = cm.filter((e) => e.fields['cip.response'] === true).length;
    assert.ok(requests > 0);
    assert.ok(replies >= requests - 1, `${replies} replies for ${requests} requests`);
  });
});
