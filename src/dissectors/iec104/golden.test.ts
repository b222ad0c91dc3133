// Golden test on a real capture (STYLE.md 7): the whole pipeline decodes ITI's IEC 104 trace
// (../shared/captures/iec104/iti_TestDissectIec104.pcap), and the events must agree with what the
// capture's own bytes say. The trace has no peer log beside it, so the expected figures come from
// an independent reading done here: the TCP payload of every connection is put back in sequence
// order straight from the capture records (Ethernet, IPv4 and TCP headers read by hand, not by the
// pipeline), and a deliberately naive framer walks it: a frame is 0x68, a length, and a control
// field of one of the three formats; everything else is a run of junk.
//
// About the junk: the trace is a dissector test. Connections from client ports 1568, 1570, 1571,
// 1572 and 1577 interleave valid U frames with runs of filler octets (07 07 07 ..., 0a 0a ...) and
// frames whose length octet is impossible (68 01, 68 02, 68 03: 104 §5 needs at least the 4
// control octets) or whose content is (68 05 17 ...: a U frame is always 4 octets, 104 §5.3;
// 68 06 18 18 ...: an I frame with a 2-octet ASDU, shorter than the 6-octet data unit identifier,
// 104 §9). These bytes are malformed on purpose, so each run of them is exactly one violation;
// the last connection (port 1578) is a clean session and must decode without any.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedCapture } from '../../../test/zeek-log.ts';
import { readCaptureFile } from '../../capture/source.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent } from '../../pipeline/events.ts';
import { iec104Dissector } from './dissector.ts';
import { TYPE_NAME_BY_CODE, U_FUNCTION_BY_OCTET } from './spec.ts';

const CAPTURE = sharedCapture('iec104/iti_TestDissectIec104.pcap');

/** In-order payload of one direction of one connection, keyed `clientPort/dir`. */
async function streamsFromCapture(): Promise<Map<string, Uint8Array>> {
  const segments = new Map<string, Map<number, Uint8Array>>();
  const isn = new Map<string, number>();
  await readCaptureFile(CAPTURE, (_lt, _ts, buf, start, end) => {
    const f = buf.subarray(start, end);
    if (((f[12] << 8) | f[13]) !== 0x0800 || f[14 + 9] !== 6) return; // IPv4 and TCP only
    const ip = 14;
    const ihl = (f[ip] & 0x0f) * 4;
    const ipEnd = ip + ((f[ip + 2] << 8) | f[ip + 3]);
    const t = ip + ihl;
    const sport = (f[t] << 8) | f[t + 1];
    const dport = (f[t + 2] << 8) | f[t + 3];
    const seq = ((f[t + 4] << 24) | (f[t + 5] << 16) | (f[t + 6] << 8) | f[t + 7]) >>> 0;
    const flags = f[t + 13];
    const payload = f.slice(t + (f[t + 12] >> 4) * 4, ipEnd);
    const toServer = dport === 2404;
    const key = `${toServer ? sport : dport}/${toServer ? 0 : 1}`;
    if (flags & 0x02) isn.set(key, seq + 1); // SYN: data starts one after it
    if (payload.length === 0) return;
    const m = segments.get(key) ?? new Map<number, Uint8Array>();
    m.set(seq, payload); // a retransmission replaces, never duplicates
    segments.set(key, m);
  });
  const out = new Map<string, Uint8Array>();
  for (const [key, m] of segments) {
    const base = isn.get(key)!;
    const parts = [...m].sort(([a], [b]) => a - b);
    const total = parts.reduce((n, [, p]) => n + p.length, 0);
    const bytes = new Uint8Array(total);
    for (const [seq, p] of parts) bytes.set(p, seq - base);
    out.set(key, bytes);
  }
  return out;
}

interface Census {
  apci: Map<string, number>;
  func: Map<string, number>;
  junkRuns: number;
  /** I frames whose cause octet has the P/N bit (octet 3 of the ASDU, bit 7). */
  negatives: number;
  /** Single and double commands (types 45, 46) whose command octet has the S/E bit. */
  selects: number;
}

const emptyCensus = (): Census => ({
  apci: new Map(),
  func: new Map(),
  junkRuns: 0,
  negatives: 0,
  selects: 0,
});

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/**
 * The naive framer: at each offset, a frame is 0x68, a length L >= 4 that fits, and a control
 * field that is a U function (one of six octets, L = 4), an S frame (01 00, L = 4) or an I frame
 * with room for a data unit identifier and one address (L >= 13). Anything else is junk.
 */
function census(bytes: Uint8Array, into: Census): void {
  let i = 0;
  let inJunk = false;
  const U_OCTETS = [0x07, 0x0b, 0x13, 0x23, 0x43, 0x83];
  while (i < bytes.length) {
    const L = bytes[i + 1];
    const fits = bytes[i] === 0x68 && i + 1 < bytes.length && L >= 4 && i + 2 + L <= bytes.length;
    const c1 = bytes[i + 2];
    let kind: 'I' | 'S' | 'U' | null = null;
    if (fits && (c1 & 1) === 0 && L >= 13) kind = 'I';
    else if (fits && c1 === 0x01 && bytes[i + 3] === 0 && L === 4) kind = 'S';
    else if (fits && U_OCTETS.includes(c1) && L === 4) kind = 'U';
    if (kind === null) {
      if (!inJunk) into.junkRuns++;
      inJunk = true;
      i++;
      continue;
    }
    inJunk = false;
    bump(into.apci, kind);
    if (kind === 'I') {
      bump(into.func, TYPE_NAME_BY_CODE[bytes[i + 6]]);
      if (bytes[i + 8] & 0x40) into.negatives++;
      // The first element follows the 6-octet identifier and the 3-octet address.
      if ((bytes[i + 6] === 45 || bytes[i + 6] === 46) && bytes[i + 15] & 0x80) into.selects++;
    }
    if (kind === 'U') bump(into.func, U_FUNCTION_BY_OCTET[c1]!);
    i += 2 + L;
  }
}

async function decode(): Promise<AppEvent[]> {
  const events: AppEvent[] = [];
  await decodeCaptureFile(
    CAPTURE,
    { event: (e) => events.push(e), arp() {}, connection() {}, link() {} },
    { dissectors: [iec104Dissector] },
  );
  return events;
}

describe('golden: iti_TestDissectIec104.pcap', async () => {
  const [events, streams] = await Promise.all([decode(), streamsFromCapture()]);

  test('every connection is pinned to iec104 and decoded', () => {
    const ports = new Set(events.map((e) => e.conn.clientPort));
    assert.deepEqual(
      [...ports].sort(),
      [...new Set([...streams.keys()].map((k) => Number(k.split('/')[0])))].sort(),
    );
  });

  test('APCI formats and functions per connection and direction match the capture bytes', () => {
    for (const [key, bytes] of streams) {
      const [port, dir] = key.split('/').map(Number);
      const expected = emptyCensus();
      census(bytes, expected);
      const mine = events.filter((e) => e.conn.clientPort === port && e.dir === dir);
      const got = emptyCensus();
      for (const e of mine) {
        if (e.kind !== 'message') continue;
        bump(got.apci, e.fields['iec104.apci_type'] as string);
        const f = (e.fields['iec104.type_id'] ?? e.fields['iec104.u_func']) as string | null;
        if (f !== null) bump(got.func, f);
      }
      assert.deepEqual(got.apci, expected.apci, `${key} APCI formats`);
      assert.deepEqual(got.func, expected.func, `${key} type ids and U functions`);
      // One violation per run of malformed bytes (see the header comment).
      assert.equal(mine.filter((e) => e.kind === 'violation').length, expected.junkRuns, `${key} violations`);
    }
  });

  test('the clean session (port 1578) has no violations and the types the bytes carry', () => {
    const clean = events.filter((e) => e.conn.clientPort === 1578);
    assert.equal(clean.filter((e) => e.kind === 'violation').length, 0);
    const expected = emptyCensus();
    census(streams.get('1578/0')!, expected);
    census(streams.get('1578/1')!, expected);
    assert.equal(expected.junkRuns, 0);
    const got = new Map<string, number>();
    for (const e of clean) {
      const f = (e.fields['iec104.type_id'] ??
        e.fields['iec104.u_func'] ??
        e.fields['iec104.apci_type']) as string;
      bump(got, f);
    }
    const want = new Map(expected.func);
    if (expected.apci.get('S')) want.set('S', expected.apci.get('S')!);
    assert.deepEqual(got, want);
  });

  test('commands carry select/execute, values and the confirmation bits the bytes hold', () => {
    const expected = emptyCensus();
    for (const bytes of streams.values()) census(bytes, expected);
    assert.ok(expected.negatives > 0 && expected.selects > 0, 'the trace has both');
    const messages = events.filter((e) => e.kind === 'message');
    assert.equal(messages.filter((e) => e.fields['iec104.negative'] === true).length, expected.negatives);
    assert.equal(messages.filter((e) => e.fields['iec104.select'] === true).length, expected.selects);
    for (const e of events) {
      if (e.kind !== 'message' || e.fields['iec104.apci_type'] !== 'I') continue;
      assert.equal(typeof e.fields['iec104.common_address'], 'number');
      assert.ok(Array.isArray(e.fields['iec104.ioa']));
      const type = e.fields['iec104.type_id'] as string;
      if (type === 'C_SC_NA_1' || type === 'C_DC_NA_1') {
        assert.equal(typeof e.fields['iec104.select'], 'boolean');
        assert.equal(e.fields['iec104.operation'], 'control');
      }
    }
  });
});
