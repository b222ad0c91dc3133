// Learning continues across captures: merging is commutative on counts and idempotent on sets, and
// a stored baseline that keeps learning equals learning both captures.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeDemoCapture } from '../demo/generate.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import { combinePolling, MIN_POLL_SAMPLES } from './cadence.ts';
import { learnBaseline } from './learn.ts';
import { BaselineLearner } from './learner.ts';
import { learnInto, mergeBaselines } from './merge.ts';
import { addRange, MAX_RANGES_PER_SPACE, mergeRanges } from './ranges.ts';
import type { BaselineDocument } from './types.ts';
import { parseBaseline } from './validate.ts';

const PACKETS = 20_000;

/** Everything but the floating-point polling figures, which are compared with a tolerance. */
function withoutPolling(doc: BaselineDocument): unknown {
  return {
    ...doc,
    channels: doc.channels.map((c) => ({ ...c, polling: c.polling === null ? null : c.polling.samples })),
  };
}

function sets(doc: BaselineDocument): unknown {
  return {
    assets: doc.assets,
    pairs: doc.pairs.map((p) => [p.client, p.server, p.transport, p.port, p.app]),
    channels: doc.channels.map((c) => ({
      key: [c.client, c.server, c.app],
      functions: Object.keys(c.functions),
      operations: Object.keys(c.operations),
      units: c.units,
      writes: c.writes,
      period: c.polling === null ? null : c.polling.periodS.toFixed(9),
    })),
  };
}

describe('mergeBaselines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoneward-baseline-merge-'));
  let a: BaselineDocument;
  let b: BaselineDocument;
  let both: BaselineDocument;
  const paths = [join(dir, 'a.pcap'), join(dir, 'b.pcap')];

  before(async () => {
    await writeDemoCapture({ out: paths[0], packets: PACKETS, seed: 1 });
    await writeDemoCapture({ out: paths[1], packets: PACKETS, seed: 2 });
    a = await learnBaseline([paths[0]], { site: 'plant' });
    b = await learnBaseline([paths[1]], { site: 'plant' });
    both = await learnBaseline(paths, { site: 'plant' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('is commutative on counts and sets', () => {
    const ab = mergeBaselines(a, b);
    const ba = mergeBaselines(b, a);
    assert.deepEqual(withoutPolling(ab), withoutPolling(ba));
    ab.channels.forEach((c, i) => {
      const other = ba.channels[i].polling;
      if (c.polling === null || other === null) {
        assert.equal(c.polling, other);
        return;
      }
      assert.ok(Math.abs(c.polling.periodS - other.periodS) < 1e-9);
      assert.ok(Math.abs(c.polling.jitterS - other.jitterS) < 1e-9);
    });
  });

  test('is idempotent on sets and doubles counts', () => {
    const aa = mergeBaselines(a, a);
    assert.deepEqual(sets(aa), sets(a));
    assert.equal(aa.learned.packets, 2 * a.learned.packets);
    aa.pairs.forEach((p, i) => {
      assert.equal(p.packets, 2 * a.pairs[i].packets);
    });
    aa.channels.forEach((c, i) => {
      for (const [f, n] of Object.entries(c.functions)) assert.equal(n, 2 * a.channels[i].functions[f]);
      if (c.polling !== null) assert.equal(c.polling.samples, 2 * (a.channels[i].polling?.samples ?? 0));
    });
  });

  test('adds up to learning both captures at once', () => {
    const ab = mergeBaselines(a, b);
    const counts = (d: BaselineDocument): unknown => ({
      learned: d.learned,
      pairs: d.pairs,
      channels: d.channels.map((c) => [
        c.client,
        c.server,
        c.app,
        c.functions,
        c.operations,
        c.units,
        c.writes,
      ]),
    });
    assert.deepEqual(counts(ab), counts(both));
    assert.ok(ab.channels.some((c) => c.polling !== null));
    const parsed = parseBaseline(JSON.stringify(ab));
    assert.ok(parsed.ok);
  });

  test('a stored baseline keeps learning (learnInto)', async () => {
    const learner = new BaselineLearner();
    const { stats } = await decodeCaptureFile(paths[1], learner);
    const continued = learnInto(a, learner, { packets: stats.frames, sources: b.learned.sources });
    assert.deepEqual(
      continued.channels.map((c) => [c.client, c.server, c.app, c.functions, c.units, c.writes]),
      both.channels.map((c) => [c.client, c.server, c.app, c.functions, c.units, c.writes]),
    );
    assert.equal(continued.learned.packets, both.learned.packets);
    assert.equal(continued.site, a.site);
  });
});

describe('ranges and polling', () => {
  test('ranges merge when they overlap or touch, and stay sorted', () => {
    assert.deepEqual(
      mergeRanges([
        [20, 30],
        [0, 4],
        [5, 9],
        [25, 40],
        [50, 50],
      ]),
      [
        [0, 9],
        [20, 40],
        [50, 50],
      ],
    );
    assert.deepEqual(addRange([[0, 9]], 11, 12), [
      [0, 9],
      [11, 12],
    ]);
  });

  test('ranges are capped by joining the closest neighbours', () => {
    let ranges = [] as ReturnType<typeof addRange>;
    for (let i = 0; i < MAX_RANGES_PER_SPACE + 10; i++) ranges = addRange(ranges, i * 10, i * 10);
    ranges = addRange(ranges, 10_000, 10_000);
    assert.equal(ranges.length, MAX_RANGES_PER_SPACE);
    assert.deepEqual(ranges[ranges.length - 1], [10_000, 10_000]);
    assert.equal(ranges[0][0], 0);
  });

  test('combining polling: same cadence pools, different cadences keep the faster', () => {
    const p = { periodS: 1, jitterS: 0.01, samples: MIN_POLL_SAMPLES };
    const pooled = combinePolling(p, { periodS: 1.02, jitterS: 0.01, samples: MIN_POLL_SAMPLES });
    assert.ok(pooled && Math.abs(pooled.periodS - 1.01) < 1e-9 && pooled.samples === 2 * MIN_POLL_SAMPLES);
    assert.deepEqual(combinePolling(p, { periodS: 5, jitterS: 0.1, samples: 100 }), p);
    assert.equal(combinePolling(null, null), null);
  });
});
