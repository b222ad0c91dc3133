// Polling cadence drift and missing expected traffic (issue 4). A polled channel's period is the
// interval between repeats of its first request (same function and address): one poll cycle. The
// observed mean over CADENCE_WINDOW_SAMPLES intervals is compared with the learned period; a drift
// larger than k * jitter (and a minimum fraction of the period) alerts. Silence is checked by a
// timer driven by capture time, so a device that goes quiet alerts while other traffic flows.

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
import type { MessageView, Rule } from './rule.ts';

interface ChannelClock {
  readonly ch: BaselineChannel;
  readonly periodS: number;
  readonly jitterS: number;
  lastTs: number | null;
  markerFunc: string | null;
  markerAddress: FieldValue;
  lastMarkerTs: number;
  sum: number;
  samples: number;
  silent: boolean;
}

export class CadenceRule implements Rule {
  readonly name = 'cadence';
  private readonly clocks = new Map<string, ChannelClock>();
  private readonly byConn = new WeakMap<ConnectionInfo, ChannelClock | null>();
  private startTs: number | null = null;

  constructor(b: BaselineIndex) {
    for (const ch of b.doc.channels) {
      if (ch.polling === null || ch.polling.periodS <= 0) continue;
      this.clocks.set(channelKey(ch.client, ch.server, ch.app), {
        ch,
        periodS: ch.polling.periodS,
        jitterS: ch.polling.jitterS,
        lastTs: null,
        markerFunc: null,
        markerAddress: null,
        lastMarkerTs: 0,
        sum: 0,
        samples: 0,
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
    const address = e.fields[m.v.addressField] ?? null;
    if (c.markerFunc === null) {
      c.markerFunc = m.func;
      c.markerAddress = address;
      c.lastMarkerTs = e.ts;
      return;
    }
    if (m.func !== c.markerFunc || address !== c.markerAddress) return;
    c.sum += e.ts - c.lastMarkerTs;
    c.lastMarkerTs = e.ts;
    if (++c.samples < CADENCE_WINDOW_SAMPLES) return;
    const mean = c.sum / c.samples;
    c.sum = 0;
    c.samples = 0;
    const drift = Math.abs(mean - c.periodS);
    if (drift > CADENCE_JITTER_K * c.jitterS && drift > CADENCE_MIN_RELATIVE_DRIFT * c.periodS) {
      raise({
        category: 'cadence-drift',
        src: m.src,
        dst: m.dst,
        key: e.app,
        ts: e.ts,
        detail: `mean period ${mean.toFixed(3)} s over ${CADENCE_WINDOW_SAMPLES} polls, learned ${c.periodS.toFixed(3)} s ± ${c.jitterS.toFixed(3)} s`,
      });
    }
  }

  tick(now: number, raise: Raise): void {
    if (this.startTs === null) this.startTs = now;
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
