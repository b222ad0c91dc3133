// Table-driven tests of the DNP3 parsers and session (STYLE.md 8): valid rows per layer and per
// function, malformed rows (truncated, bad length, bad CRC, bad sequence), the same traffic fed in
// chunks of every size, resynchronisation, limits, pairing, and the conformance idea: empty,
// truncated and random input never throws and every failure is a violation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEVICE_PARTS } from '../device.ts';
import { isOperation } from '../operations.ts';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Fields } from '../types.ts';
import {
  dnp3Dissector,
  dnp3UdpDissector,
  MAX_ASSEMBLIES,
  MAX_CONSECUTIVE_VIOLATIONS,
  probeDnp3,
} from './dissector.ts';
import {
  checkFrameHeader,
  crc16Dnp,
  HEADER_BAD_CRC,
  HEADER_BAD_LENGTH,
  HEADER_BAD_START,
  type LinkInfo,
  MAX_FRAGMENT_SIZE,
  MAX_FRAME_LENGTH,
  MAX_LISTED_CONTROLS,
  MAX_LISTED_OBJECT_HEADERS,
  parseFragment,
  parseLinkFrame,
} from './parser.ts';
import { FUNCTION_CODES, FUNCTION_OPERATIONS } from './spec.ts';
import {
  analogOutputRequest,
  CONFORMANCE_SAMPLES,
  concat,
  crobRequest,
  crobResponse,
  deviceAttributesRequest,
  deviceAttributesResponse,
  EXAMPLE_IDENTITY,
  enableUnsolicited,
  fileBlockResponse,
  fileStatusResponse,
  fragmentFrames,
  integrityPoll,
  integrityResponse,
  linkFrame,
  linkStatusRequest,
  linkStatusResponse,
  openFileRequest,
  request,
  response,
  restartRequest,
  restartResponse,
  timeSync,
  unsolicitedEvents,
} from './testing.ts';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const LINK: LinkInfo = {
  source: 1,
  destination: 1024,
  fromMaster: true,
  linkFunc: 'UNCONFIRMED_USER_DATA',
  segments: 1,
};
const fragment = (bytes: number[]) => parseFragment(Uint8Array.from(bytes), 0, bytes.length, LINK);
const messages = (ctx: RecordingContext) => ctx.messages();
const reasons = (ctx: RecordingContext) => ctx.violations().map((v) => v.reason);

describe('CRC-16/DNP', () => {
  it('has the catalogue check value 0xEA82 for "123456789"', () => {
    const b = Uint8Array.from(Buffer.from('123456789'));
    assert.equal(crc16Dnp(b, 0, b.length), 0xea82);
  });

  it('matches the header CRC of a frame from dnp3_example.pcap (READ class 0)', () => {
    // First frame of the capture: 05 64 0b c4 05 00 64 00 | 6f 36 (CRC sent low octet first).
    const frame = hex('05640bc4050064006f36d0c3013c0106344d');
    assert.equal(crc16Dnp(frame, 0, 8), 0x366f);
    assert.equal(checkFrameHeader(frame, 0), frame.length);
  });
});

describe('data link frames', () => {
  const good = hex('05640bc4050064006f36d0c3013c0106344d');
  const rows: Array<[string, Uint8Array, string]> = [
    ['whole frame', good, 'ok'],
    ['header only', good.subarray(0, 10), 'incomplete'],
    ['one octet', good.subarray(0, 1), 'incomplete'],
    ['bad first start octet', Uint8Array.of(0x06, ...good.subarray(1)), 'violation:no DNP3 start octets'],
    [
      'bad second start octet',
      Uint8Array.of(0x05, 0x65, ...good.subarray(2)),
      'violation:no DNP3 start octets',
    ],
    ['length below 5', Uint8Array.of(0x05, 0x64, 0x04, ...good.subarray(3)), 'violation:link length below 5'],
    [
      'header CRC broken',
      Uint8Array.of(...good.subarray(0, 8), 0x00, 0x00, ...good.subarray(10)),
      'violation:link header CRC error',
    ],
    [
      'data block CRC broken',
      Uint8Array.of(...good.subarray(0, 16), 0x00, 0x00),
      'violation:CRC error in user data block 0',
    ],
  ];
  for (const [name, bytes, expected] of rows) {
    it(name, () => {
      const r = parseLinkFrame(bytes, 0);
      if (expected === 'ok') {
        assert.equal(r.kind, 'ok');
        if (r.kind !== 'ok') return;
        assert.deepEqual(
          [r.message.func, r.message.fromMaster, r.message.primary, r.message.destination, r.message.source],
          ['UNCONFIRMED_USER_DATA', true, true, 5, 100],
        );
        assert.deepEqual([...r.message.userData], [0xd0, 0xc3, 0x01, 0x3c, 0x01, 0x06]);
      } else if (expected === 'incomplete') {
        assert.equal(r.kind, 'incomplete');
      } else {
        assert.equal(r.kind, 'violation');
        if (r.kind === 'violation')
          assert.ok(r.reason.startsWith(expected.slice('violation:'.length)), r.reason);
      }
    });
  }

  it('checkFrameHeader verdicts', () => {
    assert.equal(checkFrameHeader(Uint8Array.of(0x05), 0), 0);
    assert.equal(checkFrameHeader(Uint8Array.of(0x04), 0), HEADER_BAD_START);
    assert.equal(checkFrameHeader(Uint8Array.of(0x05, 0x64, 0x00), 0), HEADER_BAD_LENGTH);
    assert.equal(checkFrameHeader(Uint8Array.of(0x05, 0x64, 0x05, 0, 0, 0, 0, 0, 0, 0), 0), HEADER_BAD_CRC);
  });

  it('the longest frame is 292 octets and carries 250 octets', () => {
    const frame = linkFrame(0xc4, 1, 2, new Uint8Array(250).fill(7));
    assert.equal(frame.length, MAX_FRAME_LENGTH);
    assert.equal(MAX_FRAME_LENGTH, 292);
    const r = parseLinkFrame(frame, 0);
    assert.equal(r.kind === 'ok' && r.message.userData.length, 250);
  });
});

describe('application fragments', () => {
  it('names every function code of the specification and classifies it', () => {
    for (const [name, code] of Object.entries(FUNCTION_CODES)) {
      const bytes = code >= 0x80 ? [0xc0, code, 0, 0] : [0xc0, code];
      const f = fragment(bytes) as Fields;
      assert.equal(f['dnp3.func'], name);
      assert.equal(f['dnp3.operation'], FUNCTION_OPERATIONS[name as keyof typeof FUNCTION_OPERATIONS]);
      assert.ok(isOperation(f['dnp3.operation']));
    }
  });

  it('prints an unknown function code as UNKNOWN-<n> and classifies it other', () => {
    const f = fragment([0xc0, 0x40]) as Fields;
    assert.deepEqual([f['dnp3.func'], f['dnp3.operation']], ['UNKNOWN-64', 'other']);
  });

  it('decodes application control and IIN flags', () => {
    const f = fragment([0xf5, 0x81, 0x82, 0x01]) as Fields;
    assert.deepEqual(
      [f['dnp3.fir'], f['dnp3.fin'], f['dnp3.con'], f['dnp3.uns'], f['dnp3.seq']],
      [true, true, true, true, 5],
    );
    assert.deepEqual(f['dnp3.iin'], ['CLASS_1_EVENTS', 'DEVICE_RESTART', 'NO_FUNC_CODE_SUPPORT']);
    assert.equal(f['dnp3.iin_code'], 0x8201);
    assert.equal(f['dnp3.error'], 'NO_FUNC_CODE_SUPPORT');
  });

  it('lists object headers with qualifier and range', () => {
    const f = fragment([
      0xc1, 0x01, 60, 2, 0x06, 1, 2, 0x00, 3, 9, 30, 1, 0x01, 0x10, 0x00, 0x20, 0x00, 32, 0, 0x07, 5,
    ]) as Fields;
    assert.deepEqual(f['dnp3.objects'], ['g60v2', 'g1v2', 'g30v1', 'g32v0']);
    assert.deepEqual(f['dnp3.object_qualifiers'], [0x06, 0x00, 0x01, 0x07]);
    assert.deepEqual(f['dnp3.object_starts'], [-1, 3, 16, -1]);
    assert.deepEqual(f['dnp3.object_stops'], [-1, 9, 32, -1]);
    assert.deepEqual(f['dnp3.object_counts'], [-1, 7, 17, 5]);
    assert.equal(f['dnp3.objects_complete'], true);
  });

  it('steps over index prefixes of a READ (qualifier 0x17)', () => {
    const f = fragment([0xc1, 0x01, 1, 2, 0x17, 3, 4, 9, 11, 60, 1, 0x06]) as Fields;
    assert.deepEqual(f['dnp3.objects'], ['g1v2', 'g60v1']);
  });

  it('stops the walk, without a violation, at an object whose size it does not know', () => {
    const f = fragment([0xc0, 0x81, 0, 0, 200, 1, 0x00, 0, 0, 0xaa, 30, 2, 0x00, 0, 0, 1, 0, 0]) as Fields;
    assert.deepEqual(f['dnp3.objects'], ['g200v1']);
    assert.equal(f['dnp3.objects_complete'], false);
  });

  it(`caps the listed headers at ${MAX_LISTED_OBJECT_HEADERS} and counts them all`, () => {
    const many = Array.from({ length: 40 }, () => [60, 1, 0x06]).flat();
    const f = fragment([0xc0, 0x01, ...many]) as Fields;
    assert.equal((f['dnp3.objects'] as string[]).length, MAX_LISTED_OBJECT_HEADERS);
    assert.equal(f['dnp3.object_headers'], 40);
  });

  const malformed: Array<[string, number[], RegExp]> = [
    ['empty fragment', [], /no header/],
    ['one octet', [0xc0], /no header/],
    ['response without IIN', [0xc0, 0x81, 0x00], /no internal indications/],
    ['object header truncated', [0xc0, 0x01, 60, 1], /object header truncated/],
    ['range field truncated', [0xc0, 0x01, 1, 2, 0x01, 0], /range field truncated/],
    ['range start above stop', [0xc0, 0x01, 1, 2, 0x00, 9, 3], /start 9 above stop 3/],
    ['reserved range code', [0xc0, 0x01, 1, 2, 0x0a], /reserved range specifier code 10/],
    ['reserved qualifier bit', [0xc0, 0x01, 1, 2, 0x86], /reserved qualifier bit/],
    ['objects overrun the fragment', [0xc0, 0x81, 0, 0, 30, 1, 0x00, 0, 9, 1, 2, 3], /overrun/],
    ['count overruns the fragment', [0xc0, 0x02, 50, 1, 0x09, 0xff, 0xff, 0xff, 0xff], /overrun/],
    ['index prefixes overrun', [0xc0, 0x01, 1, 2, 0x28, 0x10, 0x00, 1, 0], /index prefixes overrun/],
  ];
  for (const [name, bytes, reason] of malformed) {
    it(`malformed: ${name}`, () => {
      const r = fragment(bytes);
      assert.equal(typeof r, 'string');
      assert.match(r as string, reason);
    });
  }
});

/** The one fragment carried by a builder's frames, parsed; throws if it is not a single fragment. */
function parsed(bytes: Uint8Array, dir: 0 | 1 = 0): Fields {
  const ctx = replay(dnp3Dissector, [[dir, 1, bytes]]);
  assert.deepEqual(reasons(ctx), []);
  assert.equal(messages(ctx).length, 1);
  return messages(ctx)[0];
}

describe('objects a monitor cares about', () => {
  it('CROB: control code, count, on/off time; status only in the response', () => {
    const crobs = [
      { index: 3, code: 0x41, onMs: 500 },
      { index: 4, code: 0x81, count: 2, onMs: 250, offMs: 750 },
    ];
    const req = parsed(crobRequest(FUNCTION_CODES.SELECT, crobs));
    assert.deepEqual(
      [
        req['dnp3.func'],
        req['dnp3.operation'],
        req['dnp3.crob.index'],
        req['dnp3.crob.tcc'],
        req['dnp3.crob.op_type'],
        req['dnp3.crob.count'],
        req['dnp3.crob.on_time'],
        req['dnp3.crob.off_time'],
        req['dnp3.crob.status'],
      ],
      [
        'SELECT',
        'control',
        [3, 4],
        ['CLOSE', 'TRIP'],
        ['PULSE_ON', 'PULSE_ON'],
        [1, 2],
        [500, 250],
        [0, 750],
        undefined,
      ],
    );
    const resp = parsed(
      crobResponse([
        { ...crobs[0], status: 0 },
        { ...crobs[1], status: 7 },
      ]),
      1,
    );
    assert.deepEqual(resp['dnp3.crob.status'], ['SUCCESS', 'LOCAL']);
    assert.equal(resp['dnp3.error'], 'LOCAL');
  });

  it(`CROB entries beyond ${MAX_LISTED_CONTROLS} are counted, not listed`, () => {
    const crobs = Array.from({ length: 40 }, (_, i) => ({ index: i, code: 0x03 }));
    const f = parsed(crobRequest(FUNCTION_CODES.DIRECT_OPERATE, crobs));
    assert.equal((f['dnp3.crob.index'] as number[]).length, MAX_LISTED_CONTROLS);
    assert.equal(f['dnp3.crob.total'], 40);
    // 40 x (2-octet index + 11) + 9 octets of headers: three segments of at most 249.
    assert.equal(f['dnp3.segments'], 3);
  });

  it('analog output block (g41v3): index and float value', () => {
    const f = parsed(
      analogOutputRequest([
        [2, 61.5],
        [7, -3.25],
      ]),
    );
    assert.deepEqual(
      [f['dnp3.func'], f['dnp3.analog_output.index'], f['dnp3.analog_output.value']],
      ['DIRECT_OPERATE', [2, 7], [61.5, -3.25]],
    );
  });

  it('analog output block (g41v2, 16-bit signed) in a response with its status', () => {
    const f = parsed(response([41, 2, 0x17, 1, 5, 0x18, 0xfc, 0x04]), 1);
    assert.deepEqual(
      [f['dnp3.analog_output.value'], f['dnp3.analog_output.status']],
      [[-1000], ['NOT_SUPPORTED']],
    );
  });

  it('device attributes: identity of the outstation, its address as the device id', () => {
    const req = parsed(deviceAttributesRequest());
    assert.deepEqual([req['dnp3.objects'], req['dnp3.operation']], [['g0v254'], 'discovery']);
    const f = parsed(deviceAttributesResponse(EXAMPLE_IDENTITY, { outstation: 4242 }), 1);
    assert.deepEqual(
      [
        f['dnp3.device.vendor'],
        f['dnp3.device.model'],
        f['dnp3.device.firmware'],
        f['dnp3.device.hardware'],
        f['dnp3.device.serial'],
        f['dnp3.device.name'],
        f['dnp3.device.id'],
        f['dnp3.attr.location'],
        f['dnp3.attr.user_id'],
      ],
      [
        EXAMPLE_IDENTITY.vendor,
        EXAMPLE_IDENTITY.model,
        EXAMPLE_IDENTITY.firmware,
        EXAMPLE_IDENTITY.hardware,
        EXAMPLE_IDENTITY.serial,
        EXAMPLE_IDENTITY.name,
        '4242',
        EXAMPLE_IDENTITY.location,
        EXAMPLE_IDENTITY.userId,
      ],
    );
    // Only the identity parts device.ts defines appear under dnp3.device.
    for (const k of Object.keys(f).filter((k) => k.startsWith('dnp3.device.'))) {
      assert.ok((DEVICE_PARTS as readonly string[]).includes(k.slice('dnp3.device.'.length)), k);
    }
  });

  it('device attribute strings padded with NULs are trimmed; numbers print as numbers', () => {
    const f = parsed(
      response([0, 248, 0x00, 0, 0, 1, 6, ...Buffer.from('A17\0\0\0'), 0, 252, 0x00, 0, 0, 2, 2, 0x39, 0x30]),
      1,
    );
    assert.deepEqual([f['dnp3.device.serial'], f['dnp3.device.vendor']], ['A17', '12345']);
  });

  it('files: OPEN_FILE name and mode, the status answer, a last block', () => {
    const open = parsed(openFileRequest('/config/settings.xml', 1));
    assert.deepEqual(
      [open['dnp3.func'], open['dnp3.operation'], open['dnp3.file.name'], open['dnp3.file.mode']],
      ['OPEN_FILE', 'file', '/config/settings.xml', 'READ'],
    );
    const status = parsed(fileStatusResponse(0x1234, 2048, 3), 1);
    assert.deepEqual(
      [
        status['dnp3.file.handle'],
        status['dnp3.file.size'],
        status['dnp3.file.status'],
        status['dnp3.error'],
      ],
      [0x1234, 2048, 'FILE_NOT_FOUND', 'FILE_NOT_FOUND'],
    );
    const block = parsed(fileBlockResponse(0x1234, 9, true, new Uint8Array(100)), 1);
    assert.deepEqual(
      [block['dnp3.file.block'], block['dnp3.file.last'], block['dnp3.file.data_length']],
      [9, true, 100],
    );
  });

  it('AUTHENTICATE_FILE keeps the user name and never the password', () => {
    const body = [12, 0, 5, 0, 17, 0, 6, 0, 0, 0, 0, 0, ...Buffer.from('admin'), ...Buffer.from('s3cret')];
    const f = parsed(request(FUNCTION_CODES.AUTHENTICATE_FILE, [70, 2, 0x5b, 1, body.length, 0, ...body]));
    assert.deepEqual([f['dnp3.operation'], f['dnp3.file.user']], ['auth', 'admin']);
    assert.ok(!JSON.stringify(f).includes('s3cret'));
  });

  it('time synchronisation is a diagnostic write; restarts and unsolicited switches are control', () => {
    assert.deepEqual(
      [parsed(timeSync())['dnp3.func'], parsed(timeSync())['dnp3.operation']],
      ['WRITE', 'diagnostic'],
    );
    assert.equal(parsed(restartRequest(FUNCTION_CODES.WARM_RESTART))['dnp3.operation'], 'control');
    assert.equal(parsed(enableUnsolicited())['dnp3.operation'], 'control');
    assert.deepEqual(parsed(restartResponse(), 1)['dnp3.iin'], ['DEVICE_RESTART']);
  });

  it('link-only frames are events of their own', () => {
    const ctx = replay(dnp3Dissector, [
      [0, 1, linkStatusRequest()],
      [1, 2, linkStatusResponse()],
    ]);
    assert.deepEqual(
      messages(ctx).map((m) => [
        m['dnp3.link_func'],
        m['dnp3.func'],
        m['dnp3.operation'],
        m['dnp3.master'],
        m['dnp3.outstation'],
      ]),
      [
        ['REQUEST_LINK_STATUS', undefined, 'diagnostic', 1, 1024],
        ['LINK_STATUS', undefined, 'diagnostic', 1, 1024],
      ],
    );
  });
});

/** A realistic exchange: poll, a two-frame answer, select/operate, unsolicited events, identity. */
function conversation(): Transmission[] {
  return [
    [0, 1, integrityPoll({ seq: 1 })],
    [1, 2, integrityResponse({ seq: 1 })],
    [0, 3, crobRequest(FUNCTION_CODES.SELECT, [{ index: 2, code: 0x41 }], { seq: 2 })],
    [1, 4, crobResponse([{ index: 2, code: 0x41 }], { seq: 2 })],
    [0, 5, crobRequest(FUNCTION_CODES.OPERATE, [{ index: 2, code: 0x41 }], { seq: 3 })],
    [1, 6, crobResponse([{ index: 2, code: 0x41 }], { seq: 3 })],
    [
      1,
      7,
      unsolicitedEvents([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
        29, 30, 31, 32,
      ]),
    ],
    [0, 8, deviceAttributesRequest({ seq: 4 })],
    [1, 9, deviceAttributesResponse(EXAMPLE_IDENTITY, { seq: 4 })],
  ];
}

describe('session', () => {
  it('pairs responses with their requests and gives them the request’s operation', () => {
    const ctx = replay(dnp3Dissector, conversation());
    assert.deepEqual(reasons(ctx), []);
    assert.deepEqual(
      messages(ctx).map((m) => [
        m['dnp3.func'],
        m['dnp3.request_func'],
        m['dnp3.operation'],
        m['dnp3.matched'],
      ]),
      [
        ['READ', null, 'read', null],
        ['RESPONSE', 'READ', 'read', true],
        ['SELECT', null, 'control', null],
        ['RESPONSE', 'SELECT', 'control', true],
        ['OPERATE', null, 'control', null],
        ['RESPONSE', 'OPERATE', 'control', true],
        ['UNSOLICITED_RESPONSE', null, 'read', null],
        ['READ', null, 'discovery', null],
        ['RESPONSE', 'READ', 'discovery', true],
      ],
    );
    const unsolicited = messages(ctx)[6];
    assert.deepEqual([unsolicited['dnp3.segments'], unsolicited['dnp3.object_counts']], [2, [32]]);
  });

  it('gives the same events whatever the chunk size', () => {
    const whole = replay(dnp3Dissector, conversation()).events;
    const longest = Math.max(...conversation().map(([, , b]) => b.length));
    for (let chunk = 1; chunk <= longest; chunk++) {
      assert.deepEqual(replay(dnp3Dissector, conversation(), chunk).events, whole, `chunk ${chunk}`);
    }
  });

  it('handles several frames and fragments in one chunk', () => {
    const all = concat(
      conversation()
        .filter(([d]) => d === 1)
        .map(([, , b]) => b),
    );
    const ctx = replay(dnp3Dissector, [[1, 1, all]]);
    assert.deepEqual(reasons(ctx), []);
    assert.equal(messages(ctx).length, 5);
  });

  it('pairs every fragment of a multi-fragment response, each with the next sequence number', () => {
    const ctx = replay(dnp3Dissector, [
      [0, 1, integrityPoll({ seq: 14 })],
      [1, 2, response([60, 1, 0x06], { seq: 14, fin: false })],
      [1, 3, response([60, 1, 0x06], { seq: 15, fir: false, fin: false })],
      [1, 4, response([60, 1, 0x06], { seq: 0, fir: false })],
      [1, 5, response([], { seq: 0 })],
    ]);
    assert.deepEqual(
      messages(ctx).map((m) => m['dnp3.matched']),
      [null, true, true, true, false],
    );
  });

  it('a bad block CRC is a violation; the next frame decodes', () => {
    const bad = integrityPoll();
    bad[bad.length - 1] ^= 0xff;
    const ctx = replay(dnp3Dissector, [
      [0, 1, bad],
      [0, 2, integrityPoll()],
    ]);
    assert.deepEqual(reasons(ctx), ['CRC error in user data block 0']);
    assert.equal(messages(ctx).length, 1);
  });

  it('garbage between frames: one violation, then resynchronised', () => {
    const ctx = replay(dnp3Dissector, [
      [0, 1, concat([integrityPoll(), Uint8Array.of(1, 2, 3, 0x05, 0x64, 0x00, 9), integrityPoll()])],
    ]);
    assert.deepEqual(reasons(ctx), ['no DNP3 start octets 0x05 0x64']);
    assert.equal(messages(ctx).length, 2);
  });

  it('after a capture gap, resynchronises on the next frame without a violation', () => {
    const ctx = new RecordingContext();
    const s = dnp3Dissector.createSession(ctx);
    const poll = integrityPoll();
    s.data(0, 1, poll.subarray(0, 12));
    s.gap(0, 2, 100);
    s.data(0, 3, concat([poll.subarray(20), poll]));
    assert.deepEqual(reasons(ctx), []);
    assert.equal(messages(ctx).length, 1);
  });

  it('segments out of sequence and without a first segment are violations', () => {
    const frag = new Uint8Array(600).fill(0);
    frag.set([0xc0, 0x81, 0, 0]);
    const frames = fragmentFrames(frag, false, 1, 1024);
    // Three frames: drop the middle one.
    const first = frames.subarray(0, 292);
    const third = frames.subarray(584);
    const ctx = replay(dnp3Dissector, [
      [1, 1, third],
      [1, 2, first],
      [1, 3, third],
    ]);
    assert.deepEqual(reasons(ctx), [
      'transport segment 2 without a first segment',
      'transport segment 2 out of sequence (expected 1)',
    ]);
    assert.equal(messages(ctx).length, 0);
  });

  it(`a fragment beyond ${MAX_FRAGMENT_SIZE} octets is a violation; the link stays usable`, () => {
    // Twice the limit: the segments after the one that overflows are followed quietly to the FIN.
    const frag = new Uint8Array(2 * MAX_FRAGMENT_SIZE);
    frag.set([0xc0, 0x81, 0, 0]);
    const ctx = replay(dnp3Dissector, [
      [1, 1, fragmentFrames(frag, false, 1, 1024)],
      [1, 2, integrityResponse()],
    ]);
    assert.deepEqual(reasons(ctx), [`fragment exceeds ${MAX_FRAGMENT_SIZE} octets`]);
    assert.equal(messages(ctx).length, 1);
    assert.equal(ctx.abandoned.length, 0);
  });

  it('reassembles interleaved fragments of different outstations', () => {
    assert.ok(MAX_ASSEMBLIES >= 2);
    // 99 16-bit analog inputs (g30v2, 3 octets each): a 306-octet fragment, two frames.
    const answer = (outstation: number) =>
      fragmentFrames(
        Uint8Array.of(0xc0, 0x81, 0, 0, 30, 2, 0x00, 0, 98, ...new Array(297).fill(1)),
        false,
        1,
        outstation,
      );
    const a = answer(10);
    const b = answer(11);
    const ctx = replay(dnp3Dissector, [
      [
        1,
        1,
        concat([
          a.subarray(0, 292),
          b.subarray(0, 292),
          a.subarray(292),
          b.subarray(292),
          integrityResponse({ outstation: 12 }),
        ]),
      ],
    ]);
    assert.deepEqual(reasons(ctx), []);
    assert.deepEqual(
      messages(ctx).map((m) => [m['dnp3.outstation'], m['dnp3.segments'], m['dnp3.object_counts']]),
      [
        [10, 2, [99]],
        [11, 2, [99]],
        [12, 1, [8, 4, 4]],
      ],
    );
  });

  it(`abandons after ${MAX_CONSECUTIVE_VIOLATIONS} violations in a row`, () => {
    const bad = integrityPoll();
    bad[bad.length - 1] ^= 0xff;
    const ctx = replay(
      dnp3Dissector,
      Array.from({ length: 20 }, (_, i): Transmission => [0, i, bad]),
    );
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    assert.equal(ctx.abandoned.length, 1);
  });

  it('a stream of garbage is reported every two frame lengths and abandoned', () => {
    const junk = new Uint8Array(20 * 2 * MAX_FRAME_LENGTH).fill(0x41);
    const ctx = replay(dnp3Dissector, [[0, 1, junk]], 1000);
    assert.equal(ctx.abandoned.length, 1);
  });
});

describe('UDP', () => {
  it('decodes several frames in one datagram', () => {
    const ctx = replay(dnp3UdpDissector, [
      [0, 1, concat([linkStatusRequest(), integrityPoll()])],
      [1, 2, integrityResponse()],
    ]);
    assert.deepEqual(reasons(ctx), []);
    assert.deepEqual(
      messages(ctx).map((m) => m['dnp3.func'] ?? m['dnp3.link_func']),
      ['REQUEST_LINK_STATUS', 'READ', 'RESPONSE'],
    );
  });

  it('a datagram that ends inside a frame is a violation', () => {
    const poll = integrityPoll();
    const ctx = replay(dnp3UdpDissector, [[0, 1, poll.subarray(0, poll.length - 3)]]);
    assert.match(reasons(ctx)[0] ?? '', /datagram ends inside a frame/);
  });
});

describe('probe', () => {
  const poll = integrityPoll();
  const rows: Array<[string, Uint8Array, boolean, string]> = [
    ['a frame', poll, false, 'yes'],
    ['a frame in a datagram', poll, true, 'yes'],
    ['a header prefix', poll.subarray(0, 5), false, 'maybe'],
    ['a header prefix in a datagram', poll.subarray(0, 5), true, 'no'],
    ['empty', new Uint8Array(0), false, 'maybe'],
    ['HTTP', Uint8Array.from(Buffer.from('GET / HTTP/1.1\r\n')), false, 'no'],
    ['start octets with a bad CRC', Uint8Array.of(0x05, 0x64, 0x05, 0xc0, 1, 0, 2, 0, 0, 0), false, 'no'],
    ['Modbus', hex('000100000006010300000001'), false, 'no'],
  ];
  for (const [name, bytes, datagram, verdict] of rows) {
    it(name, () => assert.equal(probeDnp3(bytes, datagram), verdict));
  }
  it('the descriptors probe the same way', () => {
    assert.equal(dnp3Dissector.probe(0, poll), 'yes');
    assert.equal(dnp3UdpDissector.probe(1, poll.subarray(0, 5)), 'no');
  });
});

describe('conformance: nothing throws, every failure is a violation', () => {
  const check = (ctx: RecordingContext) => {
    for (const e of ctx.events) {
      if (e.kind === 'violation') assert.ok((e.reason ?? '').length > 0);
      else assert.ok(isOperation(e.fields['dnp3.operation']), JSON.stringify(e.fields));
    }
  };

  it('empty input', () => {
    for (const d of [dnp3Dissector, dnp3UdpDissector]) {
      const ctx = replay(d, [[0, 1, new Uint8Array(0)]]);
      assert.equal(ctx.events.length, 0);
      assert.equal(d.probe(0, new Uint8Array(0)) === 'yes', false);
    }
  });

  it('every truncation of the conversation', () => {
    const all = concat(conversation().map(([, , b]) => b));
    for (let n = 0; n <= all.length; n += 7) {
      for (const d of [dnp3Dissector, dnp3UdpDissector]) check(replay(d, [[0, 1, all.subarray(0, n)]]));
    }
  });

  it('random bytes, whole and chunked', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.integer({ min: 1, max: 64 }), (bytes, chunk) => {
        for (const d of [dnp3Dissector, dnp3UdpDissector]) {
          d.probe(0, bytes);
          check(
            replay(
              d,
              [
                [0, 1, bytes],
                [1, 2, bytes],
              ],
              chunk,
            ),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('random fragments behind valid frames and CRCs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 900 }), fc.boolean(), (frag, fromMaster) => {
        check(replay(dnp3Dissector, [[fromMaster ? 0 : 1, 1, fragmentFrames(frag, fromMaster, 1, 2)]]));
        const r = parseFragment(frag, 0, frag.length, LINK);
        assert.ok(typeof r === 'string' || typeof r === 'object');
      }),
      { numRuns: 500 },
    );
  });

  it('random object headers behind a valid application header', () => {
    const interesting = fc.constantFrom(0, 1, 2, 10, 12, 20, 30, 41, 50, 60, 70, 80, 110, 120);
    const header = fc.tuple(
      interesting,
      fc.integer({ min: 0, max: 8 }),
      fc.constantFrom(0x00, 0x01, 0x06, 0x07, 0x08, 0x17, 0x28, 0x5b, 0x1b),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(header, fc.uint8Array({ maxLength: 40 })), { maxLength: 6 }),
        fc.boolean(),
        (parts, resp) => {
          const bytes = [resp ? 0xc0 : 0xc0, resp ? 0x81 : 0x02, ...(resp ? [0, 0] : [])];
          for (const [[g, v, q], data] of parts) bytes.push(g, v, q, ...data);
          const r = fragment(bytes);
          if (typeof r !== 'string') assert.ok(Array.isArray(r['dnp3.objects']));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('conformance samples (as registry.test.ts runs them)', () => {
  for (const sample of CONFORMANCE_SAMPLES) {
    it(`${sample.dissector}: ${sample.name}`, () => {
      const d = sample.dissector === 'dnp3' ? dnp3Dissector : dnp3UdpDissector;
      const whole = replay(d, sample.transmissions);
      assert.ok(whole.messages().length > 0);
      assert.deepEqual(whole.violations(), []);
      assert.notEqual(d.probe(sample.transmissions[0][0], sample.transmissions[0][2]), 'no');
      sample.transmissions.forEach(([dir, ts, bytes], t) => {
        for (let cut = 1; cut < bytes.length; cut++) {
          const truncated: Transmission[] = [
            ...sample.transmissions.slice(0, t),
            [dir, ts, bytes.subarray(0, cut)],
          ];
          const ctx = replay(d, truncated);
          if (d.transport === 'udp') {
            assert.ok(
              ctx.events.length > replay(d, sample.transmissions.slice(0, t)).events.length,
              `cut ${cut}`,
            );
          } else {
            const split: Transmission[] = sample.transmissions.flatMap((tr, i): Transmission[] =>
              i === t
                ? [
                    [tr[0], tr[1], tr[2].subarray(0, cut)],
                    [tr[0], tr[1], tr[2].subarray(cut)],
                  ]
                : [tr],
            );
            assert.deepEqual(replay(d, split).events, whole.events, `split at ${cut}`);
          }
        }
      });
    });
  }
});
