// What a person does with an alert (issue 4, "Alerts"): acknowledge it, close it, suppress findings
// like it for a while, or learn it into the baseline ("this is normal"). Suppressions and learned
// changes carry who and why.

import type { BaselineChannel, BaselineDocument, BaselinePair } from '../baseline/types.ts';
import type { Alert } from './alert.ts';

export function acknowledge(a: Alert): Alert {
  return a.state === 'open' ? { ...a, state: 'acknowledged' } : a;
}

export function close(a: Alert): Alert {
  return { ...a, state: 'closed' };
}

/** Mutes alerts of a category (optionally one source, destination or key) until a capture time. */
export interface Suppression {
  readonly category: string;
  readonly src?: string;
  readonly dst?: string;
  /** Matched against the alert's aggregate key as shown in its summary (e.g. a function name). */
  readonly key?: string;
  /** Seconds since the Unix epoch; the suppression lapses after it. */
  readonly until: number;
  readonly by: string;
  readonly why: string;
}

export function suppressionMatches(s: Suppression, a: Alert, ts: number): boolean {
  if (ts > s.until || s.category !== a.category) return false;
  if (s.src !== undefined && s.src !== a.src) return false;
  if (s.dst !== undefined && s.dst !== a.dst) return false;
  if (s.key !== undefined && !a.summary.includes(s.key)) return false;
  return true;
}

export function isSuppressed(a: Alert, suppressions: readonly Suppression[], ts: number): boolean {
  for (const s of suppressions) if (suppressionMatches(s, a, ts)) return true;
  return false;
}

/** Who made a finding normal, and why: kept in the baseline's `learned.sources`. */
export interface LearnNote {
  readonly by: string;
  readonly why: string;
  /** ISO 8601. */
  readonly at: string;
}

/**
 * The baseline with the alert's finding made normal: a new asset or pair is added, a new function
 * or operation joins the channel, an out-of-range write widens the learned range. Recorded as a
 * learned source `alert:<id> by <who>: <why>`. Alert kinds that describe an event rather than a
 * state (commands, scans) return the baseline unchanged: suppress those instead.
 */
export function learnFromAlert(baseline: BaselineDocument, alert: Alert, note: LearnNote): BaselineDocument {
  const src = alert.src;
  const dst = alert.dst;
  const ev = alert.evidence[0];
  let assets = baseline.assets;
  let pairs = baseline.pairs;
  let channels = baseline.channels;
  switch (alert.category) {
    case 'new-asset':
      if (src !== null && !assets.some((a) => a.ip === src)) {
        assets = [
          ...assets,
          { ip: src, mac: null, role: null, vendor: null, model: null, firmware: null, serial: null },
        ];
      }
      break;
    case 'new-pair':
    case 'new-protocol': {
      if (src === null || dst === null) break;
      const m = /^(\S+) (tcp|udp)\/(\d+)$/.exec(ev?.detail ?? '');
      if (m === null) break;
      const pair: BaselinePair = {
        client: src,
        server: dst,
        transport: m[2] as 'tcp' | 'udp',
        port: Number(m[3]),
        app: m[1] === 'unknown' ? null : m[1],
        connections: 1,
        packets: 0,
      };
      pairs = [...pairs, pair];
      break;
    }
    case 'new-function':
    case 'new-operation':
    case 'write-address-out-of-range':
    case 'write-value-out-of-range':
      channels = channels.map((c) => (c.client === src && c.server === dst ? widenChannel(c, alert) : c));
      break;
    default:
      return baseline;
  }
  const source = `alert:${alert.id} ${alert.category} by ${note.by} at ${note.at}: ${note.why}`;
  return {
    ...baseline,
    assets,
    pairs,
    channels,
    learned: { ...baseline.learned, sources: [...baseline.learned.sources, { source, sha256: null }] },
  };
}

function widenChannel(c: BaselineChannel, alert: Alert): BaselineChannel {
  // Keys are `<app> <function>` / `<app> <operation>`; write keys come from the evidence fields.
  if (alert.category === 'new-function' || alert.category === 'new-operation') {
    const m = /: (\S+) (\S+) \(/.exec(alert.summary);
    if (m === null || m[1] !== c.app) return c;
    return alert.category === 'new-function'
      ? { ...c, functions: { ...c.functions, [m[2]]: 1 } }
      : { ...c, operations: { ...c.operations, [m[2]]: 1 } };
  }
  const f = alert.evidence[0]?.fields ?? {};
  const space = f[`${c.app}.space`];
  const address = f[`${c.app}.address`];
  if (typeof space !== 'string' || typeof address !== 'number') return c;
  const value = f.value;
  const writes = c.writes.some((w) => w.space === space)
    ? c.writes
    : [...c.writes, { space, ranges: [], values: null }];
  return {
    ...c,
    writes: writes.map((w) => {
      if (w.space !== space) return w;
      const ranges = mergeRanges([...w.ranges, [address, address]]);
      const values =
        typeof value !== 'number'
          ? w.values
          : w.values === null
            ? { min: value, max: value }
            : { min: Math.min(w.values.min, value), max: Math.max(w.values.max, value) };
      return { ...w, ranges, values };
    }),
  };
}

function mergeRanges(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
