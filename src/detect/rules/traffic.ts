// Protocol violations and floods (issue 4). Violations are the dissectors' data for the detector
// (STYLE.md 3), aggregated per pair and protocol. A flood is a pair's message rate far above its
// learned rate, or above an absolute ceiling without a baseline.

import type { AppEvent, ConnectionInfo, LinkEvent } from '../../pipeline/events.ts';
import type { BaselineIndex } from '../baseline-index.ts';
import { channelKey } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import {
  FLOOD_ABSOLUTE_MSGS_PER_S,
  FLOOD_BASELINE_FACTOR,
  FLOOD_BASELINE_FLOOR_MSGS_PER_S,
  FLOOD_NEW_CONNECTIONS,
  FLOOD_WINDOW_S,
  MAX_PAIRS,
} from '../limits.ts';
import { BoundedMap, getOrCreate } from '../sliding-distinct.ts';
import type { MessageView, Rule } from './rule.ts';

export class ViolationRule implements Rule {
  readonly name = 'violations';

  /** With a baseline, violations it learned on a channel (a device's habitual quirk) are normal there. */
  constructor(private readonly baseline: BaselineIndex | null = null) {}

  violation(e: AppEvent, raise: Raise): void {
    const learned = this.baseline?.channels.get(channelKey(e.conn.clientIp, e.conn.serverIp, e.app));
    if ((learned?.violations ?? 0) > 0) return;
    const reason = String(e.fields.reason ?? 'malformed');
    raise({
      category: 'protocol-violation',
      src: e.conn.clientIp,
      dst: e.conn.serverIp,
      key: e.app,
      ts: e.ts,
      detail: `${e.app}: ${reason}`,
      fields: { reason },
    });
  }

  link(e: LinkEvent, raise: Raise): void {
    if (e.kind !== 'violation') return;
    const reason = String(e.fields.reason ?? 'malformed');
    raise({
      category: 'protocol-violation',
      src: e.srcMac,
      dst: e.dstMac,
      key: e.app,
      ts: e.ts,
      detail: `${e.app}: ${reason}`,
      fields: { reason },
    });
  }
}

interface RateWindow {
  start: number;
  count: number;
  /** Messages in one window that make a flood. */
  readonly limit: number;
}

export class FloodRule implements Rule {
  readonly name = 'flood';
  private readonly pairs = new BoundedMap<string, RateWindow>(MAX_PAIRS);
  private readonly byConn = new WeakMap<object, RateWindow>();
  private readonly starts = new BoundedMap<string, RateWindow>(MAX_PAIRS);

  constructor(private readonly baseline: BaselineIndex | null) {}

  message(m: MessageView, raise: Raise): void {
    if (!m.isRequest) return;
    const e = m.e;
    let w = this.byConn.get(e.conn);
    if (w === undefined) {
      const k = channelKey(m.src, m.dst, e.app);
      w = getOrCreate(this.pairs, k, (): RateWindow => ({ start: e.ts, count: 0, limit: this.limitFor(k) }));
      this.byConn.set(e.conn, w);
    }
    if (e.ts - w.start >= FLOOD_WINDOW_S) {
      w.start = e.ts;
      w.count = 0;
    }
    // Fires once per window, on the message that crosses the limit: within the first second.
    if (++w.count === w.limit + 1) {
      raise({
        category: 'flood',
        src: m.src,
        dst: m.dst,
        key: e.app,
        ts: e.ts,
        detail: `${w.count} ${e.app} requests within ${FLOOD_WINDOW_S} s (limit ${w.limit})`,
      });
    }
  }

  /**
   * Connections opened from one source to one host, counted as they start: a SYN flood (half-open
   * connections that never end in a summary) and a connection storm show here within the window.
   */
  connectionStart(conn: ConnectionInfo, ts: number, raise: Raise): void {
    const k = `${conn.clientIp} ${conn.serverIp}`;
    const w = getOrCreate(
      this.starts,
      k,
      (): RateWindow => ({ start: ts, count: 0, limit: FLOOD_NEW_CONNECTIONS }),
    );
    if (ts - w.start >= FLOOD_WINDOW_S) {
      w.start = ts;
      w.count = 0;
    }
    if (++w.count === w.limit + 1) {
      raise({
        category: 'flood',
        src: conn.clientIp,
        dst: conn.serverIp,
        key: `${conn.transport} connections`,
        ts,
        detail: `more than ${w.limit} new ${conn.transport} connections within ${FLOOD_WINDOW_S} s (latest to port ${conn.serverPort})`,
      });
    }
  }

  private limitFor(k: string): number {
    const learned = this.baseline?.rates.get(k);
    const perS =
      learned === undefined
        ? FLOOD_ABSOLUTE_MSGS_PER_S
        : Math.min(
            FLOOD_ABSOLUTE_MSGS_PER_S,
            Math.max(FLOOD_BASELINE_FLOOR_MSGS_PER_S, learned * FLOOD_BASELINE_FACTOR),
          );
    return Math.max(1, Math.round(perS * FLOOD_WINDOW_S));
  }
}
