// The database as Kysely sees it: one entry per table, each described in its own module under
// tables/. Adding a table means a migration, a module, and a line here.

import type { Kysely } from 'kysely';
import type { EngineDescriptor } from './engines/types.ts';
import type { AlertActionsTable, AlertsTable } from './tables/alerts.ts';
import type { AssetIdentityHistoryTable } from './tables/asset-identity-history.ts';
import type { AssetsTable } from './tables/assets.ts';
import type { BaselinesTable } from './tables/baselines.ts';
import type { CapturesTable } from './tables/captures.ts';
import type { FlowsTable } from './tables/flows.ts';
import type { SuppressionsTable } from './tables/suppressions.ts';

export interface Database {
  alert_actions: AlertActionsTable;
  alerts: AlertsTable;
  asset_identity_history: AssetIdentityHistoryTable;
  assets: AssetsTable;
  baselines: BaselinesTable;
  captures: CapturesTable;
  flows: FlowsTable;
  suppressions: SuppressionsTable;
}

export type Db = Kysely<Database>;

/** What a table module needs besides a connection. */
export interface TableContext {
  readonly engine: EngineDescriptor;
  readonly maxBindParameters: number;
  /** For messages: describeLocation() of the open store. */
  readonly location: string;
}
