// Golden tests on a real capture (STYLE.md 7): the whole pipeline decodes
// ../shared/captures/profinet/profinet_io_cm_mixed_1.pcap with both PROFINET dissectors.
// - profinet_cm: every datagram against ICSNPP's profinet_io_cm.log, row by row and counted per
//   packet type and operation;
// - profinet (link layer): frame counts per kind against the capture's own bytes, read here
//   independently of the pipeline, and the identity of the DCP Identify response against what
//   the ICSNPP log says about the same device (its PNIO object UUID and address).
// Counts and values come from the log or the capture, never from this file.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countBy, type LogRow, readZeekLog, sharedCapture } from '../../../test/zeek-log.ts';
import { readCaptureFile } from '../../capture/source.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, LinkEvent } from '../../pipeline/events.ts';
import { profinetCmDissector, profinetDissector } from './dissector.ts';

const CAPTURE = 'profinet/profinet_io_cm_mixed_1.pcap';

/**
 * The log has no #fields line: its columns are ICSNPP's Profinet_Header record
 * (icsnpp-profinet-io-cm analyzer/types.zeek) with `id` expanded, less `ts` and `uid`, which the
 * baseline does not keep. readZeekLog checks every row has exactly this many cells.
 */
const LOG_COLUMNS = [
  'id.orig_h',
  'id.orig_p',
  'id.resp_h',
  'id.resp_p',
  'source_h',
  'source_p',
  'destination_h',
  'destination_p',
  'proto',
  'rpc_version',
  'packet_type',
  'reserved_for_impl_1',
  'last_fragment',
  'fragment',
  'no_fragment_requested',
  'maybe',
  'idempotent',
  'broadcast',
  'reserved_for_impl_2',
  'cancel_was_pending_at_call_end',
  'integer_encoding',
  'character_encoding',
  'floating_point_encoding',
  'serial_high',
  'object_uuid',
  'interface_uuid',
  'activity_uuid',
  'server_boot_time',
  'interface_vers_major',
  'interface_vers_minor',
  'sequence_num',
  'operation_num',
  'interface_hint',
  'activity_hint',
  'len_of_body',
  'fragment_num',
  'auth_protocol',
  'serial_low',
  'vers_fack',
  'window_size',
  'max_tsdu',
  'max_frag_size',
  'serial_number',
  'sel_ack_len',
  'array_of_sel_ack',
] as const;

/** ICSNPP prints `Request`, `ReadImplicit`, `Big Endian`; Zoneward `REQUEST`, `READ_IMPLICIT`, `BIG_ENDIAN`. */
const upperSnake = (s: string) =>
  s
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/\s+/g, '_')
    .toUpperCase();

/**
 * The UUID as the octets of a little-endian PDU mean it. ICSNPP prints the 16 octets in wire order
 * whatever the data representation; DCE 1.1 (C706 Appendix A and §14.2.5) encodes time_low,
 * time_mid and time_hi_and_version as integers in the PDU's byte order, so for a little-endian
 * PDU those three fields are reversed on the wire. Zoneward reads them as the standard says:
 * `0000A0DE-976C-D111-...` in the log is `dea00000-6c97-11d1-...`.
 */
function fromWireOrder(u: string, littleEndian: boolean): string {
  const lower = u.toLowerCase();
  if (!littleEndian) return lower;
  const [a, b, c, ...rest] = lower.split('-');
  const swap = (h: string) => h.match(/../g)!.reverse().join('');
  return [swap(a), swap(b), swap(c), ...rest].join('-');
}

interface Decoded {
  events: AppEvent[];
  links: LinkEvent[];
}

async function decode(): Promise<Decoded> {
  const events: AppEvent[] = [];
  const links: LinkEvent[] = [];
  await decodeCaptureFile(
    sharedCapture(CAPTURE),
    { event: (e) => events.push(e), arp() {}, connection() {}, link: (e) => links.push(e) },
    { dissectors: [profinetCmDissector, profinetDissector] },
  );
  return { events, links };
}

/** Frame ids of Ethernet type 0x8892 (VLAN tags skipped), straight from the capture records. */
async function pnFrameIds(): Promise<number[]> {
  const ids: number[] = [];
  await readCaptureFile(sharedCapture(CAPTURE), (_lt, _ts, buf, start, end) => {
    const f = buf.subarray(start, end);
    let off = 12;
    while (off + 4 <= f.length && ((f[off] << 8) | f[off + 1]) === 0x8100) off += 4;
    if (((f[off] << 8) | f[off + 1]) !== 0x8892 || off + 4 > f.length) return;
    ids.push((f[off + 2] << 8) | f[off + 3]);
  });
  return ids;
}

/** The frame kinds this capture holds, by the frame id table of IEC 61158-6-10 §4.2.2. */
function kindOf(id: number): string {
  if (id >= 0xc000 && id <= 0xfbff) return 'RT_CLASS_1';
  if (id === 0xfe01) return 'ALARM_LOW';
  if (id === 0xfefe) return 'DCP_IDENTIFY_REQUEST';
  if (id === 0xfeff) return 'DCP_IDENTIFY_RESPONSE';
  if (id >= 0xff40 && id <= 0xff43) return 'PTCP_DELAY';
  return `unexpected 0x${id.toString(16)}`;
}

describe('golden: profinet_io_cm_mixed_1.pcap', async () => {
  const [{ events, links }, ids] = await Promise.all([decode(), pnFrameIds()]);
  const log = readZeekLog('profinet/expected/profinet_io_cm.log', LOG_COLUMNS);
  const cm = events.filter((e) => e.app === 'profinet_cm');

  test('profinet_cm: no violations, one message per logged datagram', () => {
    assert.equal(cm.filter((e) => e.kind === 'violation').length, 0);
    assert.equal(cm.length, log.length);
  });

  test('profinet_cm: counts per packet type and operation agree with ICSNPP', () => {
    const theirs = countBy(
      log.map((r) => ({ ...r, key: `${upperSnake(r.packet_type)} ${upperSnake(r.operation_num)}` })),
      'key',
    );
    const ours = countBy(
      cm.map(
        (e) => ({ key: `${e.fields['profinet_cm.packet_type']} ${e.fields['profinet_cm.opnum']}` }) as LogRow,
      ),
      'key',
    );
    assert.deepEqual(ours, theirs);
  });

  test('profinet_cm: every row field by field', () => {
    log.forEach((row, i) => {
      const e = cm[i];
      const f = e.fields;
      const at = `row ${i + 1}`;
      // Sender and receiver: the client sends dir 0.
      const [src, sport, dst, dport] =
        e.dir === 0
          ? [e.conn.clientIp, e.conn.clientPort, e.conn.serverIp, e.conn.serverPort]
          : [e.conn.serverIp, e.conn.serverPort, e.conn.clientIp, e.conn.clientPort];
      assert.deepEqual(
        [src, String(sport), dst, String(dport)],
        [row.source_h, row.source_p, row.destination_h, row.destination_p],
        at,
      );
      assert.equal(f['profinet_cm.packet_type'], upperSnake(row.packet_type), at);
      assert.equal(f['profinet_cm.opnum'], upperSnake(row.operation_num), at);
      assert.equal(f['profinet_cm.byte_order'], upperSnake(row.integer_encoding), at);
      assert.equal(String(f['profinet_cm.seq']), row.sequence_num, at);
      assert.equal(String(f['profinet_cm.body_length']), row.len_of_body, at);
      assert.equal(String(f['profinet_cm.server_boot_time']), row.server_boot_time, at);
      assert.equal(String(f['profinet_cm.fragment_num']), row.fragment_num, at);
      const flags = f['profinet_cm.flags'] as string[];
      const flag = (name: string) => (flags.includes(name) ? 'T' : 'F');
      assert.deepEqual(
        [
          flag('LAST_FRAGMENT'),
          flag('FRAGMENT'),
          flag('NO_FACK'),
          flag('MAYBE'),
          flag('IDEMPOTENT'),
          flag('BROADCAST'),
          flag('CANCEL_PENDING'),
        ],
        [
          row.last_fragment,
          row.fragment,
          row.no_fragment_requested,
          row.maybe,
          row.idempotent,
          row.broadcast,
          row.cancel_was_pending_at_call_end,
        ],
        at,
      );
      const le = row.integer_encoding === 'Little Endian';
      assert.equal(f['profinet_cm.object_uuid'], fromWireOrder(row.object_uuid, le), at);
      assert.equal(f['profinet_cm.interface_uuid'], fromWireOrder(row.interface_uuid, le), at);
      assert.equal(f['profinet_cm.activity_uuid'], fromWireOrder(row.activity_uuid, le), at);
      // C706 §12.5.3.2: if_vers carries the major version in its low-order 16 bits and the minor
      // in the high-order ones. ICSNPP splits the 32 bits the other way round and logs PNIO's
      // interface version 1.0 as major 0, minor 1; the numbers agree, swapped.
      assert.equal(String(f['profinet_cm.interface_version_major']), row.interface_vers_minor, at);
      assert.equal(String(f['profinet_cm.interface_version_minor']), row.interface_vers_major, at);
    });
  });

  test('profinet (link): frame counts per kind match the capture bytes, with no violations', () => {
    const pn = links.filter((e) => e.app === 'profinet');
    assert.equal(pn.filter((e) => e.kind === 'violation').length, 0);
    const expected = new Map<string, number>();
    for (const id of ids) expected.set(kindOf(id), (expected.get(kindOf(id)) ?? 0) + 1);
    const got = new Map<string, number>();
    for (const e of pn) {
      const k = e.fields['profinet.frame_type'] as string;
      got.set(k, (got.get(k) ?? 0) + 1);
    }
    assert.deepEqual(got, expected);
  });

  test('profinet (link): the Identify response names the device ICSNPP saw connected to', () => {
    const responses = links.filter((e) => e.fields['profinet.frame_type'] === 'DCP_IDENTIFY_RESPONSE');
    assert.equal(responses.length, ids.filter((id) => id === 0xfeff).length);
    const f = responses[0].fields;
    // The Connect request to the device carries its PNIO object UUID,
    // DEA00000-6C97-11D1-8271-{instance}{device id}{vendor id} (IEC 61158-6-10 §4.10.2.2).
    const connectTo = log.filter(
      (r) =>
        r.operation_num === 'Connect' &&
        r.packet_type === 'Request' &&
        r.destination_h === f['profinet.device.ip'],
    );
    assert.ok(connectTo.length > 0, 'ICSNPP logged a Connect to the identified device');
    const node = connectTo[0].object_uuid.split('-')[4].toLowerCase();
    assert.equal(f['profinet.device.product_code'], `0x${node.slice(4, 8)}`);
    assert.equal(f['profinet.device.vendor_id'], `0x${node.slice(8, 12)}`);
    assert.equal(f['profinet.device.id'], `vendor 0x${node.slice(8, 12)} device 0x${node.slice(4, 8)}`);
    // The same name of station comes back from the device in the CM Read of PDRealData.
    const named = cm.filter((e) => e.fields['profinet_cm.device.name'] === f['profinet.device.name']);
    assert.ok(named.length > 0);
    assert.equal(typeof f['profinet.device.product'], 'string');
  });
});
