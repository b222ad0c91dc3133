// `baselines`: every baseline saved (issue 4: "a portable, readable JSON file ... also kept in the
// store"), newest last per site. The document is kept whole; the baseline module validates it on
// the way in and out (src/baseline), the store only checks it is an object of the known format.

import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import { BASELINE_FORMAT, type BaselineDocument } from '../../baseline/types.ts';
import type { Db, TableContext } from '../database.ts';
import { checkRecords, decodeRow, type JsonColumn, readJson, writeJson } from '../records.ts';

export interface StoredBaseline {
  id: string;
  site: string;
  mode: BaselineDocument['mode'];
  savedAt: number;
  document: BaselineDocument;
}

export interface BaselinesTable {
  id: string;
  site: string;
  mode: string;
  saved_at: number;
  document: JsonColumn;
}

const documentSchema = z.custom<BaselineDocument>(
  (v) => typeof v === 'object' && v !== null && (v as { format?: unknown }).format === BASELINE_FORMAT,
  { message: `not a ${BASELINE_FORMAT} document` },
);

export const storedBaselineSchema: z.ZodType<StoredBaseline, z.ZodTypeDef, unknown> = z.object({
  id: z.string().min(1),
  site: z.string(),
  mode: z.enum(['learning', 'monitoring']),
  savedAt: z.number().finite(),
  document: documentSchema,
});

export async function insertBaseline(db: Db, b: StoredBaseline): Promise<void> {
  const [checked] = checkRecords('baseline', storedBaselineSchema, [b], (x) => x.id);
  await db.insertInto('baselines').values(toRow(checked)).execute();
}

/** The newest baseline of a site (of any site when undefined), null when none is stored. */
export async function latestBaseline(
  db: Db,
  context: TableContext,
  site?: string,
): Promise<StoredBaseline | null> {
  let q = db.selectFrom('baselines').selectAll();
  if (site !== undefined) q = q.where('site', '=', site);
  const row = await q.orderBy('saved_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row === undefined ? null : fromRow(row, context);
}

function toRow(b: StoredBaseline): Insertable<BaselinesTable> {
  return { id: b.id, site: b.site, mode: b.mode, saved_at: b.savedAt, document: writeJson(b.document) };
}

function fromRow(row: Selectable<BaselinesTable>, context: TableContext): StoredBaseline {
  return decodeRow(
    'baselines',
    context.location,
    storedBaselineSchema,
    row,
    (r) => r.id,
    (r) => ({
      id: r.id,
      site: r.site,
      mode: r.mode,
      savedAt: r.saved_at,
      document: readJson(r.document, 'document'),
    }),
  );
}
