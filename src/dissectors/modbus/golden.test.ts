// Golden tests on real captures (STYLE.md 7): the whole pipeline decodes the public Modbus traces
// in /work/shared/captures/modbus (shared/ sits beside the repository checkout), and the events
// must agree with what Zeek and CISA ICSNPP logged from the same bytes (expected/*.log). The logs
// are parsed here, not transcribed: a count or value in an assertion comes from a log or from the
// capture's own bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, ConnectionSummary, PipelineSink } from '../../pipeline/events.ts';
import type { Direction, Fields, SessionContext } from '../types.ts';
import { modbusDissector } from './dissector.ts';

const CAPTURES = new URL('../../../../shared/captures/modbus/', import.meta.url);

function capture(name: string): string {
  return fileURLToPath(new URL(name, CAPTURES));
}

interface Decoded {
  events: AppEvent[];
  connections: ConnectionSummary[];
  frames: number;
}

async function decode(name: string): Promise<Decoded> {
  const events: AppEvent[] = [];
  const connections: ConnectionSummary[] = [];
  const sink: PipelineSink = {
    event: (e) => {
      if (e.app === 'modbus') events.push(e);
    },
    arp: () => {},
    link: () => {},
    connection: (c) => connections.push(c),
  };
  const result = await decodeCaptureFile(capture(name), sink);
  return { events, connections, frames: result.stats.frames };
}

const messages = (d: Decoded, pduType?: 'REQ' | 'RESP') =>
  d.events.filter(
    (e) => e.kind === 'message' && (pduType === undefined || e.fields['modbus.pdu_type'] === pduType),
  );
const violations = (d: Decoded) => d.events.filter((e) => e.kind === 'violation');

/** The 4-tuple Zeek logs as id.orig_h, id.orig_p, id.resp_h, id.resp_p. */
const connKey = (e: AppEvent) =>
  `${e.conn.clientIp}:${e.conn.clientPort}>${e.conn.serverIp}:${e.conn.serverPort}`;

// Zeek logs: tab-separated, `#fields` names the columns unless a test cut them away.

type LogRow = Record<string, string>;

function readLog(name: string, fields?: readonly string[]): LogRow[] {
  const lines = readFileSync(capture(`expected/${name}`), 'utf8').split('\n');
  const header = lines
    .find((l) => l.startsWith('#fields\t'))
    ?.split('\t')
    .slice(1);
  const columns = header ?? fields;
  assert.ok(columns !== undefined, `${name} has no #fields line and no columns were given`);
  return lines
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => {
      const cells = l.split('\t');
      assert.equal(cells.length, columns.length, `${name}: ${l}`);
      return Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
    });
}

const logKey = (r: LogRow) => `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']}`;

/**
 * modbus.log was cut by `zeek-cut -n <columns>` (HOW-PRODUCED.zeek) and lost its header, so its
 * columns are Zeek's Modbus::Info record (base/protocols/modbus/main.zeek) minus the cut ones.
 */
function modbusLogColumns(): string[] {
  const how = readFileSync(capture('expected/HOW-PRODUCED.zeek'), 'utf8');
  const cut = /zeek-cut -n ([\w ]+?) < modbus\.log/.exec(how);
  assert.ok(cut, 'HOW-PRODUCED.zeek no longer cuts modbus.log the way this test expects');
  assert.match(
    how,
    /grep -v "\$\(printf '\\t'\)REQ\$\(printf '\\t'\)" modbus\.log/,
    'modbus.log should hold responses only',
  );
  const removed = new Set(cut[1].split(' '));
  const info = [
    'ts',
    'uid',
    'id.orig_h',
    'id.orig_p',
    'id.resp_h',
    'id.resp_p',
    'tid',
    'unit',
    'func',
    'pdu_type',
    'exception',
  ];
  return info.filter((c) => !removed.has(c));
}

const unset = (v: string | undefined) => v === undefined || v === '-';
const numbers = (v: string) => v.split(',').map(Number);
/** ICSNPP prints names in title case ("Return Diagnostic Register"); Zoneward in upper snake case. */
const snake = (v: string) => v.toUpperCase().replace(/ /g, '_');
/** Zeek escapes bytes as \xHH; DIAGNOSTICS data is 16-bit big-endian words (§6.8). */
function words(escaped: string): number[] {
  const bytes = [...escaped.matchAll(/\\x([0-9a-f]{2})/gi)].map((m) => Number.parseInt(m[1], 16));
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push((bytes[i] << 8) | bytes[i + 1]);
  return out;
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe('modbus_example.pcap (ICSNPP reference trace: every public function code)', async () => {
  const d = await decode('modbus_example.pcap');

  test('responses per connection and function agree with modbus.log', () => {
    const log = readLog('modbus.log', modbusLogColumns());
    assert.ok(log.length > 0);
    const expected = countBy(log, (r) => `${logKey(r)} ${r.func}`);
    const actual = countBy(messages(d, 'RESP'), (e) => `${connKey(e)} ${e.fields['modbus.func']}`);
    assert.deepEqual(actual, expected);
  });

  test('exceptions agree with modbus.log (READ_HOLDING_REGISTERS_EXCEPTION / ILLEGAL_DATA_ADDRESS)', () => {
    const log = readLog('modbus.log', modbusLogColumns()).filter((r) => !unset(r.exception));
    assert.ok(
      log.some(
        (r) => r.func === 'READ_HOLDING_REGISTERS_EXCEPTION' && r.exception === 'ILLEGAL_DATA_ADDRESS',
      ),
    );
    const actual = messages(d, 'RESP')
      .filter((e) => e.fields['modbus.exception'] !== null)
      .map((e) => `${connKey(e)} ${e.fields['modbus.func']} ${e.fields['modbus.exception']}`);
    assert.deepEqual(
      actual,
      log.map((r) => `${logKey(r)} ${r.func} ${r.exception}`),
    );
  });

  test('every request is answered and nothing is a violation', () => {
    assert.equal(violations(d).length, 0);
    assert.equal(messages(d, 'REQ').length, messages(d, 'RESP').length);
    assert.ok(messages(d, 'RESP').every((e) => e.fields['modbus.matched'] === true));
  });

  test('addresses, quantities, values, sub-functions, exceptions and MEI types agree with modbus_detailed.log', () => {
    const find = (pdu: 'REQ' | 'RESP', r: LogRow): Fields => {
      const hit = messages(d, pdu).filter(
        (e) =>
          connKey(e) === logKey(r) &&
          e.fields['modbus.tid'] === Number(r.tid) &&
          e.fields['modbus.unit'] === Number(r.unit) &&
          // The detailed log names an exception's function without the _EXCEPTION suffix.
          String(e.fields['modbus.func']).replace(/_EXCEPTION$/, '') === r.func,
      );
      assert.equal(hit.length, 1, `${pdu} for ${r.func} tid ${r.tid}`);
      return hit[0].fields;
    };
    let compared = 0;
    const check = (actual: unknown, expected: unknown, what: string) => {
      assert.deepEqual(actual, expected, what);
      compared++;
    };
    for (const r of readLog('modbus_detailed.log')) {
      const what = `${r.func} tid ${r.tid}`;
      const req = find('REQ', r);
      const resp = find('RESP', r);
      if (r.matched === 'T') check(resp['modbus.matched'], true, `${what} matched`);
      if (!unset(r.address)) check(resp['modbus.address'], Number(r.address), `${what} address`);
      if (!unset(r.quantity)) check(resp['modbus.quantity'], Number(r.quantity), `${what} quantity`);
      if (!unset(r.request_values))
        check(req['modbus.values'], numbers(r.request_values), `${what} request values`);
      if (!unset(r.response_values))
        check(resp['modbus.values'], numbers(r.response_values), `${what} response values`);
      if (!unset(r.request_subfunction_code))
        check(req['modbus.subfunction'], snake(r.request_subfunction_code), `${what} request sub-function`);
      if (!unset(r.response_subfunction_code))
        check(
          resp['modbus.subfunction'],
          snake(r.response_subfunction_code),
          `${what} response sub-function`,
        );
      if (r.func === 'DIAGNOSTICS' && !unset(r.request_data))
        check(req['modbus.values'], words(r.request_data), `${what} request data`);
      if (r.func === 'DIAGNOSTICS' && !unset(r.response_data))
        check(resp['modbus.values'], words(r.response_data), `${what} response data`);
      if (!unset(r.exception_code)) check(resp['modbus.exception'], r.exception_code, `${what} exception`);
      if (!unset(r.mei_type)) check(req['modbus.mei_type'], snake(r.mei_type), `${what} MEI type`);
    }
    // The log lists 24 exchanges; make sure the comparison above was not vacuous.
    assert.ok(compared >= 40, `only ${compared} values compared`);
  });

  test('AND/OR masks agree with modbus_mask_write_register.log', () => {
    const log = readLog('modbus_mask_write_register.log');
    assert.ok(log.length > 0);
    for (const r of log) {
      const pdu = r.request_response === 'REQUEST' ? 'REQ' : 'RESP';
      const [e] = messages(d, pdu).filter(
        (x) => x.fields['modbus.tid'] === Number(r.tid) && x.fields['modbus.func'] === r.func,
      );
      assert.deepEqual(
        [e.fields['modbus.address'], e.fields['modbus.and_mask'], e.fields['modbus.or_mask']],
        [Number(r.address), Number(r.and_mask), Number(r.or_mask)],
        `${pdu} tid ${r.tid}`,
      );
    }
  });

  test('read and write ranges agree with modbus_read_write_multiple_registers.log', () => {
    const log = readLog('modbus_read_write_multiple_registers.log');
    assert.ok(log.length > 0);
    for (const r of log) {
      const pdu = r.request_response === 'REQUEST' ? 'REQ' : 'RESP';
      const [e] = messages(d, pdu).filter(
        (x) => x.fields['modbus.tid'] === Number(r.tid) && x.fields['modbus.func'] === r.func,
      );
      if (pdu === 'REQ') {
        assert.deepEqual(
          [
            e.fields['modbus.write_address'],
            e.fields['modbus.values'],
            e.fields['modbus.address'],
            e.fields['modbus.quantity'],
          ],
          [
            Number(r.write_start_address),
            numbers(r.write_registers),
            Number(r.read_start_address),
            Number(r.read_quantity),
          ],
          `request tid ${r.tid}`,
        );
      } else {
        assert.deepEqual(e.fields['modbus.values'], numbers(r.read_registers), `response tid ${r.tid}`);
      }
    }
  });

  test('READ_DEVICE_IDENTIFICATION yields the objects the server sent', () => {
    // The ICSNPP test removed modbus_read_device_identification.log; the strings below are the
    // capture's own bytes (tid 23: three objects, conformity level 0x83).
    const [resp] = messages(d, 'RESP').filter(
      (e) => e.fields['modbus.mei_type'] === 'READ_DEVICE_IDENTIFICATION',
    );
    assert.deepEqual(
      [
        resp.fields['modbus.device_id.vendor_name'],
        resp.fields['modbus.device_id.product_code'],
        resp.fields['modbus.device_id.revision'],
        resp.fields['modbus.device_id.conformity_level'],
        resp.fields['modbus.device_id.more_follows'],
        resp.fields['modbus.operation'],
      ],
      [
        'Zeek Modbus Test',
        'Protocol Parsing is fun!',
        '1.2.3.6',
        'EXTENDED_STREAM_AND_INDIVIDUAL',
        false,
        'discovery',
      ],
    );
  });
});

describe('zeek_modbus-eit.pcap (FC 43 / MEI 14 against a real device)', async () => {
  const d = await decode('zeek_modbus-eit.pcap');

  test('both requests are basic device identification requests', () => {
    const requests = messages(d, 'REQ');
    assert.deepEqual(
      requests.map((e) => [
        e.fields['modbus.unit'],
        e.fields['modbus.mei_type'],
        e.fields['modbus.device_id.read_code'],
        e.fields['modbus.device_id.object_id'],
      ]),
      [
        [0, 'READ_DEVICE_IDENTIFICATION', 'BASIC', 0],
        [255, 'READ_DEVICE_IDENTIFICATION', 'BASIC', 0],
      ],
    );
  });

  test('unit 0 answers with no objects and a conformity level §6.21 does not define: a violation', () => {
    // Response PDU 2B 0E 01 00 4D B7 00 + 4 zero bytes: conformity 0x00, more-follows 0x4D, zero
    // objects. There is no identification to extract; the device's reply is reported instead.
    const [v] = violations(d);
    assert.equal(violations(d).length, 1);
    assert.match(String(v.fields.reason), /conformity level 0x0 /);
    assert.deepEqual(
      [v.dir, v.fields['modbus.unit'], v.fields['modbus.func']],
      [1, 0, 'ENCAP_INTERFACE_TRANSPORT'],
    );
    assert.ok(
      d.events.every(
        (e) =>
          e.fields['modbus.device_id.vendor_name'] === undefined ||
          e.fields['modbus.device_id.vendor_name'] === null,
      ),
    );
  });

  test('unit 255 answers with an exception that keeps the request’s MEI type', () => {
    const [resp] = messages(d, 'RESP');
    assert.deepEqual(
      [
        resp.fields['modbus.func'],
        resp.fields['modbus.exception'],
        resp.fields['modbus.mei_type'],
        resp.fields['modbus.matched'],
      ],
      ['ENCAP_INTERFACE_TRANSPORT_EXCEPTION', 'SLAVE_DEVICE_FAILURE', 'READ_DEVICE_IDENTIFICATION', true],
    );
  });
});

describe('zeek_modbus-and-non-modbus-p502.pcap (TLS, RDP, DCE/RPC, NFS, scanners on port 502)', async () => {
  const d = await decode('zeek_modbus-and-non-modbus-p502.pcap');

  test('non-Modbus bytes on port 502 produce no Modbus messages, one "not Modbus" violation each', () => {
    const modbusConns = new Set(d.events.filter((e) => e.kind === 'message').map(connKey));
    assert.deepEqual([...modbusConns], ['10.0.0.9:3082>10.0.0.3:502']);
    const others = d.connections.filter((c) => c.conn.serverPort === 502 && c.conn.clientIp !== '10.0.0.9');
    assert.ok(others.length >= 5, `only ${others.length} non-Modbus connections on 502`);
    // Another dissector may recognise the bytes (the TLS scanner's hello is TLS); none is Modbus.
    for (const c of others) assert.notEqual(c.app, 'modbus', `${c.conn.clientIp}:${c.conn.clientPort}`);
    assert.ok(others.some((c) => c.app === 'tls'));
    // The pipeline tells the port's dissector once per connection that nothing recognised the bytes.
    const flagged = violations(d).filter((e) => /are not modbus/.test(String(e.fields.reason)));
    assert.equal(new Set(flagged.map(connKey)).size, flagged.length);
    for (const e of flagged) assert.ok(others.some((c) => c.conn === e.conn && c.app === null));
    assert.ok(flagged.length >= 4, `${flagged.length} connections flagged`);
  });

  test('the one Modbus connection is decoded completely', () => {
    assert.equal(violations(d).filter((e) => e.conn.clientIp === '10.0.0.9').length, 0);
    assert.equal(messages(d, 'REQ').length, messages(d, 'RESP').length);
    assert.ok(messages(d, 'REQ').length > 0);
    assert.ok(messages(d, 'RESP').every((e) => e.fields['modbus.matched'] === true));
  });
});

// The fuzz traces are reproducers for crashes Zeek once had: wild sequence numbers, truncated IP
// packets, garbage flags. They must be survived whole, and what is not Modbus must be reported.

/** TCP payloads of an Ethernet/IPv4 classic pcap in file order, without reassembly. */
function tcpPayloads(name: string): Array<{ ts: number; sport: number; dport: number; payload: Uint8Array }> {
  const buf = readFileSync(capture(name));
  const magic = buf.readUInt32LE(0);
  assert.ok(magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1, 'classic microsecond pcap');
  const u32 = (o: number) => (magic === 0xa1b2c3d4 ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const out = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const length = u32(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + length);
    const ts = u32(off) + u32(off + 4) / 1e6;
    off += 16 + length;
    if (frame.length < 34 || frame.readUInt16BE(12) !== 0x0800 || frame[23] !== 6) continue;
    const tcp = 14 + (frame[14] & 0x0f) * 4;
    const ipEnd = Math.min(frame.length, 14 + frame.readUInt16BE(16));
    if (tcp + 20 > ipEnd) continue;
    const payload = frame.subarray(tcp + (frame[tcp + 12] >> 4) * 4, ipEnd);
    if (payload.length > 0)
      out.push({ ts, sport: frame.readUInt16BE(tcp), dport: frame.readUInt16BE(tcp + 2), payload });
  }
  return out;
}

function pcapRecords(name: string): number {
  const buf = readFileSync(capture(name));
  const le = buf.readUInt32LE(0) === 0xa1b2c3d4;
  let n = 0;
  for (let off = 24; off + 16 <= buf.length; n++)
    off += 16 + (le ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8));
  return n;
}

/** Feeds payloads straight to a session, the port-502 side as the server. */
function replay(name: string) {
  const events: Array<{ kind: string; dir: Direction; fields: Fields; reason?: string }> = [];
  const ctx: SessionContext = {
    message: (dir, _ts, fields) => events.push({ kind: 'message', dir, fields }),
    violation: (dir, _ts, reason, fields) =>
      events.push({ kind: 'violation', dir, reason, fields: fields ?? {} }),
    abandon: () => events.push({ kind: 'abandon', dir: 0, fields: {} }),
    ignoreRest: () => {},
  };
  const session = modbusDissector.createSession(ctx);
  for (const p of tcpPayloads(name)) session.data(p.sport === 502 ? 1 : 0, p.ts, p.payload);
  session.end(0);
  return events;
}

describe('zeek fuzz reproducers', () => {
  for (const name of ['zeek_fuzz-72.pcap', 'zeek_fuzz-1011.pcap']) {
    test(`${name} is decoded to the end through the pipeline`, async () => {
      const d = await decode(name);
      assert.equal(d.frames, pcapRecords(name));
      for (const e of d.events) {
        if (e.kind === 'violation') assert.ok(String(e.fields.reason).length > 0);
        else assert.equal(e.fields['modbus.pdu_type'], e.dir === 0 ? 'REQ' : 'RESP');
      }
    });

    test(`${name}: the raw segments, fed straight to the session, produce violations and no crash`, () => {
      const events = replay(name);
      assert.ok(events.some((e) => e.kind === 'violation'));
      assert.ok(events.some((e) => e.kind === 'message'));
    });
  }

  test('zeek_fuzz-1011.pcap: the out-of-range READ_INPUT_REGISTERS request is a violation through the pipeline', async () => {
    const d = await decode('zeek_fuzz-1011.pcap');
    const v = violations(d).find((e) => /quantity 147 outside 1..125/.test(String(e.fields.reason)));
    assert.ok(v, 'violation for quantity 147');
    assert.equal(v.fields['modbus.func'], 'READ_INPUT_REGISTERS');
  });

  test('zeek_fuzz-72.pcap: a function code scan answered by ILLEGAL_FUNCTION', () => {
    const events = replay('zeek_fuzz-72.pcap').filter((e) => e.kind === 'message');
    const requests = events.filter((e) => e.dir === 0);
    const answers = events.filter((e) => e.dir === 1);
    assert.ok(
      requests.length > 0 && requests.every((e) => String(e.fields['modbus.func']).startsWith('UNKNOWN-')),
    );
    assert.ok(
      answers.length > 0 && answers.every((e) => e.fields['modbus.exception'] === 'ILLEGAL_FUNCTION'),
    );
    assert.ok(answers.every((e) => /^UNKNOWN-\d+_EXCEPTION$/.test(String(e.fields['modbus.func']))));
  });
});

describe('iti_ModbusTCP.pcap (15k packets of real polling)', async () => {
  const d = await decode('iti_ModbusTCP.pcap');

  test('real devices produce no violations and nearly every response pairs', () => {
    assert.equal(violations(d).length, 0);
    const responses = messages(d, 'RESP');
    assert.ok(responses.length > 5000);
    const unmatched = responses.filter((e) => e.fields['modbus.matched'] !== true).length;
    // Only responses whose request predates the capture (connections picked up mid-way) may miss.
    assert.ok(unmatched <= d.connections.length, `${unmatched} unmatched responses`);
  });

  test('every response carries the range it answers', () => {
    for (const e of messages(d, 'RESP')) {
      if (e.fields['modbus.matched'] !== true) continue;
      assert.notEqual(e.fields['modbus.space'], null);
      assert.equal(typeof e.fields['modbus.address'], 'number');
      assert.equal(typeof e.fields['modbus.quantity'], 'number');
    }
  });
});
