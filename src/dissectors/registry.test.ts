// The registry is the one list of dissectors (STYLE.md 2). This checks it stays honest: sorted,
// unique, every protocol folder registered, and every dissector survives the same hostile input
// (STYLE.md 12: one conformance suite for all).

import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DISSECTORS } from './registry.ts';
import type { Direction, DissectorSession, SessionContext } from './types.ts';

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
    assert.equal(new Set(names).size, names.length);
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

describe('every dissector on hostile input', () => {
  for (const d of DISSECTORS) {
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
  }
});
