// `captures`: every capture file already merged into the store, keyed by its SHA-256, so that
// discovering the same capture twice changes nothing.

import type { Insertable, Selectable } from 'kysely';
import { z } from 'zod';
import type { Db, TableContext } from '../database.ts';
import {
  type CounterColumn,
  checkRecords,
  decodeRow,
  type JsonColumn,
  readCounter,
  readJson,
  writeJson,
} from '../records.ts';

export interface CaptureRecord {
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
  /** Where it was read from, as given on the command line. */
  path: string;
  sizeBytes: number;
  packets: number;
  /** First and last packet time, seconds since the epoch; null when the capture held no packets. */
  firstTs: number | null;
  lastTs: number | null;
  ingestedAt: number;
  /** The pipeline's counters for this capture, as JSON. */
  stats: Record<string, unknown>;
}

export interface CapturesTable {
  sha256: string;
  path: string;
  size_bytes: CounterColumn;
  packets: CounterColumn;
  first_ts: number | null;
  last_ts: number | null;
  ingested_at: number;
  stats: JsonColumn;
}

const count = z.number().int().nonnegative().safe();
const timestamp = z.number().finite();

export const captureSchema: z.ZodType<CaptureRecord, z.ZodTypeDef, unknown> = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
  path: z.string(),
  sizeBytes: count,
  packets: count,
  firstTs: timestamp.nullable(),
  lastTs: timestamp.nullable(),
  ingestedAt: timestamp,
  stats: z.record(z.unknown()),
});

export async function hasCapture(db: Db, sha256: string): Promise<boolean> {
  const row = await db
    .selectFrom('captures')
    .select('sha256')
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a capture; false (and nothing changed) when one with the same SHA-256 is already there. */
export async function recordCapture(db: Db, capture: CaptureRecord): Promise<boolean> {
  const [checked] = checkRecords('capture', captureSchema, [capture], (c) => c.sha256);
  const result = await db
    .insertInto('captures')
    .values(toRow(checked))
    .onConflict((conflict) => conflict.column('sha256').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

export async function listCaptures(db: Db, context: TableContext): Promise<CaptureRecord[]> {
  const rows = await db.selectFrom('captures').selectAll().orderBy('ingested_at').orderBy('sha256').execute();
  return rows.map((row) => fromRow(row, context));
}

function toRow(capture: CaptureRecord): Insertable<CapturesTable> {
  return {
    sha256: capture.sha256,
    path: capture.path,
    size_bytes: capture.sizeBytes,
    packets: capture.packets,
    first_ts: capture.firstTs,
    last_ts: capture.lastTs,
    ingested_at: capture.ingestedAt,
    stats: writeJson(capture.stats),
  };
}

function fromRow(row: Selectable<CapturesTable>, context: TableContext): CaptureRecord {
  return decodeRow(
    'captures',
    context.location,
    captureSchema,
    row,
    (r) => r.sha256,
    (r) => ({
      sha256: r.sha256,
      path: r.path,
      sizeBytes: readCounter(r.size_bytes),
      packets: readCounter(r.packets),
      firstTs: r.first_ts,
      lastTs: r.last_ts,
      ingestedAt: r.ingested_at,
      stats: readJson(r.stats, 'stats'),
    }),
  );
}
