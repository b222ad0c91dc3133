// Aggregation (issue 4, "repeats are aggregated, never a storm"): one alert per (category, src, dst,
// key). A repeat updates count and lastSeen and adds evidence up to MAX_EVIDENCE_PER_ALERT; the
// table holds at most MAX_ALERTS and drops the least recently updated.

import { createHash } from 'node:crypto';
import {
  type Alert,
  type AlertEvidence,
  type AlertState,
  MAX_EVIDENCE_PER_ALERT,
  type Severity,
} from './alert.ts';
import { category, explain } from './categories.ts';
import type { Finding } from './finding.ts';
import { MAX_ALERTS } from './limits.ts';

/** Deterministic alert id: the same finding in another run has the same id. */
export function alertId(cat: string, src: string | null, dst: string | null, key: string): string {
  return createHash('sha256')
    .update(`${cat}\u0000${src ?? ''}\u0000${dst ?? ''}\u0000${key}`)
    .digest('hex')
    .slice(0, 16);
}

interface Entry {
  alert: Alert;
  evidence: AlertEvidence[];
  /** Capture time the alert was last handed to onAlert. */
  notifiedAt: number;
  /** Updated since it was last handed out. */
  dirty: boolean;
}

export interface Upsert {
  readonly alert: Alert;
  readonly isNew: boolean;
  /** True when the caller should notify (new, or updated and the re-notify interval passed). */
  readonly notify: boolean;
}

export class AlertTable {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly renotifyIntervalS: number,
    private readonly maxAlerts = MAX_ALERTS,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** `key` is the finding's key as aggregated (the detector may qualify it, e.g. maintenance). */
  upsert(f: Finding, severity: Severity, key: string): Upsert {
    const aggregateKey = `${f.category}\u0000${f.src ?? ''}\u0000${f.dst ?? ''}\u0000${key}`;
    const found = this.entries.get(aggregateKey);
    const ev: AlertEvidence =
      f.fields === undefined
        ? { ts: f.ts, detail: f.detail }
        : { ts: f.ts, detail: f.detail, fields: f.fields };
    if (found !== undefined) {
      if (found.evidence.length < MAX_EVIDENCE_PER_ALERT) found.evidence.push(ev);
      const a = found.alert;
      found.alert = {
        ...a,
        lastSeen: Math.max(a.lastSeen, f.ts),
        count: a.count + 1,
        evidence: found.evidence.slice(),
      };
      found.dirty = true;
      // Most recently updated last: eviction drops the stalest.
      this.entries.delete(aggregateKey);
      this.entries.set(aggregateKey, found);
      const notify = f.ts - found.notifiedAt >= this.renotifyIntervalS;
      if (notify) {
        found.notifiedAt = f.ts;
        found.dirty = false;
      }
      return { alert: found.alert, isNew: false, notify };
    }
    const cat = category(f.category);
    const alert: Alert = {
      id: alertId(f.category, f.src, f.dst, key),
      ts: f.ts,
      severity,
      category: f.category,
      technique: cat.technique,
      techniqueName: cat.techniqueName,
      src: f.src,
      dst: f.dst,
      assets: [],
      summary: explain(cat, f),
      evidence: [ev],
      firstSeen: f.ts,
      lastSeen: f.ts,
      count: 1,
      state: 'open',
    };
    if (this.entries.size >= this.maxAlerts) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(aggregateKey, { alert, evidence: [ev], notifiedAt: f.ts, dirty: false });
    return { alert, isNew: true, notify: true };
  }

  /** Alerts updated since they were last handed out (for a final flush). */
  *takeDirty(): Generator<Alert> {
    for (const e of this.entries.values()) {
      if (!e.dirty) continue;
      e.dirty = false;
      yield e.alert;
    }
  }

  all(): Alert[] {
    return [...this.entries.values()].map((e) => e.alert);
  }

  setState(id: string, state: AlertState): Alert | undefined {
    for (const e of this.entries.values()) {
      if (e.alert.id !== id) continue;
      e.alert = { ...e.alert, state };
      return e.alert;
    }
    return undefined;
  }
}
