// Learning continues: two baselines of one site (or a stored baseline and what a learner saw
// since) become one. Sets are unions, counts add, write ranges merge, polling combines
// (cadence.ts). Merging a baseline with itself doubles counts and leaves every set unchanged.

import type { Asset } from '../inventory/types.ts';
import { combinePolling } from './cadence.ts';
import {
  type BaselineLearner,
  MAX_UNITS_PER_CHANNEL,
  sortAssets,
  sortChannels,
  sortPairs,
} from './learner.ts';
import { mergeRanges } from './ranges.ts';
import type {
  BaselineAsset,
  BaselineChannel,
  BaselineDocument,
  BaselinePair,
  BaselineWrites,
} from './types.ts';

/**
 * `a` and `b` merged. Site, mode and confirmation come from `a` (the stored baseline); an asset's
 * identity takes `b`'s values where it has them (the later sighting: a firmware was updated).
 */
export function mergeBaselines(a: BaselineDocument, b: BaselineDocument): BaselineDocument {
  const sources = new Map<string, { source: string; sha256: string | null }>();
  for (const s of [...a.learned.sources, ...b.learned.sources])
    sources.set(`${s.source}|${s.sha256}`, { ...s });
  const times = [a, b].filter((d) => d.learned.packets > 0 || d.learned.lastTs > 0);
  return {
    format: a.format,
    site: a.site,
    mode: a.mode,
    confirmed: a.confirmed,
    learned: {
      sources: [...sources.values()].sort((x, y) => (x.source < y.source ? -1 : x.source > y.source ? 1 : 0)),
      firstTs: times.length > 0 ? Math.min(...times.map((d) => d.learned.firstTs)) : 0,
      lastTs: times.length > 0 ? Math.max(...times.map((d) => d.learned.lastTs)) : 0,
      packets: a.learned.packets + b.learned.packets,
    },
    assets: sortAssets(mergeBy(a.assets, b.assets, assetKey, mergeAsset)),
    pairs: sortPairs(mergeBy(a.pairs, b.pairs, pairKey, mergePair)),
    channels: sortChannels(mergeBy(a.channels, b.channels, channelKey, mergeChannel)),
  };
}

/**
 * A stored baseline keeps learning: what `learner` saw since is merged into `doc`. `inventory`
 * gives the new assets their roles and identities.
 */
export function learnInto(
  doc: BaselineDocument,
  learner: BaselineLearner,
  options: {
    readonly inventory?: readonly Asset[];
    readonly packets?: number;
    readonly sources?: BaselineDocument['learned']['sources'];
  } = {},
): BaselineDocument {
  return mergeBaselines(doc, learner.toDocument({ site: doc.site, ...options }));
}

function mergeBy<T>(a: readonly T[], b: readonly T[], key: (t: T) => string, merge: (x: T, y: T) => T): T[] {
  const out = new Map<string, T>();
  for (const item of [...a, ...b]) {
    const k = key(item);
    const known = out.get(k);
    out.set(k, known === undefined ? item : merge(known, item));
  }
  return [...out.values()];
}

const assetKey = (x: BaselineAsset): string => (x.ip !== null ? x.ip : `mac:${x.mac}`);
const pairKey = (x: BaselinePair): string =>
  `${x.client}|${x.server}|${x.transport}|${x.port}|${x.app ?? ''}`;
const channelKey = (x: BaselineChannel): string => `${x.client}|${x.server}|${x.app}`;

function mergeAsset(x: BaselineAsset, y: BaselineAsset): BaselineAsset {
  return {
    ip: x.ip,
    mac: y.mac ?? x.mac,
    role: y.role ?? x.role,
    vendor: y.vendor ?? x.vendor,
    model: y.model ?? x.model,
    firmware: y.firmware ?? x.firmware,
    serial: y.serial ?? x.serial,
  };
}

function mergePair(x: BaselinePair, y: BaselinePair): BaselinePair {
  return { ...x, connections: x.connections + y.connections, packets: x.packets + y.packets };
}

function mergeChannel(x: BaselineChannel, y: BaselineChannel): BaselineChannel {
  return {
    client: x.client,
    server: x.server,
    app: x.app,
    functions: addCounts(x.functions, y.functions),
    operations: addCounts(x.operations, y.operations),
    units: [...new Set([...x.units, ...y.units])].sort((p, q) => p - q).slice(0, MAX_UNITS_PER_CHANNEL),
    writes: mergeBy(x.writes, y.writes, (w) => w.space, mergeWrites).sort((p, q) =>
      p.space < q.space ? -1 : p.space > q.space ? 1 : 0,
    ),
    ...peak(x.peakPerS, y.peakPerS),
    ...((x.violations ?? 0) + (y.violations ?? 0) > 0
      ? { violations: (x.violations ?? 0) + (y.violations ?? 0) }
      : {}),
    polling: combinePolling(x.polling, y.polling),
  };
}

function mergeWrites(x: BaselineWrites, y: BaselineWrites): BaselineWrites {
  let values = x.values ?? y.values;
  if (x.values !== null && y.values !== null) {
    values = { min: Math.min(x.values.min, y.values.min), max: Math.max(x.values.max, y.values.max) };
  }
  return { space: x.space, ranges: mergeRanges([...x.ranges, ...y.ranges]), values };
}

function addCounts<K extends string>(
  x: Readonly<Partial<Record<K, number>>>,
  y: Readonly<Partial<Record<K, number>>>,
): Record<K, number> {
  const sum = new Map<string, number>();
  for (const source of [x, y]) {
    for (const [k, v] of Object.entries(source) as [string, number][]) sum.set(k, (sum.get(k) ?? 0) + v);
  }
  const out = {} as Record<K, number>;
  for (const k of [...sum.keys()].sort()) out[k as K] = sum.get(k) as number;
  return out;
}

/** The larger peak rate, when either document has one. */
function peak(a: number | undefined, b: number | undefined): { peakPerS?: number } {
  if (a === undefined && b === undefined) return {};
  return { peakPerS: Math.max(a ?? 0, b ?? 0) };
}
