// `suppressions`: "this is normal, stop telling me" with a scope and an expiry (issue 4). A
// suppression mutes alerts of one category, optionally only from one source, to one destination or
// with one key, until a time; who asked for it and why are recorded.

import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { Db, TableContext } from '../database.ts';
import { checkRecords, decodeRow } from '../records.ts';

export interface Suppression {
  id: string;
  category: string;
  /** Null: any source (destination, key). */
  src: string | null;
  dst: string | null;
  key: string | null;
  /** Seconds since the Unix epoch after which it no longer applies. */
  until: number;
  by: string;
  why: string;
  createdAt: number;
}

export interface SuppressionsTable {
  id: string;
  category: string;
  src: string | null;
  dst: string | null;
  key: string | null;
  until: number;
  by: string;
  why: string;
  created_at: number;
}

const timestamp = z.number().finite();

export const suppressionSchema: z.ZodType<Suppression, z.ZodTypeDef, unknown> = z
  .object({
    id: z.string().min(1),
    category: z.string().min(1),
    src: z.string().nullable(),
    dst: z.string().nullable(),
    key: z.string().nullable(),
    until: timestamp,
    by: z.string().min(1, 'say who'),
    why: z.string().min(1, 'say why'),
    createdAt: timestamp,
  })
  .refine((s) => s.until > s.createdAt, { message: 'expires before it was made', path: ['until'] });

export async function insertSuppression(db: Db, s: Suppression): Promise<void> {
  const [checked] = checkRecords('suppression', suppressionSchema, [s], (x) => x.id);
  await db.insertInto('suppressions').values(toRow(checked)).execute();
}

/** Suppressions in force at `at` (every one when undefined), oldest first. */
export async function listSuppressions(db: Db, context: TableContext, at?: number): Promise<Suppression[]> {
  let q = db.selectFrom('suppressions').selectAll();
  if (at !== undefined) q = q.where('until', '>', at).where('created_at', '<=', at);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => fromRow(r, context));
}

function toRow(s: Suppression): Insertable<SuppressionsTable> {
  return {
    id: s.id,
    category: s.category,
    src: s.src,
    dst: s.dst,
    key: s.key,
    until: s.until,
    by: s.by,
    why: s.why,
    created_at: s.createdAt,
  };
}

function fromRow(row: Selectable<SuppressionsTable>, context: TableContext): Suppression {
  return decodeRow(
    'suppressions',
    context.location,
    suppressionSchema,
    row,
    (r) => r.id,
    (r) => ({
      id: r.id,
      category: r.category,
      src: r.src,
      dst: r.dst,
      key: r.key,
      until: r.until,
      by: r.by,
      why: r.why,
      createdAt: r.created_at,
    }),
  );
}
