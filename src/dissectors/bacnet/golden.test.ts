// Golden test (STYLE.md 7): the ICSNPP BACnet capture through the real pipeline, compared with the
// logs the CISA ICSNPP parser wrote from the same bytes (../shared/captures/bacnet/expected/):
// message counts per BVLC function, PDU type and service (bacnet.log), Who-Is/I-Am field by field
// (bacnet_discovery.log), ReadProperty requests and acks field by field (bacnet_property.log), and
// the Device object identity those acks carry.
//
// Names: ICSNPP prints services in lower snake case (`read_property`) in bacnet.log and in kebab
// case (`read-property-ack`) in the other logs, BVLC functions in mixed case
// (`Original_Unicast_NPDU`); we print the spec's names in upper snake case (DESIGN.md "Names"), so
// the comparison upper-cases theirs. Object types, properties and error codes are the spec's ASN.1
// identifiers on both sides.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { countBy, type LogRow, readZeekLog, sharedCapture } from '../../../test/zeek-log.ts';
import { decodeCaptureFile } from '../../pipeline/decode-file.ts';
import type { AppEvent, ConnectionSummary } from '../../pipeline/events.ts';
import { bacnetDissector } from './dissector.ts';

const CAPTURE = 'bacnet/bacnet_example.pcap';
const events: AppEvent[] = [];
const connections: ConnectionSummary[] = [];

const messages = () => events.filter((e) => e.kind === 'message');
const violations = () => events.filter((e) => e.kind === 'violation');
/** The sender's address: the client for dir 0, the server for dir 1. */
const sender = (e: AppEvent) => (e.dir === 0 ? e.conn.clientIp : e.conn.serverIp);
const upper = (name: string) => name.replaceAll('-', '_').toUpperCase();
const str = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

/**
 * How ICSNPP prints a property value: reals as C's `%f` (six decimals; an exact tie rounds to
 * even, where `toFixed` rounds it up: 119.9765625 is `119.976562`), the rest as text.
 */
function zeekValue(v: unknown): string {
  if (typeof v !== 'number' || Number.isInteger(v)) return str(v);
  const scaled = v * 1e6;
  if (Number.isInteger(scaled * 2) && !Number.isInteger(scaled)) {
    const even = Math.floor(scaled) % 2 === 0 ? Math.floor(scaled) : Math.ceil(scaled);
    return (even / 1e6).toFixed(6);
  }
  return v.toFixed(6);
}

before(async () => {
  await decodeCaptureFile(
    sharedCapture(CAPTURE),
    {
      event: (e) => events.push(e),
      arp() {},
      connection: (c) => connections.push(c),
      link() {},
    } as Parameters<typeof decodeCaptureFile>[1],
    { dissectors: [bacnetDissector] },
  );
});

describe('bacnet golden: bacnet_example.pcap vs ICSNPP', () => {
  it('message counts per BVLC function, direction, PDU type, service and result agree with bacnet.log', () => {
    const log = readZeekLog('bacnet/expected/bacnet.log');
    const key = (bvlc: string, orig: boolean, pdu: string, service: string, result: string) =>
      `${bvlc} ${orig ? 'T' : 'F'} ${pdu} ${service} ${result}`;
    const theirs = countBy(
      log.map((r) => ({
        k: key(upper(r.bvlc_function), r.is_orig === 'T', r.pdu_type, upper(r.pdu_service), r.result_code),
      })),
      'k',
    );
    const ours = countBy(
      messages().map((e) => ({
        k: key(
          str(e.fields['bacnet.bvlc_function']),
          e.dir === 0,
          str(e.fields['bacnet.pdu_type']),
          str(e.fields['bacnet.service']),
          str(e.fields['bacnet.error']),
        ),
      })),
      'k',
    );
    assert.ok(theirs.size > 0);
    assert.deepEqual(ours, theirs);
    assert.equal(messages().length, log.length);
  });

  it('every message is classified: read-property read, who-is/i-am discovery, reinitialize control', () => {
    const want: Record<string, string> = {
      READ_PROPERTY: 'read',
      WHO_IS: 'discovery',
      I_AM: 'discovery',
      REINITIALIZE_DEVICE: 'control',
    };
    for (const e of messages())
      assert.equal(e.fields['bacnet.operation'], want[str(e.fields['bacnet.service'])]);
  });

  it('Who-Is and I-Am agree with bacnet_discovery.log field by field', () => {
    const log = readZeekLog('bacnet/expected/bacnet_discovery.log');
    const ours = messages().filter(
      (e) => e.fields['bacnet.service'] === 'WHO_IS' || e.fields['bacnet.service'] === 'I_AM',
    );
    assert.equal(ours.length, log.length);
    const row = (
      source: string,
      service: string,
      type: string,
      instance: string,
      vendor: string,
      range: string,
    ) => [source, service, type, instance, vendor, range].join(' | ');
    const theirs = log.map((r: LogRow) =>
      row(r.source_h, upper(r.pdu_service), r.object_type, r.instance_number, r.vendor, r.range),
    );
    const mine = ours.map((e) => {
      const f = e.fields;
      const ranged = f['bacnet.low_limit'] !== null && f['bacnet.low_limit'] !== undefined;
      const range =
        f['bacnet.service'] !== 'WHO_IS'
          ? '-'
          : ranged
            ? `${f['bacnet.low_limit']}-${f['bacnet.high_limit']}`
            : 'All';
      return row(
        sender(e),
        str(f['bacnet.service']),
        str(f['bacnet.object_type']),
        str(f['bacnet.instance']),
        str(f['bacnet.device.vendor']),
        range,
      );
    });
    assert.deepEqual(mine, theirs);
  });

  it('I-Am carries the device identity: id, vendor id and the vendor name ICSNPP gives it', () => {
    const log = readZeekLog('bacnet/expected/bacnet_discovery.log').filter((r) => r.pdu_service === 'i-am');
    const iams = messages().filter((e) => e.fields['bacnet.service'] === 'I_AM');
    assert.equal(iams.length, log.length);
    iams.forEach((e, i) => {
      assert.equal(e.fields['bacnet.device.id'], `device ${log[i].instance_number}`);
      assert.equal(e.fields['bacnet.device.vendor'], log[i].vendor);
      assert.equal(e.fields['bacnet.device.vendor_id'], String(e.fields['bacnet.vendor_id']));
      // Not behind a router: the identity is the sender's own.
      assert.equal(e.fields['bacnet.device.unit'], undefined);
    });
  });

  it('ReadProperty requests and acks agree with bacnet_property.log field by field', () => {
    const log = readZeekLog('bacnet/expected/bacnet_property.log');
    const ours = messages().filter((e) => e.fields['bacnet.service'] === 'READ_PROPERTY');
    assert.equal(ours.length, log.length);
    const row = (...cells: string[]) => cells.join(' | ');
    const theirs = log.map((r) =>
      row(
        r.source_h,
        r.invoke_id,
        r.pdu_service,
        r.object_type,
        r.instance_number,
        r.property,
        r.array_index,
        r.value,
      ),
    );
    const mine = ours.map((e) => {
      const f = e.fields;
      const kind =
        f['bacnet.pdu_type'] === 'CONFIRMED_REQUEST' ? 'read-property-request' : 'read-property-ack';
      return row(
        sender(e),
        str(f['bacnet.invoke_id']),
        kind,
        str(f['bacnet.object_type']),
        str(f['bacnet.instance']),
        str(f['bacnet.property']),
        str(f['bacnet.array_index']),
        kind === 'read-property-ack' ? zeekValue(f['bacnet.value']) : '-',
      );
    });
    assert.deepEqual(mine, theirs);
  });

  it('Device object acks fill the identity: model, firmware, application software, name', () => {
    const parts: Record<string, [string, (v: string) => string]> = {
      'model-name': ['bacnet.device.model', (v) => v],
      'firmware-revision': ['bacnet.device.firmware', (v) => v],
      'application-software-version': ['bacnet.device.description', (v) => `application software ${v}`],
      'object-name': ['bacnet.device.name', (v) => v],
    };
    const log = readZeekLog('bacnet/expected/bacnet_property.log').filter(
      (r) => r.pdu_service === 'read-property-ack' && r.object_type === 'device' && r.property in parts,
    );
    const acks = messages().filter(
      (e) =>
        e.fields['bacnet.pdu_type'] === 'COMPLEX_ACK' &&
        e.fields['bacnet.object_type'] === 'device' &&
        str(e.fields['bacnet.property']) in parts,
    );
    assert.ok(log.length > 0);
    assert.equal(acks.length, log.length);
    acks.forEach((e, i) => {
      const [field, expect] = parts[log[i].property];
      assert.equal(
        e.fields[field],
        expect(log[i].value),
        `${log[i].property} of device ${log[i].instance_number}`,
      );
      assert.equal(e.fields['bacnet.device.id'], `device ${log[i].instance_number}`);
      // The identity describes the responder (dir 1), the IP ICSNPP names as the source.
      assert.equal(e.dir, 1);
      assert.equal(sender(e), log[i].source_h);
    });
    // A location is no identity part.
    const locations = messages().filter((e) => e.fields['bacnet.property'] === 'location' && e.dir === 1);
    assert.ok(locations.length > 0);
    for (const e of locations)
      assert.equal(
        Object.keys(e.fields).filter((k) => k.startsWith('bacnet.device.') && k !== 'bacnet.device.id')
          .length,
        0,
      );
  });

  it('reports every datagram whose BVLC length disagrees with it, besides decoding it (ICSNPP does not check)', () => {
    // J.2: "BVLC Length: the length, in octets, of the entire BVLL message". The capture's
    // ReinitializeDevice exchanges were crafted with a BVLC length of 17 whatever their size;
    // ICSNPP decodes them silently. We decode them too (the device acts on them), and report
    // each as a violation. The expected number comes from the capture bytes.
    const expected = bvlcLengthMismatches(readFileSync(sharedCapture(CAPTURE)));
    assert.ok(expected > 0);
    assert.equal(violations().length, expected);
    for (const v of violations()) {
      assert.match(String(v.fields.reason), /BVLC length \d+ does not match/);
      assert.ok(messages().some((m) => m.ts === v.ts && m.conn === v.conn && m.dir === v.dir));
    }
  });

  it('recognises BACnet between the same hosts as ICSNPP', () => {
    // Compared as host pairs: how many connections a pair makes depends on each tool's UDP idle
    // timeout (Zeek's splits every discovery round), which is the pipeline's business, not BACnet's.
    const pair = (a: string, b: string) => [a, b].sort().join(' ');
    const theirs = new Set(
      readZeekLog('bacnet/expected/conn.log')
        .filter((r) => r.service === 'bacnet')
        .map((r) => pair(r['id.orig_h'], r['id.resp_h'])),
    );
    const ours = new Set(
      connections.filter((c) => c.app === 'bacnet').map((c) => pair(c.conn.clientIp, c.conn.serverIp)),
    );
    assert.ok(theirs.size > 0);
    assert.deepEqual([...ours].sort(), [...theirs].sort());
  });
});

/** Counts UDP payloads in a classic little-endian pcap of Ethernet/IPv4 whose BVLC length is off. */
function bvlcLengthMismatches(file: Buffer): number {
  assert.equal(file.readUInt32LE(0), 0xa1b2c3d4, 'classic little-endian pcap');
  let count = 0;
  for (let off = 24; off + 16 <= file.length; ) {
    const caplen = file.readUInt32LE(off + 8);
    const frame = file.subarray(off + 16, off + 16 + caplen);
    off += 16 + caplen;
    if (frame.readUInt16BE(12) !== 0x0800 || frame[23] !== 17) continue;
    const udp = 14 + (frame[14] & 0x0f) * 4;
    const payload = frame.subarray(udp + 8, udp + frame.readUInt16BE(udp + 4));
    if (payload[0] === 0x81 && payload.readUInt16BE(2) !== payload.length) count++;
  }
  return count;
}
