// `asset_identity_history`: every change of an asset's identity (a firmware update, a swapped
// device, a new address), with where the new value came from. Append-only; the inventory decides
// what counts as a change, the store keeps the record in the order given.

import type { Generated, Insertable, Selectable } from 'kysely';
import { z } from 'zod';
// The record and its fields are the inventory's (inventory/merge.ts produces them); the store keeps them.
import { IDENTITY_FIELDS, type IdentityChange, type IdentityField } from '../../inventory/merge.ts';
import { chunks, rowsPerStatement } from '../batch.ts';
import type { Db, TableContext } from '../database.ts';
import { checkRecords, decodeRow } from '../records.ts';

export { IDENTITY_FIELDS, type IdentityChange, type IdentityField };

export interface AssetIdentityHistoryTable {
  /** Numbered by the database in insertion order, so changes with one ts keep their order. pg returns int8 as a string. */
  seq: Generated<number | string>;
  asset_id: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  source: string;
  ts: number;
}

export const identityChangeSchema: z.ZodType<IdentityChange, z.ZodTypeDef, unknown> = z.object({
  assetId: z.string().min(1),
  field: z.enum(IDENTITY_FIELDS),
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  source: z.string(),
  ts: z.number().finite(),
});

/** The assets must already be stored (a foreign key): call after upsertAssets in the same transaction. */
export async function recordIdentityChanges(
  db: Db,
  context: TableContext,
  changes: readonly IdentityChange[],
): Promise<void> {
  const rows = checkRecords('identity change', identityChangeSchema, changes, (c) => c.assetId).map(toRow);
  if (rows.length === 0) return;
  const perStatement = rowsPerStatement(context.maxBindParameters, Object.keys(rows[0]).length);
  for (const chunk of chunks(rows, perStatement)) {
    await db.insertInto('asset_identity_history').values(chunk).execute();
  }
}

/** One asset's identity changes, oldest first. */
export async function identityHistory(
  db: Db,
  context: TableContext,
  assetId: string,
): Promise<IdentityChange[]> {
  const rows = await db
    .selectFrom('asset_identity_history')
    .selectAll()
    .where('asset_id', '=', assetId)
    .orderBy('ts')
    .orderBy('seq')
    .execute();
  return rows.map((row) => fromRow(row, context));
}

function toRow(change: IdentityChange): Insertable<AssetIdentityHistoryTable> {
  return {
    asset_id: change.assetId,
    field: change.field,
    old_value: change.oldValue,
    new_value: change.newValue,
    source: change.source,
    ts: change.ts,
  };
}

function fromRow(row: Selectable<AssetIdentityHistoryTable>, context: TableContext): IdentityChange {
  return decodeRow(
    'asset_identity_history',
    context.location,
    identityChangeSchema,
    row,
    (r) => `${r.asset_id} #${r.seq}`,
    (r) => ({
      assetId: r.asset_id,
      field: r.field,
      oldValue: r.old_value,
      newValue: r.new_value,
      source: r.source,
      ts: r.ts,
    }),
  );
}
