// Golden tests on real captures (STYLE.md 7): the whole pipeline decodes the public S7 traces in
// ../shared/captures/s7comm and the events must agree with what Zeek with CISA ICSNPP-S7comm logged
// from the same bytes (expected-*/ *.log). Counts and values come from those logs or from the
// capture's own bytes. Where our reading differs from ICSNPP's, the test names the difference and
// says why ours follows the protocol.
//
// One difference runs through every comparison: the S7 PDU reference. It is a 16-bit field in
// network byte order like every other S7 header field (Wireshark packet-s7comm.c reads it with
// ENC_BIG_ENDIAN; libnodave's references in the ITI capture count 0, 1, 2, ... that way), but
// ICSNPP reads it little-endian: the Snap7 client writes its counter in host order, so ICSNPP's
// pdu_reference 1 is our 0x0100 = 256. The logs' references are byte-swapped before comparing.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countBy, type LogRow, readZeekLog, sharedCapture } from '../../../test/zeek-log.ts';
import { readCaptureFile } from '../../capture/source.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, ConnectionSummary, PipelineSink } from '../../pipeline/events.ts';
import type { Fields } from '../types.ts';
import { s7commDissector, s7commPlusDissector } from './dissector.ts';

interface Decoded {
  events: AppEvent[];
  connections: ConnectionSummary[];
}

async function decode(name: string): Promise<Decoded> {
  const events: AppEvent[] = [];
  const connections: ConnectionSummary[] = [];
  const sink: PipelineSink = {
    event: (e) => events.push(e),
    arp: () => {},
    link: () => {},
    connection: (c) => connections.push(c),
  };
  await decodeCaptureFile(sharedCapture(`s7comm/${name}`), sink, {
    dissectors: [s7commDissector, s7commPlusDissector],
  });
  return { events, connections };
}

const messages = (d: Decoded, app: string) => d.events.filter((e) => e.app === app && e.kind === 'message');
const violations = (d: Decoded) => d.events.filter((e) => e.kind === 'violation');
const connKey = (e: AppEvent) =>
  `${e.conn.clientIp}:${e.conn.clientPort}>${e.conn.serverIp}:${e.conn.serverPort}`;
const logConn = (r: LogRow) => `${r['id.orig_h']}:${r['id.orig_p']}>${r['id.resp_h']}:${r['id.resp_p']}`;
const dirOf = (r: LogRow) => (r.is_orig === 'T' ? 0 : 1);
const unset = (v: string | undefined) => v === undefined || v === '-';
/** ICSNPP prints names in title case ("Read SZL"); Zoneward in upper snake case (READ_SZL). */
const snake = (v: string) => v.toUpperCase().replace(/[ /-]+/g, '_');
/** See the file header: ICSNPP's PDU reference is ours with its bytes swapped. */
const swap16 = (v: number) => ((v & 0xff) << 8) | (v >> 8);

/** ICSNPP's ROSCTR names -> ours (Wireshark's Job / Ack / Ack_Data / Userdata). */
const ROSCTR: Record<string, string> = {
  'Job-Request': 'JOB',
  ACK: 'ACK',
  'ACK-Data': 'ACK_DATA',
  'User-Data': 'USERDATA',
};
/** ICSNPP's "Read Variable" / "Write Variable" are Wireshark's "Read Var" / "Write Var". */
const FUNCTION: Record<string, string> = { READ_VARIABLE: 'READ_VAR', WRITE_VARIABLE: 'WRITE_VAR' };
/** ICSNPP's block type descriptions -> the block names S7 engineers use. */
const BLOCK_TYPE: Record<string, string> = {
  'Organization Block': 'OB',
  'Data Block': 'DB',
  'System Data Block': 'SDB',
  Function: 'FC',
  'System Function': 'SFC',
  'Function Block': 'FB',
  'System Function Block': 'SFB',
};

/** Our name for the message an s7comm.log row describes: the job function, or the userdata sub-function. */
function logFunction(r: LogRow): string {
  if (r.rosctr_name === 'User-Data') return snake(r.subfunction_name);
  const f = snake(r.function_name);
  return FUNCTION[f] ?? f;
}

const eventKey = (e: AppEvent) =>
  `${connKey(e)} ${e.dir} ${e.fields['s7comm.rosctr']} ${e.fields['s7comm.pdu_ref']} ${e.fields['s7comm.function']}`;
const rowKey = (r: LogRow) =>
  `${logConn(r)} ${dirOf(r)} ${ROSCTR[r.rosctr_name]} ${swap16(Number(r.pdu_reference))} ${logFunction(r)}`;

/** The S7comm PDU events (COTP control TPDUs are compared with cotp.log). */
const s7Pdus = (d: Decoded) => messages(d, 's7comm').filter((e) => e.fields['s7comm.rosctr'] !== undefined);

function find(d: Decoded, r: LogRow): Fields {
  const hits = s7Pdus(d).filter((e) => eventKey(e) === rowKey(r));
  assert.equal(hits.length, 1, rowKey(r));
  return hits[0].fields;
}

/** Checks s7comm.log row by row and returns the keys of our events the log has no row for. */
function compareS7commLog(d: Decoded, log: LogRow[]): string[] {
  assert.ok(log.length > 0);
  const ours = countBy(
    s7Pdus(d).map((e) => ({ k: eventKey(e) })),
    'k',
  );
  const theirs = countBy(
    log.map((r) => ({ k: rowKey(r) })),
    'k',
  );
  for (const [k, n] of theirs) assert.equal(ours.get(k), n, `ICSNPP row ${k}`);
  for (const r of log) {
    const f = find(d, r);
    if (r.rosctr_name === 'User-Data') {
      // Userdata errors are the parameter's 16-bit error code ("Parameter Error 0xd209").
      if (!unset(r.error_code)) assert.equal(f['s7comm.error_code'], Number(r.error_code), rowKey(r));
    } else if (!unset(r.error_class)) {
      // Header errors: ICSNPP prints class and code apart; we keep class << 8 | code as one code.
      assert.equal(f['s7comm.error_class'], snake(r.error_class), rowKey(r));
      assert.equal((f['s7comm.error_code'] as number) & 0xff, Number(r.error_code), rowKey(r));
    }
    // PLC_CONTROL requests: ICSNPP's subfunction code is the PI service name.
    if (r.function_name === 'PLC Control' && !unset(r.subfunction_code)) {
      assert.equal(f['s7comm.pi_service'], r.subfunction_code, rowKey(r));
    }
  }
  return [...ours].filter(([k, n]) => (theirs.get(k) ?? 0) < n).map(([k]) => k);
}

/** cotp.log has one row per TPDU: control TPDUs are our COTP events, DTs our `cotp.tpdus`. */
function compareCotpLog(d: Decoded, log: LogRow[], apps: string[]): void {
  assert.ok(log.length > 0);
  const expected = countBy(
    log.map((r) => ({ k: `${logConn(r)} ${dirOf(r)} ${r.pdu_name.slice(0, 2)}` })),
    'k',
  );
  const actual = new Map<string, number>();
  for (const e of d.events.filter((x) => apps.includes(x.app) && x.kind === 'message')) {
    const f = e.fields;
    const k = `${connKey(e)} ${e.dir} ${f[`${e.app}.cotp.pdu`]}`;
    actual.set(k, (actual.get(k) ?? 0) + ((f[`${e.app}.cotp.tpdus`] as number | undefined) ?? 1));
  }
  assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));
}

describe('snap7.pcap (Snap7 client against an S7-300: SZL, blocks, upload, read/write, stop, PI services)', async () => {
  const d = await decode('snap7.pcap');
  const conn = '134.217.61.131:51212>134.217.61.211:102';

  test('nothing is a violation', () => {
    assert.deepEqual(violations(d), []);
  });

  test('every s7comm.log row is one of our messages, with its errors and PI services', () => {
    const extra = compareS7commLog(d, readZeekLog('s7comm/expected-snap7/s7comm.log'));
    // Three PDUs ICSNPP does not log, all well-formed (Wireshark decodes them):
    // - the CPU's ACK (ROSCTR 2) refusing START_UPLOAD of OB 0 (ref 0x15 = 21) with error 0xD20C;
    //   ICSNPP logs no ACK without parameter.
    // - the first fragment of the SZL 0x001C answer (ref 2, "last data unit" = 1, more follow),
    //   and the client's follow-up request for the rest (ref 3, return code 0x0A, no SZL id):
    //   ICSNPP's parser fails on the partial record list and on the empty data.
    assert.deepEqual(extra.sort(), [
      `${conn} 0 USERDATA ${0x0300} READ_SZL`,
      `${conn} 1 ACK ${0x1500} START_UPLOAD`,
      `${conn} 1 USERDATA ${0x0200} READ_SZL`,
    ]);
    const refused = s7Pdus(d).find((e) => e.fields['s7comm.rosctr'] === 'ACK')!;
    assert.deepEqual(
      [refused.fields['s7comm.error_code'], refused.fields['s7comm.error']],
      [0xd20c, 'OB_PRIORITY_CLASS_MISSING'],
    );
  });

  test('messages per function agree with s7comm.log, plus the three above', () => {
    const log = readZeekLog('s7comm/expected-snap7/s7comm.log');
    const expected = countBy(
      log.map((r) => ({ k: `${dirOf(r)} ${logFunction(r)}` })),
      'k',
    );
    expected.set('0 READ_SZL', expected.get('0 READ_SZL')! + 1);
    expected.set('1 READ_SZL', expected.get('1 READ_SZL')! + 1);
    expected.set('1 START_UPLOAD', expected.get('1 START_UPLOAD')! + 1);
    const actual = countBy(
      s7Pdus(d).map((e) => ({ k: `${e.dir} ${e.fields['s7comm.function']}` })),
      'k',
    );
    assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));
  });

  test('every TPDU of cotp.log is accounted for', () => {
    compareCotpLog(d, readZeekLog('s7comm/expected-snap7/cotp.log'), ['s7comm']);
  });

  test('SZL reads agree with s7comm_read_szl.log: id, index, name, return code', () => {
    const log = readZeekLog('s7comm/expected-snap7/s7comm_read_szl.log');
    assert.ok(log.length > 0);
    for (const r of log) {
      const [e] = s7Pdus(d).filter(
        (x) =>
          x.dir === dirOf(r) &&
          x.fields['s7comm.function'] === 'READ_SZL' &&
          x.fields['s7comm.pdu_ref'] === swap16(Number(r.pdu_reference)),
      );
      const what = `${r.method} ${r.pdu_reference}`;
      assert.ok(e, what);
      assert.equal(e.fields['s7comm.userdata_type'], snake(r.method), what);
      assert.equal(e.fields['s7comm.szl_id'], Number.parseInt(r.szl_id, 16), what);
      assert.equal(e.fields['s7comm.szl_index'], Number.parseInt(r.szl_index, 16), what);
      assert.equal(e.fields['s7comm.szl_name'], snake(r.szl_id_name), what);
      assert.equal(e.fields['s7comm.return_code'], snake(r.return_code_name), what);
    }
    // Ours also has the fragmented 0x001C answer ICSNPP misses (see above): its first part, the
    // follow-up request and the last part all carry SZL 0x001C, so the whole read is one list.
    const ours = s7Pdus(d).filter((e) => e.fields['s7comm.function'] === 'READ_SZL');
    assert.equal(ours.length, log.length + 3);
    const componentReads = ours
      .filter((e) => e.fields['s7comm.szl_id'] === 0x1c)
      .map((e) => [e.dir, e.fields['s7comm.pdu_ref']]);
    assert.deepEqual(componentReads, [
      [0, 0x0200],
      [1, 0x0200],
      [0, 0x0300],
      [1, 0x0300],
    ]);
  });

  test('upload and download agree with s7comm_upload_download.log field by field', () => {
    const log = readZeekLog('s7comm/expected-snap7/s7comm_upload_download.log');
    assert.ok(log.length > 0);
    const num = (v: string) => (unset(v) ? null : Number(v));
    for (const r of log) {
      const what = `${r.rosctr} ${r.pdu_reference} ${r.function_name}`;
      const [e] = s7Pdus(d).filter(
        (x) =>
          x.dir === dirOf(r) &&
          x.fields['s7comm.rosctr'] === ROSCTR[r.rosctr] &&
          x.fields['s7comm.pdu_ref'] === swap16(Number(r.pdu_reference)) &&
          x.fields['s7comm.function'] === snake(r.function_name),
      );
      assert.ok(e, what);
      const f = e.fields;
      assert.equal(f['s7comm.operation'], 'program', what);
      assert.equal(f['s7comm.function_status'], num(r.function_status), what);
      assert.equal(f['s7comm.session_id'], num(r.session_id), what);
      assert.equal(f['s7comm.block_length'], num(r.blocklength), what);
      assert.equal(f['s7comm.filename'], unset(r.filename) ? null : r.filename, what);
      assert.equal(f['s7comm.block_type'], unset(r.block_type) ? null : BLOCK_TYPE[r.block_type], what);
      assert.equal(f['s7comm.block_number'], num(r.block_number), what);
      assert.equal(
        f['s7comm.filesystem'],
        unset(r.destination_filesystem) ? null : snake(r.destination_filesystem),
        what,
      );
    }
  });

  test('the CPU identity from SZL 0x0011 and 0x001C, as the capture carries it', () => {
    // Frame 4 (SZL 0x0011 answer): record index 1 holds "6ES7 315-2EH14-0AB0 " with Ausbg 0x0003
    // (hardware product version 3); index 7 holds 'V' 3 . 2 . 7. Frame 6 (first part of the 0x001C
    // answer): "S7300/ET200M station_1", "PLC_1", an empty plant id, "Original Siemens Equipment",
    // "S C-B1U393142011", "CPU 315-2 PN/DP". Frame 8 (last part): "MMC 4A1AC019".
    const identity = s7Pdus(d)
      .filter((e) => e.dir === 1)
      .map((e) =>
        Object.fromEntries(Object.entries(e.fields).filter(([k]) => k.startsWith('s7comm.device.'))),
      )
      .filter((f) => Object.keys(f).length > 0);
    assert.deepEqual(identity, [
      {
        's7comm.device.model': '6ES7 315-2EH14-0AB0',
        's7comm.device.hardware': '3',
        's7comm.device.vendor': 'Siemens',
        's7comm.device.firmware': 'V3.2.7',
      },
      {
        's7comm.device.name': 'PLC_1',
        's7comm.device.vendor': 'Siemens',
        's7comm.device.serial': 'S C-B1U393142011',
        's7comm.device.product': 'CPU 315-2 PN/DP',
      },
      {
        's7comm.device.model': '6ES7 315-2EH14-0AB0',
        's7comm.device.hardware': '3',
        's7comm.device.vendor': 'Siemens',
        's7comm.device.firmware': 'V3.2.7',
      },
    ]);
    const last = s7Pdus(d).find((e) => e.dir === 1 && e.fields['s7comm.pdu_ref'] === 0x0300)!;
    assert.equal(last.fields['s7comm.szl.memory_card_serial'], 'MMC 4A1AC019');
    const first = s7Pdus(d).find((e) => e.dir === 1 && e.fields['s7comm.pdu_ref'] === 0x0200)!;
    assert.equal(first.fields['s7comm.szl.system_name'], 'S7300/ET200M station_1');
  });

  test('operations: stop and start are control, copy RAM to ROM and compress are program, identity reads discovery', () => {
    const ops = new Map(
      s7Pdus(d)
        .filter((e) => e.dir === 0)
        .map((e) => [
          `${e.fields['s7comm.function']} ${e.fields['s7comm.pi_service'] ?? e.fields['s7comm.szl_id'] ?? ''}`,
          e.fields['s7comm.operation'],
        ]),
    );
    assert.equal(ops.get('PLC_STOP P_PROGRAM'), 'control');
    assert.equal(ops.get('PLC_CONTROL P_PROGRAM'), 'control');
    assert.equal(ops.get('PLC_CONTROL _MODU'), 'program');
    assert.equal(ops.get('PLC_CONTROL _GARB'), 'program');
    assert.equal(ops.get('READ_SZL 17'), 'discovery');
    assert.equal(ops.get('READ_SZL 1060'), 'diagnostic');
    assert.equal(ops.get('LIST_BLOCKS '), 'file');
    assert.equal(ops.get('READ_VAR '), 'read');
    assert.equal(ops.get('WRITE_VAR '), 'write');
  });
});

describe('s7comm_plus.pcap (an S7comm client and a TIA V3 S7comm-plus session to one S7-1500)', async () => {
  const d = await decode('s7comm_plus.pcap');

  test('the two protocols are pinned to their own dissector; nothing of theirs is a violation', () => {
    const apps = new Map(d.connections.map((c) => [c.conn.clientPort, c.app]));
    assert.equal(apps.get(54670), 's7comm');
    assert.equal(apps.get(49154), 's7comm_plus');
    // The third connection carries single 0x00 bytes (TCP keep-alives with data): not ISO-on-TCP.
    assert.equal(apps.get(49155), null);
    assert.deepEqual(
      violations(d).filter((e) => e.conn.clientPort !== 49155),
      [],
    );
  });

  test('every s7comm.log row is one of our messages, and nothing else', () => {
    assert.deepEqual(compareS7commLog(d, readZeekLog('s7comm/expected-s7comm_plus/s7comm.log')), []);
  });

  test('S7comm-plus messages per direction, opcode and function agree with s7comm_plus.log', () => {
    const log = readZeekLog('s7comm/expected-s7comm_plus/s7comm_plus.log');
    const expected = countBy(
      log.map((r) => ({
        k: `${logConn(r)} ${dirOf(r)} v${r.version} ${snake(r.opcode_name)} ${unset(r.function_name) ? null : snake(r.function_name)}`,
      })),
      'k',
    );
    const actual = countBy(
      messages(d, 's7comm_plus').map((e) => ({
        k: `${connKey(e)} ${e.dir} v${e.fields['s7comm_plus.version']} ${e.fields['s7comm_plus.opcode']} ${e.fields['s7comm_plus.function']}`,
      })),
      'k',
    );
    assert.deepEqual(new Map([...actual].sort()), new Map([...expected].sort()));
    // ICSNPP's function code column is ours as a number.
    const codes = new Set(log.filter((r) => !unset(r.function_code)).map((r) => Number(r.function_code)));
    const ours = new Set(
      messages(d, 's7comm_plus')
        .map((e) => e.fields['s7comm_plus.function_code'])
        .filter((c) => c !== null),
    );
    assert.deepEqual(ours, codes);
  });

  test('answers carry the sequence number of their request', () => {
    const plus = messages(d, 's7comm_plus');
    const requests = new Map(
      plus
        .filter((e) => e.dir === 0)
        .map((e) => [e.fields['s7comm_plus.seq'], e.fields['s7comm_plus.function']]),
    );
    const answers = plus.filter((e) => e.fields['s7comm_plus.opcode'] === 'RESPONSE');
    assert.ok(answers.length > 0);
    for (const a of answers)
      assert.equal(requests.get(a.fields['s7comm_plus.seq']), a.fields['s7comm_plus.function']);
  });

  test('every TPDU of cotp.log is accounted for (CR, CC and DTs, both protocols)', () => {
    compareCotpLog(d, readZeekLog('s7comm/expected-s7comm_plus/cotp.log'), ['s7comm', 's7comm_plus']);
  });
});

/**
 * S7 jobs and answers in a capture, counted straight from the bytes (Ethernet, IPv4, TCP, then
 * every TPKT of the segment), independently of the dissector: `<rosctr> <function code>`.
 */
async function countS7Functions(name: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await readCaptureFile(sharedCapture(`s7comm/${name}`), (_lt, _ts, buf, start, end) => {
    const ip = start + 14;
    if (((buf[start + 12] << 8) | buf[start + 13]) !== 0x0800 || buf[ip + 9] !== 6) return;
    const ipEnd = ip + ((buf[ip + 2] << 8) | buf[ip + 3]);
    const tcp = ip + (buf[ip] & 0x0f) * 4;
    let p = tcp + (buf[tcp + 12] >> 4) * 4;
    while (p + 7 <= Math.min(ipEnd, end) && buf[p] === 3) {
      const len = (buf[p + 2] << 8) | buf[p + 3];
      const s7 = p + 5 + buf[p + 4];
      if (buf[p + 5] === 0xf0 && buf[s7] === 0x32) {
        const rosctr = buf[s7 + 1];
        const fn = buf[s7 + (rosctr === 3 ? 12 : 10)];
        const k = `${rosctr} ${fn}`;
        out.set(k, (out.get(k) ?? 0) + 1);
      }
      p += len;
    }
  });
  return out;
}

describe('iti_s7comm_varservice_libnodavedemo_bench.pcap (libnodave read/write benchmark)', async () => {
  const d = await decode('iti_s7comm_varservice_libnodavedemo_bench.pcap');

  test('decodes without a violation', () => {
    assert.deepEqual(violations(d), []);
  });

  test('jobs and answers per function agree with a count straight from the capture bytes', async () => {
    const bytes = await countS7Functions('iti_s7comm_varservice_libnodavedemo_bench.pcap');
    const code: Record<string, number> = { JOB: 1, ACK_DATA: 3 };
    const ours = countBy(
      s7Pdus(d).map((e) => ({
        k: `${code[e.fields['s7comm.rosctr'] as string]} ${e.fields['s7comm.function_code']}`,
      })),
      'k',
    );
    assert.deepEqual(new Map([...ours].sort()), new Map([...bytes].sort()));
    const reads = s7Pdus(d).filter((e) => e.fields['s7comm.function'] === 'READ_VAR');
    const writes = s7Pdus(d).filter((e) => e.fields['s7comm.function'] === 'WRITE_VAR');
    assert.equal(reads.length, (bytes.get('1 4') ?? 0) + (bytes.get('3 4') ?? 0));
    assert.equal(writes.length, (bytes.get('1 5') ?? 0) + (bytes.get('3 5') ?? 0));
    assert.ok(reads.length > 1000 && writes.length > 1000);
  });

  test('every job is answered, and every read and write item is addressed', () => {
    const jobs = s7Pdus(d).filter((e) => e.fields['s7comm.rosctr'] === 'JOB');
    const answers = new Set(
      s7Pdus(d)
        .filter((e) => e.fields['s7comm.rosctr'] === 'ACK_DATA')
        .map((e) => e.fields['s7comm.pdu_ref']),
    );
    for (const j of jobs)
      assert.ok(answers.has(j.fields['s7comm.pdu_ref']), `job ${j.fields['s7comm.pdu_ref']}`);
    for (const j of jobs.filter((e) => e.fields['s7comm.function'] !== 'SETUP_COMMUNICATION')) {
      const areas = j.fields['s7comm.areas'] as string[];
      assert.equal(areas.length, Math.min(j.fields['s7comm.item_count'] as number, 32));
      assert.ok(areas.every((a) => !a.startsWith('UNKNOWN')));
    }
  });

  test('the connection opens with COTP CR/CC naming rack 0, slot 2', () => {
    const [cr, cc] = messages(d, 's7comm').filter((e) => e.fields['s7comm.cotp.pdu'] !== 'DT');
    assert.deepEqual(
      [
        cr.fields['s7comm.function'],
        cr.fields['s7comm.rack'],
        cr.fields['s7comm.slot'],
        cr.fields['s7comm.cotp.tpdu_size'],
      ],
      ['COTP_CONNECTION_REQUEST', 0, 2, 512],
    );
    assert.equal(cc.fields['s7comm.function'], 'COTP_CONNECTION_CONFIRM');
  });
});
