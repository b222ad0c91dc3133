// Baseline deviations (issue 4): a new asset, a new pair, a new protocol on a pair, a new function
// or operation class on a channel, a write from a source never seen writing, a write outside the
// learned address or value range. Each connection is resolved against the baseline once (a few
// string keys); a message then costs property lookups only.

import type { BaselineChannel, BaselineWrites } from '../../baseline/types.ts';
import { isGroupIp, isUnspecifiedIp } from '../../inventory/addresses.ts';
import type { ArpEvent, ConnectionInfo, ConnectionSummary } from '../../pipeline/events.ts';
import type { BaselineIndex } from '../baseline-index.ts';
import { channelKey } from '../baseline-index.ts';
import type { Raise } from '../finding.ts';
import { numberField, stringField } from '../vocabulary.ts';
import type { MessageView, Rule } from './rule.ts';

interface ConnVerdict {
  /** The channel of this connection's client, server and app, or null when the baseline lacks it. */
  readonly channel: BaselineChannel | null;
  serverChecked: boolean;
}

export class DeviationRule implements Rule {
  readonly name = 'baseline-deviation';
  private readonly byConn = new WeakMap<ConnectionInfo, ConnVerdict>();

  constructor(private readonly b: BaselineIndex) {}

  message(m: MessageView, raise: Raise): void {
    const e = m.e;
    const conn = e.conn;
    let v = this.byConn.get(conn);
    if (v === undefined) v = this.resolve(m, raise);
    if (!m.isRequest) {
      if (!v.serverChecked) {
        v.serverChecked = true;
        this.asset(conn.serverIp, e.ts, `answering ${e.app} on port ${conn.serverPort}`, raise);
      }
      return;
    }
    const ch = v.channel;
    if (ch === null || m.op === null) return;
    const func = m.func;
    if (!Object.hasOwn(ch.operations, m.op)) {
      raise({
        category: 'new-operation',
        src: m.src,
        dst: m.dst,
        key: `${e.app} ${m.op}`,
        ts: e.ts,
        detail: `${m.op} operation ${func ?? ''} never learned on this channel`,
      });
    } else if (func !== null && !Object.hasOwn(ch.functions, func)) {
      raise({
        category: 'new-function',
        src: m.src,
        dst: m.dst,
        key: `${e.app} ${func}`,
        ts: e.ts,
        detail: `${m.op} function never learned on this channel`,
      });
    }
    if (m.op === 'write') this.write(m, ch, raise);
  }

  arp(e: ArpEvent, raise: Raise): void {
    if (e.senderIp === '0.0.0.0' || this.b.hasIp(e.senderIp)) return;
    raise({
      category: 'new-asset',
      src: e.senderIp,
      dst: null,
      key: e.senderIp,
      ts: e.ts,
      detail: `ARP from ${e.senderMac}`,
    });
  }

  connection(c: ConnectionSummary, raise: Raise): void {
    // Connections no dissector recognised still reveal assets and pairs.
    if (this.byConn.has(c.conn)) return;
    const { clientIp, serverIp, transport, serverPort } = c.conn;
    this.asset(clientIp, c.firstTs, `connecting to ${serverIp} ${transport}/${serverPort}`, raise);
    this.pair(c.conn, c.app, c.firstTs, raise);
  }

  private resolve(m: MessageView, raise: Raise): ConnVerdict {
    const conn = m.e.conn;
    const app = m.e.app;
    this.asset(conn.clientIp, m.e.ts, `sending ${app} to ${conn.serverIp}`, raise);
    this.pair(conn, app, m.e.ts, raise);
    const v: ConnVerdict = {
      channel: this.b.channels.get(channelKey(conn.clientIp, conn.serverIp, app)) ?? null,
      serverChecked: false,
    };
    this.byConn.set(conn, v);
    return v;
  }

  private asset(ip: string, ts: number, detail: string, raise: Raise): void {
    // Broadcast, multicast and unspecified addresses name no device (a DHCP reply to 255.255.255.255).
    if (isGroupIp(ip) || isUnspecifiedIp(ip)) return;
    if (!this.b.hasIp(ip)) raise({ category: 'new-asset', src: ip, dst: null, key: ip, ts, detail });
  }

  private pair(conn: ConnectionInfo, app: string | null, ts: number, raise: Raise): void {
    const { clientIp, serverIp, transport, serverPort } = conn;
    const proto = `${app ?? 'unknown'} ${transport}/${serverPort}`;
    if (!this.b.hasPair(clientIp, serverIp)) {
      raise({ category: 'new-pair', src: clientIp, dst: serverIp, key: '', ts, detail: proto });
    } else if (
      !this.b.hasPairPort(clientIp, serverIp, transport, serverPort) ||
      (app !== null && !this.b.hasPairApp(clientIp, serverIp, app))
    ) {
      raise({ category: 'new-protocol', src: clientIp, dst: serverIp, key: proto, ts, detail: proto });
    }
  }

  private write(m: MessageView, ch: BaselineChannel, raise: Raise): void {
    const e = m.e;
    if (!this.b.isWriter(m.src)) {
      raise({
        category: 'new-writer',
        src: m.src,
        dst: m.dst,
        key: '',
        ts: e.ts,
        detail: `${e.app} ${m.func ?? 'write'}`,
      });
      return;
    }
    const space = stringField(e.fields, m.v.spaceField);
    const address = numberField(e.fields, m.v.addressField);
    if (space === null || address === null) return;
    const values = e.fields[m.v.valuesField];
    const n =
      Array.isArray(values) && values.length > 0
        ? values.length
        : (numberField(e.fields, m.v.quantityField) ?? 1);
    const learned = findSpace(ch.writes, space);
    const last = address + n - 1;
    if (learned === null || !covered(learned.ranges, address, last, ADDRESS_TOLERANCE)) {
      raise({
        category: 'write-address-out-of-range',
        src: m.src,
        dst: m.dst,
        key: `${space} ${address}`,
        ts: e.ts,
        detail: `${m.func ?? 'write'} ${space} ${address}${n > 1 ? `..${last}` : ''}`,
        fields: { [m.v.spaceField]: space, [m.v.addressField]: address },
      });
      return;
    }
    if (learned.values === null || !Array.isArray(values)) return;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'number' || withinValues(learned.values, value)) continue;
      raise({
        category: 'write-value-out-of-range',
        src: m.src,
        dst: m.dst,
        key: `${space} ${address + i}`,
        ts: e.ts,
        detail: `${m.func ?? 'write'} ${space} ${address + i} = ${value} (learned ${learned.values.min}..${learned.values.max})`,
        fields: { [m.v.spaceField]: space, [m.v.addressField]: address + i, value },
      });
    }
  }
}

function findSpace(writes: readonly BaselineWrites[], space: string): BaselineWrites | null {
  for (const w of writes) if (w.space === space) return w;
  return null;
}

/**
 * Learning sees a sample of what operators do: an HMI that writes setpoints between 600 and 1300
 * may have written only 755..1229 while the baseline was learned. So a write counts as learned
 * within a tolerance around what was seen: VALUE_TOLERANCE of the learned span, or
 * VALUE_MAGNITUDE_TOLERANCE of the values' size when that is more (at least one unit), on either side, and ADDRESS_TOLERANCE addresses beside a learned range. A setpoint far outside
 * (2600 against 755..1229) still alerts.
 */
const VALUE_TOLERANCE = 0.5;
const VALUE_MAGNITUDE_TOLERANCE = 0.1;
const ADDRESS_TOLERANCE = 8;

function withinValues(v: { readonly min: number; readonly max: number }, value: number): boolean {
  // A narrow learned span (67..73) still allows a tenth of the magnitude around it.
  const magnitude = Math.max(Math.abs(v.min), Math.abs(v.max)) * VALUE_MAGNITUDE_TOLERANCE;
  const margin = Math.max(1, (v.max - v.min) * VALUE_TOLERANCE, magnitude);
  return value >= v.min - margin && value <= v.max + margin;
}

/** [first, last] lies inside one learned range widened by `tolerance` addresses on either side. */
function covered(
  ranges: readonly (readonly [number, number])[],
  first: number,
  last: number,
  tolerance: number,
): boolean {
  for (const [a, b] of ranges) if (first >= a - tolerance && last <= b + tolerance) return true;
  return false;
}
