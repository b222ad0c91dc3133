// What a detection reports (issue 4, "Alerts"): one record per aggregated finding, never one per
// packet. The JSON line `zoneward monitor` prints is `alertLine(alert)`: id, ts, severity,
// category, technique, src, dst, summary, evidence (the contract), plus the rest of the record.

import type { FieldValue } from '../dissectors/types.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['open', 'acknowledged', 'closed'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One piece of evidence: a message or packet that made the detection fire, with its time. */
export interface AlertEvidence {
  /** Seconds since the Unix epoch (capture time). */
  readonly ts: number;
  /** A plain sentence: `WRITE_SINGLE_REGISTER 40107 = 9000 from 192.0.2.101`. */
  readonly detail: string;
  /** The message's dotted fields that matter (function, address, value...), when there are some. */
  readonly fields?: Readonly<Record<string, FieldValue>>;
}

export interface Alert {
  /** Stable for the aggregate: the same finding again updates this alert (count, lastSeen). */
  readonly id: string;
  /** When it was first seen (capture time), seconds since the Unix epoch. */
  readonly ts: number;
  readonly severity: Severity;
  /** What kind of finding: `new-asset`, `program-download`, `port-scan`... (detect/categories.ts). */
  readonly category: string;
  /** MITRE ATT&CK for ICS technique id, e.g. `T0843` (Program Download). */
  readonly technique: string;
  readonly techniqueName: string;
  /** Source and destination as IP (or MAC for link-layer findings); null when not applicable. */
  readonly src: string | null;
  readonly dst: string | null;
  /** Asset ids involved, when the inventory knows them. */
  readonly assets: readonly string[];
  /** One plain sentence a plant engineer understands. */
  readonly summary: string;
  /** The first few pieces of evidence (bounded), oldest first. */
  readonly evidence: readonly AlertEvidence[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Occurrences aggregated into this alert. */
  readonly count: number;
  readonly state: AlertState;
}

/** Evidence kept per alert; the count keeps growing, the list does not. */
export const MAX_EVIDENCE_PER_ALERT = 8;

/** The JSON line of an alert: the contract's keys first, in the contract's order. */
export function alertLine(a: Alert): string {
  const { id, ts, severity, category, technique, src, dst, summary, evidence, ...rest } = a;
  return JSON.stringify({ id, ts, severity, category, technique, src, dst, summary, evidence, ...rest });
}
