// `alerts` and `alert_actions`: what detections raised (src/detect/alert.ts), one row per aggregated
// alert, and every action a person took on one (acknowledge, close, learn, suppress), with who,
// when and why. Merging a fresh alert with the stored one is the detector's job; the store keeps
// what it is given.

import type { Generated, Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import { ALERT_STATES, type Alert, type AlertState, SEVERITIES, type Severity } from '../../detect/alert.ts';
import { chunks, fromExcluded, lastPerKey, rowsPerStatement } from '../batch.ts';
import type { Db, TableContext } from '../database.ts';
import { checkPage, type Page } from '../paging.ts';
import {
  type CounterColumn,
  checkRecords,
  decodeRow,
  type JsonColumn,
  readCounter,
  readJson,
  writeJson,
} from '../records.ts';

export interface AlertsTable {
  id: string;
  ts: number;
  severity: string;
  category: string;
  technique: string;
  technique_name: string;
  src: string | null;
  dst: string | null;
  assets: JsonColumn;
  summary: string;
  evidence: JsonColumn;
  first_seen: number;
  last_seen: number;
  count: CounterColumn;
  state: string;
}

export const ALERT_ACTIONS = ['acknowledge', 'close', 'reopen', 'learn', 'suppress'] as const;
export type AlertActionKind = (typeof ALERT_ACTIONS)[number];

/** What a person did with an alert. */
export interface AlertAction {
  alertId: string;
  action: AlertActionKind;
  by: string;
  why: string;
  /** Seconds since the Unix epoch. */
  at: number;
}

export interface AlertActionsTable {
  seq: Generated<number | string>;
  alert_id: string;
  action: string;
  by: string;
  why: string;
  at: number;
}

export interface AlertFilter extends Page {
  state?: AlertState;
  /** This severity or worse. */
  minSeverity?: Severity;
  category?: string;
  /** Last seen at or after (seconds since the epoch). */
  since?: number;
}

const timestamp = z.number().finite();

const evidenceSchema = z.object({
  ts: timestamp,
  detail: z.string(),
  fields: z
    .record(
      z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.number()), z.array(z.string())]),
    )
    .optional(),
});

export const alertSchema: z.ZodType<Alert, z.ZodTypeDef, unknown> = z.object({
  id: z.string().min(1),
  ts: timestamp,
  severity: z.enum(SEVERITIES),
  category: z.string().min(1),
  technique: z.string(),
  techniqueName: z.string(),
  src: z.string().nullable(),
  dst: z.string().nullable(),
  assets: z.array(z.string()),
  summary: z.string(),
  evidence: z.array(evidenceSchema),
  firstSeen: timestamp,
  lastSeen: timestamp,
  count: z.number().int().positive().safe(),
  state: z.enum(ALERT_STATES),
});

export const alertActionSchema: z.ZodType<AlertAction, z.ZodTypeDef, unknown> = z.object({
  alertId: z.string().min(1),
  action: z.enum(ALERT_ACTIONS),
  by: z.string().min(1, 'say who'),
  why: z.string().min(1, 'say why'),
  at: timestamp,
});

const UPSERT_COLUMNS = [
  'ts',
  'severity',
  'category',
  'technique',
  'technique_name',
  'src',
  'dst',
  'assets',
  'summary',
  'evidence',
  'first_seen',
  'last_seen',
  'count',
  'state',
] as const satisfies readonly (keyof AlertsTable)[];

/** Inserts or replaces by id. */
export async function upsertAlerts(db: Db, context: TableContext, alerts: readonly Alert[]): Promise<void> {
  const rows = lastPerKey(
    checkRecords('alert', alertSchema, alerts, (a) => a.id),
    (a) => a.id,
  ).map(toRow);
  if (rows.length === 0) return;
  const perStatement = rowsPerStatement(context.maxBindParameters, Object.keys(rows[0]).length);
  for (const chunk of chunks(rows, perStatement)) {
    await db
      .insertInto('alerts')
      .values(chunk)
      .onConflict((conflict) => conflict.column('id').doUpdateSet(fromExcluded(UPSERT_COLUMNS)))
      .execute();
  }
}

/** The alerts with these ids (unknown ids left out), ordered by id. */
export async function selectAlerts(db: Db, context: TableContext, ids: readonly string[]): Promise<Alert[]> {
  if (ids.length === 0) return [];
  const out: Alert[] = [];
  for (const chunk of chunks([...ids], Math.max(1, context.maxBindParameters - 10))) {
    const rows = await db.selectFrom('alerts').selectAll().where('id', 'in', chunk).execute();
    out.push(...rows.map((r) => fromRow(r, context)));
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Newest activity first (last seen), then id. */
export async function listAlerts(db: Db, context: TableContext, filter: AlertFilter): Promise<Alert[]> {
  const { limit, offset } = checkPage(filter);
  let q = db.selectFrom('alerts').selectAll();
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  if (filter.category !== undefined) q = q.where('category', '=', filter.category);
  if (filter.since !== undefined) q = q.where('last_seen', '>=', filter.since);
  if (filter.minSeverity !== undefined) {
    q = q.where('severity', 'in', SEVERITIES.slice(SEVERITIES.indexOf(filter.minSeverity)));
  }
  const rows = await q.orderBy('last_seen', 'desc').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((r) => fromRow(r, context));
}

/**
 * Records a person's action and the state it leads to (acknowledge: acknowledged; close: closed;
 * reopen: open; learn and suppress: closed). Returns the updated alert, null when there is no such id.
 */
export async function recordAlertAction(
  db: Db,
  context: TableContext,
  action: AlertAction,
): Promise<Alert | null> {
  const [checked] = checkRecords('alert action', alertActionSchema, [action], (a) => a.alertId);
  const state: AlertState =
    checked.action === 'acknowledge' ? 'acknowledged' : checked.action === 'reopen' ? 'open' : 'closed';
  const updated = await db
    .updateTable('alerts')
    .set({ state })
    .where('id', '=', checked.alertId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) return null;
  await db
    .insertInto('alert_actions')
    .values({
      alert_id: checked.alertId,
      action: checked.action,
      by: checked.by,
      why: checked.why,
      at: checked.at,
    })
    .execute();
  const [alert] = await selectAlerts(db, context, [checked.alertId]);
  return alert ?? null;
}

/** One alert's actions, oldest first. */
export async function alertActions(db: Db, context: TableContext, alertId: string): Promise<AlertAction[]> {
  const rows = await db
    .selectFrom('alert_actions')
    .selectAll()
    .where('alert_id', '=', alertId)
    .orderBy('seq')
    .execute();
  return rows.map((row) =>
    decodeRow(
      'alert_actions',
      context.location,
      alertActionSchema,
      row,
      (r) => `${r.alert_id} #${r.seq}`,
      (r) => ({ alertId: r.alert_id, action: r.action, by: r.by, why: r.why, at: r.at }),
    ),
  );
}

function toRow(a: Alert): Insertable<AlertsTable> {
  return {
    id: a.id,
    ts: a.ts,
    severity: a.severity,
    category: a.category,
    technique: a.technique,
    technique_name: a.techniqueName,
    src: a.src,
    dst: a.dst,
    assets: writeJson(a.assets),
    summary: a.summary,
    evidence: writeJson(a.evidence),
    first_seen: a.firstSeen,
    last_seen: a.lastSeen,
    count: a.count,
    state: a.state,
  };
}

function fromRow(row: Selectable<AlertsTable>, context: TableContext): Alert {
  return decodeRow(
    'alerts',
    context.location,
    alertSchema,
    row,
    (r) => r.id,
    (r) => ({
      id: r.id,
      ts: r.ts,
      severity: r.severity,
      category: r.category,
      technique: r.technique,
      techniqueName: r.technique_name,
      src: r.src,
      dst: r.dst,
      assets: readJson(r.assets, 'assets'),
      summary: r.summary,
      evidence: readJson(r.evidence, 'evidence'),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      count: readCounter(r.count),
      state: r.state,
    }),
  );
}
