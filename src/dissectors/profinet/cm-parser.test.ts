// PNIO CM parser tests (STYLE.md 8): the DCE/RPC connectionless header in both byte orders, every
// opnum with its blocks, identity from ARBlockReq, object UUIDs and I&M0, PNIO and fault statuses,
// fragments, malformed datagrams (short, wrong version or type, lengths past the end), every
// truncation, and random bytes that never throw.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Fields } from '../types.ts';
import { looksLikePnioCm, MAX_BLOCKS_IN_EVENT, parseCm, RPC_HEADER_LENGTH, uuid } from './cm-parser.ts';
import { RECORD_INDEXES } from './spec.ts';
import {
  connectRequest,
  connectResponse,
  controlRequest,
  controlResponse,
  readRequest,
  readResponseIm0,
  rpc,
  SAMPLE,
  writeRequest,
  writeResponse,
} from './testing.ts';

const target = { arUuid: SAMPLE.arUuid, activity: SAMPLE.activity, seq: 3, target: SAMPLE.device };
const connect = {
  arUuid: SAMPLE.arUuid,
  activity: SAMPLE.activity,
  target: SAMPLE.device,
  controller: SAMPLE.controller,
};

function ok(b: Uint8Array): Fields {
  const r = parseCm(b);
  assert.notEqual(typeof r, 'string', String(r));
  return r as Fields;
}

function bad(b: Uint8Array): string {
  const r = parseCm(b);
  assert.equal(typeof r, 'string', 'expected a violation');
  return r as string;
}

describe('RPC header (C706 §12.5.3)', () => {
  test('UUIDs read in the order the data representation says', () => {
    const be = ok(readRequest(target));
    const le = ok(
      rpc(
        {
          ptype: 1,
          opnum: 2,
          seq: 3,
          object: String(be['profinet_cm.object_uuid']),
          activity: SAMPLE.activity,
          littleEndian: true,
        },
        new Uint8Array(0),
      ),
    );
    assert.equal(be['profinet_cm.byte_order'], 'BIG_ENDIAN');
    assert.equal(le['profinet_cm.byte_order'], 'LITTLE_ENDIAN');
    assert.equal(le['profinet_cm.object_uuid'], be['profinet_cm.object_uuid']);
    assert.equal(le['profinet_cm.interface_uuid'], 'dea00001-6c97-11d1-8271-00a02442df7d');
    assert.equal(le['profinet_cm.interface'], 'IO_DEVICE');
    assert.equal(le['profinet_cm.activity_uuid'], SAMPLE.activity);
  });

  test('interface version 1.0: major in the low 16 bits', () => {
    const f = ok(readRequest(target));
    assert.equal(f['profinet_cm.interface_version_major'], 1);
    assert.equal(f['profinet_cm.interface_version_minor'], 0);
  });

  test('the PNIO object UUID names instance, device and vendor', () => {
    const f = ok(readRequest(target));
    assert.equal(f['profinet_cm.object_vendor_id'], SAMPLE.device.vendorId);
    assert.equal(f['profinet_cm.object_device_id'], SAMPLE.device.deviceId);
    assert.equal(f['profinet_cm.object_instance'], 1);
  });

  test('uuid() prints the canonical form', () => {
    const b = Uint8Array.from([
      0xde, 0xa0, 0, 1, 0x6c, 0x97, 0x11, 0xd1, 0x82, 0x71, 0, 0xa0, 0x24, 0x42, 0xdf, 0x7d,
    ]);
    assert.equal(uuid(b, 0, false), 'dea00001-6c97-11d1-8271-00a02442df7d');
  });

  test('ping, working and fault packets; fault carries its status', () => {
    const base = {
      opnum: 0,
      seq: 1,
      object: '00000000-0000-0000-0000-000000000000',
      activity: SAMPLE.activity,
    };
    assert.equal(ok(rpc({ ...base, ptype: 1 }, new Uint8Array(0)))['profinet_cm.packet_type'], 'PING');
    assert.equal(ok(rpc({ ...base, ptype: 4 }, new Uint8Array(0)))['profinet_cm.operation'], 'other');
    const fault = ok(rpc({ ...base, ptype: 3 }, Uint8Array.from([0x1c, 0x01, 0x00, 0x03])));
    assert.equal(fault['profinet_cm.packet_type'], 'FAULT');
    assert.equal(fault['profinet_cm.error'], 'nca_status 0x1c010003');
  });
});

describe('PNIO services (IEC 61158-6-10 §4.10)', () => {
  test('Connect request: the controller names itself in the AR block', () => {
    const f = ok(connectRequest(connect));
    assert.equal(f['profinet_cm.opnum'], 'CONNECT');
    assert.equal(f['profinet_cm.operation'], 'control');
    assert.deepEqual(f['profinet_cm.blocks'], ['AR_BLOCK_REQ', 'ALARM_CR_BLOCK_REQ']);
    assert.equal(f['profinet_cm.ar_type'], 'IOC_AR_SINGLE');
    assert.equal(f['profinet_cm.ar_uuid'], SAMPLE.arUuid);
    assert.equal(f['profinet_cm.station_name'], SAMPLE.controller.stationName);
    assert.equal(f['profinet_cm.device.name'], SAMPLE.controller.stationName);
    assert.equal(f['profinet_cm.device.vendor'], 'Siemens');
    assert.equal(f['profinet_cm.device.product_code'], '0x010d');
  });

  test('Connect response: the device answers under its object UUID', () => {
    const f = ok(connectResponse(connect, SAMPLE.deviceMac));
    assert.equal(f['profinet_cm.packet_type'], 'RESPONSE');
    assert.equal(f['profinet_cm.responder_mac'], SAMPLE.deviceMac);
    assert.equal(f['profinet_cm.device.id'], 'vendor 0x002a device 0x0313');
    assert.equal(f['profinet_cm.error'], null);
  });

  test('Read of I&M0: request index, response identity', () => {
    const req = ok(readRequest(target));
    assert.equal(req['profinet_cm.opnum'], 'READ');
    assert.equal(req['profinet_cm.operation'], 'read');
    assert.equal(req['profinet_cm.index'], RECORD_INDEXES.IM0);
    const res = ok(readResponseIm0(target, SAMPLE.im0));
    assert.equal(res['profinet_cm.device.vendor'], 'Siemens');
    assert.equal(res['profinet_cm.device.vendor_id'], '0x002a');
    assert.equal(res['profinet_cm.device.model'], SAMPLE.im0.orderId);
    assert.equal(res['profinet_cm.device.serial'], SAMPLE.im0.serial);
    assert.equal(res['profinet_cm.device.hardware'], '3');
    assert.equal(res['profinet_cm.device.firmware'], 'V4.2.1');
  });

  test('Write: index, slot and subslot; an error status in the response', () => {
    const req = ok(writeRequest(target, 0x8051, [1, 2, 3, 4]));
    assert.equal(req['profinet_cm.operation'], 'write');
    assert.equal(req['profinet_cm.index'], 0x8051);
    assert.equal(req['profinet_cm.slot'], 1);
    assert.equal(req['profinet_cm.subslot'], 1);
    const res = ok(writeResponse(target, 0x8051, 0xdf80b000));
    assert.equal(res['profinet_cm.error'], 'IOD_WRITE_RES 0xdf80b000');
  });

  test('Control and Release name their command', () => {
    assert.equal(ok(controlRequest(target, 'PRM_END'))['profinet_cm.control_command'], 'PRM_END');
    assert.equal(ok(controlResponse(target, 'PRM_END'))['profinet_cm.control_command'], 'DONE');
    const ready = ok(controlRequest(target, 'APPLICATION_READY'));
    assert.equal(ready['profinet_cm.interface'], 'IO_CONTROLLER');
    assert.equal(ready['profinet_cm.control_command'], 'APPLICATION_READY');
    const release = ok(controlRequest(target, 'RELEASE'));
    assert.equal(release['profinet_cm.opnum'], 'RELEASE');
    assert.equal(release['profinet_cm.operation'], 'control');
  });

  test('a later fragment is header only', () => {
    const whole = connectRequest(connect);
    const frag = whole.slice(0, RPC_HEADER_LENGTH + 10);
    frag[2] |= 0x04; // fragment
    frag[76] = 0;
    frag[77] = 1; // fragment number 1 (big-endian)
    frag[74] = 0;
    frag[75] = 10;
    const f = ok(frag);
    assert.equal(f['profinet_cm.fragment_num'], 1);
    assert.equal(f['profinet_cm.blocks'], null);
    assert.ok((f['profinet_cm.flags'] as string[]).includes('FRAGMENT'));
  });

  test('a first fragment cut inside its blocks decodes what it has', () => {
    const whole = connectRequest(connect);
    const frag = whole.slice(0, RPC_HEADER_LENGTH + 40);
    frag[2] |= 0x04;
    frag[74] = 0;
    frag[75] = 40;
    assert.deepEqual(ok(frag)['profinet_cm.blocks'], []);
  });
});

describe('malformed datagrams', () => {
  test('header problems', () => {
    assert.match(bad(new Uint8Array(10)), /shorter than the 80-octet/);
    const v5 = readRequest(target);
    v5[0] = 5;
    assert.match(bad(v5), /version 5/);
    const pt = readRequest(target);
    pt[1] = 11;
    assert.match(bad(pt), /packet type 11/);
    const drep = readRequest(target);
    drep[4] = 0x20;
    assert.match(bad(drep), /data representation/);
    const len = readRequest(target);
    len[74] = 0x10;
    assert.match(bad(len), /runs past the datagram/);
  });

  test('NDR and block problems', () => {
    const b = readRequest(target);
    // ActualCount (at body offset 16) larger than ArgsLength
    b[RPC_HEADER_LENGTH + 16] = 0x7f;
    assert.match(bad(b), /ActualCount/);
    const c = controlRequest(target, 'PRM_END');
    // The control block's length points past the arguments.
    c[RPC_HEADER_LENGTH + 20 + 3] = 0x40;
    assert.match(bad(c), /runs past the arguments/);
    const d = connectRequest(connect);
    // The station name length points past the AR block.
    d[RPC_HEADER_LENGTH + 20 + 56] = 0x10;
    assert.match(bad(d), /station name length/);
  });

  test('every truncation of a whole response is a violation, never a throw', () => {
    const whole = readResponseIm0(target, SAMPLE.im0);
    for (let n = 0; n < whole.length; n++) {
      const r = parseCm(whole.subarray(0, n));
      assert.equal(typeof r, 'string', `at ${n}`);
    }
  });

  test(`block names are capped at ${MAX_BLOCKS_IN_EVENT}`, () => {
    const block = [0x01, 0x03, 0x00, 0x02, 0x01, 0x00]; // an alarm CR block with no body
    const blocks = Uint8Array.from(Array.from({ length: 40 }, () => block).flat());
    const ndr = new Uint8Array(20 + blocks.length);
    const v = new DataView(ndr.buffer);
    v.setUint32(4, blocks.length);
    v.setUint32(16, blocks.length);
    ndr.set(blocks, 20);
    const f = ok(
      rpc(
        {
          ptype: 0,
          opnum: 0,
          seq: 0,
          object: '00000000-0000-0000-0000-000000000000',
          activity: SAMPLE.activity,
        },
        ndr,
      ),
    );
    assert.equal((f['profinet_cm.blocks'] as string[]).length, MAX_BLOCKS_IN_EVENT);
  });

  test('random datagrams and random PNIO bodies never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        parseCm(b);
        looksLikePnioCm(b);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(0, 2),
        fc.nat(6),
        fc.boolean(),
        fc.uint8Array({ maxLength: 400 }),
        (ptype, opnum, le, body) => {
          parseCm(
            rpc(
              {
                ptype,
                opnum,
                seq: 0,
                object: '00000000-0000-0000-0000-000000000000',
                activity: SAMPLE.activity,
                littleEndian: le,
              },
              body,
            ),
          );
        },
      ),
      { numRuns: 3000 },
    );
  });
});
