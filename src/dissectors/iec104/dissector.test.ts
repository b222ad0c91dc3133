// IEC 104 session and probe tests (STYLE.md 8 and 12): the descriptor's contract, the probe's
// verdicts, a session fed in chunks of every size, resynchronisation after junk and after a gap,
// abandoning a stream of garbage, and properties over random bytes and random chunking.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { isOperation } from '../operations.ts';
import { RecordingContext, replay, type Transmission } from '../testing.ts';
import type { Direction } from '../types.ts';
import {
  CARRY_CAPACITY,
  IEC104_PORT,
  iec104Dissector,
  MAX_CONSECUTIVE_VIOLATIONS,
  probeIec104,
  RESYNC_REPORT_BYTES,
} from './dissector.ts';
import { MAX_FRAME_LENGTH } from './parser.ts';
import { sampleSession, sFrame, singleCommand, uFrame } from './testing.ts';

const session = (): Transmission[] =>
  sampleSession(0x910d).map(({ dir, bytes }, i) => [dir, i, bytes] as const);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('descriptor', () => {
  test('names, port hint and vocabulary', () => {
    assert.equal(iec104Dissector.name, 'iec104');
    assert.equal(iec104Dissector.transport, 'tcp');
    assert.deepEqual(iec104Dissector.ports, [IEC104_PORT]);
    assert.deepEqual(iec104Dissector.funcFields, ['iec104.type_id', 'iec104.u_func', 'iec104.apci_type']);
    assert.equal(iec104Dissector.operationField, 'iec104.operation');
  });

  test('every message carries a function field and an operation', () => {
    const ctx = replay(iec104Dissector, session());
    assert.equal(ctx.violations().length, 0);
    for (const m of ctx.messages()) {
      assert.ok(iec104Dissector.funcFields.some((f) => typeof m[f] === 'string'));
      assert.ok(isOperation(m['iec104.operation']));
    }
  });
});

describe('probe', () => {
  test('yes on a complete APDU, maybe on a partial one, no on anything else', () => {
    assert.equal(probeIec104(0, uFrame('STARTDT_ACT')), 'yes');
    assert.equal(probeIec104(1, concat(uFrame('STARTDT_CON'), sFrame(1))), 'yes');
    assert.equal(probeIec104(0, uFrame('STARTDT_ACT').subarray(0, 3)), 'maybe');
    assert.equal(probeIec104(0, new Uint8Array(0)), 'maybe');
    assert.equal(probeIec104(0, Buffer.from('GET / HTTP/1.1\r\n')), 'no');
    assert.equal(probeIec104(0, Uint8Array.from([0x68, 0x04, 0x17, 0, 0, 0])), 'no');
    // A Modbus request on 2404 is not IEC 104.
    assert.equal(probeIec104(0, Uint8Array.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 10])), 'no');
  });

  test('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (b) => {
        assert.ok(['yes', 'no', 'maybe'].includes(probeIec104(0, b)));
      }),
    );
  });
});

describe('session', () => {
  test('chunks of every size give the same events as whole APDUs', () => {
    const whole = replay(iec104Dissector, session());
    assert.equal(whole.messages().length, sampleSession().length);
    const total = Math.max(...session().map(([, , b]) => b.length));
    for (let chunk = 1; chunk <= total; chunk++) {
      const split = replay(iec104Dissector, session(), chunk);
      assert.deepEqual(split.events, whole.events, `chunk ${chunk}`);
    }
  });

  test('several APDUs in one chunk, in both directions', () => {
    const toServer = concat(
      ...sampleSession()
        .filter((t) => t.dir === 0)
        .map((t) => t.bytes),
    );
    const toClient = concat(
      ...sampleSession()
        .filter((t) => t.dir === 1)
        .map((t) => t.bytes),
    );
    const ctx = replay(iec104Dissector, [
      [0, 1, toServer],
      [1, 2, toClient],
    ]);
    assert.equal(ctx.messages().length, sampleSession().length);
    assert.equal(ctx.violations().length, 0);
  });

  test('junk between APDUs is one violation, then decoding resumes', () => {
    const junk = Uint8Array.from([0x07, 0x07, 0x07, 0x68, 0x05, 0x17, 0x17, 0x17, 0x17, 0x17, 0x17]);
    const bytes = concat(uFrame('TESTFR_ACT'), junk, uFrame('TESTFR_ACT'), singleCommand(1, 2, true, false));
    for (const chunk of [undefined, 1, 2, 3, 5, 7]) {
      const ctx = replay(iec104Dissector, [[0, 1, bytes]], chunk);
      assert.equal(ctx.violations().length, 1, `chunk ${chunk}`);
      assert.match(ctx.violations()[0].reason ?? '', /start byte/);
      assert.deepEqual(
        ctx.messages().map((m) => m['iec104.u_func'] ?? m['iec104.type_id']),
        ['TESTFR_ACT', 'TESTFR_ACT', 'C_SC_NA_1'],
      );
    }
  });

  test('a well-framed APDU with a bad body is one violation and keeps the framing', () => {
    const bad = Uint8Array.from([0x68, 0x04, 0x17, 0, 0, 0]);
    const ctx = replay(iec104Dissector, [[0, 1, concat(bad, uFrame('TESTFR_ACT'))]]);
    assert.equal(ctx.violations().length, 1);
    assert.equal(ctx.messages().length, 1);
  });

  test('after a gap the session looks for the next APDU', () => {
    const ctx = new RecordingContext();
    const s = iec104Dissector.createSession(ctx);
    const apdu = singleCommand(1, 2, true, true);
    s.data(0, 1, apdu.subarray(0, 7));
    s.gap(0, 2, 100);
    // The rest of some other APDU, then a whole one.
    s.data(0, 3, concat(Uint8Array.from([0x00, 0x01, 0x02]), uFrame('TESTFR_ACT')));
    assert.equal(ctx.violations().length, 0, 'skipping after a gap is expected, not a violation');
    assert.deepEqual(
      ctx.messages().map((m) => m['iec104.u_func']),
      ['TESTFR_ACT'],
    );
  });

  test(`a stream of garbage is abandoned after ${MAX_CONSECUTIVE_VIOLATIONS} violations in a row`, () => {
    const ctx = new RecordingContext();
    const s = iec104Dissector.createSession(ctx);
    const garbage = new Uint8Array(RESYNC_REPORT_BYTES * (MAX_CONSECUTIVE_VIOLATIONS + 2)).fill(0x11);
    s.data(0, 1, garbage);
    assert.equal(ctx.abandoned.length, 1);
    assert.equal(ctx.violations().length, MAX_CONSECUTIVE_VIOLATIONS);
    s.data(0, 2, uFrame('TESTFR_ACT'));
    assert.equal(ctx.messages().length, 0, 'an abandoned session reports nothing more');
  });

  test('memory per direction stays within CARRY_CAPACITY', () => {
    assert.equal(CARRY_CAPACITY, 2 * MAX_FRAME_LENGTH);
    // A start byte followed by a plausible length, then 0x68s forever: the carry never outgrows its buffer.
    const ctx = new RecordingContext();
    const s = iec104Dissector.createSession(ctx);
    for (let i = 0; i < 100; i++) s.data(0, i, new Uint8Array(97).fill(0x68));
    assert.ok(ctx.violations().length > 0);
  });
});

describe('properties', () => {
  const dirArb = fc.constantFrom<Direction>(0, 1);
  test('random bytes in random chunks never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(dirArb, fc.uint8Array({ maxLength: 400 })), { maxLength: 8 }),
        fc.integer({ min: 1, max: 64 }),
        (parts, chunk) => {
          const ctx = replay(
            iec104Dissector,
            parts.map(([d, b], i) => [d, i, b] as const),
            chunk,
          );
          for (const e of ctx.events)
            if (e.kind === 'message') assert.ok(isOperation(e.fields['iec104.operation']));
        },
      ),
      { numRuns: 500 },
    );
  });

  test('valid APDUs with junk around them decode the same whatever the chunking', () => {
    const apdus = sampleSession()
      .filter((t) => t.dir === 0)
      .map((t) => t.bytes);
    fc.assert(
      fc.property(
        fc.array(
          fc.uint8Array({ maxLength: 12 }).map((b) => b.map((x) => (x === 0x68 ? 0 : x))),
          { minLength: apdus.length + 1, maxLength: apdus.length + 1 },
        ),
        fc.integer({ min: 1, max: 40 }),
        (junk, chunk) => {
          const parts: Uint8Array[] = [];
          for (const [i, a] of apdus.entries()) parts.push(junk[i], a);
          parts.push(junk[apdus.length]);
          const bytes = concat(...parts);
          const whole = replay(iec104Dissector, [[0, 1, bytes]]);
          const split = replay(iec104Dissector, [[0, 1, bytes]], chunk);
          assert.deepEqual(split.events, whole.events);
          assert.equal(whole.messages().length, apdus.length);
          assert.equal(whole.violations().length, junk.filter((j) => j.length > 0).length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
