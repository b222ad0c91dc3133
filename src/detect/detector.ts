// The detection engine (issue 4): a pipeline sink that runs every rule on every event as it arrives
// (detection within the event's own capture time), aggregates findings into alerts (alert-table.ts)
// and hands new and updated alerts to onAlert, at most once per RENOTIFY_INTERVAL_S per alert.
// Without a baseline only the rule-based detections run (commands, scans, ARP, violations, floods).

import type { BaselineDocument } from '../baseline/types.ts';
import type {
  AppEvent,
  ArpEvent,
  ConnectionInfo,
  ConnectionSummary,
  LinkEvent,
  PipelineSink,
} from '../pipeline/events.ts';
import type { Alert, AlertState } from './alert.ts';
import { AlertTable } from './alert-table.ts';
import { BaselineIndex } from './baseline-index.ts';
import { category } from './categories.ts';
import type { Finding } from './finding.ts';
import { isSuppressed, type Suppression } from './lifecycle.ts';
import { MAX_ALERTS, RENOTIFY_INTERVAL_S, SILENCE_CHECK_INTERVAL_S } from './limits.ts';
import { ArpRule } from './rules/arp.ts';
import { CadenceRule } from './rules/cadence.ts';
import { CommandRule, type MaintenanceWindow } from './rules/commands.ts';
import { DeviationRule } from './rules/deviation.ts';
import { IdentityRule } from './rules/identity.ts';
import type { MessageView, Rule } from './rules/rule.ts';
import { DiscoveryRule, PortScanRule, UnitSweepRule } from './rules/scanning.ts';
import { FloodRule, ViolationRule } from './rules/traffic.ts';
import { functionOf, operationOf, vocabulary } from './vocabulary.ts';

export interface DetectorOptions {
  readonly baseline?: BaselineDocument;
  readonly maintenanceWindows?: readonly MaintenanceWindow[];
  readonly suppressions?: readonly Suppression[];
  onAlert(alert: Alert, isNew: boolean): void;
  /** Defaults: RENOTIFY_INTERVAL_S, MAX_ALERTS (tests make them small). */
  readonly renotifyIntervalS?: number;
  readonly maxAlerts?: number;
}

export class Detector implements PipelineSink {
  private readonly table: AlertTable;
  private readonly rules: readonly Rule[];
  private readonly messageRules: readonly Rule[];
  private readonly tickRules: readonly Rule[];
  private readonly startRules: readonly Rule[];
  private readonly suppressions: Suppression[];
  private readonly view: MessageView;
  private nextTick = Number.NEGATIVE_INFINITY;
  readonly hasBaseline: boolean;

  constructor(private readonly options: DetectorOptions) {
    this.table = new AlertTable(
      options.renotifyIntervalS ?? RENOTIFY_INTERVAL_S,
      options.maxAlerts ?? MAX_ALERTS,
    );
    this.suppressions = [...(options.suppressions ?? [])];
    const b = options.baseline === undefined ? null : new BaselineIndex(options.baseline);
    this.hasBaseline = b !== null;
    const rules: Rule[] = [
      new CommandRule(options.maintenanceWindows ?? [], b),
      new PortScanRule(b),
      new UnitSweepRule(b),
      new DiscoveryRule(b),
      new ArpRule(b),
      new ViolationRule(b),
      new FloodRule(b),
    ];
    if (b !== null) rules.push(new DeviationRule(b), new CadenceRule(b), new IdentityRule(b));
    this.rules = rules;
    this.messageRules = rules.filter((r) => r.message !== undefined);
    this.tickRules = rules.filter((r) => r.tick !== undefined);
    this.startRules = rules.filter((r) => r.connectionStart !== undefined);
    this.view = {
      e: undefined as unknown as AppEvent,
      v: undefined as never,
      op: null,
      func: null,
      src: '',
      dst: '',
      isRequest: true,
    };
  }

  /** Every finding goes through here: severity, suppression, aggregation, notification. */
  private readonly raise = (f: Finding): void => {
    const severity = f.severity ?? category(f.category).severity;
    const { alert, isNew, notify } = this.table.upsert(f, severity, f.key);
    if (!notify || isSuppressed(alert, this.suppressions, f.ts)) return;
    this.options.onAlert(alert, isNew);
  };

  event(e: AppEvent): void {
    this.advance(e.ts);
    if (e.kind === 'violation') {
      for (const r of this.rules) r.violation?.(e, this.raise);
      return;
    }
    const v = vocabulary(e.app);
    if (v === undefined) return;
    const m = this.view;
    m.e = e;
    m.v = v;
    m.op = operationOf(v, e.fields);
    m.func = functionOf(v, e.fields);
    m.isRequest = e.dir === 0;
    m.src = m.isRequest ? e.conn.clientIp : e.conn.serverIp;
    m.dst = m.isRequest ? e.conn.serverIp : e.conn.clientIp;
    const rules = this.messageRules;
    for (let i = 0; i < rules.length; i++) rules[i].message?.(m, this.raise);
  }

  arp(e: ArpEvent): void {
    this.advance(e.ts);
    for (const r of this.rules) r.arp?.(e, this.raise);
  }

  link(e: LinkEvent): void {
    this.advance(e.ts);
    for (const r of this.rules) r.link?.(e, this.raise);
  }

  connection(c: ConnectionSummary): void {
    for (const r of this.rules) r.connection?.(c, this.raise);
  }

  connectionStart(conn: ConnectionInfo, ts: number): void {
    for (const r of this.startRules) r.connectionStart!(conn, ts, this.raise);
  }

  /** Hands out alerts updated since their last notification (call at the end of a capture). */
  flush(): void {
    for (const a of this.table.takeDirty())
      if (!isSuppressed(a, this.suppressions, a.lastSeen)) this.options.onAlert(a, false);
  }

  alerts(): Alert[] {
    return this.table.all();
  }

  suppress(s: Suppression): void {
    this.suppressions.push(s);
  }

  setState(id: string, state: AlertState): Alert | undefined {
    return this.table.setState(id, state);
  }

  /** The capture-time timer: rules with a tick run at most every SILENCE_CHECK_INTERVAL_S. */
  private advance(ts: number): void {
    if (ts < this.nextTick) return;
    this.nextTick = ts + SILENCE_CHECK_INTERVAL_S;
    for (const r of this.tickRules) r.tick?.(ts, this.raise);
  }
}
