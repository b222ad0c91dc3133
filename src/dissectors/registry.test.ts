// The registry is the one list of dissectors (STYLE.md 2). This checks it stays honest: sorted,
// unique, every protocol folder registered, and every dissector survives the same hostile input
// (STYLE.md 12: one conformance suite for all).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { publishedCoverageTable, renderCoverageTable } from './coverage.ts';
import { DISSECTORS } from './registry.ts';
import {
  type ConformanceSample,
  type RecordingContext,
  RecordingLinkContext,
  replay,
  type Transmission,
} from './testing.ts';
import type { AnyDissector, Direction, DissectorSession, SessionContext } from './types.ts';

const folder = new URL('.', import.meta.url).pathname;

function nullContext(): SessionContext & { messages: number; violations: number } {
  return {
    messages: 0,
    violations: 0,
    message() {
      this.messages++;
    },
    violation() {
      this.violations++;
    },
    abandon() {},
    ignoreRest() {},
  };
}

describe('dissector registry', () => {
  it('lists every dissector once, sorted by name', () => {
    const names = DISSECTORS.map((d) => d.name);
    assert.deepEqual(names, [...names].sort());
    // One protocol over TCP and UDP (DNP3, EtherNet/IP) is two descriptors of the same name.
    const keys = DISSECTORS.map((d) => `${d.name}/${d.transport}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const d of DISSECTORS) assert.match(d.name, /^[a-z][a-z0-9_]*$/);
  });

  it('registers every protocol folder, and every dissector lives in its folder', () => {
    const folders = readdirSync(folder).filter((n) => statSync(`${folder}/${n}`).isDirectory());
    // `s7comm_plus` lives in s7comm/: the folder is the name up to the first underscore.
    const homes = new Set(DISSECTORS.map((d) => d.name.split('_')[0]));
    assert.deepEqual(folders.sort(), [...homes].sort());
  });

  it('declares the message vocabulary and coverage of every dissector', () => {
    for (const d of DISSECTORS) {
      assert.ok(d.operationField.startsWith(`${d.name.split('_')[0]}.`) || d.operationField.includes('.'));
      assert.ok(d.coverage.protocol.length > 0, d.name);
      assert.ok(d.coverage.decoded.length + d.coverage.recognised.length > 0, d.name);
    }
  });
});

/** Each folder's conformance samples (its testing.ts `CONFORMANCE_SAMPLES`), by dissector name. */
async function loadSamples(): Promise<Map<string, ConformanceSample[]>> {
  const out = new Map<string, ConformanceSample[]>();
  const folders = readdirSync(folder).filter((n) => statSync(`${folder}/${n}`).isDirectory());
  for (const f of folders) {
    if (!existsSync(`${folder}/${f}/testing.ts`)) continue;
    const mod = (await import(`./${f}/testing.ts`)) as { CONFORMANCE_SAMPLES?: readonly ConformanceSample[] };
    for (const sample of mod.CONFORMANCE_SAMPLES ?? []) {
      const list = out.get(sample.dissector) ?? [];
      list.push(sample);
      out.set(sample.dissector, list);
    }
  }
  return out;
}

const samples = await loadSamples();

function samplesFor(d: AnyDissector): ConformanceSample[] {
  return (samples.get(d.name) ?? []).filter((s) => s.transport === undefined || s.transport === d.transport);
}

/** What a session reported, in a comparable form. */
function outcome(ctx: RecordingContext): string[] {
  return ctx.events.map((e) => `${e.kind} ${e.dir} ${JSON.stringify(e.fields)}`);
}

describe('every dissector on hostile input', () => {
  for (const d of DISSECTORS) {
    if (d.transport === 'link') {
      it(`${d.name}: decode never throws on empty, random or truncated frames`, () => {
        d.decode(0, new Uint8Array(0), new RecordingLinkContext());
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 600 }), (frame) => {
            d.decode(0, frame, new RecordingLinkContext());
          }),
          { numRuns: 2000 },
        );
        for (const sample of samplesFor(d)) {
          for (const [, , frame] of sample.transmissions) {
            const whole = new RecordingLinkContext();
            d.decode(0, frame, whole);
            assert.ok(whole.messages.length > 0, `${sample.name}: no message`);
            assert.equal(whole.violations.length, 0, `${sample.name}: ${JSON.stringify(whole.violations)}`);
            for (let n = 0; n < frame.length; n++)
              d.decode(0, frame.subarray(0, n), new RecordingLinkContext());
          }
        }
      });
      continue;
    }
    it(`${d.name}: probes and sessions never throw on empty, random or chunked bytes`, () => {
      const s0: DissectorSession = d.createSession(nullContext());
      s0.data(0, 0, new Uint8Array(0));
      s0.data(1, 0, new Uint8Array(0));
      s0.gap(0, 0, 10);
      s0.end(0);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.constantFrom<Direction>(0, 1), fc.uint8Array({ maxLength: 300 })), {
            maxLength: 12,
          }),
          fc.boolean(),
          (chunks, withGap) => {
            for (const [dir, bytes] of chunks) d.probe(dir, bytes);
            const s = d.createSession(nullContext());
            chunks.forEach(([dir, bytes], i) => {
              s.data(dir, i, bytes);
              if (withGap && i === 1) s.gap(dir, i, 7);
            });
            s.end(chunks.length);
          },
        ),
        { numRuns: 1000 },
      );
    });

    const own = samplesFor(d);
    it(`${d.name}: valid samples decode without violations, at every split point and truncated`, () => {
      for (const sample of own) {
        const whole = replay(d, sample.transmissions);
        assert.ok(whole.messages().length > 0, `${sample.name}: no message`);
        assert.deepEqual(whole.violations(), [], sample.name);
        assert.notEqual(d.probe(sample.transmissions[0][0], sample.transmissions[0][2]), 'no', sample.name);
        const expected = outcome(whole);
        sample.transmissions.forEach(([, , bytes], t) => {
          for (let cut = 1; cut < bytes.length; cut++) {
            if (d.transport === 'tcp') {
              // The same bytes in two chunks split at `cut` must decode to the same events.
              const split = sample.transmissions.flatMap((tr, i) =>
                i === t
                  ? [
                      [tr[0], tr[1], tr[2].subarray(0, cut)] as const,
                      [tr[0], tr[1], tr[2].subarray(cut)] as const,
                    ]
                  : [tr],
              );
              assert.deepEqual(outcome(replay(d, split)), expected, `${sample.name}: split at ${cut}`);
            }
            // Truncated: the transmission cut short, then the connection ends. Nothing throws, and a
            // datagram cut short is never dropped in silence: it is a violation, or still a valid
            // shorter message (DHCP tolerates options cut at an option boundary, RFC 2131 §2).
            const [dir, ts] = sample.transmissions[t];
            const truncated: Transmission[] = [
              ...sample.transmissions.slice(0, t),
              [dir, ts, bytes.subarray(0, cut)],
            ];
            const ctx = replay(d, truncated);
            if (d.transport === 'udp') {
              const before = replay(d, sample.transmissions.slice(0, t)).events.length;
              assert.ok(
                ctx.events.length > before,
                `${sample.name}: datagram ${t} cut to ${cut} bytes was dropped`,
              );
            }
          }
        });
      }
    });
  }
});

describe('published coverage', () => {
  it('docs/protocols.md shows the table the registry renders (npm run docs:coverage)', () => {
    const page = readFileSync(new URL('../../docs/protocols.md', import.meta.url), 'utf8');
    assert.equal(publishedCoverageTable(page), renderCoverageTable(DISSECTORS));
  });
});
