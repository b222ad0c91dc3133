// What devices say about themselves (issue 3, "identity with provenance and history"): every part
// of a device's identity as the latest report of it said, each with the protocol and the message it
// came from, and every change of a part (a firmware update, a swapped module, a spoofer) kept as
// history. Reports come from dissector fields `<app>.device.<part>` (dissectors/device.ts).

import { MAX_IDENTITY_CHANGES } from './limits.ts';

/** The parts, in the inventory's words (dissectors/device.ts names them in snake case). */
export const REPORTED_PARTS = [
  'vendor',
  'vendorId',
  'model',
  'product',
  'productCode',
  'firmware',
  'hardware',
  'serial',
  'name',
  'description',
  'software',
  'deviceId',
] as const;
export type ReportedPart = (typeof REPORTED_PARTS)[number];

/** One part's value with its provenance. */
export interface ReportedValue {
  readonly value: string;
  /** The protocol (dissector name) it came from: `s7comm`, `enip`, `modbus`. */
  readonly source: string;
  /** The message that carried it, e.g. `READ_SZL 0x0011` or `LIST_IDENTITY`. */
  readonly via: string;
  /** When this value was first reported: the report its provenance names. */
  readonly ts: number;
  /** When it was last reported (the same value again, by any message). */
  readonly last: number;
}

/** A part that changed: what it was, and what replaced it. */
export interface ReportedChange {
  readonly part: ReportedPart;
  readonly before: ReportedValue;
  readonly after: ReportedValue;
}

export type ReportedValues = { readonly [P in ReportedPart]?: string | null };

/** Plain data for snapshots (inventory/snapshot.ts). */
export interface ReportedIdentitySnapshot {
  readonly parts: readonly (readonly [ReportedPart, ReportedValue])[];
  readonly changes: readonly ReportedChange[];
}

export class ReportedIdentity {
  private readonly parts = new Map<ReportedPart, ReportedValue>();
  private readonly changeList: ReportedChange[] = [];

  /** A report at `ts`; parts it leaves null or empty keep what earlier reports said. */
  report(source: string, via: string, ts: number, values: ReportedValues): void {
    for (const part of REPORTED_PARTS) {
      const value = values[part];
      if (value === undefined || value === null || value === '') continue;
      this.set(part, { value, source, via, ts, last: ts });
    }
  }

  get(part: ReportedPart): ReportedValue | null {
    return this.parts.get(part) ?? null;
  }

  /** The latest time any part was reported. */
  get ts(): number {
    let latest = Number.NEGATIVE_INFINITY;
    for (const v of this.parts.values()) if (v.last > latest) latest = v.last;
    return latest;
  }

  /** Changes in the order of their time, oldest first. */
  changes(): readonly ReportedChange[] {
    return [...this.changeList].sort((a, b) => a.after.ts - b.after.ts);
  }

  entries(): [ReportedPart, ReportedValue][] {
    return REPORTED_PARTS.filter((p) => this.parts.has(p)).map((p) => [p, this.parts.get(p)!]);
  }

  snapshot(): ReportedIdentitySnapshot {
    return { parts: this.entries(), changes: [...this.changeList] };
  }

  /** Folds in another builder's record: per part the later report wins; changes unite. */
  merge(s: ReportedIdentitySnapshot): void {
    for (const change of s.changes) this.addChange(change);
    for (const [part, value] of s.parts) this.set(part, value);
  }

  /** Combines every address's report of one device (assemble.ts). */
  mergeFrom(other: ReportedIdentity): void {
    this.merge(other.snapshot());
  }

  private set(part: ReportedPart, incoming: ReportedValue): void {
    const current = this.parts.get(part);
    if (current === undefined) {
      this.parts.set(part, incoming);
      return;
    }
    if (current.value === incoming.value) {
      // The same value again: its provenance is the first report of it, whichever builder saw
      // that one first, so merging shards in any order gives the same record.
      const first = earlier(incoming, current) ? incoming : current;
      this.parts.set(part, { ...first, last: Math.max(current.last, incoming.last) });
      return;
    }
    // Reports may arrive out of time order when shards merge: the later one is the current value.
    const [before, after] = later(incoming, current) ? [current, incoming] : [incoming, current];
    // A change is the same message saying something else later (a firmware update, a swapped
    // module). Two kinds of message may spell one fact differently (BACnet's vendor registry name
    // in I-Am against the device's own vendor-name property): that is no change.
    if (before.source === after.source && before.via === after.via) this.addChange({ part, before, after });
    this.parts.set(part, after);
  }

  private addChange(change: ReportedChange): void {
    const list = this.changeList;
    const same = (c: ReportedChange) =>
      c.part === change.part &&
      c.before.value === change.before.value &&
      c.after.value === change.after.value &&
      c.after.ts === change.after.ts;
    if (list.some(same)) return;
    list.push(change);
    // Keep the most recent ones: the oldest change is the least useful to a person today.
    if (list.length > MAX_IDENTITY_CHANGES) {
      list.sort((a, b) => a.after.ts - b.after.ts);
      list.shift();
    }
  }
}

/** The identity record of `holder` (an endpoint, unit, MAC record or profile), created on first need. */
export function identityOf(holder: { identity: ReportedIdentity | null }): ReportedIdentity {
  if (holder.identity === null) holder.identity = new ReportedIdentity();
  return holder.identity;
}

/** Order of first reports: by time, then by message, so that ties do not depend on arrival. */
function earlier(a: ReportedValue, b: ReportedValue): boolean {
  if (a.ts !== b.ts) return a.ts < b.ts;
  return `${a.source} ${a.via}` < `${b.source} ${b.via}`;
}

/** Which of two different values is the current one: the one reported last (ties: by value). */
function later(a: ReportedValue, b: ReportedValue): boolean {
  if (a.last !== b.last) return a.last > b.last;
  return a.value > b.value;
}
