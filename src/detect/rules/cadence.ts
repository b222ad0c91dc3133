// Polling cadence drift and missing expected traffic (issue 4). A polled channel's period is the
// interval between repeats of the read the baseline names (polling.request, poll-key.ts: the
// learner times each read and keeps the fastest steady one); for an older baseline without it,
// the channel's first request (same function and address). The
// observed mean over CADENCE_WINDOW_SAMPLES intervals is compared with the learned period; a drift
// larger than k * jitter (and a minimum fraction of the period) alerts. Silence is checked by a
// timer driven by capture time, so a device that goes quiet alerts while other traffic flows.

import { POLL_BURST_S, POLL_OUTAGE_FACTOR } from '../../baseline/cadence.ts';
import { pollKey, pollKeyFunction } from '../../baseline/poll-key.ts';
import type { BaselineChannel } from '../../baseline/types.ts';
import type { FieldValue } from '../../dissectors/types.ts';
import type { ConnectionInfo } from '../../pipeline/events.ts';
import type { BaselineIndex } from '../baseline-index.ts';
import { channelKey } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import {
  CADENCE_JITTER_K,
  CADENCE_MIN_RELATIVE_DRIFT,
  CADENCE_WINDOW_SAMPLES,
  SILENCE_MIN_S,
  SILENCE_PERIODS,
} from '../limits.ts';

/**
 * Capture time that passes between two events beyond which the capture has a hole (10 minutes):
 * live traffic on a plant network never pauses that long everywhere at once.
 */
const CAPTURE_GAP_S = 600;

/** A gap off by more than half the period is gross; two such gaps in a row alert at once. */
const CADENCE_GROSS_DRIFT = 0.5;
const CADENCE_GROSS_SAMPLES = 2;

import type { MessageView, Rule } from './rule.ts';

interface ChannelClock {
  readonly ch: BaselineChannel;
  /** The read the learned period belongs to, and its function (checked first, it is cheaper). */
  readonly request: string | null;
  readonly requestFunc: string | null;
  readonly periodS: number;
  readonly jitterS: number;
  lastTs: number | null;
  markerFunc: string | null;
  markerAddress: FieldValue;
  lastMarkerTs: number;
  sum: number;
  samples: number;
  /** Consecutive gaps far from the learned period (CADENCE_GROSS_DRIFT). */
  grossRun: number;
  silent: boolean;
}

export class CadenceRule implements Rule {
  readonly name = 'cadence';
  private readonly clocks = new Map<string, ChannelClock>();
  private readonly byConn = new WeakMap<ConnectionInfo, ChannelClock | null>();
  private startTs: number | null = null;
  private lastTick: number | null = null;

  constructor(b: BaselineIndex) {
    for (const ch of b.doc.channels) {
      if (ch.polling === null || ch.polling.periodS <= 0) continue;
      const request = ch.polling.request ?? null;
      this.clocks.set(channelKey(ch.client, ch.server, ch.app), {
        ch,
        request,
        requestFunc: request === null ? null : pollKeyFunction(request),
        periodS: ch.polling.periodS,
        jitterS: ch.polling.jitterS,
        lastTs: null,
        markerFunc: null,
        markerAddress: null,
        lastMarkerTs: 0,
        sum: 0,
        samples: 0,
        grossRun: 0,
        silent: false,
      });
    }
  }

  message(m: MessageView, raise: Raise): void {
    if (!m.isRequest) return;
    const e = m.e;
    let c = this.byConn.get(e.conn);
    if (c === undefined) {
      c = this.clocks.get(channelKey(m.src, m.dst, e.app)) ?? null;
      this.byConn.set(e.conn, c);
    }
    if (c === null) return;
    c.lastTs = e.ts;
    c.silent = false;
    if (c.request !== null) {
      // Time only the read the baseline measured.
      if (m.func !== c.requestFunc) return;
      const unitValue = m.v.unitField === null ? null : e.fields[m.v.unitField];
      const unit = typeof unitValue === 'number' ? unitValue : null;
      if (pollKey(e.app, m.func, unit, e.fields) !== c.request) return;
      this.cycle(c, m, e.ts, raise);
      return;
    }
    const address = e.fields[m.v.addressField] ?? null;
    if (c.markerFunc === null) {
      c.markerFunc = m.func;
      c.markerAddress = address;
      c.lastMarkerTs = e.ts;
      return;
    }
    if (m.func !== c.markerFunc || address !== c.markerAddress) return;
    this.cycle(c, m, e.ts, raise);
  }

  /** One more repeat of the timed read at `ts`: after a window of them, compare with the learned period. */
  private cycle(c: ChannelClock, m: MessageView, ts: number, raise: Raise): void {
    const e = m.e;
    if (c.lastMarkerTs === 0) {
      c.lastMarkerTs = ts;
      return;
    }
    const gap = ts - c.lastMarkerTs;
    // Repeats within a burst (a retry, a read split over frames) are one poll cycle, as the learner
    // counts them (baseline/cadence.ts POLL_BURST_S).
    if (gap < POLL_BURST_S) return;
    c.lastMarkerTs = ts;
    // A gap of several periods is an outage (missing-traffic's business), not a change of rhythm:
    // it is left out, as the learner leaves it out (baseline/cadence.ts POLL_OUTAGE_FACTOR).
    if (gap > POLL_OUTAGE_FACTOR * c.periodS) return;
    c.sum += gap;
    c.samples++;
    // A gross change (the period halved or doubled, far outside the jitter) shows in a few polls;
    // waiting for a whole window would let a bent poller run for many periods unnoticed.
    const far =
      Math.abs(gap - c.periodS) > Math.max(CADENCE_JITTER_K * c.jitterS, CADENCE_GROSS_DRIFT * c.periodS);
    c.grossRun = far ? c.grossRun + 1 : 0;
    if (c.grossRun < CADENCE_GROSS_SAMPLES && c.samples < CADENCE_WINDOW_SAMPLES) return;
    const mean = c.sum / c.samples;
    const samples = c.samples;
    c.sum = 0;
    c.samples = 0;
    c.grossRun = 0;
    const drift = Math.abs(mean - c.periodS);
    if (drift > CADENCE_JITTER_K * c.jitterS && drift > CADENCE_MIN_RELATIVE_DRIFT * c.periodS) {
      raise({
        category: 'cadence-drift',
        src: m.src,
        dst: m.dst,
        key: e.app,
        ts: e.ts,
        detail: `mean period ${mean.toFixed(3)} s over ${samples} polls, learned ${c.periodS.toFixed(3)} s ± ${c.jitterS.toFixed(3)} s`,
      });
    }
  }

  tick(now: number, raise: Raise): void {
    if (this.startTs === null) this.startTs = now;
    // Ticks come at least once per capture second while traffic flows. A jump of capture time far
    // beyond that is a hole in the capture (merged files, a clock step), not silence of devices:
    // the clocks start again from here.
    if (this.lastTick !== null && now - this.lastTick > CAPTURE_GAP_S) {
      for (const c of this.clocks.values()) {
        c.lastTs = now;
        c.lastMarkerTs = 0;
        c.sum = 0;
        c.samples = 0;
      }
    }
    this.lastTick = now;
    for (const c of this.clocks.values()) {
      if (c.silent) continue;
      const since = c.lastTs ?? this.startTs;
      const limit = Math.max(SILENCE_PERIODS * c.periodS, SILENCE_MIN_S);
      if (now - since <= limit) continue;
      c.silent = true;
      raise({
        category: 'missing-traffic',
        src: c.ch.client,
        dst: c.ch.server,
        key: c.ch.app,
        ts: now,
        detail: `no ${c.ch.app} request for ${(now - since).toFixed(0)} s; normally every ${c.periodS.toFixed(2)} s`,
      });
    }
  }
}
