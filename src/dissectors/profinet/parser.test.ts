// PN-RT link-layer parser tests (STYLE.md 8): frame id ranges, cyclic trailers, alarms, every DCP
// service with its blocks and the identity it carries, malformed frames (truncated headers,
// lengths past the frame, oversized names), every truncation, and random bytes that never throw.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Fields } from '../types.ts';
import {
  DCP_HEADER_LENGTH,
  MAX_DCP_BLOCKS_IN_EVENT,
  MAX_STATION_NAME_LENGTH,
  parseFrame,
  text,
} from './parser.ts';
import { DCP_BLOCKS, FRAME_RANGES, RANGE_INDEX_BY_FRAME_ID } from './spec.ts';
import {
  alarmNotification,
  dcpGetRequest,
  dcpHello,
  dcpIdentifyRequest,
  dcpIdentifyResponse,
  dcpSetControl,
  dcpSetIp,
  dcpSetName,
  dcpSetResponse,
  rtCyclic,
  SAMPLE,
} from './testing.ts';

function hex(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  return Uint8Array.from({ length: clean.length / 2 }, (_, i) =>
    Number.parseInt(clean.slice(2 * i, 2 * i + 2), 16),
  );
}

function ok(b: Uint8Array): Fields {
  const r = parseFrame(b);
  assert.notEqual(typeof r, 'string', String(r));
  return r as Fields;
}

function bad(b: Uint8Array): string {
  const r = parseFrame(b);
  assert.equal(typeof r, 'string', `expected a violation for ${Buffer.from(b).toString('hex')}`);
  return r as string;
}

describe('frame ids (IEC 61158-6-10 §4.2.2)', () => {
  test('the ranges cover 0x0000-0xFFFF without gaps or overlaps', () => {
    let next = 0;
    for (const r of FRAME_RANGES) {
      assert.equal(r.first, next, `range at 0x${r.first.toString(16)}`);
      assert.ok(r.last >= r.first);
      next = r.last + 1;
    }
    assert.equal(next, 0x10000);
  });

  const rows: [number, string][] = [
    [0x0020, 'PTCP_SYNC_FOLLOW_UP'],
    [0x0080, 'PTCP_SYNC'],
    [0x0100, 'RT_CLASS_3'],
    [0x8000, 'RT_CLASS_2'],
    [0xc000, 'RT_CLASS_1'],
    [0xfbff, 'RT_CLASS_1'],
    [0xfc01, 'ALARM_HIGH'],
    [0xfe01, 'ALARM_LOW'],
    [0xfefc, 'DCP_HELLO'],
    [0xfefd, 'DCP_GET_SET'],
    [0xfefe, 'DCP_IDENTIFY_REQUEST'],
    [0xfeff, 'DCP_IDENTIFY_RESPONSE'],
    [0xff00, 'PTCP_ANNOUNCE'],
    [0xff20, 'PTCP_FOLLOW_UP'],
    [0xff40, 'PTCP_DELAY'],
    [0xff80, 'FRAGMENTATION'],
    [0x2000, 'RESERVED'],
  ];
  for (const [id, type] of rows) {
    test(`0x${id.toString(16).padStart(4, '0')} is ${type}`, () => {
      assert.equal(FRAME_RANGES[RANGE_INDEX_BY_FRAME_ID[id]].type, type);
    });
  }

  test('PTCP delay request from the capture', () => {
    const f = ok(hex('ff40 0000 0000 0000 0000 0000 0000 001c 0000 0000 0000 0c06 0009 9143 e068 0000'));
    assert.equal(f['profinet.frame_type'], 'PTCP_DELAY');
    assert.equal(f['profinet.operation'], 'diagnostic');
  });
});

describe('cyclic frames (§4.2.3)', () => {
  test('cycle counter and data status come from the last four octets', () => {
    const f = ok(rtCyclic(0xc000, 0xc6e0, 0x35));
    assert.equal(f['profinet.frame_type'], 'RT_CLASS_1');
    assert.equal(f['profinet.cycle_counter'], 0xc6e0);
    assert.equal(f['profinet.data_status'], 0x35);
    assert.equal(f['profinet.data_valid'], true);
    assert.equal(f['profinet.provider_run'], true);
    assert.equal(f['profinet.station_problem'], false);
    assert.equal(f['profinet.operation'], 'other');
  });

  test('a stopped provider with a station problem', () => {
    const f = ok(rtCyclic(0x8001, 1, 0x05));
    assert.equal(f['profinet.frame_type'], 'RT_CLASS_2');
    assert.equal(f['profinet.provider_run'], false);
    assert.equal(f['profinet.station_problem'], true);
  });

  test('a cyclic frame without room for the trailer is a violation', () => {
    assert.match(bad(hex('c000 0102 03')), /cycle counter/);
  });
});

describe('alarms (§4.4)', () => {
  test('ERR PDU from the capture carries a PNIO status', () => {
    const f = ok(hex('fe01 8001 8001 14 01 ffff fffe 0004 cf81fd0f 0000'));
    assert.equal(f['profinet.frame_type'], 'ALARM_LOW');
    assert.equal(f['profinet.rta_pdu_type'], 'ERR');
    assert.equal(f['profinet.pnio_status'], 'cf81fd0f');
    assert.equal(f['profinet.send_seq'], 0xffff);
    assert.equal(f['profinet.ack_seq'], 0xfffe);
  });

  test('DATA PDU with an alarm notification names the alarm type', () => {
    const f = ok(alarmNotification(0x0004, 1, 1, 3, true));
    assert.equal(f['profinet.frame_type'], 'ALARM_HIGH');
    assert.equal(f['profinet.rta_pdu_type'], 'DATA');
    assert.equal(f['profinet.alarm_type'], 'PLUG');
  });

  test('VarPartLen past the frame, and a header cut short, are violations', () => {
    assert.match(bad(hex('fe01 8001 8001 14 01 ffff fffe 0010 cf81fd0f')), /VarPartLen/);
    assert.match(bad(hex('fc01 8001 8001 14')), /RTA header/);
  });
});

describe('DCP (§4.3)', () => {
  test('Identify response from the capture: the device names itself', () => {
    const f = ok(
      hex(
        'feff 05 01 00000001 0000 0064' +
          '0202 0010 0000 76657273616d61782d706e733131' +
          '0205 000e 0000 0102 0201 0202 0203 0204 0601' +
          '0201 000d 0000 4943323030504e53303031 00' +
          '0203 0006 0000 015a 0003' +
          '0204 0004 0000 0100' +
          '0102 000e 0001 c0a80102 ffffff00 c0a80102' +
          '0601 0004 0000 0001',
      ),
    );
    assert.equal(f['profinet.dcp_service'], 'IDENTIFY');
    assert.equal(f['profinet.dcp_service_type'], 'RESPONSE_SUCCESS');
    assert.equal(f['profinet.operation'], 'discovery');
    assert.equal(f['profinet.dcp_xid'], 1);
    assert.deepEqual(f['profinet.dcp_blocks'], [
      'NAME_OF_STATION',
      'DEVICE_OPTIONS',
      'TYPE_OF_STATION',
      'DEVICE_ID',
      'DEVICE_ROLE',
      'IP_PARAMETER',
      'DEVICE_INITIATIVE',
    ]);
    assert.equal(f['profinet.device.name'], 'versamax-pns11');
    assert.equal(f['profinet.device.product'], 'IC200PNS001');
    assert.equal(f['profinet.device.vendor_id'], '0x015a');
    assert.equal(f['profinet.device.product_code'], '0x0003');
    assert.equal(f['profinet.device.id'], 'vendor 0x015a device 0x0003');
    assert.equal(f['profinet.device.ip'], '192.168.1.2');
    assert.deepEqual(f['profinet.device_role'], ['IO_DEVICE']);
  });

  test('Identify request: the name filter is the station asked for, not an identity', () => {
    const f = ok(dcpIdentifyRequest(0x03000004, 'siemens-x208-switch'));
    assert.equal(f['profinet.station_name'], 'siemens-x208-switch');
    assert.equal(f['profinet.device.name'], undefined);
    assert.deepEqual(ok(dcpIdentifyRequest(9))['profinet.dcp_blocks'], ['ALL_SELECTOR']);
  });

  test('Hello carries the sender identity too', () => {
    const f = ok(dcpHello(7, SAMPLE.device));
    assert.equal(f['profinet.dcp_service'], 'HELLO');
    assert.equal(f['profinet.device.vendor'], 'Siemens');
    assert.equal(f['profinet.device.name'], SAMPLE.device.stationName);
    assert.equal(f['profinet.device.ip'], SAMPLE.device.ip);
  });

  test('Identify response with IP 0.0.0.0 reports no device IP', () => {
    const f = ok(dcpIdentifyResponse(1, { ...SAMPLE.device, ip: '0.0.0.0' }));
    assert.equal(f['profinet.device.ip'], null);
  });

  test('Get request lists what it asks for; Get is a read', () => {
    const f = ok(dcpGetRequest(3, [DCP_BLOCKS.NAME_OF_STATION, DCP_BLOCKS.IP_PARAMETER]));
    assert.equal(f['profinet.dcp_service'], 'GET');
    assert.equal(f['profinet.operation'], 'read');
    assert.deepEqual(f['profinet.dcp_blocks'], ['NAME_OF_STATION', 'IP_PARAMETER']);
  });

  test('Set of name or IP is a write; Set with a control block is control', () => {
    const name = ok(dcpSetName(4, 'new-name'));
    assert.equal(name['profinet.operation'], 'write');
    assert.equal(name['profinet.station_name'], 'new-name');
    const ip = ok(dcpSetIp(5, '10.0.0.5', '255.255.255.0', '10.0.0.1'));
    assert.equal(ip['profinet.ip'], '10.0.0.5');
    assert.equal(ip['profinet.operation'], 'write');
    assert.equal(ok(dcpSetControl(6, 'RESET_TO_FACTORY'))['profinet.operation'], 'control');
    assert.equal(ok(dcpSetControl(6, 'SIGNAL'))['profinet.operation'], 'control');
  });

  test('Set response reports block errors', () => {
    assert.deepEqual(ok(dcpSetResponse(6, DCP_BLOCKS.NAME_OF_STATION, 0))['profinet.dcp_error'], null);
    assert.deepEqual(ok(dcpSetResponse(6, DCP_BLOCKS.NAME_OF_STATION, 6))['profinet.dcp_error'], [
      'NAME_OF_STATION:IN_OPERATION',
    ]);
  });

  test('manufacturer and unknown blocks are named, not decoded', () => {
    const f = ok(hex('feff 05 01 00000001 0000 000e 8001 0002 0000 0909 0004 0000 0000'));
    assert.deepEqual(f['profinet.dcp_blocks'], ['MANUFACTURER_SPECIFIC', `UNKNOWN-${0x0909}`]);
  });

  test(`block names are capped at ${MAX_DCP_BLOCKS_IN_EVENT}`, () => {
    const many = dcpGetRequest(
      1,
      Array.from({ length: 40 }, () => DCP_BLOCKS.MAC_ADDRESS),
    );
    assert.equal((ok(many)['profinet.dcp_blocks'] as string[]).length, MAX_DCP_BLOCKS_IN_EVENT);
  });

  test('malformed DCP frames', () => {
    assert.match(bad(hex('feff 05 01 0000')), /shorter than the DCP header/);
    assert.match(bad(hex('feff 05 01 00000001 0000 0010 0202 0004 6162')), /DCPDataLength/);
    assert.match(bad(hex('feff 05 01 00000001 0000 0006 0202 0010 6162')), /length 16 runs past/);
    assert.match(bad(hex('feff 05 01 00000001 0000 0002 0202')), /block header truncated/);
    assert.match(bad(hex('feff 05 01 00000001 0000 0006 0203 0002 0000')), /DEVICE_ID/);
    const longName = new Uint8Array(DCP_HEADER_LENGTH + 4 + 2 + MAX_STATION_NAME_LENGTH + 2).fill(0x61);
    longName.set(
      hex(
        `feff 05 01 00000001 0000 ${(longName.length - DCP_HEADER_LENGTH).toString(16).padStart(4, '0')} 0202 ${(MAX_STATION_NAME_LENGTH + 4).toString(16).padStart(4, '0')} 0000`,
      ),
    );
    assert.match(bad(longName), /NAME_OF_STATION of 242 octets/);
  });

  test('every truncation of an Identify response is a violation, never a throw', () => {
    const whole = dcpIdentifyResponse(1, SAMPLE.device);
    for (let n = 0; n < whole.length; n++) bad(whole.subarray(0, n));
  });
});

describe('robustness', () => {
  test('names escape what is not printable ASCII', () => {
    assert.equal(text(Uint8Array.from([0x61, 0x5c, 0x0a, 0xff, 0x00]), 0, 5), 'a\\x5c\\x0a\\xff');
  });

  test('random payloads never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        const r = parseFrame(b);
        assert.ok(typeof r === 'string' || typeof r['profinet.operation'] === 'string');
      }),
      { numRuns: 3000 },
    );
  });

  test('random DCP bodies never throw', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0xfefc, 0xfefd, 0xfefe, 0xfeff),
        fc.nat(7),
        fc.nat(6),
        fc.uint8Array({ maxLength: 120 }),
        (id, sid, stype, body) => {
          const b = new Uint8Array(DCP_HEADER_LENGTH + body.length);
          b.set([id >> 8, id & 0xff, sid, stype, 0, 0, 0, 1, 0, 0, body.length >> 8, body.length & 0xff]);
          b.set(body, DCP_HEADER_LENGTH);
          parseFrame(b);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
