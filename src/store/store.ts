// The store: one typed interface over SQLite or PostgreSQL (DESIGN.md "Runtime and storage").
// Persistence only: merging what discover found with what is stored is the inventory's job (pure
// functions); the caller reads, merges and writes back inside one transaction().

import { AsyncLocalStorage } from 'node:async_hooks';
import type { Alert } from '../detect/alert.ts';
import { ErrorCodes, ZonewardError } from '../errors.ts';
import type { Flow } from '../flows/types.ts';
import type { Asset, AssetOverrides } from '../inventory/types.ts';
import type { Database, Db, TableContext } from './database.ts';
import { engineNamed } from './engines/registry.ts';
import type { EngineName } from './engines/types.ts';
import { errorText, storeOperation } from './failures.ts';
import { describeLocation, resolveStoreLocation, type StoreOptions } from './location.ts';
import { migrate } from './migrate.ts';
import {
  type AlertAction,
  type AlertFilter,
  alertActions,
  listAlerts,
  recordAlertAction,
  selectAlerts,
  upsertAlerts,
} from './tables/alerts.ts';
import {
  type IdentityChange,
  identityHistory,
  recordIdentityChanges,
} from './tables/asset-identity-history.ts';
import {
  type AssetFilter,
  getAsset,
  listAssets,
  selectAssets,
  selectAssetsByIp,
  setAssetOverrides,
  upsertAssets,
} from './tables/assets.ts';
import { insertBaseline, latestBaseline, type StoredBaseline } from './tables/baselines.ts';
import { type CaptureRecord, hasCapture, listCaptures, recordCapture } from './tables/captures.ts';
import { type FlowFilter, listFlows, selectFlows, upsertFlows } from './tables/flows.ts';
import { insertSuppression, listSuppressions, type Suppression } from './tables/suppressions.ts';

export type { EngineName } from './engines/types.ts';
export { DATABASE_URL_ENV, DEFAULT_DB_PATH, describeStoreLocation, type StoreOptions } from './location.ts';
export type { AlertAction, AlertActionKind, AlertFilter } from './tables/alerts.ts';
export { IDENTITY_FIELDS, type IdentityChange, type IdentityField } from './tables/asset-identity-history.ts';
export type { AssetFilter } from './tables/assets.ts';
export type { StoredBaseline } from './tables/baselines.ts';
export type { CaptureRecord } from './tables/captures.ts';
export type { FlowFilter } from './tables/flows.ts';
export type { Suppression } from './tables/suppressions.ts';

/**
 * What discover does inside one transaction. Each write checks its records first (ZW_STORE_INVALID_RECORD).
 * After a step fails, later steps are refused and the transaction rolls back, rejecting with that
 * first failure even if the callback caught it: half of a merge is never committed.
 */
export interface StoreTx {
  hasCapture(sha256: string): Promise<boolean>;
  /** false, and nothing changed, when a capture with this SHA-256 is already recorded. */
  recordCapture(capture: CaptureRecord): Promise<boolean>;
  /** Every asset, or those with these ids (unknown ids left out); listing order. */
  getAssets(ids?: readonly string[]): Promise<Asset[]>;
  /** Assets whose current address (`ip`) is one of these; listing order. */
  getAssetsByIp(ips: readonly string[]): Promise<Asset[]>;
  /** Inserts or replaces by id. `overrides: {}` keeps the stored overrides; a non-empty object replaces them. */
  upsertAssets(assets: readonly Asset[]): Promise<void>;
  /** Appends to the history; the assets must be stored already (call after upsertAssets). */
  recordIdentityChanges(changes: readonly IdentityChange[]): Promise<void>;
  /** Every flow, or those with these ids (unknown ids left out); ordered by id. */
  getFlows(ids?: readonly string[]): Promise<Flow[]>;
  /** Inserts or replaces by id. */
  upsertFlows(flows: readonly Flow[]): Promise<void>;
  /** The alerts with these ids (unknown ids left out), ordered by id. */
  getAlerts(ids: readonly string[]): Promise<Alert[]>;
  /** Inserts or replaces by id; the caller merges with what getAlerts returned. */
  upsertAlerts(alerts: readonly Alert[]): Promise<void>;
}

export interface StoreStats {
  captures: number;
  assets: number;
  flows: number;
  identityChanges: number;
  alerts: number;
}

export interface Store {
  readonly engine: EngineName;
  /** For messages: "SQLite file /plant/.zoneward/zoneward.db", "PostgreSQL postgres://zw@db/plant". */
  readonly location: string;
  /**
   * Runs fn in one write transaction: everything or nothing. An error thrown by fn is rethrown as it
   * is, after the rollback. Inside fn use only `tx`; calling the store itself there is refused (on
   * SQLite it would wait for the transaction's own connection forever).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Ordered by address (numerically, IPv4 before IPv6, no address last), then id. */
  listAssets(filter?: AssetFilter): Promise<Asset[]>;
  /** Ordered by id. */
  listFlows(filter?: FlowFilter): Promise<Flow[]>;
  /** Ordered by ingestion time, then SHA-256. */
  listCaptures(): Promise<CaptureRecord[]>;
  getAsset(id: string): Promise<Asset | null>;
  /** One asset's identity changes, oldest first. */
  getIdentityHistory(assetId: string): Promise<IdentityChange[]>;
  /** Replaces the asset's overrides ({} clears them); returns the updated asset, null if there is no such id. */
  setAssetOverrides(id: string, overrides: AssetOverrides): Promise<Asset | null>;
  /** Newest activity first. */
  listAlerts(filter?: AlertFilter): Promise<Alert[]>;
  /** Records a person's action on an alert and sets its state; null when there is no such alert. */
  recordAlertAction(action: AlertAction): Promise<Alert | null>;
  /** One alert's actions, oldest first. */
  getAlertActions(alertId: string): Promise<AlertAction[]>;
  addSuppression(suppression: Suppression): Promise<void>;
  /** Suppressions in force at `at` (seconds since the epoch), or every one. */
  listSuppressions(at?: number): Promise<Suppression[]>;
  saveBaseline(baseline: StoredBaseline): Promise<void>;
  /** The newest baseline of a site (of any site when undefined), or null. */
  latestBaseline(site?: string): Promise<StoredBaseline | null>;
  stats(): Promise<StoreStats>;
  /** Idempotent. Every later call fails with ZW_STORE_FAILED. */
  close(): Promise<void>;
}

/**
 * Opens the store and brings its schema up to date. `url` (or ZONEWARD_DATABASE_URL) selects
 * PostgreSQL; otherwise the SQLite file `db`, by default DEFAULT_DB_PATH (location.ts for precedence).
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const location = resolveStoreLocation(options);
  const where = describeLocation(location);
  const engine = engineNamed(location.engine);
  const opened = await engine.open(location);
  try {
    await migrate(opened, engine, where);
  } catch (error) {
    await opened.db.destroy();
    throw error;
  }
  const context: TableContext = { engine, maxBindParameters: opened.maxBindParameters, location: where };
  const { db } = opened;
  const inTransaction = new AsyncLocalStorage<true>();
  let closed = false;

  function checkUsable(action: string): void {
    if (closed) throw new ZonewardError(ErrorCodes.STORE_FAILED, `${action}: the store (${where}) is closed`);
    if (inTransaction.getStore() === true) {
      throw new ZonewardError(
        ErrorCodes.STORE_FAILED,
        `${action} was called on the store inside its own transaction; use the transaction's tx there`,
      );
    }
  }

  async function run<T>(action: string, operation: () => Promise<T>): Promise<T> {
    checkUsable(action);
    return storeOperation(action, where, operation);
  }

  return {
    engine: engine.name,
    location: where,

    transaction: async (fn) => {
      checkUsable('a transaction');
      const failures: unknown[] = [];
      try {
        return await db.transaction().execute(async (conn) => {
          const tx = transactionHandle(conn, context);
          try {
            const result = await inTransaction.run(true, () => fn(tx.handle));
            // fn caught a failed step and returned: committing would keep half of its work (and
            // PostgreSQL would quietly roll back instead). Roll back and report the failure.
            if (tx.failure !== undefined) throw tx.failure.error;
            return result;
          } catch (error) {
            failures.push(error);
            throw error;
          } finally {
            tx.end();
          }
        });
      } catch (error) {
        // The caller's own error (or a store error it let through) goes back as it was; anything
        // else happened in begin, commit or rollback.
        if (failures.includes(error) || error instanceof ZonewardError) throw error;
        throw new ZonewardError(
          ErrorCodes.STORE_FAILED,
          `the transaction failed to complete in ${where}: ${errorText(error)}`,
          { cause: error },
        );
      }
    },
    listAssets: (filter = {}) => run('listing assets', () => listAssets(db, context, filter)),
    listFlows: (filter = {}) => run('listing flows', () => listFlows(db, context, filter)),
    listCaptures: () => run('listing captures', () => listCaptures(db, context)),
    getAsset: (id) => run(`reading asset ${id}`, () => getAsset(db, context, id)),
    getIdentityHistory: (assetId) =>
      run(`reading the identity history of ${assetId}`, () => identityHistory(db, context, assetId)),
    setAssetOverrides: (id, overrides) =>
      run(`setting overrides of ${id}`, () => setAssetOverrides(db, context, id, overrides)),
    listAlerts: (filter = {}) => run('listing alerts', () => listAlerts(db, context, filter)),
    recordAlertAction: (action) =>
      run(`recording "${action.action}" on alert ${action.alertId}`, () =>
        db.transaction().execute((conn) => recordAlertAction(conn, context, action)),
      ),
    getAlertActions: (alertId) =>
      run(`reading the actions on alert ${alertId}`, () => alertActions(db, context, alertId)),
    addSuppression: (suppression) => run('adding a suppression', () => insertSuppression(db, suppression)),
    listSuppressions: (at) => run('listing suppressions', () => listSuppressions(db, context, at)),
    saveBaseline: (baseline) => run(`saving baseline ${baseline.id}`, () => insertBaseline(db, baseline)),
    latestBaseline: (site) => run('reading the latest baseline', () => latestBaseline(db, context, site)),
    stats: () =>
      run('counting records', async () => ({
        captures: await countRows(db, 'captures'),
        assets: await countRows(db, 'assets'),
        flows: await countRows(db, 'flows'),
        identityChanges: await countRows(db, 'asset_identity_history'),
        alerts: await countRows(db, 'alerts'),
      })),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/** A StoreTx bound to the transaction's connection, refusing use after the transaction or a failure. */
function transactionHandle(
  conn: Db,
  context: TableContext,
): { handle: StoreTx; readonly failure: { error: unknown } | undefined; end(): void } {
  let state: 'open' | 'failed' | 'ended' = 'open';
  let failure: { error: unknown } | undefined;
  async function step<T>(action: string, operation: () => Promise<T>): Promise<T> {
    if (state === 'ended') {
      throw new ZonewardError(ErrorCodes.STORE_FAILED, `${action}: this transaction has already ended`);
    }
    if (state === 'failed') {
      // PostgreSQL refuses every statement after a failed one until rollback; SQLite would go on.
      // Refusing on both keeps one behaviour.
      throw new ZonewardError(
        ErrorCodes.STORE_FAILED,
        `${action}: an earlier step of this transaction failed`,
      );
    }
    try {
      return await storeOperation(action, context.location, operation);
    } catch (error) {
      state = 'failed';
      failure ??= { error };
      throw error;
    }
  }
  return {
    get failure() {
      return failure;
    },
    handle: {
      hasCapture: (sha256) => step('checking for a capture', () => hasCapture(conn, sha256)),
      recordCapture: (capture) => step('recording a capture', () => recordCapture(conn, capture)),
      getAssets: (ids) => step('reading assets', () => selectAssets(conn, context, ids)),
      getAssetsByIp: (ips) => step('reading assets by address', () => selectAssetsByIp(conn, context, ips)),
      upsertAssets: (assets) => step('storing assets', () => upsertAssets(conn, context, assets)),
      recordIdentityChanges: (changes) =>
        step('recording identity changes', () => recordIdentityChanges(conn, context, changes)),
      getFlows: (ids) => step('reading flows', () => selectFlows(conn, context, ids)),
      upsertFlows: (flows) => step('storing flows', () => upsertFlows(conn, context, flows)),
      getAlerts: (ids) => step('reading alerts', () => selectAlerts(conn, context, ids)),
      upsertAlerts: (alerts) => step('storing alerts', () => upsertAlerts(conn, context, alerts)),
    },
    end: () => {
      state = 'ended';
    },
  };
}

async function countRows(db: Db, table: keyof Database): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
