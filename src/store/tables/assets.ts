// `assets`: the inventory, one row per device (src/inventory/types.ts Asset), plus `ip_sort` so
// listings come out in numeric address order on both engines.
//
// The overrides rule: overrides are a person's corrections and outlive every discovery. upsertAssets
// reads `overrides: {}` as "no opinion" and keeps what is stored; a non-empty object replaces it.
// Only setAssetOverrides() can clear them. The caller's merge applies them; the store keeps them.

import { type Expression, type Insertable, type Selectable, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import {
  type Asset,
  type AssetOverrides,
  PURDUE_LEVELS,
  type PurdueLevel,
  ROLES,
  type Role,
} from '../../inventory/types.ts';
import { chunks, fromExcluded, lastPerKey, rowsPerStatement } from '../batch.ts';
import type { Db, TableContext } from '../database.ts';
import { ipSortKey } from '../ip-order.ts';
import { checkPage, type Page } from '../paging.ts';
import { checkRecords, decodeRow, type JsonColumn, readJson, writeJson } from '../records.ts';

export interface AssetsTable {
  id: string;
  ip: string | null;
  /** Derived from ip on every write (ip-order.ts); not part of the record. */
  ip_sort: string;
  ips: JsonColumn;
  mac: string | null;
  vendor: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  name: string | null;
  role: string | null;
  role_confidence: number | null;
  purdue_level: string | null;
  purdue_confidence: number | null;
  protocols: JsonColumn;
  evidence: JsonColumn;
  overrides: JsonColumn;
  first_seen: number;
  last_seen: number;
  /** Migration 0002: the gateway's asset id and the address behind it; null for most devices. */
  parent_id: string | null;
  unit: string | null;
}

export interface AssetFilter extends Page {
  /** The effective role: the override when there is one, else the inferred role. */
  role?: Role;
  /** The effective Purdue level, like role. */
  purdueLevel?: PurdueLevel;
  /** Case-insensitive (ASCII) substring of id, ip, mac, vendor, model, firmware, serial or name. */
  search?: string;
}

const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly NonNullable<
  AssetOverrides['criticality']
>[];

const confidence = z.number().min(0).max(1);
const timestamp = z.number().finite();

const evidenceSchema = z.object({
  field: z.string(),
  value: z.string(),
  confidence,
  source: z.string(),
  detail: z.string(),
  rule: z.string().optional(),
});

export const overridesSchema: z.ZodType<AssetOverrides, z.ZodTypeDef, unknown> = z.object({
  role: z.enum(ROLES).optional(),
  purdueLevel: z.enum(PURDUE_LEVELS).optional(),
  name: z.string().optional(),
  criticality: z.enum(CRITICALITIES).optional(),
  tags: z.array(z.string()).optional(),
});

export const assetSchema: z.ZodType<Asset, z.ZodTypeDef, unknown> = z.object({
  id: z.string().min(1),
  ip: z.string().nullable(),
  ips: z.array(z.string()),
  mac: z.string().nullable(),
  vendor: z.string().nullable(),
  model: z.string().nullable(),
  firmware: z.string().nullable(),
  serial: z.string().nullable(),
  name: z.string().nullable(),
  role: z.enum(ROLES).nullable(),
  roleConfidence: confidence.nullable(),
  purdueLevel: z.enum(PURDUE_LEVELS).nullable(),
  purdueConfidence: confidence.nullable(),
  protocols: z.array(z.string()),
  evidence: z.array(evidenceSchema),
  overrides: overridesSchema,
  firstSeen: timestamp,
  lastSeen: timestamp,
  parent: z.string().nullable(),
  unit: z.string().nullable(),
});

/** How `overrides: {}` is written; upserts compare against it to keep stored overrides. */
const NO_OVERRIDES = writeJson({});

/** Columns an upsert copies from the new record; overrides follow the rule in the file header. */
const UPSERT_COLUMNS = [
  'ip',
  'ip_sort',
  'ips',
  'mac',
  'vendor',
  'model',
  'firmware',
  'serial',
  'name',
  'role',
  'role_confidence',
  'purdue_level',
  'purdue_confidence',
  'protocols',
  'evidence',
  'first_seen',
  'last_seen',
  'parent_id',
  'unit',
] as const satisfies readonly (keyof AssetsTable)[];

/** Text columns that `search` looks in. */
const SEARCHED_COLUMNS = ['id', 'ip', 'mac', 'vendor', 'model', 'firmware', 'serial', 'name'] as const;

/** `!` rather than `\` escapes LIKE wildcards: it means the same in SQLite and PostgreSQL string literals. */
const LIKE_ESCAPE = '!';

export async function upsertAssets(db: Db, context: TableContext, assets: readonly Asset[]): Promise<void> {
  const rows = lastPerKey(
    checkRecords('asset', assetSchema, assets, (asset) => asset.id),
    (asset) => asset.id,
  ).map(toRow);
  if (rows.length === 0) return;
  const perStatement = rowsPerStatement(context.maxBindParameters, Object.keys(rows[0]).length);
  for (const chunk of chunks(rows, perStatement)) {
    await db
      .insertInto('assets')
      .values(chunk)
      .onConflict((conflict) =>
        conflict.column('id').doUpdateSet({
          ...fromExcluded(UPSERT_COLUMNS),
          overrides: sql<never>`case when ${sql.ref('excluded.overrides')} = ${sql.lit(NO_OVERRIDES)}
            then ${sql.ref('assets.overrides')} else ${sql.ref('excluded.overrides')} end`,
        }),
      )
      .execute();
  }
}

/** Every asset, or those with the given ids (unknown ids are left out); listing order. */
export async function selectAssets(db: Db, context: TableContext, ids?: readonly string[]): Promise<Asset[]> {
  if (ids === undefined) {
    const rows = await db.selectFrom('assets').selectAll().orderBy('ip_sort').orderBy('id').execute();
    return rows.map((row) => fromRow(row, context));
  }
  return selectWhereIn(db, context, 'id', ids);
}

/** Assets whose current address is one of `ips`; listing order. */
export async function selectAssetsByIp(
  db: Db,
  context: TableContext,
  ips: readonly string[],
): Promise<Asset[]> {
  return selectWhereIn(db, context, 'ip', ips);
}

export async function getAsset(db: Db, context: TableContext, id: string): Promise<Asset | null> {
  const row = await db.selectFrom('assets').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : fromRow(row, context);
}

export async function listAssets(db: Db, context: TableContext, filter: AssetFilter): Promise<Asset[]> {
  let query = db.selectFrom('assets').selectAll();
  const { engine } = context;
  if (filter.role !== undefined) {
    query = query.where(sql`coalesce(${engine.jsonText('overrides', 'role')}, role)`, '=', filter.role);
  }
  if (filter.purdueLevel !== undefined) {
    query = query.where(
      sql`coalesce(${engine.jsonText('overrides', 'purdueLevel')}, purdue_level)`,
      '=',
      filter.purdueLevel,
    );
  }
  if (filter.search !== undefined && filter.search !== '') {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    const searched: Expression<unknown>[] = [
      ...SEARCHED_COLUMNS.map((column) => sql.ref(column)),
      engine.jsonText('overrides', 'name'),
    ];
    query = query.where((eb) =>
      eb.or(
        searched.map(
          (column) => sql<SqlBool>`lower(${column}) like ${pattern} escape ${sql.lit(LIKE_ESCAPE)}`,
        ),
      ),
    );
  }
  const { limit, offset } = checkPage(filter);
  const rows = await query.orderBy('ip_sort').orderBy('id').limit(limit).offset(offset).execute();
  return rows.map((row) => fromRow(row, context));
}

/** Replaces an asset's overrides ({} clears them); the updated asset, or null when there is none with that id. */
export async function setAssetOverrides(
  db: Db,
  context: TableContext,
  id: string,
  overrides: AssetOverrides,
): Promise<Asset | null> {
  const [checked] = checkRecords('overrides for asset', overridesSchema, [overrides], () => id);
  const result = await db
    .updateTable('assets')
    .set({ overrides: writeJson(checked) })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return null;
  return getAsset(db, context, id);
}

async function selectWhereIn(
  db: Db,
  context: TableContext,
  column: 'id' | 'ip',
  values: readonly string[],
): Promise<Asset[]> {
  const rows: Selectable<AssetsTable>[] = [];
  for (const chunk of chunks([...new Set(values)], context.maxBindParameters)) {
    rows.push(...(await db.selectFrom('assets').selectAll().where(column, 'in', chunk).execute()));
  }
  // Chunks arrive in chunk order; sort as listAssets does (bytewise, like the key collation).
  rows.sort((a, b) => compareBytewise(a.ip_sort, b.ip_sort) || compareBytewise(a.id, b.id));
  return rows.map((row) => fromRow(row, context));
}

function compareBytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function escapeLike(text: string): string {
  return text.replace(/[!%_]/g, (char) => `${LIKE_ESCAPE}${char}`);
}

function toRow(asset: Asset): Insertable<AssetsTable> {
  return {
    id: asset.id,
    ip: asset.ip,
    ip_sort: ipSortKey(asset.ip),
    ips: writeJson(asset.ips),
    mac: asset.mac,
    vendor: asset.vendor,
    model: asset.model,
    firmware: asset.firmware,
    serial: asset.serial,
    name: asset.name,
    role: asset.role,
    role_confidence: asset.roleConfidence,
    purdue_level: asset.purdueLevel,
    purdue_confidence: asset.purdueConfidence,
    protocols: writeJson(asset.protocols),
    evidence: writeJson(asset.evidence),
    overrides: writeJson(asset.overrides),
    first_seen: asset.firstSeen,
    last_seen: asset.lastSeen,
    parent_id: asset.parent,
    unit: asset.unit,
  };
}

function fromRow(row: Selectable<AssetsTable>, context: TableContext): Asset {
  return decodeRow(
    'assets',
    context.location,
    assetSchema,
    row,
    (r) => r.id,
    (r) => ({
      id: r.id,
      ip: r.ip,
      ips: readJson(r.ips, 'ips'),
      mac: r.mac,
      vendor: r.vendor,
      model: r.model,
      firmware: r.firmware,
      serial: r.serial,
      name: r.name,
      role: r.role,
      roleConfidence: r.role_confidence,
      purdueLevel: r.purdue_level,
      purdueConfidence: r.purdue_confidence,
      protocols: readJson(r.protocols, 'protocols'),
      evidence: readJson(r.evidence, 'evidence'),
      overrides: readJson(r.overrides, 'overrides'),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      parent: r.parent_id,
      unit: r.unit,
    }),
  );
}
