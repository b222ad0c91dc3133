// `zoneward monitor`: captures or a live interface through the pipeline into the detector, alerts
// out as they happen, and into the store at the end (merged with what earlier runs stored). The
// detector decides what is an alert; this file only wires sources, sinks and the store.

import type { BaselineDocument } from '../baseline/types.ts';
import { type LiveOptions, type LiveResult, startLiveCapture } from '../capture/live.ts';
import type { CaptureReadResult } from '../capture/source.ts';
import type { Alert } from '../detect/alert.ts';
import { Detector } from '../detect/detector.ts';
import type { Suppression as DetectorSuppression } from '../detect/lifecycle.ts';
import type { MaintenanceWindow } from '../detect/rules/commands.ts';
import { DISSECTORS } from '../dissectors/registry.ts';
import { decodeCaptureFile } from '../pipeline/decode-file.ts';
import { Pipeline, type PipelineStats } from '../pipeline/pipeline.ts';
import type { Store, Suppression } from '../store/store.ts';

export interface MonitorOptions {
  readonly baseline: BaselineDocument | null;
  /** Declared maintenance: commands from the source to its targets within the window are expected. */
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
  /** Stored suppressions in force now (wall clock): they apply to the whole run. */
  readonly suppressions: readonly Suppression[];
  /** Every new alert, and updates of known ones (rate-limited by the detector). */
  onAlert(alert: Alert, isNew: boolean): void;
}

export interface MonitorResult {
  readonly stats: PipelineStats;
  readonly alerts: readonly Alert[];
}

function detectorFor(options: MonitorOptions): Detector {
  return new Detector({
    baseline: options.baseline ?? undefined,
    suppressions: options.suppressions.map(forRun),
    maintenanceWindows: options.maintenanceWindows ?? [],
    onAlert: options.onAlert,
  });
}

/** A stored suppression, in force now, applies to every event of this run whatever its capture time. */
function forRun(s: Suppression): DetectorSuppression {
  return {
    category: s.category,
    src: s.src ?? undefined,
    dst: s.dst ?? undefined,
    key: s.key ?? undefined,
    until: Number.POSITIVE_INFINITY,
    by: s.by,
    why: s.why,
  };
}

export async function monitorFile(
  path: string,
  options: MonitorOptions,
): Promise<MonitorResult & { capture: CaptureReadResult }> {
  const detector = detectorFor(options);
  const { capture, stats } = await decodeCaptureFile(path, detector);
  detector.flush();
  return { capture, stats, alerts: detector.alerts() };
}

export interface LiveMonitor {
  stop(): void;
  /** The alerts so far, for periodic storing while the capture runs. */
  alerts(): readonly Alert[];
  readonly ready: Promise<void>;
  readonly stats: PipelineStats;
  readonly done: Promise<MonitorResult & { live: LiveResult }>;
}

export function monitorLive(live: LiveOptions, options: MonitorOptions): LiveMonitor {
  const detector = detectorFor(options);
  const pipeline = new Pipeline(detector, { dissectors: DISSECTORS });
  const capture = startLiveCapture(live, pipeline.frame);
  const done = capture.done.then((result) => {
    pipeline.finish();
    detector.flush();
    return { stats: pipeline.stats, alerts: detector.alerts(), live: result };
  });
  return {
    stop: () => capture.stop(),
    alerts: () => detector.alerts(),
    ready: capture.ready,
    stats: pipeline.stats,
    done,
  };
}

/**
 * The stored alert updated by a fresh one with the same id. Traffic after what was stored adds to
 * the count; a replay of traffic already seen (the same capture monitored again) does not. A closed
 * alert that happens again opens again.
 */
export function mergeAlert(stored: Alert, fresh: Alert): Alert {
  const newer = fresh.lastSeen > stored.lastSeen;
  const after = fresh.firstSeen > stored.lastSeen;
  return {
    ...stored,
    severity: newer ? fresh.severity : stored.severity,
    summary: newer ? fresh.summary : stored.summary,
    firstSeen: Math.min(stored.firstSeen, fresh.firstSeen),
    ts: Math.min(stored.ts, fresh.ts),
    lastSeen: Math.max(stored.lastSeen, fresh.lastSeen),
    count: after ? stored.count + fresh.count : Math.max(stored.count, fresh.count),
    evidence: stored.evidence.length > 0 ? stored.evidence : fresh.evidence,
    state: stored.state === 'closed' && newer ? 'open' : stored.state,
  };
}

/** Merges the run's alerts into the store in one transaction. */
export async function storeAlerts(store: Store, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  await store.transaction(async (tx) => {
    const stored = new Map((await tx.getAlerts(alerts.map((a) => a.id))).map((a) => [a.id, a]));
    await tx.upsertAlerts(
      alerts.map((a) => {
        const s = stored.get(a.id);
        return s === undefined ? a : mergeAlert(s, a);
      }),
    );
  });
}

/**
 * A maintenance window as the command line gives it: `SOURCE[>TARGET,TARGET]@FROM/TO`, with ISO 8601
 * times, e.g. `192.0.2.110>192.0.2.22@2026-03-02T06:00Z/2026-03-02T08:00Z`. Returns the window or
 * why the text is not one.
 */
export function parseMaintenanceWindow(text: string): MaintenanceWindow | string {
  const m = /^([^>@\s]+)(?:>([^@\s]+))?@([^/\s]+)\/(\S+)$/.exec(text.trim());
  if (m === null) return `"${text}" is not SOURCE[>TARGET,...]@FROM/TO`;
  const from = Date.parse(m[3]);
  const to = Date.parse(m[4]);
  if (Number.isNaN(from)) return `"${m[3]}" is not an ISO 8601 time`;
  if (Number.isNaN(to)) return `"${m[4]}" is not an ISO 8601 time`;
  if (to <= from) return `the window ends (${m[4]}) before it starts (${m[3]})`;
  const targets = m[2]?.split(',').filter((t) => t !== '');
  return { source: m[1], ...(targets === undefined ? {} : { targets }), from: from / 1000, to: to / 1000 };
}
